/**
 * What the status panel's buttons do to the whole database: save now,
 * export a snapshot file, import one, reset. Import and reset replace every
 * row, so both ask first; the import question offers to export the current
 * database before it goes. A file that cannot be read is refused before
 * anything is asked, and a refused import changes nothing.
 */
import { formatBytes, formatTime } from '../format.js';
import type { DevtoolsStore } from '../store.js';
import { decodeSnapshotFile, encodeSnapshotFile, type DecodedSnapshotFile } from './snapshot-file.js';

/** The store scope the status panel's errors are kept under (shown beside its buttons). */
export const STATUS_SCOPE = 'status';

export async function flushNow(store: DevtoolsStore): Promise<void> {
  const r = await store.act(STATUS_SCOPE, 'Saving', () => store.backend.flush());
  if (r) store.toast(`Saved: ${formatBytes(r.imageBytes)} up to write ${r.persistedSequence}`, 'ok');
}

/** Download the database as a .ffsnap file; resolves true once the download was handed to the browser. */
export async function exportSnapshot(store: DevtoolsStore): Promise<boolean> {
  const { backend } = store;
  const file = await store.act(STATUS_SCOPE, 'Exporting a snapshot', async () => {
    const [snapshot, engineNowMs, status] = await Promise.all([backend.exportSnapshot(), backend.now(), backend.status()]);
    const blob = encodeSnapshotFile(snapshot, { database: status.name, clock: status.clock, engineNowMs });
    return { blob, name: `${status.name}-${formatTime(engineNowMs).replace(/[: ]/g, '-')}.ffsnap` };
  });
  if (!file) return false;
  // A detached link: nothing is added to the host page's DOM, and the devtools' in-app routing never sees it.
  const a = document.createElement('a');
  a.href = URL.createObjectURL(file.blob);
  a.download = file.name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
  store.toast(`Exported ${formatBytes(file.blob.size)} as ${file.name}`, 'ok');
  return true;
}

/** Read `file`, ask, then replace the database with it. */
export async function importSnapshotFile(store: DevtoolsStore, file: File): Promise<void> {
  const { backend } = store;
  const action = `Importing '${file.name}'`;
  const decoded = await store.act(STATUS_SCOPE, action, async (): Promise<DecodedSnapshotFile & { database: string }> => {
    const { schemaVersion, name } = await backend.status();
    return { ...decodeSnapshotFile(new Uint8Array(await file.arrayBuffer()), schemaVersion), database: name };
  });
  if (!decoded) return;
  const from = decoded.header ? `exported from '${decoded.header.database}' at ${formatTime(decoded.header.engineNowMs)}` : 'a bare SQLite file';
  const ok = await store.confirm({
    title: 'Replace the database with this import?',
    body: `'${file.name}' (${from}, ${formatBytes(decoded.snapshot.image.byteLength)}) will replace everything in '${decoded.database}': executions, flows, budgets, quotas and workers, in every tab. Export the current database first to keep a copy.`,
    confirmLabel: 'Replace with import',
    danger: true,
    extra: { label: 'Export first', run: () => void exportSnapshot(store) },
  });
  if (!ok) {
    store.toast(`Import of '${file.name}' cancelled: nothing changed`, 'info');
    return;
  }
  const done = await store.act(STATUS_SCOPE, action, async () => {
    const result = await backend.importSnapshot(decoded.snapshot);
    // Virtual time never goes back: catch up with the exporting engine's clock, so its deadlines are not in the future.
    const header = decoded.header;
    if (header && (await backend.status()).clock === 'manual' && header.engineNowMs > (await backend.now())) await backend.advanceTimeTo({ at: header.engineNowMs });
    store.rememberClock(await backend.now());
    return result;
  });
  if (!done) return;
  store.databaseReplaced();
  store.toast(`Imported '${file.name}' (${formatBytes(done.imageBytes)})`, 'ok');
}

export async function resetDatabase(store: DevtoolsStore): Promise<void> {
  const ok = await store.confirm({
    title: 'Reset the database?',
    body: 'Every execution, flow, budget, quota policy and worker in this database is erased, in every tab. A virtual clock starts again. Export a snapshot first to keep a copy.',
    confirmLabel: 'Reset database',
    danger: true,
  });
  if (!ok) return;
  const r = await store.act(STATUS_SCOPE, 'Resetting the database', () => store.backend.reset());
  if (!r) return;
  store.rememberClock(await store.backend.now());
  store.databaseReplaced();
  store.toast('Database reset: empty, migrated and saved', 'ok');
}
