/** How the status panel and the header pill put the backend's status() into words. */
import type { BrowserBackendStatus } from '../../client/browser-backend.js';
import { formatBytes, formatClockTime, formatDuration } from '../format.js';

export interface StatusField {
  label: string;
  testid: string;
  text: string;
  /** Drawn as trouble (the last save failed). */
  bad?: boolean;
  /** For tests and styling: the tab's role under worker 'leader'. */
  role?: string;
}

/** The status panel's rows, in order. `wallNow` ages the last save, which is wall-clock time. */
export function statusFields(s: BrowserBackendStatus, wallNow: number): StatusField[] {
  const plural = (n: number, what: string): string => `${n} ${what}${n === 1 ? '' : 's'}`;
  return [
    { label: 'This tab', testid: 'status-role', text: roleText(s), role: s.role ?? 'none' },
    { label: 'Persistence', testid: 'status-persistence', text: `${s.persistence === 'indexeddb' ? 'IndexedDB' : 'memory (lost on reload)'} · ${s.host}` },
    { label: 'Database', testid: 'status-name', text: s.name },
    { label: 'Clock', testid: 'status-clock', text: s.clock === 'manual' ? 'virtual (manual)' : 'real (wall clock)' },
    { label: 'Last save', testid: 'status-last-save', text: lastSave(s, wallNow) },
    { label: 'Unsaved changes', testid: 'status-unsaved', text: s.unsavedChanges ? 'yes (saving shortly)' : 'no' },
    { label: 'Database size', testid: 'status-size', text: formatBytes(s.imageBytes) },
    { label: 'Writes (saved)', testid: 'status-sequence', text: `${s.sequence} (${s.persistedSequence} saved)` },
    { label: 'Schema', testid: 'status-schema', text: `v${s.schemaVersion} · opened from ${s.openedFrom === 'saved-image' ? 'the saved image' : 'a new database'}` },
    { label: 'Connections', testid: 'status-connections', text: `${plural(s.connections, 'tab')} · ${plural(s.subscriptions, 'subscription')}` },
    { label: 'Last save error', testid: 'status-error', text: s.lastError ? `${s.lastError.code}: ${s.lastError.message}` : 'none', bad: s.lastError !== null },
  ];
}

/** The header pill: role, where it is saved, whether it is saved, size. */
export function pillText(s: BrowserBackendStatus): string {
  const saved = s.unsavedChanges ? 'saving…' : s.lastPersistedAtMs !== null ? `saved ${formatClockTime(s.lastPersistedAtMs)}` : 'not saved yet';
  const where = s.persistence === 'indexeddb' ? 'IndexedDB' : 'memory';
  return `${s.role ? `${s.role} · ` : ''}${where} · ${s.persistence === 'memory' ? 'not saved' : saved} · ${formatBytes(s.imageBytes)}`;
}

function lastSave(s: BrowserBackendStatus, wallNow: number): string {
  if (s.persistence === 'memory') return 'never (memory)';
  if (s.lastPersistedAtMs === null) return 'not yet';
  const cost = s.lastSave ? ` · ${s.lastSave.ms.toFixed(1)} ms, ${formatBytes(s.lastSave.bytesWritten)} written` : '';
  return `${formatDuration(wallNow - s.lastPersistedAtMs)} ago (wall clock ${formatClockTime(s.lastPersistedAtMs)})${cost}`;
}

/** Under worker 'leader' (the default): whether the engine runs in this tab or this tab uses another's. */
function roleText(s: BrowserBackendStatus): string {
  const moved = `${s.reconnects ? ` · reconnected ${s.reconnects}×` : ''}${s.callChannel === 'shared-memory' ? ' · calls through shared memory' : ''}`;
  if (s.role === 'leader') return `leader: the engine runs in this tab${moved}`;
  if (s.role === 'follower') return `follower: uses the engine in another tab${moved}`;
  return `one engine for every tab (${s.host})`;
}
