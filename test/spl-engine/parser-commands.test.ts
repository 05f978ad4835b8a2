/**
 * The parse trees of the commands added for the ESCU corpus: node shapes,
 * defaults, and spans (the conformance cases cover what the rows become).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Command } from '../../src/spl/language/ast.js';
import { mapResolver } from '../../src/spl/language/macros.js';
import { KNOWN_SPLUNK_COMMANDS, parse, parseSearchFragment, SUPPORTED_COMMANDS } from '../../src/spl/language/parser.js';

const noMacros = mapResolver(new Map());

function commands(query: string): readonly Command[] {
  return parse(query, noMacros).pipeline.commands;
}

function second<K extends Command['kind']>(query: string, kind: K): Command & { readonly kind: K } {
  const c = commands(query)[1];
  assert.ok(c, 'a second command');
  assert.equal(c.kind, kind);
  return c as Command & { readonly kind: K };
}

describe('parser: new commands', () => {
  it('supported and known command lists do not overlap', () => {
    for (const c of SUPPORTED_COMMANDS) assert.ok(!KNOWN_SPLUNK_COMMANDS.includes(c), c);
    assert.ok(SUPPORTED_COMMANDS.includes('bucket'));
  });

  it('bucket is bin, options before or after the field', () => {
    const a = second('search x | bucket span=5m _time', 'bin');
    const b = second('search x | bin _time span=5m', 'bin');
    assert.deepEqual([a.field, a.binSpan?.seconds], ['_time', 300]);
    assert.deepEqual([b.field, b.binSpan?.seconds], ['_time', 300]);
  });

  it('rex keeps the pattern and its span (the opening quote)', () => {
    const q = 'search x | rex max_match=100 field=aceFlags "(?P<aceFlags>[A-Z]{2})"';
    const r = second(q, 'rex');
    assert.equal(r.field, 'aceFlags');
    assert.equal(r.maxMatch, 100);
    assert.equal(r.pattern.text, '(?P<aceFlags>[A-Z]{2})');
    assert.equal(q[r.pattern.span.start], '"');
  });

  it('regex: field, negation, default _raw', () => {
    assert.deepEqual(
      (({ field, negate, pattern }) => ({ field, negate, text: pattern.text }))(second('search x | regex process!="a.b"', 'regex')),
      { field: 'process', negate: true, text: 'a.b' },
    );
    assert.equal(second('search x | regex "abc"', 'regex').field, '_raw');
  });

  it('sort: count, -/+ with and without a space, typed keys, trailing d', () => {
    const s = second('search x | sort 5 - count, +num(a) str(b) d', 'sort');
    assert.equal(s.limit, 5);
    assert.equal(s.reverse, true);
    assert.deepEqual(
      s.keys.map((k) => [k.field, k.desc, k.type]),
      [
        ['count', true, 'auto'],
        ['a', false, 'num'],
        ['b', false, 'str'],
      ],
    );
    assert.equal(second('search x | sort -count', 'sort').limit, 10000);
  });

  it('dedup: count, options, sortby', () => {
    const d = second('search x | dedup 2 a b keepempty=true sortby -c', 'dedup');
    assert.deepEqual([d.count, d.fields, d.keepempty, d.consecutive, d.sortby.map((k) => k.field)], [2, ['a', 'b'], true, false, ['c']]);
  });

  it('head/tail default to 10; top takes N and by', () => {
    assert.equal(second('search x | head', 'head').count, 10);
    assert.equal(second('search x | tail 3', 'tail').count, 3);
    const t = second('search x | top 3 a b by c', 'top');
    assert.deepEqual([t.limit, t.fields, t.by], [3, ['a', 'b'], ['c']]);
  });

  it('replace pairs and fields', () => {
    const r = second('search x | replace "%%8448" with "Success removed", "a*" with * in f, g', 'replace');
    assert.deepEqual(
      r.pairs.map((p) => [p.from, p.to]),
      [
        ['%%8448', 'Success removed'],
        ['a*', '*'],
      ],
    );
    assert.deepEqual(r.fields, ['f', 'g']);
  });

  it('join: options, fields, a subsearch with its span', () => {
    const q = 'search x | join type=outer max=0 process_guid, _time [search y | fields process_guid]';
    const j = second(q, 'join');
    assert.deepEqual([j.type, j.max, j.fields], ['outer', 0, ['process_guid', '_time']]);
    assert.equal(q.slice(j.subsearch.span.start, j.subsearch.span.end), '[search y | fields process_guid]');
    assert.deepEqual(
      j.subsearch.pipeline.commands.map((c) => c.kind),
      ['search', 'fields'],
    );
  });

  it('nested subsearches and a subsearch as a search term', () => {
    const cs = commands('search a [search b [search c | fields d] | fields e] | append [| tstats count]');
    const first = cs[0];
    assert.ok(first?.kind === 'search' && first.expr?.kind === 'and');
    const term = first.expr.items[1];
    assert.equal(term?.kind, 'subsearch');
    assert.equal(cs[1]?.kind, 'append');
  });

  it('appendpipe takes commands without a generating command', () => {
    const a = second('search x | appendpipe [stats count | eval a=1]', 'appendpipe');
    assert.deepEqual(
      a.subsearch.pipeline.commands.map((c) => c.kind),
      ['stats', 'eval'],
    );
  });

  it('earliest/latest become time terms', () => {
    const e = parseSearchFragment('earliest=-1d@d latest=now foo');
    assert.ok(e?.kind === 'and');
    assert.deepEqual(
      e.items.map((i) => (i.kind === 'time' ? `${i.bound}:${i.value.text}` : i.kind)),
      ['earliest:-1d@d', 'latest:now', 'term'],
    );
  });

  it('foreach keeps its body as a template', () => {
    const f = second('search x | foreach stdev_* [ eval a=<<FIELD>> ]', 'foreach');
    assert.deepEqual([f.fields, f.template.text.trim()], [['stdev_*'], 'eval a=<<FIELD>>']);
  });

  it('lookup commands keep their arguments as text with a span', () => {
    const q = 'search x | lookup update=true hijacklibs library AS loaded_file OUTPUT islibrary | table a';
    const l = second(q, 'lookup');
    assert.equal(l.args.text, 'update=true hijacklibs library AS loaded_file OUTPUT islibrary');
    assert.equal(q.slice(l.args.span.start, l.args.span.end), l.args.text);
    const first = commands('| inputlookup hosts where role="dc | x" | fields dest')[0];
    assert.ok(first?.kind === 'inputlookup');
    assert.equal(first.args.text, 'hosts where role="dc | x"');
  });

  it('map takes search="..." or a bracketed template, and maxsearches', () => {
    const a = second('search x | map maxsearches=3 search="search y=$y$"', 'map');
    assert.deepEqual([a.template.text, a.maxsearches], ['search y=$y$', 3]);
    const b = second('search x | map [search y=$y$ | head 1]', 'map');
    assert.deepEqual([b.template.text, b.maxsearches], ['search y=$y$ | head 1', 10]);
  });

  it('transaction: fields, conditions in three forms, limits', () => {
    const t = second('search x | transaction a, b startsWith=(EventCode=1) endswith="EventCode=2" maxspan=2m maxpause=-1 keepevicted=t', 'transaction');
    assert.deepEqual([t.fields, t.startswith?.kind, t.endswith?.kind, t.maxspan, t.maxpause, t.keepevicted], [['a', 'b'], 'search', 'search', 120, undefined, true]);
    assert.equal(second('search x | transaction endswith=eval(a>1)', 'transaction').endswith?.kind, 'eval');
  });

  it('makeresults is a command with a count', () => {
    const m = commands('| makeresults count=3')[0];
    assert.ok(m?.kind === 'makeresults');
    assert.equal(m.count, 3);
  });

  it('unsupported commands name themselves', () => {
    assert.throws(() => commands('search x | iplocation src'), (e: { code: string; extra: { command: string } }) => e.code === 'spl.unsupported-command' && e.extra.command === 'iplocation');
  });
});
