/**
 * Status: where the data lives (IndexedDB or memory), which tab runs the
 * engine, when it was last saved and how big it is; save now, export and
 * import a snapshot file, reset. Errors of these actions show here, beside
 * the buttons.
 */
import { html, nothing, type PropertyDeclarations } from 'lit';
import type { BrowserBackendStatus } from '../../client/browser-backend.js';
import { DtElement } from '../base.js';
import { defineElement } from '../define.js';
import { exportSnapshot, flushNow, importSnapshotFile, resetDatabase, STATUS_SCOPE } from './snapshot-actions.js';
import { statusFields } from './status-text.js';

export class DtStatusPanel extends DtElement {
  static override properties: PropertyDeclarations = { status: { state: true }, busy: { state: true } };
  declare status: BrowserBackendStatus | null;
  /** An import or reset is under way (asking, or replacing): its buttons wait. */
  declare busy: boolean;

  constructor() {
    super();
    this.status = null;
    this.busy = false;
  }

  override async load(): Promise<void> {
    this.status = await this.store.backend.status();
  }

  override render(): unknown {
    const s = this.status;
    return html`<section class="panel panel-status" data-testid="panel-status" aria-labelledby="ff-panel-status-title">
      <header class="panel-head">
        <h2 id="ff-panel-status-title">Status</h2>
        <p class="blurb">The whole database is SQLite in a worker, saved to IndexedDB shortly after every change. Reload the page: everything is still here.</p>
      </header>
      ${s
        ? html`<dl class="kv status-kv">
            ${statusFields(s, Date.now()).map(
              (f) => html`<dt>${f.label}</dt>
                <dd data-testid=${f.testid} class=${f.bad ? 'tone-bad' : ''} data-role=${f.role ?? nothing}>${f.text}</dd>`,
            )}
          </dl>`
        : html`<p class="muted">Reading the status…</p>`}
      <div class="row actions">
        <button type="button" data-testid="status-flush" @click=${() => void flushNow(this.store)}>Save now</button>
        <button type="button" data-testid="status-export" @click=${() => void exportSnapshot(this.store)}>Export snapshot</button>
        <button type="button" data-testid="status-import" ?disabled=${this.busy} @click=${this.pickFile}>Import snapshot…</button>
        <input type="file" class="visually-hidden" tabindex="-1" accept=".ffsnap,.sqlite,.db,application/octet-stream" data-testid="status-import-file"
          aria-label="Snapshot file to import" @change=${this.onFile} />
        <button type="button" class="danger" data-testid="status-reset" ?disabled=${this.busy} @click=${() => void this.whileBusy(() => resetDatabase(this.store))}>Reset database…</button>
      </div>
      ${this.errorBox(STATUS_SCOPE)}
    </section>`;
  }

  private readonly pickFile = (): void => {
    this.querySelector<HTMLInputElement>('[data-testid="status-import-file"]')?.click();
  };

  private readonly onFile = (event: Event): void => {
    const input = event.target as HTMLInputElement;
    const file = input.files?.[0];
    // Cleared at once, so picking the same file again is a change too.
    input.value = '';
    if (file) void this.whileBusy(() => importSnapshotFile(this.store, file));
  };

  private async whileBusy(fn: () => Promise<void>): Promise<void> {
    this.busy = true;
    try {
      await fn();
    } finally {
      this.busy = false;
    }
  }
}
defineElement('ff-dt-status', DtStatusPanel);
