/** How the devtools' status panel and header pill word the backend's status(). */
import { describe, expect, it } from 'vitest';
import type { BrowserBackendStatus } from '../../src/client/browser-backend.js';
import { pillText, statusFields } from '../../src/devtools/status/status-text.js';

const BASE: BrowserBackendStatus = {
  name: 'pg-virtual',
  host: 'worker',
  persistence: 'indexeddb',
  clock: 'manual',
  schemaVersion: 13,
  openedFrom: 'saved-image',
  sequence: 12,
  persistedSequence: 10,
  unsavedChanges: true,
  imageBytes: 2048,
  lastPersistedAtMs: 1_000_000,
  lastSave: { ms: 3.25, exportMs: 1, bytesWritten: 4096, chunksWritten: 1, chunks: 4, durability: 'relaxed' },
  lastError: null,
  connections: 1,
  subscriptions: 2,
  startup: { bootMs: 0, scriptMs: 0, loadedScriptMs: 0, storeMs: 0, loadMs: 0, readyMs: 0, openMs: 0, migrateMs: 0, totalMs: 0 },
  role: 'leader',
  callChannel: 'messages',
};

function field(s: BrowserBackendStatus, testid: string): { text: string; bad?: boolean; role?: string } {
  return statusFields(s, 1_042_000).find((f) => f.testid === testid)!;
}

describe('status text', () => {
  it('words every row; the last save is aged on the wall clock passed in', () => {
    expect(field(BASE, 'status-role')).toMatchObject({ text: 'leader: the engine runs in this tab', role: 'leader' });
    expect(field(BASE, 'status-last-save').text).toMatch(/^42s ago \(wall clock \d\d:\d\d:\d\d\) · 3\.3 ms, 4\.0 KB written$/);
    expect(field(BASE, 'status-sequence').text).toBe('12 (10 saved)');
    expect(field(BASE, 'status-schema').text).toBe('v13 · opened from the saved image');
    expect(field(BASE, 'status-connections').text).toBe('1 tab · 2 subscriptions');
    expect(field(BASE, 'status-error')).toMatchObject({ text: 'none', bad: false });
    expect(pillText(BASE)).toBe('leader · IndexedDB · saving… · 2.0 KB');
    expect(field({ ...BASE, callChannel: 'shared-memory' }, 'status-role').text).toBe('leader: the engine runs in this tab · calls through shared memory');
  });

  it('a follower that reconnected, a failed save, memory persistence', () => {
    const s: BrowserBackendStatus = { ...BASE, role: 'follower', reconnects: 2, persistence: 'memory', lastError: { code: 'persistence', message: 'quota', details: {} } };
    expect(field(s, 'status-role')).toMatchObject({ text: 'follower: uses the engine in another tab · reconnected 2×', role: 'follower' });
    expect(field(s, 'status-error')).toMatchObject({ text: 'persistence: quota', bad: true });
    expect(field(s, 'status-last-save').text).toBe('never (memory)');
    expect(field(s, 'status-persistence').text).toBe('memory (lost on reload) · worker');
    expect(pillText(s)).toBe('follower · memory · not saved · 2.0 KB');
  });

  it('one engine for every tab when no leader is elected', () => {
    const { role: _role, ...shared } = BASE;
    void _role;
    expect(field({ ...shared, host: 'shared-worker' } as BrowserBackendStatus, 'status-role')).toMatchObject({ text: 'one engine for every tab (shared-worker)', role: 'none' });
    expect(pillText({ ...shared, unsavedChanges: false } as BrowserBackendStatus)).toMatch(/^IndexedDB · saved \d\d:\d\d:\d\d · 2\.0 KB$/);
  });
});
