/**
 * `spelunk test`: replays a detection's ESCU tests. Each test's `attack_data`
 * URLs are mapped onto a local folder (the path after `datasets/`, else the
 * file name), read with the test's `source` and `sourcetype`, and the
 * detection's search is run over them. A test passes, as Splunk's content
 * tests do, when the search returns at least one row and no alert has a null
 * risk object.
 */
import { existsSync } from 'node:fs';
import { basename, join } from 'node:path';
import { buildAlerts } from '../alerting/index.js';
import type { Detection, LookupStore, MacroTable } from '../content/index.js';
import type { ReadDiagnostic } from '../events/types.js';
import { SplError } from '../spl/language/errors.js';
import { compileDetection, execOptions } from './hunt.js';
import { runSearches } from './run.js';

export const TEST_STATUSES = ['pass', 'fail', 'error', 'missing-data'] as const;
export type TestStatus = (typeof TEST_STATUSES)[number];

export interface TestOutcome {
  readonly detection: string;
  readonly file: string;
  readonly test: string;
  readonly status: TestStatus;
  readonly reason: string;
  readonly rows: number;
  readonly events: number;
  readonly data: readonly { readonly url: string; readonly path?: string }[];
}

/** Where an attack_data URL lives under `dir`: the path after `datasets/`, else the file name at any of a few places. */
export function localAttackData(url: string, dir: string): string | undefined {
  const clean = url.split(/[?#]/)[0] ?? url;
  const afterDatasets = /\/datasets\/(.+)$/.exec(clean)?.[1];
  const candidates = [
    ...(afterDatasets ? [join(dir, afterDatasets), join(dir, 'datasets', afterDatasets)] : []),
    join(dir, basename(clean)),
  ];
  return candidates.find((p) => existsSync(p));
}

export async function runContentTests(
  detections: readonly Detection[],
  macros: MacroTable,
  attackDataDir: string,
  onDiagnostic?: (d: ReadDiagnostic) => void,
  lookups?: LookupStore,
): Promise<TestOutcome[]> {
  const out: TestOutcome[] = [];
  const exec = execOptions();
  for (const d of detections) {
    for (const t of d.tests) {
      const data = t.attackData.map((a) => ({ url: a.data, ...(localAttackData(a.data, attackDataDir) ? { path: localAttackData(a.data, attackDataDir) as string } : {}) }));
      const base = { detection: d.name, file: d.source.file, test: t.name, data };
      const missing = data.filter((x) => x.path === undefined);
      if (data.length === 0 || missing.length > 0) {
        out.push({ ...base, status: 'missing-data', reason: data.length === 0 ? 'the test names no attack_data' : `not found under ${attackDataDir}: ${missing.map((m) => m.url).join(', ')}`, rows: 0, events: 0 });
        continue;
      }
      const compiled = compileDetection(d, macros, exec, lookups);
      if (compiled instanceof SplError) {
        out.push({ ...base, status: 'error', reason: compiled.format(), rows: 0, events: 0 });
        continue;
      }
      let rows = 0;
      let events = 0;
      let alertsWithNull = 0;
      // Each attack_data file is an input of its own, with its own source and sourcetype.
      const all = [];
      for (const [i, a] of t.attackData.entries()) {
        const r = await runSearches([compiled], [data[i]?.path as string], {
          ...(onDiagnostic ? { onDiagnostic } : {}),
          overrides: { ...(a.source ? { source: a.source } : {}), ...(a.sourcetype ? { sourcetype: a.sourcetype } : {}) },
        });
        events += r.read.events + r.read.filtered;
        all.push(...(r.results[0]?.rows ?? []));
      }
      rows = all.length;
      alertsWithNull = buildAlerts(d, all).filter((a) => a.riskObjects.some((o) => o.value === null)).length;
      const status: TestStatus = rows > 0 && alertsWithNull === 0 ? 'pass' : 'fail';
      const reason =
        rows === 0 ? `the search returned no row over ${events} events` : alertsWithNull > 0 ? `${alertsWithNull} of ${rows} rows have a null risk object (${d.riskObjects.map((o) => o.field).join(', ')})` : `${rows} row${rows === 1 ? '' : 's'}, every risk object set`;
      out.push({ ...base, status, reason, rows, events });
    }
  }
  return out;
}
