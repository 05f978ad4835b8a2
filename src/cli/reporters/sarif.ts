/** Lint records as SARIF 2.1.0 (one run, tool spelunk, one rule per diagnostic code). */
import { RULES, ruleOf, type LintRecord, type LintSeverity } from '../../lint/index.js';

const LEVEL: Readonly<Record<LintSeverity, 'error' | 'warning' | 'note'>> = { error: 'error', warning: 'warning', info: 'note' };

export function renderLintSarif(records: readonly LintRecord[], version: string): string {
  const codes = [...new Set(records.flatMap((r) => r.diagnostics.map((d) => d.code)))].sort();
  const ruleIndex = new Map(codes.map((c, i) => [c, i]));
  const rules = codes.map((code) => {
    const rule = ruleOf(code);
    const text = rule ? RULES[rule].description : 'Problem reported while loading the detection file.';
    return {
      id: code,
      name: code.replace(/^[a-z]+\./, '').replace(/-([a-z])/g, (_, c: string) => c.toUpperCase()),
      shortDescription: { text },
      defaultConfiguration: { level: LEVEL[rule ? RULES[rule].severity : 'error'] },
    };
  });
  const results = records.flatMap((r) =>
    r.diagnostics.map((d) => ({
      ruleId: d.code,
      ruleIndex: ruleIndex.get(d.code) ?? 0,
      level: LEVEL[d.severity],
      message: { text: d.hint ? `${d.message}. Hint: ${d.hint}` : d.message },
      locations: [
        {
          physicalLocation: {
            artifactLocation: { uri: toUri(r.file) },
            region: { startLine: d.line, startColumn: d.column },
          },
          logicalLocations: [{ name: r.name, kind: 'object' }],
        },
      ],
    })),
  );
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [{ tool: { driver: { name: 'spelunk', version, informationUri: 'https://github.com/spelunk/spelunk', rules } }, results }],
  };
  return JSON.stringify(log, null, 2) + '\n';
}

function toUri(file: string): string {
  return file.split('/').map(encodeURIComponent).join('/');
}
