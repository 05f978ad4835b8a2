/**
 * Data-driven conformance cases: `test/conformance/<command>/<case>.yaml`, each
 * with the SPL, input events, and the exact expected rows (or an error code and
 * the offset in the query where the error is reported).
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, it } from 'node:test';
import { parse as parseYaml } from 'yaml';
import { builtinMacros, mergeMacros, parseMacroYaml } from '../../src/content/index.js';
import { catalog, WinEngineEvent } from '../../src/engine/event.js';
import { compileSearch } from '../../src/spl/engine/compile.js';
import type { LookupCatalog, LookupDefinitionInfo, LookupTable } from '../../src/spl/engine/lookup.js';
import { SplError } from '../../src/spl/language/errors.js';
import { mapResolver } from '../../src/spl/language/macros.js';
import { scalarToString, type FieldValue, type Row, type Scalar } from '../../src/spl/values.js';
import { makeEvent } from '../support/events.js';
import { REPO_ROOT } from '../support/paths.js';

interface Case {
  readonly name?: string;
  readonly rule?: string;
  readonly spl: string;
  readonly macros?: Record<string, string | { args?: string[]; definition: string }>;
  readonly events?: unknown[];
  /** In-memory lookup tables: name → rows (fields in order of first appearance) and transforms.conf-like settings. */
  readonly lookups?: Record<string, { rows: Record<string, string | number>[]; fields?: string[]; case_sensitive_match?: boolean; max_matches?: number; min_matches?: number; default_match?: string; match_type?: Record<string, 'WILDCARD' | 'CIDR'> }>;
  readonly expect: { rows?: Record<string, unknown>[]; error?: { code: string; offset?: number; message?: string } };
}

const DIR = join(REPO_ROOT, 'test', 'conformance');

function yamlFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...yamlFiles(p));
    else if (/\.ya?ml$/.test(name)) out.push(p);
  }
  return out;
}

/** Splunk returns every value as text; compare that way, multivalue as arrays. */
function canon(v: FieldValue | unknown): unknown {
  if (Array.isArray(v)) return v.map((x) => scalarToString(x as Scalar));
  if (typeof v === 'number' || typeof v === 'string') return scalarToString(v);
  return v;
}

function canonRow(r: Row | Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(r)) if (v !== undefined && v !== null) out[k] = canon(v);
  return out;
}

const files = yamlFiles(DIR);

/** A lookup catalog over the tables a case defines, with Splunk's defaults for what it leaves out. */
function lookupCatalog(defs: NonNullable<Case['lookups']>): LookupCatalog {
  const tables = new Map<string, { def: LookupDefinitionInfo; table: LookupTable }>();
  for (const [name, d] of Object.entries(defs)) {
    const fields = d.fields ?? [...new Set(d.rows.flatMap((r) => Object.keys(r)))];
    const rows = d.rows.map((r) => Object.fromEntries(fields.map((f) => [f, r[f] === undefined ? '' : String(r[f])])));
    const def: LookupDefinitionInfo = {
      name,
      matchTypes: d.match_type ?? {},
      caseSensitive: d.case_sensitive_match ?? true,
      minMatches: d.min_matches ?? 0,
      maxMatches: d.max_matches ?? 100,
      ...(d.default_match !== undefined ? { defaultMatch: d.default_match } : {}),
    };
    tables.set(name, { def, table: { fields, rows } });
  }
  return {
    definition: (name) => tables.get(name)?.def,
    table: (name) => tables.get(name)?.table,
    names: () => [...tables.keys()],
  };
}

describe('SPL conformance cases', () => {
  it('has cases', () => assert.ok(files.length >= 20, `only ${files.length} cases`));
  for (const file of files) {
    const c = parseYaml(readFileSync(file, 'utf8')) as Case;
    it(`${relative(DIR, file)}: ${c.name ?? ''}`, () => {
      let macros = builtinMacros();
      if (c.macros) {
        const extra = new Map<string, { name: string; args: string[]; definition: string }>();
        for (const [key, def] of Object.entries(c.macros)) {
          const m = /^([^(]+)(?:\((\d+)\))?$/.exec(key) as RegExpExecArray;
          const d = typeof def === 'string' ? { definition: def } : def;
          extra.set(key, { name: m[1] as string, args: d.args ?? [], definition: d.definition });
        }
        macros = mergeMacros(macros, extra);
      }
      void parseMacroYaml;
      const run = (): Row[] => {
        const compiled = compileSearch(c.spl, {
          macros: mapResolver(macros),
          catalog,
          exec: { now: Date.UTC(2021, 2, 3) / 1000, timezone: 'UTC' },
          ...(c.lookups ? { lookups: lookupCatalog(c.lookups) } : {}),
        });
        const r = compiled.start();
        (c.events ?? []).forEach((e, i) => r.pushEvent(new WinEngineEvent(makeEvent(e, i))));
        return [...r.finish().rows];
      };
      if (c.expect.error) {
        const want = c.expect.error;
        assert.throws(run, (err: unknown) => {
          assert.ok(err instanceof SplError, `expected SplError, got ${String(err)}`);
          assert.equal(err.code, want.code, err.format());
          if (want.offset !== undefined) assert.equal(err.span.start, want.offset, err.format());
          if (want.message !== undefined) assert.match(err.message, new RegExp(want.message));
          return true;
        });
        return;
      }
      const rows = run().map(canonRow);
      assert.deepEqual(rows, (c.expect.rows ?? []).map(canonRow));
    });
  }
});
