import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { WELL_KNOWN_COLLECTIONS, LookupStore, formatIssue, loadLookupDir, parseLookupYaml, parseMatchType } from '../../src/content/index.js';
import { ESCU, FIXTURES } from '../support/paths.js';

const GOOD = join(FIXTURES, 'lookups', 'good');
const BROKEN = join(FIXTURES, 'lookups', 'broken');
const ESCU_LOOKUPS = join(ESCU, 'lookups');

describe('lookup definitions', () => {
  it('reads match types in the forms ESCU writes', () => {
    assert.deepEqual({ ...parseMatchType('WILDCARD(a), WILDCARD(b)').types }, { a: 'WILDCARD', b: 'WILDCARD' });
    assert.deepEqual({ ...parseMatchType('WILDCARD(a),CIDR(b)').types }, { a: 'WILDCARD', b: 'CIDR' });
    assert.deepEqual({ ...parseMatchType('wildcard(a, b)').types }, { a: 'WILDCARD', b: 'WILDCARD' });
    assert.deepEqual(parseMatchType('FUZZY(a) junk').bad, ['FUZZY(a)', 'junk']);
  });

  it('applies Splunk defaults and reads ESCU string booleans', () => {
    const plain = parseLookupYaml('name: x\nfilename: x.csv\ndescription: d\n', 'x.yml', '/l').lookup;
    assert.deepEqual(
      { kind: plain?.kind, cs: plain?.caseSensitive, min: plain?.minMatches, max: plain?.maxMatches, dm: plain?.defaultMatch, path: plain?.path },
      { kind: 'csv', cs: true, min: 0, max: 100, dm: undefined, path: join('/l', 'x.csv') },
    );
    const tuned = parseLookupYaml("name: y\nfilename: y.csv\ndescription: d\ncase_sensitive_match: 'false'\ndefault_match: 'false'\nmin_matches: 1\nmax_matches: 1\nmatch_type: WILDCARD(f)\n", 'y.yml').lookup;
    assert.equal(tuned?.caseSensitive, false);
    assert.equal(tuned?.defaultMatch, 'false');
    assert.equal(tuned?.minMatches, 1);
    assert.equal(tuned?.maxMatches, 1);
    assert.deepEqual({ ...tuned?.matchTypes }, { f: 'WILDCARD' });
    const yamlBool = parseLookupYaml('name: z\nfilename: z.csv\ndescription: d\ndefault_match: false\ncase_sensitive_match: false\n', 'z.yml').lookup;
    assert.equal(yamlBool?.defaultMatch, 'false');
    assert.equal(yamlBool?.caseSensitive, false);
  });

  it('loads the synthetic fixtures: CSV, KV store and model kinds', () => {
    const { lookups, issues } = loadLookupDir(GOOD);
    assert.deepEqual(issues.map(formatIssue), []);
    assert.deepEqual([...lookups.keys()].sort(), ['synthetic_model', 'synthetic_nets', 'synthetic_quirks', 'synthetic_seen', 'synthetic_tools', 'synthetic_users']);
    assert.equal(lookups.get('synthetic_seen')?.kind, 'kvstore');
    assert.deepEqual(lookups.get('synthetic_seen')?.fieldsList, ['_key', 'user', 'firstTimeSeen']);
    assert.equal(lookups.get('synthetic_model')?.kind, 'mlmodel');
  });

  it('reports each broken fixture with its code, file and line', () => {
    const { lookups, issues } = loadLookupDir(BROKEN);
    const got = issues.map((i) => `${i.file.slice(BROKEN.length + 1)} ${i.code}${i.line !== undefined ? `:${i.line}` : ''}`).sort();
    assert.deepEqual(got, [
      'bad_count.yml content.invalid-lookup-count:4',
      'bad_match.yml content.invalid-match-type:4',
      'bad_yaml.yml content.yaml-syntax:2',
      'no_file.yml content.lookup-file-missing',
      'no_source.yml content.lookup-no-source:1',
    ]);
    // bad_csv loads as a definition; its table problem shows on first use.
    assert.deepEqual([...lookups.keys()], ['bad_csv']);
    const store = new LookupStore(lookups);
    assert.deepEqual(store.table('bad_csv')?.fields, ['a', 'b']);
    assert.deepEqual(store.issues.map((i) => `${i.code}:${i.line}`), ['content.lookup-csv-unterminated-quote:2']);
  });
});

describe('LookupStore', () => {
  const { store } = LookupStore.fromDir(GOOD);

  it('parses tables lazily and caches them', () => {
    const a = store.table('synthetic_users');
    assert.ok(a);
    assert.equal(store.table('synthetic_users'), a);
    assert.deepEqual(a.fields, ['user', 'dept', 'role']);
    assert.equal(a.rows.length, 4);
  });

  it('reads BOM, CRLF, quoted and space-padded cells', () => {
    const t = store.table('synthetic_quirks');
    assert.deepEqual(t?.fields, ['code', 'label', 'note']);
    assert.deepEqual(t?.rows.map((r) => ({ ...r })), [
      { code: '1', label: 'One', note: 'a, b' },
      { code: '2', label: 'Two', note: 'say "hi"' },
      { code: '3', label: '  padded  ', note: 'two\r\nlines' },
    ]);
  });

  it('resolves a table file name with default match settings', () => {
    const d = store.definition('synthetic_tools.csv');
    assert.equal(d?.caseSensitive, true);
    assert.deepEqual({ ...d?.matchTypes }, {});
    assert.equal(d?.defaultMatch, undefined);
    assert.equal(store.table('synthetic_tools.csv'), store.table('synthetic_tools'));
  });

  it('gives a KV store collection as an empty table with its fields_list, and a model no table', () => {
    assert.deepEqual(store.table('synthetic_seen'), { fields: ['_key', 'user', 'firstTimeSeen'], rows: [] });
    assert.equal(store.table('synthetic_model'), undefined);
    assert.equal(store.table('nope'), undefined);
  });

  it('writes outputlookup tables to memory and to the output folder', () => {
    const out = mkdtempSync(join(tmpdir(), 'spelunk-lookups-'));
    try {
      const s = LookupStore.fromDir(GOOD, { outputDir: out }).store;
      s.write('synthetic_seen', { fields: ['user', 'firstTimeSeen'], rows: [{ user: 'a,b', firstTimeSeen: '1' }] });
      s.write('synthetic_seen', { fields: ['user', 'note'], rows: [{ user: 'c', note: 'n' }] }, { append: true });
      assert.deepEqual(s.table('synthetic_seen')?.fields, ['user', 'firstTimeSeen', 'note']);
      assert.equal(s.table('synthetic_seen')?.rows.length, 2);
      s.write('fresh.csv', { fields: ['x'], rows: [{ x: '1' }] });
      assert.deepEqual(s.table('fresh.csv')?.rows.map((r) => ({ ...r })), [{ x: '1' }]);
      assert.deepEqual(readdirSync(out).sort(), ['fresh.csv', 'synthetic_seen.csv']);
      assert.equal(readFileSync(join(out, 'synthetic_seen.csv'), 'utf8'), 'user,firstTimeSeen,note\r\n"a,b",1,\r\nc,,n\r\n');
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});

describe('ESCU lookups corpus', () => {
  it('loads every lookup definition and parses every CSV table', () => {
    const yml = readdirSync(ESCU_LOOKUPS).filter((n) => n.endsWith('.yml'));
    const { store, issues } = LookupStore.fromDir(ESCU_LOOKUPS);
    assert.deepEqual(issues.map(formatIssue), []);
    // ESCU's own definitions, plus the Enterprise Security collections ESCU uses without shipping.
    assert.equal(store.names().length, yml.length + WELL_KNOWN_COLLECTIONS.length);
    assert.equal(yml.length, 79);
    const kinds = { csv: 0, kvstore: 0, mlmodel: 0 };
    for (const n of store.names()) kinds[store.definition(n)?.kind ?? 'csv']++;
    assert.deepEqual(kinds, { csv: 50, kvstore: 24 + WELL_KNOWN_COLLECTIONS.length, mlmodel: 5 });
    const checked = store.checkAll();
    assert.equal(checked.filter((i) => i.severity === 'error').length, 0, checked.map(formatIssue).join('\n'));
    // Four ESCU definitions name a match_type field their CSV does not have (ESCU's own mistakes).
    assert.deepEqual(checked.map((i) => i.file.split('/').pop()).sort(), [
      'applockereventcodes.yml',
      'char_conversion_matrix.yml',
      'lookup_uncommon_processes_default.yml',
      'lookup_uncommon_processes_local.yml',
    ]);
    // Every CSV has a header; 11 are header-only placeholders that users fill in (`*_local`, baselines).
    let headerOnly = 0;
    for (const n of store.names()) {
      if (store.definition(n)?.kind !== 'csv') continue;
      const t = store.table(n);
      assert.ok(t && t.fields.length > 0, `${n} has no header`);
      if (t.rows.length === 0) headerOnly++;
    }
    assert.equal(headerOnly, 11);
  });
});
