/** Plain-text and JSON-lines renderings of lint records. Pure. */
import type { LintRecord } from './types.js';

/** One line per detection (status, file, name), its diagnostics indented under it, then a summary. */
export function renderLintTable(records: readonly LintRecord[]): string {
  let out = '';
  for (const r of records) {
    const status = !r.parsed ? 'FAIL' : r.diagnostics.some((d) => d.severity === 'error') ? 'ERR ' : r.supported ? 'ok  ' : 'part';
    out += `${status} ${r.file}  ${r.name}${r.parsed && !r.supported ? '  (not fully supported)' : ''}\n`;
    for (const d of r.diagnostics) {
      out += `     ${d.line}:${d.column}  ${d.severity.padEnd(7)} ${d.code}  ${d.message}\n`;
      if (d.hint) out += `            hint: ${d.hint}\n`;
    }
  }
  const count = (s: string) => records.reduce((n, r) => n + r.diagnostics.filter((d) => d.severity === s).length, 0);
  out += `${records.length} detection${records.length === 1 ? '' : 's'}: ${records.filter((r) => r.parsed).length} parsed, ${records.filter((r) => r.supported).length} supported; ${count('error')} errors, ${count('warning')} warnings, ${count('info')} infos\n`;
  return out;
}

export function renderLintJsonl(records: readonly LintRecord[]): string {
  return records.map((r) => JSON.stringify(r) + '\n').join('');
}
