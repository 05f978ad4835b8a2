import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { LookupStore } from '../../src/content/index.js';
import {
  LookupError,
  checkLookupSpec,
  inputlookupRows,
  inputlookupStage,
  lookupStage,
  outputlookupStage,
  parseCidr,
  parseInputlookupArgs,
  parseLookupArgs,
  parseOutputlookupArgs,
  type LookupTable,
} from '../../src/spl/engine/lookup.js';
import type { Stage } from '../../src/spl/engine/stages.js';
import { newRow, type FieldValue, type Row } from '../../src/spl/values.js';
import { FIXTURES } from '../support/paths.js';

const { store } = LookupStore.fromDir(join(FIXTURES, 'lookups', 'good'));

function row(fields: Record<string, FieldValue>): Row {
  const r = newRow();
  Object.assign(r, fields);
  return r;
}

function run(stage: Stage, rows: readonly Record<string, FieldValue>[]): Record<string, FieldValue | undefined>[] {
  const out: Record<string, FieldValue | undefined>[] = [];
  // Lookup stages ignore the run context (they read no subsearch).
  const noRun = { open: () => assert.fail('a lookup stage opened a subsearch run'), events: () => [] };
  const sink = stage({ push: (r) => out.push({ ...r }), end: () => undefined }, noRun);
  for (const r of rows) sink.push(row(r));
  sink.end();
  return out;
}

const lookup = (args: string, rows: readonly Record<string, FieldValue>[]) => run(lookupStage(parseLookupArgs(args), store), rows);

describe('lookup: exact matching', () => {
  it('is case-sensitive by default (transforms.conf case_sensitive_match = true)', () => {
    assert.deepEqual(lookup('synthetic_users user OUTPUT dept', [{ user: 'bob' }, { user: 'Bob' }, { user: 'carol' }, { user: 'Carol' }]), [
      { user: 'bob', dept: 'ops' },
      { user: 'Bob' },
      { user: 'carol' },
      { user: 'Carol', dept: 'sales' },
    ]);
  });

  it('renames with AS on both sides and gives every match in table order', () => {
    assert.deepEqual(lookup('synthetic_users user AS who OUTPUT role AS r, dept', [{ who: 'alice' }]), [{ who: 'alice', r: ['admin', 'oncall'], dept: ['eng', 'eng'] }]);
  });

  it('without OUTPUT gives every non-input column; empty cells give nothing', () => {
    assert.deepEqual(lookup('synthetic_users user', [{ user: 'Carol' }]), [{ user: 'Carol', dept: 'sales' }]);
  });

  it('matches numbers by their text', () => {
    assert.deepEqual(lookup('synthetic_quirks code OUTPUT label', [{ code: 2 }]), [{ code: 2, label: 'Two' }]);
  });

  it('leaves events without the input field alone', () => {
    assert.deepEqual(lookup('synthetic_users user OUTPUT dept', [{ other: 'x', dept: 'kept' }]), [{ other: 'x', dept: 'kept' }]);
  });

  it('looks up every value of a multivalue input and joins the outputs in order', () => {
    assert.deepEqual(lookup('synthetic_users user OUTPUT dept', [{ user: ['bob', 'nobody', 'Carol'] }]), [{ user: ['bob', 'nobody', 'Carol'], dept: ['ops', 'sales'] }]);
  });

  it('needs every input field to match', () => {
    assert.deepEqual(lookup('synthetic_users user dept OUTPUT role', [{ user: 'alice', dept: 'eng' }, { user: 'alice', dept: 'ops' }]), [
      { user: 'alice', dept: 'eng', role: ['admin', 'oncall'] },
      { user: 'alice', dept: 'ops' },
    ]);
  });
});

describe('lookup: OUTPUT and OUTPUTNEW', () => {
  it('OUTPUT overwrites, and clears the field when nothing matches', () => {
    assert.deepEqual(lookup('synthetic_users user OUTPUT dept', [{ user: 'bob', dept: 'old' }, { user: 'zed', dept: 'old' }]), [
      { user: 'bob', dept: 'ops' },
      { user: 'zed' },
    ]);
  });

  it('OUTPUTNEW fills only missing fields and keeps present ones', () => {
    assert.deepEqual(lookup('synthetic_users user OUTPUTNEW dept role', [{ user: 'bob', dept: 'old' }, { user: 'zed', dept: 'old' }]), [
      { user: 'bob', dept: 'old', role: 'user' },
      { user: 'zed', dept: 'old' },
    ]);
  });

  it('can write over its own input field', () => {
    assert.deepEqual(lookup('synthetic_users user OUTPUT dept AS user', [{ user: 'bob' }]), [{ user: 'ops' }]);
  });
});

describe('lookup: WILDCARD, min_matches, default_match, max_matches', () => {
  // synthetic_tools: WILDCARD(pattern), case_sensitive_match false, min 1, max 2, default 'false'.
  it('matches * in the table value, case-insensitively as configured, at most max_matches rows', () => {
    assert.deepEqual(lookup('synthetic_tools pattern AS process OUTPUT tool', [{ process: 'C:\\Tools\\PsExec64.EXE' }]), [{ process: 'C:\\Tools\\PsExec64.EXE', tool: ['psexec', 'generic'] }]);
    assert.deepEqual(lookup('synthetic_tools pattern AS process OUTPUT tool', [{ process: 'x-MIMIKATZ-y' }]), [{ process: 'x-MIMIKATZ-y', tool: 'mimikatz' }]);
  });

  it('a value without * in a WILDCARD field matches exactly, keeping table order with pattern rows', () => {
    assert.deepEqual(lookup('synthetic_tools pattern AS process OUTPUT tool is_tool', [{ process: 'ProcDump.exe' }]), [{ process: 'ProcDump.exe', tool: ['procdump', 'generic'], is_tool: ['true', 'exe'] }]);
  });

  it('pads with default_match up to min_matches when nothing matches', () => {
    assert.deepEqual(lookup('synthetic_tools pattern AS process OUTPUT is_tool', [{ process: 'notepad' }]), [{ process: 'notepad', is_tool: 'false' }]);
    assert.deepEqual(lookup('synthetic_tools pattern AS process OUTPUTNEW is_tool tool', [{ process: 'notepad', tool: 'x' }]), [{ process: 'notepad', tool: 'x', is_tool: 'false' }]);
  });

  it('applies min_matches per input value', () => {
    assert.deepEqual(lookup('synthetic_tools pattern AS process OUTPUT tool', [{ process: ['notepad', 'mimikatz'] }]), [{ process: ['notepad', 'mimikatz'], tool: ['false', 'mimikatz'] }]);
  });

  it('matches through the trigram-bucketed index on a large wildcard table', () => {
    const rows = Array.from({ length: 5000 }, (_, i) => ({ pattern: `*.d${i}.example${i % 7}.com*`, v: String(i) }));
    const big: LookupTable = { fields: ['pattern', 'v'], rows };
    const catalog = {
      definition: () => ({ name: 'big', matchTypes: { pattern: 'WILDCARD' as const }, caseSensitive: false, minMatches: 0, maxMatches: 100 }),
      table: () => big,
      names: () => ['big'],
    };
    const stage = lookupStage({ name: 'big', inputs: [{ tableField: 'pattern', eventField: 'q' }], outputs: [{ tableField: 'v', eventField: 'v' }], mode: 'OUTPUT' }, catalog);
    const out = run(stage, [{ q: 'a.D4242.example0.com' }, { q: 'none.org' }, { q: 'x.d1.example1.com.evil' }]);
    assert.deepEqual(out.map((r) => r['v']), ['4242', undefined, '1']);
  });
});

describe('lookup: CIDR', () => {
  it('matches IPv4 and IPv6 networks and bare addresses, in table order', () => {
    assert.deepEqual(lookup('synthetic_nets net AS ip OUTPUT zone', [{ ip: '10.1.2.3' }, { ip: '10.9.9.9' }, { ip: '192.168.1.7' }, { ip: 'FD12::1' }, { ip: '11.0.0.1' }, { ip: 'host' }]), [
      { ip: '10.1.2.3', zone: ['internal', 'lab'] },
      { ip: '10.9.9.9', zone: 'internal' },
      { ip: '192.168.1.7', zone: 'printer' },
      { ip: 'FD12::1', zone: 'ula' },
      { ip: '11.0.0.1' },
      { ip: 'host' },
    ]);
  });

  it('compares a non-address cell in a CIDR field exactly', () => {
    assert.deepEqual(lookup('synthetic_nets net AS ip OUTPUT zone', [{ ip: 'not-an-ip' }]), [{ ip: 'not-an-ip', zone: 'odd' }]);
  });

  it('parses CIDR forms', () => {
    assert.equal(parseCidr('10.0.0.0/33'), undefined);
    assert.equal(parseCidr('256.0.0.1'), undefined);
    assert.equal(parseCidr('::ffff:10.0.0.1/128')?.bits, 128);
    assert.equal(parseCidr('1:2:3:4:5:6:7:8')?.bytes.length, 16);
    assert.equal(parseCidr('1::2::3'), undefined);
  });
});

describe('lookup: checks and errors', () => {
  it('names unknown lookups and fields with a suggestion', () => {
    const e = checkLookupSpec(parseLookupArgs('synthetic_user user'), store);
    assert.equal(e?.code, 'spl.unknown-lookup');
    assert.equal(e?.extra.suggestion, 'synthetic_users');
    const f = checkLookupSpec(parseLookupArgs('synthetic_users usr OUTPUT dept'), store);
    assert.equal(f?.code, 'spl.lookup-unknown-field');
    assert.equal(f?.extra.suggestion, 'user');
    assert.equal(checkLookupSpec(parseLookupArgs('synthetic_model x'), store)?.code, 'spl.lookup-no-table');
    assert.throws(() => lookupStage(parseLookupArgs('nope x'), store), LookupError);
  });

  it('an empty KV store collection matches nothing', () => {
    assert.deepEqual(lookup('synthetic_seen user OUTPUTNEW firstTimeSeen', [{ user: 'a' }]), [{ user: 'a' }]);
  });
});

describe('parseLookupArgs', () => {
  it('reads options, AS in any case, commas, OUTPUT/OUTPUTNEW in any case, quoted names', () => {
    assert.deepEqual(parseLookupArgs('update=true local=f remote_access_software remote_utility AS process_name output isutility, description as signature'), {
      name: 'remote_access_software',
      inputs: [{ tableField: 'remote_utility', eventField: 'process_name' }],
      mode: 'OUTPUT',
      outputs: [{ tableField: 'isutility', eventField: 'isutility' }, { tableField: 'description', eventField: 'signature' }],
      local: false,
      update: true,
    });
    assert.deepEqual(parseLookupArgs('x a, b as c OUTPUTNEW status as "Known Notes"'), {
      name: 'x',
      inputs: [{ tableField: 'a', eventField: 'a' }, { tableField: 'b', eventField: 'c' }],
      mode: 'OUTPUTNEW',
      outputs: [{ tableField: 'status', eventField: 'Known Notes' }],
    });
  });

  it('rejects malformed arguments with an offset', () => {
    const err = (t: string): [string, number | undefined] => {
      try {
        parseLookupArgs(t);
      } catch (e) {
        return [(e as LookupError).code, (e as LookupError).extra.offset];
      }
      return ['none', undefined];
    };
    assert.deepEqual(err(''), ['spl.syntax', 0]);
    assert.deepEqual(err('t'), ['spl.syntax', 1]);
    assert.deepEqual(err('t a OUTPUT'), ['spl.syntax', 10]);
    assert.deepEqual(err('t a AS'), ['spl.syntax', 4]);
    assert.deepEqual(err('bogus=1 t a'), ['spl.syntax', 0]);
    assert.deepEqual(err('t "a'), ['spl.syntax', 2]);
  });
});

describe('inputlookup and outputlookup', () => {
  it('gives table rows, with start and max, empty cells absent', () => {
    assert.deepEqual(inputlookupRows({ name: 'synthetic_users' }, store).map((r) => ({ ...r })), [
      { user: 'alice', dept: 'eng', role: 'admin' },
      { user: 'bob', dept: 'ops', role: 'user' },
      { user: 'alice', dept: 'eng', role: 'oncall' },
      { user: 'Carol', dept: 'sales' },
    ]);
    assert.deepEqual(inputlookupRows({ name: 'synthetic_users', start: 1, max: 2 }, store).map((r) => r['role']), ['user', 'oncall']);
  });

  it('filters with a where clause in search-language semantics (case-insensitive values)', () => {
    const span = { start: 0, end: 0 };
    const where = { kind: 'compare', field: 'user', op: '=', value: { text: 'ALICE', quoted: false, span }, span } as const;
    assert.deepEqual(inputlookupRows({ name: 'synthetic_users', where }, store).map((r) => r['role']), ['admin', 'oncall']);
  });

  it('appends table rows after incoming rows', () => {
    const out = run(inputlookupStage({ name: 'synthetic_users', append: true, max: 1 }, store), [{ x: '1' }]);
    assert.deepEqual(out, [{ x: '1' }, { user: 'alice', dept: 'eng', role: 'admin' }]);
  });

  it('parses inputlookup and outputlookup arguments', () => {
    assert.deepEqual(parseInputlookupArgs('append=t max=5 previously_seen.csv where user=a'), {
      spec: { name: 'previously_seen.csv', append: true, max: 5 },
      where: { text: 'user=a', offset: 41 },
    });
    assert.deepEqual(parseInputlookupArgs('domains'), { spec: { name: 'domains' } });
    assert.deepEqual(parseOutputlookupArgs('append=true createinapp=true x.csv'), { name: 'x.csv', append: true });
    assert.throws(() => parseOutputlookupArgs('x y'), LookupError);
  });

  it('outputlookup passes rows through and writes them; a later inputlookup reads them', () => {
    const s = LookupStore.fromDir(join(FIXTURES, 'lookups', 'good')).store;
    const out = run(outputlookupStage({ name: 'synthetic_seen' }, s), [{ user: 'a', firstTimeSeen: 5, _raw: 'r' }, { user: ['b', 'c'], extra: 'e' }]);
    assert.equal(out.length, 2);
    const t = s.table('synthetic_seen');
    assert.deepEqual(t?.fields, ['user', 'firstTimeSeen', 'extra']);
    assert.deepEqual(t?.rows.map((r) => ({ ...r })), [{ user: 'a', firstTimeSeen: '5', extra: '' }, { user: 'b\nc', firstTimeSeen: '', extra: 'e' }]);
    assert.deepEqual(inputlookupRows({ name: 'synthetic_seen' }, s).map((r) => r['user']), ['a', 'b\nc']);
    assert.deepEqual(run(lookupStage(parseLookupArgs('synthetic_seen user OUTPUT firstTimeSeen'), s), [{ user: 'a' }]), [{ user: 'a', firstTimeSeen: '5' }]);
  });
});
