/**
 * Plain-text tables for terminals: one line per row, multivalue values on
 * continuation lines, long values cut to the terminal width.
 */
import type { Row } from '../../spl/values.js';
import { textValues } from './values.js';

export interface TableOptions {
  /** Terminal width; columns are narrowed to fit. */
  readonly width?: number;
  readonly maxColumnWidth?: number;
}

export function renderTable(rows: readonly Row[], fields: readonly string[], opts: TableOptions = {}): string {
  if (fields.length === 0) return '';
  const maxCol = opts.maxColumnWidth ?? 60;
  const cells = rows.map((r) => fields.map((f) => textValues(r[f]).map(oneLine)));
  const widths = fields.map((f, i) =>
    Math.min(maxCol, Math.max(f.length, ...cells.map((row) => Math.max(0, ...(row[i] as string[]).map((s) => s.length))))),
  );
  if (opts.width) shrink(widths, opts.width, fields.length);
  const line = (vals: readonly string[]): string =>
    vals.map((v, i) => pad(cut(v, widths[i] as number), widths[i] as number)).join('  ').trimEnd();
  const out: string[] = [line(fields), line(widths.map((w) => '-'.repeat(w)))];
  for (const row of cells) {
    const height = Math.max(1, ...row.map((c) => c.length));
    for (let k = 0; k < height; k++) out.push(line(row.map((c) => c[k] ?? '')));
  }
  return out.join('\n') + '\n';
}

function shrink(widths: number[], total: number, n: number): void {
  const sep = 2 * (n - 1);
  while (widths.reduce((a, b) => a + b, 0) + sep > total) {
    let maxI = 0;
    widths.forEach((w, i) => {
      if (w > (widths[maxI] as number)) maxI = i;
    });
    if ((widths[maxI] as number) <= 8) break;
    widths[maxI] = (widths[maxI] as number) - 1;
  }
}

function oneLine(s: string): string {
  return s.replace(/\r?\n/g, '⏎').replace(/\t/g, ' ');
}

function cut(s: string, w: number): string {
  return s.length <= w ? s : s.slice(0, Math.max(0, w - 1)) + '…';
}

function pad(s: string, w: number): string {
  return s.length >= w ? s : s + ' '.repeat(w - s.length);
}
