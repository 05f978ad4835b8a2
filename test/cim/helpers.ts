/** Shared helpers of the CIM dataset tests: events from XML, temp files, searches through the engine. */
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { builtinMacros } from '../../src/content/index.js';
import { loadMacroDir, mergeMacros } from '../../src/content/macros.js';
import { catalog } from '../../src/engine/event.js';
import { runSearches } from '../../src/engine/run.js';
import type { WinEvent } from '../../src/events/types.js';
import { parseEventXml } from '../../src/readers/index.js';
import { compileSearch } from '../../src/spl/engine/compile.js';
import { mapResolver } from '../../src/spl/language/macros.js';
import type { Row } from '../../src/spl/values.js';
import { ESCU } from '../support/paths.js';

export function event(xml: string): WinEvent {
  const r = parseEventXml(xml);
  if (!r.ok) throw new Error(r.message);
  return { system: r.system, data: r.data, raw: xml, origin: { file: '<test>' } };
}

export function asObject(r: object | undefined): Record<string, unknown> {
  return { ...(r ?? {}) };
}

/** The record without the default fields the engine adds (`_time`, `host`, `source`, `sourcetype`). */
export function mapped(r: Row | undefined): Record<string, unknown> {
  const o = asObject(r);
  for (const k of ['_time', 'host', 'source', 'sourcetype']) delete o[k];
  return o;
}

/** Writes events (one XML line each) to a new temp file and returns its path. */
export function tempFile(name: string, lines: readonly string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'spelunk-cim-'));
  const p = join(dir, name);
  writeFileSync(p, lines.map((l) => l.replace(/\r?\n/g, ' ')).join('\n') + '\n');
  return p;
}

/** ESCU's own macros (the data-source macros `sysmon`, `wineventlog_system`, ...), spelunk's built-in ones on top. */
const MACROS = mergeMacros(loadMacroDir(join(ESCU, 'macros')).macros, builtinMacros());

export function compile(spl: string) {
  return compileSearch(spl, { macros: mapResolver(MACROS), catalog, exec: { now: 1700000000, timezone: 'UTC' } });
}

export async function run(spl: string, paths: string[]): Promise<Row[]> {
  const out = await runSearches([compile(spl)], paths);
  assert.equal(out.read.errors, 0);
  return (out.results[0]?.rows ?? []).map((r) => ({ ...r }));
}

/**
 * Runs a search with and without the literal pre-filter and checks the rows
 * are the same; returns the literals, the rows and how many lines were skipped.
 */
export async function prefilterCheck(spl: string, paths: string[]): Promise<{ literals: readonly string[] | undefined; rows: Row[]; filtered: number }> {
  const c = compile(spl);
  const a = await runSearches([c], paths);
  const b = await runSearches([c], paths, { noPrefilter: true });
  assert.equal(b.read.filtered, 0);
  const rows = (a.results[0]?.rows ?? []).map((r) => ({ ...r }));
  assert.deepEqual(rows, (b.results[0]?.rows ?? []).map((r) => ({ ...r })));
  return { literals: c.literals, rows, filtered: a.read.filtered };
}
