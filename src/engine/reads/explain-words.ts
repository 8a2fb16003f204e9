/**
 * How explainExecution writes times and lists in its sentences. Engine
 * times are shown in UTC (the engine has no time zone of its own), with the
 * distance from the engine's now, so a sentence reads the same in a test,
 * a worker and a page.
 */

export function utc(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

/** "850 ms", "42s", "12m 05s", "3h 04m", "2d 03h". */
export function span(ms: number): string {
  const abs = Math.max(0, Math.round(ms));
  const pad = (n: number): string => String(n).padStart(2, '0');
  if (abs < 1_000) return `${abs} ms`;
  if (abs < 60_000) return `${Math.floor(abs / 1_000)}s`;
  if (abs < 3_600_000) return `${Math.floor(abs / 60_000)}m ${pad(Math.floor(abs / 1_000) % 60)}s`;
  if (abs < 86_400_000) return `${Math.floor(abs / 3_600_000)}h ${pad(Math.floor(abs / 60_000) % 60)}m`;
  return `${Math.floor(abs / 86_400_000)}d ${pad(Math.floor(abs / 3_600_000) % 24)}h`;
}

/** "2023-11-14 22:13:20 UTC (in 5m 00s)" or "(3s ago)". */
export function at(ms: number, now: number): string {
  const delta = ms - now;
  const rel = Math.abs(delta) < 1_000 ? 'now' : delta > 0 ? `in ${span(delta)}` : `${span(-delta)} ago`;
  return `${utc(ms)} (${rel})`;
}

/** "a", "a and b", "a, b and c"; long lists end with "and N more". */
export function list(items: readonly string[], max = 5): string {
  const shown = items.slice(0, max);
  const rest = items.length - shown.length;
  if (rest > 0) return `${shown.join(', ')} and ${rest} more`;
  if (shown.length <= 1) return shown.join('');
  return `${shown.slice(0, -1).join(', ')} and ${shown[shown.length - 1]!}`;
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}
