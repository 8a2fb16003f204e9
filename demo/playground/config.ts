/**
 * The playground's switches, read from the URL, and the few preferences it
 * keeps in localStorage.
 *
 *   ?clock=virtual|real   which clock the backend runs on (default virtual)
 *   ?db=<name>            database base name (default "playground"); the
 *                         clock mode is appended, so switching clocks never
 *                         opens a virtual-time database on a real clock
 *   ?testHandle=1         install window.__ffBackend for end-to-end tests
 *   ?play=0|1             start with virtual time paused or playing
 *   ?persistence=memory   keep nothing across reloads (default indexeddb)
 *   ?sliceTicks=<n>       run each advance in slices of at most n scanner ticks
 *                         (default: slices of 50 ms), e.g. to watch its progress
 *   ?clockStart=<ms>      the virtual clock's first reading, and where "Reset
 *                         database" takes it back to (default: the wall time)
 */
export type ClockMode = 'virtual' | 'real';

export interface PlaygroundConfig {
  clockMode: ClockMode;
  baseName: string;
  /** The backend's database name: `<baseName>-<clockMode>`. */
  dbName: string;
  testHandle: boolean;
  /** From ?play, or null to use the saved preference. */
  play: boolean | null;
  persistence: 'indexeddb' | 'memory';
  /** From ?clockStart: a pinned first reading for the virtual clock, or null for the wall time. */
  clockStartMs: number | null;
  /** From ?sliceTicks: scanner ticks per advance slice, or null for wall-time slices. */
  sliceTicks: number | null;
}

export function readConfig(search: string): PlaygroundConfig {
  const params = new URLSearchParams(search);
  const clockMode: ClockMode = params.get('clock') === 'real' ? 'real' : 'virtual';
  const baseName = params.get('db')?.trim() || 'playground';
  const play = params.get('play');
  const clockStart = Number(params.get('clockStart') ?? NaN);
  const sliceTicks = Number(params.get('sliceTicks') ?? NaN);
  return {
    clockMode,
    baseName,
    dbName: `${baseName}-${clockMode}`,
    testHandle: params.get('testHandle') === '1',
    play: play === null ? null : play !== '0',
    persistence: params.get('persistence') === 'memory' ? 'memory' : 'indexeddb',
    clockStartMs: Number.isSafeInteger(clockStart) && clockStart >= 0 ? clockStart : null,
    sliceTicks: Number.isSafeInteger(sliceTicks) && sliceTicks > 0 ? sliceTicks : null,
  };
}

/** The current URL with `changes` applied (null removes a parameter). */
export function urlWith(changes: Record<string, string | null>): string {
  const url = new URL(location.href);
  for (const [key, value] of Object.entries(changes)) {
    if (value === null) url.searchParams.delete(key);
    else url.searchParams.set(key, value);
  }
  return url.toString();
}

// ── preferences ─────────────────────────────────────────────────────────
// Virtual time is not one of them: the saved database records its clock, so
// a reload continues where it was, and a reset starts it again at the wall
// time.

const key = (dbName: string, what: string): string => `ff-playground:${dbName}:${what}`;

function read(k: string): string | null {
  try {
    return localStorage.getItem(k);
  } catch {
    return null;
  }
}

function write(k: string, value: string | null): void {
  try {
    if (value === null) localStorage.removeItem(k);
    else localStorage.setItem(k, value);
  } catch {
    // Storage can be unavailable (private modes, quota); the playground works without it.
  }
}

export function loadPlaying(dbName: string): boolean {
  return read(key(dbName, 'playing')) !== '0';
}

export function savePlaying(dbName: string, playing: boolean): void {
  write(key(dbName, 'playing'), playing ? '1' : '0');
}
