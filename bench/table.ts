/** Plain-text tables with aligned columns, and number formatting. */

export interface Column {
  header: string;
  /** @default 'right' */
  align?: 'left' | 'right';
}

export function renderTable(columns: readonly Column[], rows: readonly (readonly string[])[]): string {
  const widths = columns.map((c, i) => Math.max(c.header.length, ...rows.map((r) => (r[i] ?? '').length)));
  const cell = (text: string, i: number): string =>
    (columns[i]?.align ?? 'right') === 'left' ? text.padEnd(widths[i]!) : text.padStart(widths[i]!);
  const line = (cells: readonly string[]): string =>
    columns
      .map((_, i) => cell(cells[i] ?? '', i))
      .join('  ')
      .trimEnd();
  const rule = widths.map((w) => '-'.repeat(w)).join('  ');
  return [line(columns.map((c) => c.header)), rule, ...rows.map(line)].join('\n');
}

/** 12345.6 -> "12,346"; small values keep one decimal. */
export function fmtOps(v: number): string {
  if (!Number.isFinite(v)) return '-';
  return v >= 100 ? Math.round(v).toLocaleString('en-US') : v.toFixed(1);
}

/** Microseconds with precision that suits the magnitude. */
export function fmtUs(v: number): string {
  if (!Number.isFinite(v)) return '-';
  if (v >= 10_000) return Math.round(v).toLocaleString('en-US');
  if (v >= 100) return v.toFixed(0);
  if (v >= 10) return v.toFixed(1);
  return v.toFixed(2);
}

export function fmtPct(v: number): string {
  return Number.isFinite(v) ? `${(v * 100).toFixed(1)}%` : '-';
}

export function fmtX(v: number): string {
  return Number.isFinite(v) ? `${v.toFixed(2)}x` : '-';
}
