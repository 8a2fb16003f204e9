/**
 * Status: where the data lives (IndexedDB or memory), when it was last
 * saved and how big it is; save now, export and import a snapshot file,
 * load sample data, reset.
 */
import type { BackendStatus, BrowserBackendStatus } from '../../src/index.js';
import type { App, Panel } from './app.js';
import { byTestId, h, panel, setText } from './dom.js';
import { formatBytes, formatClockTime, formatDuration, formatTime } from './format.js';
import { loadSample } from './sample.js';
import { decodeSnapshotFile, encodeSnapshotFile } from './snapshot-file.js';

const FIELDS: [string, string][] = [
  ['This tab', 'status-role'],
  ['Persistence', 'status-persistence'],
  ['Database', 'status-name'],
  ['Clock', 'status-clock'],
  ['Last save', 'status-last-save'],
  ['Unsaved changes', 'status-unsaved'],
  ['Database size', 'status-size'],
  ['Writes (saved)', 'status-sequence'],
  ['Schema', 'status-schema'],
  ['Connections', 'status-connections'],
  ['Last save error', 'status-error'],
];

export class StatusPanel implements Panel {
  readonly el: HTMLElement;
  private readonly file = h('input', { type: 'file', accept: '.ffsnap,.sqlite,.db,application/octet-stream', testid: 'status-import-file', class: 'visually-hidden', tabIndex: -1 });
  private readonly confirm = h(
    'div',
    { class: 'confirm', testid: 'status-reset-dialog', hidden: true, role: 'alertdialog', 'aria-label': 'Confirm reset' },
    h('span', null, 'Erase every execution, budget, policy and worker in this database?'),
    h('button', { type: 'button', class: 'danger', testid: 'status-reset-confirm', onClick: () => void this.reset() }, 'Yes, reset'),
    h('button', { type: 'button', class: 'ghost', testid: 'status-reset-cancel', onClick: () => (this.confirm.hidden = true) }, 'Cancel'),
  );

  constructor(
    private readonly app: App,
    private readonly pill: HTMLElement,
  ) {
    this.file.addEventListener('change', () => void this.importFile());
    this.el = panel(
      'status',
      'Status',
      'The whole database is SQLite in a worker, saved to IndexedDB shortly after every change. Reload the page: everything is still here.',
      h('dl', { class: 'kv status-kv' }, FIELDS.map(([label, testid]) => [h('dt', null, label), h('dd', { testid }, '…')])),
      h(
        'div',
        { class: 'row actions' },
        h('button', { type: 'button', testid: 'status-flush', onClick: () => void this.flush() }, 'Save now'),
        h('button', { type: 'button', testid: 'status-export', onClick: () => void this.export() }, 'Export snapshot'),
        h('button', { type: 'button', testid: 'status-import', onClick: () => this.file.click() }, 'Import snapshot…'),
        this.file,
        h('button', { type: 'button', testid: 'status-sample', onClick: () => void this.sample() }, 'Load sample data'),
        h('button', { type: 'button', class: 'danger', testid: 'status-reset', onClick: () => (this.confirm.hidden = false) }, 'Reset database…'),
      ),
      this.confirm,
    );
  }

  async refresh(): Promise<void> {
    const s = await this.app.backend.status();
    const set = (testid: string, text: string): void => setText(byTestId(this.el, testid), text);
    set('status-role', roleText(s));
    byTestId(this.el, 'status-role').dataset['role'] = s.role ?? 'none';
    set('status-persistence', `${s.persistence === 'indexeddb' ? 'IndexedDB' : 'memory (lost on reload)'} · ${s.host}`);
    set('status-name', s.name);
    set('status-clock', s.clock === 'manual' ? 'virtual (manual)' : 'real (wall clock)');
    set('status-last-save', lastSave(s));
    set('status-unsaved', s.unsavedChanges ? 'yes (saving shortly)' : 'no');
    set('status-size', formatBytes(s.imageBytes));
    set('status-sequence', `${s.sequence} (${s.persistedSequence} saved)`);
    set('status-schema', `v${s.schemaVersion} · opened from ${s.openedFrom === 'saved-image' ? 'the saved image' : 'a new database'}`);
    set('status-connections', `${s.connections} tab${s.connections === 1 ? '' : 's'} · ${s.subscriptions} subscription${s.subscriptions === 1 ? '' : 's'}`);
    set('status-error', s.lastError ? `${s.lastError.code}: ${s.lastError.message}` : 'none');
    byTestId(this.el, 'status-error').classList.toggle('tone-bad', s.lastError !== null);
    setText(this.pill, `${s.role ? `${s.role} · ` : ''}${s.persistence === 'indexeddb' ? 'IndexedDB' : 'memory'} · ${s.unsavedChanges ? 'saving…' : s.lastPersistedAtMs ? `saved ${formatClockTime(s.lastPersistedAtMs)}` : 'not saved yet'} · ${formatBytes(s.imageBytes)}`);
    this.pill.dataset['unsaved'] = String(s.unsavedChanges);
  }

  private async flush(): Promise<void> {
    const r = await this.app.act('Saving', () => this.app.backend.flush());
    if (r) this.app.notices.toast(`Saved: ${formatBytes(r.imageBytes)} up to write ${r.persistedSequence}`, 'ok');
  }

  private async export(): Promise<void> {
    const { backend, config } = this.app;
    const blob = await this.app.act('Exporting a snapshot', async () => {
      const [snapshot, engineNowMs] = await Promise.all([backend.exportSnapshot(), backend.now()]);
      return encodeSnapshotFile(snapshot, { database: config.dbName, clock: config.clockMode === 'virtual' ? 'manual' : 'real', engineNowMs });
    });
    if (!blob) return;
    const a = h('a', { href: URL.createObjectURL(blob), download: `${config.dbName}-${formatTime(this.app.now).replace(/[: ]/g, '-')}.ffsnap` });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
    this.app.notices.toast(`Exported ${formatBytes(blob.size)}`, 'ok');
  }

  private async importFile(): Promise<void> {
    const file = this.file.files?.[0];
    this.file.value = '';
    if (!file) return;
    const { backend, config } = this.app;
    const done = await this.app.act(`Importing '${file.name}'`, async () => {
      const { schemaVersion } = await backend.status();
      const { snapshot, header } = decodeSnapshotFile(new Uint8Array(await file.arrayBuffer()), schemaVersion);
      const result = await backend.importSnapshot(snapshot);
      // Virtual time never goes back: catch up with the exporting engine's clock, so its deadlines are not in the future.
      if (config.clockMode === 'virtual' && header && header.engineNowMs > (await backend.now())) await backend.advanceTimeTo({ at: header.engineNowMs });
      this.app.rememberClock(await backend.now());
      return result;
    });
    if (!done) return;
    this.app.databaseReplaced();
    this.app.notices.toast(`Imported '${file.name}' (${formatBytes(done.imageBytes)})`, 'ok');
  }

  private async sample(): Promise<void> {
    const message = await this.app.act('Loading sample data', () => loadSample(this.app.backend));
    if (message) this.app.notices.toast(message, 'ok');
  }

  private async reset(): Promise<void> {
    this.confirm.hidden = true;
    const r = await this.app.act('Resetting the database', () => this.app.backend.reset());
    if (!r) return;
    this.app.databaseReplaced();
    this.app.notices.toast('Database reset: empty, migrated and saved', 'ok');
  }
}

/** lastPersistedAtMs is wall-clock time (when the browser saved), so its age is measured against the wall clock. */
function lastSave(s: BackendStatus): string {
  if (s.persistence === 'memory') return 'never (memory)';
  if (s.lastPersistedAtMs === null) return 'not yet';
  const cost = s.lastSave ? ` · ${s.lastSave.ms.toFixed(1)} ms, ${formatBytes(s.lastSave.bytesWritten)} written` : '';
  return `${formatDuration(Date.now() - s.lastPersistedAtMs)} ago (wall clock ${formatClockTime(s.lastPersistedAtMs)})${cost}`;
}

/** Under worker 'leader' (the default), whether the engine runs in this tab or this tab uses another's. */
function roleText(s: BrowserBackendStatus): string {
  const moved = s.reconnects ? ` · reconnected ${s.reconnects}×` : '';
  if (s.role === 'leader') return `leader: the engine runs in this tab${moved}`;
  if (s.role === 'follower') return `follower: uses the engine in another tab${moved}`;
  return `one engine for every tab (${s.host})`;
}
