/** RFC 4180 CSV, as Splunk exports results: multivalue values joined with newlines inside one quoted cell. */
import type { Row } from '../../spl/values.js';
import { textValues } from './values.js';

function cell(s: string): string {
  return /[",\r\n]/.test(s) || /^\s|\s$/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function renderCsv(rows: readonly Row[], fields: readonly string[]): string {
  const lines = [fields.map(cell).join(',')];
  for (const r of rows) lines.push(fields.map((f) => cell(textValues(r[f]).join('\n'))).join(','));
  return lines.join('\r\n') + '\r\n';
}
