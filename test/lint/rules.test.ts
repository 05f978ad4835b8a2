/** Each lint rule on its synthetic positive and negative fixture (test/fixtures/lint/<rule>.{pos,neg}.yml). */
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { builtinMacros, loadMacroDir, mergeMacros } from '../../src/content/index.js';
import { lintFile, type LintContext } from '../../src/lint/index.js';
import { loadLookupNames } from '../../src/lint/load.js';
import { ESCU, FIXTURES } from '../support/paths.js';

const DIR = join(FIXTURES, 'lint');
const context: LintContext = {
  macros: mergeMacros(builtinMacros(), loadMacroDir(join(DIR, 'content', 'macros')).macros),
  lookups: loadLookupNames(join(DIR, 'content', 'lookups')) ?? new Set(),
};

/** The code a fixture is about: `spl.pos.yml` → spl.unknown-command, else lint.<rule>. */
function codeOf(rule: string): string {
  if (rule === 'spl') return 'spl.unknown-command';
  return `lint.${rule.replace(/-not$/, '')}`;
}

function lint(file: string) {
  return lintFile(readFileSync(join(DIR, file), 'utf8'), join(DIR, file), context);
}

describe('lint rules on synthetic fixtures', () => {
  const files = readdirSync(DIR).filter((f) => /\.(pos|neg)\.yml$/.test(f)).sort();
  it('has a positive and a negative fixture per rule', () => {
    const rules = new Set(files.map((f) => f.replace(/\.(pos|neg)\.yml$/, '')));
    for (const r of rules) {
      assert.ok(files.includes(`${r}.pos.yml`), r);
      assert.ok(files.includes(`${r}.neg.yml`), r);
    }
    assert.ok(rules.size >= 12);
  });
  for (const f of files) {
    const rule = f.replace(/\.(pos|neg)\.yml$/, '');
    const positive = f.includes('.pos.');
    it(`${f}: ${positive ? 'reports' : 'does not report'} ${codeOf(rule)}`, () => {
      const record = lint(f);
      const codes = record.diagnostics.map((d) => d.code);
      if (positive) assert.ok(codes.includes(codeOf(rule)), `expected ${codeOf(rule)} in ${JSON.stringify(record.diagnostics, null, 1)}`);
      else assert.ok(!codes.includes(codeOf(rule)), `unexpected ${codeOf(rule)}: ${JSON.stringify(record.diagnostics, null, 1)}`);
      for (const d of record.diagnostics) {
        assert.ok(d.line >= 1 && d.column >= 1);
      }
    });
  }
  it('points at the YAML line and column of the offending text', () => {
    const d = lint('tautology.pos.yml').diagnostics.find((x) => x.code === 'lint.tautology');
    const lines = readFileSync(join(DIR, 'tautology.pos.yml'), 'utf8').split('\n');
    assert.ok(d);
    assert.ok(lines[d.line - 1]?.slice(d.column - 1).startsWith('process_name!="a.exe" OR'), lines[d.line - 1]);
  });
  it('a file that is not a detection gives a record with the loader errors', () => {
    const r = lintFile('name: x\ntype: Nonsense\n', 'bad.yml', context);
    assert.equal(r.parsed, false);
    assert.ok(r.diagnostics.some((d) => d.severity === 'error'));
  });
});

describe('the flagship detection', () => {
  const macros = mergeMacros(builtinMacros(), loadMacroDir(join(ESCU, 'macros')).macros);
  const flagship = (v: number) => {
    const file = join(ESCU, 'flagship', `unified_messaging_service_spawning_a_process.v${v}.yml`);
    return lintFile(readFileSync(file, 'utf8'), file, { macros });
  };
  it('version 1: the (process_name!= OR process_name!=) clause is a tautology, at its YAML position', () => {
    const r = flagship(1);
    const t = r.diagnostics.filter((d) => d.code === 'lint.tautology');
    assert.equal(t.length, 1);
    assert.equal(t[0]?.severity, 'error');
    assert.match(t[0]?.message ?? '', /Processes\.process_name!="wermgr\.exe" OR Processes\.process_name!="werfault\.exe"/);
    assert.match(t[0]?.hint ?? '', /NOT Processes\.process_name IN \("wermgr\.exe", "werfault\.exe"\)/);
    assert.deepEqual([t[0]?.line, t[0]?.column], [20, 53]);
    assert.equal(r.parsed, true);
    assert.equal(r.supported, true);
  });
  it('version 2 has no tautology and no error', () => {
    const r = flagship(2);
    assert.deepEqual(r.diagnostics.filter((d) => d.severity === 'error'), []);
    assert.ok(!r.diagnostics.some((d) => d.code === 'lint.tautology'));
  });
});
