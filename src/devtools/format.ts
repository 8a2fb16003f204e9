/**
 * Formatting for the devtools. Times are engine times (virtual or real),
 * passed in by the caller; nothing here reads the wall clock.
 */

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** A countdown or an age: "850 ms", "42s", "12m 05s", "3h 04m 05s", "2d 03h 04m". */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return '—';
  const sign = ms < 0 ? '-' : '';
  const abs = Math.abs(Math.round(ms));
  if (abs < 1_000) return `${sign}${abs} ms`;
  const s = Math.floor(abs / 1_000) % 60;
  const m = Math.floor(abs / 60_000) % 60;
  const hrs = Math.floor(abs / 3_600_000) % 24;
  const d = Math.floor(abs / 86_400_000);
  if (abs < 60_000) return `${sign}${Math.floor(abs / 1_000)}s`;
  if (abs < 3_600_000) return `${sign}${m}m ${pad(s)}s`;
  if (abs < 86_400_000) return `${sign}${hrs}h ${pad(m)}m ${pad(s)}s`;
  return `${sign}${d}d ${pad(hrs)}h ${pad(m)}m`;
}

/** A time until `at` seen from `now`: "in 12m 05s", "now", "12s ago". */
export function formatUntil(at: number, now: number): string {
  const delta = at - now;
  if (Math.abs(delta) < 500) return 'now';
  return delta > 0 ? `in ${formatDuration(delta)}` : `${formatDuration(-delta)} ago`;
}

/** A reset interval: "1 h", "30 min", "1 day", "never". */
export function formatInterval(ms: number): string {
  if (ms <= 0) return 'never';
  const units: [number, string][] = [
    [86_400_000, 'day'],
    [3_600_000, 'h'],
    [60_000, 'min'],
    [1_000, 's'],
  ];
  for (const [size, unit] of units) {
    if (ms % size === 0) {
      const n = ms / size;
      return unit === 'day' ? `${n} day${n === 1 ? '' : 's'}` : `${n} ${unit}`;
    }
  }
  return `${ms} ms`;
}

/** "2026-11-22 14:03:05" (local time), optionally with milliseconds. */
export function formatTime(ms: number, withMs = false): string {
  const d = new Date(ms);
  const date = `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
  const time = `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
  return `${date} ${time}${withMs ? `.${pad(d.getMilliseconds(), 3)}` : ''}`;
}

/** "14:03:05" (local time). */
export function formatClockTime(ms: number): string {
  const d = new Date(ms);
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(2)} MB`;
}

export function formatNumber(n: number): string {
  return n.toLocaleString('en-US');
}

/** The first 8 hex digits of an execution id's uuid: enough to tell executions apart on screen. */
export function shortId(executionId: string): string {
  const at = executionId.indexOf('}:');
  return at >= 0 ? executionId.slice(at + 2, at + 10) : executionId.slice(0, 8);
}
