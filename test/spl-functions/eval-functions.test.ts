import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { EVAL_FUNCTIONS, EvalFunctionError, lookupFunction, suggestFunction, type EvalContext } from '../../src/spl/eval/functions.js';
import type { EvalValue } from '../../src/spl/values.js';

const ctx: EvalContext = { now: 1602155026, timezone: 'UTC' }; // 2020-10-08T11:03:46Z, a Thursday

function call(name: string, ...args: EvalValue[]): EvalValue {
  const f = lookupFunction(name);
  assert.ok(f, `function ${name} exists`);
  assert.ok(args.length >= f.minArgs && args.length <= f.maxArgs, `${name} arity`);
  return f.call(args, ctx);
}

/** [function, args, expected] */
const CASES: readonly [string, readonly EvalValue[], EvalValue][] = [
  // conditionals and nulls
  ['if', [true, 'a', 'b'], 'a'],
  ['if', [false, 'a', 'b'], 'b'],
  ['if', [null, 'a', 'b'], 'b'],
  ['case', [false, 1, true, 2], 2],
  ['case', [false, 1, false, 2], null],
  ['case', [null, 1, true, 'x'], 'x'],
  ['coalesce', [null, '', 'x'], ''],
  ['coalesce', [null, null], null],
  ['isnull', [null], true],
  ['isnull', [''], false],
  ['isnotnull', ['x'], true],
  ['nullif', ['a', 'a'], null],
  ['nullif', ['1', 1], null],
  ['nullif', ['a', 'b'], 'a'],
  ['validate', [true, 'bad1', false, 'bad2'], 'bad2'],
  ['validate', [true, 'bad1'], null],
  ['true', [], true],
  ['false', [], false],
  ['null', [], null],
  ['in', ['b', 'a', 'b'], true],
  ['in', ['z', 'a', 'b'], false],
  // like: SQL wildcards, case-sensitive, whole value
  ['like', ['cmd.exe', 'cmd%'], true],
  ['like', ['CMD.exe', 'cmd%'], false],
  ['like', ['cmd.exe', 'cmd_exe'], true],
  ['like', ['cmdexe', 'cmd_exe'], false],
  ['like', ['a.b', 'a.b'], true],
  ['like', ['axb', 'a.b'], false],
  ['like', ['50%', '50\\%'], true],
  ['like', [['x', 'powershell.exe'], '%shell%'], true],
  ['like', ['line1\nline2', 'line1%'], true],
  ['like', [null, '%'], null],
  // match: PCRE, unanchored
  ['match', ['C:\\Windows\\cmd.exe', '(?i)\\\\CMD\\.exe$'], true],
  ['match', ['cmd.exe', '^cmd$'], false],
  ['match', ['a\r\nb', 'a.\\nb'], true], // PCRE '.' matches \r
  ['match', [['a', 'b'], '^b$'], true],
  ['match', [null, 'x'], null],
  // text
  ['lower', ['AbC'], 'abc'],
  ['lower', [['A', 'B']], ['a', 'b']],
  ['upper', ['abc'], 'ABC'],
  ['upper', [42], '42'],
  ['len', ['hello'], 5],
  ['len', ['héllo'], 5],
  ['len', [12345], 5],
  ['len', [null], null],
  ['trim', ['  a b \t'], 'a b'],
  ['ltrim', ['  ab  '], 'ab  '],
  ['rtrim', ['  ab  '], '  ab'],
  ['trim', ['xxabxx', 'x'], 'ab'],
  ['ltrim', ['ZZabZ', 'Z'], 'abZ'],
  ['replace', ['aaa bbb', '(\\w+) (\\w+)', '\\2 \\1'], 'bbb aaa'],
  ['replace', ['a.b.c', '\\.', '-'], 'a-b-c'],
  ['replace', ['cost $5', '\\$(\\d)', '$$\\1'], 'cost $$5'],
  ['replace', ['ABC', '(?i)b', 'x'], 'AxC'],
  ['replace', [['a1', 'b2'], '\\d', '#'], ['a#', 'b#']],
  ['substr', ['splunk', 1, 3], 'spl'],
  ['substr', ['splunk', 4], 'unk'],
  ['substr', ['splunk', -3], 'unk'],
  ['substr', ['splunk', -3, 2], 'un'],
  ['substr', ['splunk', 10], ''],
  ['split', ['a,b,c', ','], ['a', 'b', 'c']],
  ['split', ['abc', ','], 'abc'],
  ['split', ['abc', ''], ['a', 'b', 'c']],
  ['split', ['a::b', '::'], ['a', 'b']],
  ['urldecode', ['http%3A%2F%2Fwww.splunk.com%2Fdownload%3Fr%3Dheader'], 'http://www.splunk.com/download?r=header'],
  ['urldecode', ['%E2%82%AC %zz'], '€ %zz'],
  // multivalue
  ['mvindex', [['a', 'b', 'c'], 0], 'a'],
  ['mvindex', [['a', 'b', 'c'], -1], 'c'],
  ['mvindex', [['a', 'b', 'c'], 1, 2], ['b', 'c']],
  ['mvindex', [['a', 'b', 'c'], -2, -1], ['b', 'c']],
  ['mvindex', [['a', 'b', 'c'], 5], null],
  ['mvindex', ['solo', 0], 'solo'],
  ['mvcount', [['a', 'b']], 2],
  ['mvcount', ['a'], 1],
  ['mvcount', [null], null],
  ['mvjoin', [['a', 'b', 'c'], ';'], 'a;b;c'],
  ['mvjoin', ['a', ';'], 'a'],
  ['mvappend', ['a', null, ['b', 'c'], 1], ['a', 'b', 'c', 1]],
  ['mvappend', [null, 'x'], 'x'],
  ['mvdedup', [['b', 'a', 'b', 'a']], ['b', 'a']],
  ['mvsort', [['10', '9', 'B', 'a', '1']], ['1', '10', '9', 'B', 'a']],
  ['mvzip', [['a', 'b', 'c'], ['1', '2']], ['a,1', 'b,2']],
  ['mvzip', [['a', 'b'], ['1', '2'], '|'], ['a|1', 'b|2']],
  ['mvrange', [1, 4], [1, 2, 3]],
  ['mvrange', [0, 10, 4], [0, 4, 8]],
  ['mvfind', [['abc', 'x123', 'y'], '\\d'], 1],
  ['mvfind', [['abc'], '\\d'], null],
  // conversion
  ['tonumber', ['42'], 42],
  ['tonumber', ['-1.5'], -1.5],
  ['tonumber', ['0x1f', 16], 31],
  ['tonumber', ['0A4', 16], 164],
  ['tonumber', ['101', 2], 5],
  ['tonumber', ['z', 36], 35],
  ['tonumber', ['12', 2], null],
  ['tonumber', ['abc'], null],
  ['tonumber', [' 42'], null], // leading space is not a number (Conversion functions)
  ['tonumber', [null], null],
  ['tostring', [15, 'hex'], '0xF'],
  ['tostring', [255, 'hex'], '0xFF'],
  ['tostring', [12345.6789, 'commas'], '12,345.68'],
  ['tostring', [1234567, 'commas'], '1,234,567'],
  ['tostring', [615, 'duration'], '00:10:15'],
  ['tostring', [90061, 'duration'], '1+01:01:01'],
  ['tostring', [1.0], '1'],
  ['tostring', [2.5], '2.5'],
  ['tostring', [true], 'True'],
  ['tostring', [false], 'False'],
  ['tostring', ['abc', 'hex'], 'abc'],
  ['tostring', ['255', 'hex'], '0xFF'],
  ['printf', ['%d items', 3.9], '3 items'],
  ['printf', ['%05.2f', 3.14159], '03.14'],
  ['printf', ['%-5s|', 'ab'], 'ab   |'],
  ['printf', ['%x %X %o', 255, 255, 8], 'ff FF 10'],
  ['printf', ["%'d", 1234567], '1,234,567'],
  ['printf', ['%e', 12345.678], '1.234568e+04'],
  ['printf', ['%.3s', 'abcdef'], 'abc'],
  ['printf', ['%c%c', 65, 'Foo'], 'AF'],
  ['printf', ['%+d %%', 5], '+5 %'],
  // math
  ['round', [2.555, 2], 2.56],
  ['round', [3.5], 4],
  ['round', [-3.5], -4],
  ['round', ['2.5'], 3],
  ['round', [1234, -2], 1200],
  ['round', ['abc'], null],
  ['abs', [-3], 3],
  ['ceil', [1.2], 2],
  ['ceiling', [1.2], 2],
  ['floor', [1.8], 1],
  ['sqrt', [9], 3],
  ['sqrt', [-1], null],
  ['pow', [2, 10], 1024],
  ['exp', [0], 1],
  ['ln', [1], 0],
  ['log', [100], 2],
  ['log', [8, 2], 3],
  ['pi', [], Math.PI],
  ['exact', [3.14], 3.14],
  ['min', [3, '10', 2], 2],
  ['max', [3, '10', 2], 10],
  ['max', [3, 'abc', 10], 'abc'],
  ['min', [3, 'abc', 10], 3],
  ['max', [['1', '5'], 3], 5],
  ['max', [null, null], null],
  // informational
  ['isnum', [42], true],
  ['isnum', ['42'], true],
  ['isnum', ['x'], false],
  ['isint', [42], true],
  ['isint', [4.2], false],
  ['isstr', ['x'], true],
  ['isstr', [1], false],
  ['isbool', [true], true],
  ['typeof', [1], 'Number'],
  ['typeof', ['abc'], 'String'],
  ['typeof', [false], 'Boolean'],
  ['typeof', [null], 'Invalid'],
  // network
  ['cidrmatch', ['10.0.0.0/8', '10.1.2.3'], true],
  ['cidrmatch', ['10.0.0.0/8', '11.1.2.3'], false],
  ['cidrmatch', ['192.168.1.5', '192.168.1.5'], true],
  ['cidrmatch', ['123.132.32.0/25', '123.132.32.200'], false],
  ['cidrmatch', ['2001:db8::/32', '2001:db8:1::1'], true],
  ['cidrmatch', ['10.0.0.0/8', 'not-an-ip'], false],
  ['cidrmatch', ['10.0.0.0/8', ['1.1.1.1', '10.9.9.9']], true],
  // time
  ['now', [], 1602155026],
  ['strftime', [1602155026, '%Y-%m-%dT%H:%M:%S'], '2020-10-08T11:03:46'],
  ['strftime', ['1602155026.617920', '%H:%M:%S.%3N'], '11:03:46.617'],
  ['strftime', [1602155026, '%H'], '11'],
  ['strftime', [1602155026, '%w'], '4'],
  ['strftime', ['abc', '%H'], null],
  ['strftime', [null, '%H'], null],
  ['strptime', ['2020-10-08 11:03:46', '%Y-%m-%d %H:%M:%S'], 1602155026],
  ['strptime', ['garbage', '%Y-%m-%d'], null],
  ['relative_time', [1602155026, '-1d@d'], 1602028800],
  ['relative_time', [1602155026, '-24h'], 1602155026 - 86400],
  ['relative_time', [1602155026, 'bogus'], null],
  // hashes (known test vectors)
  ['md5', ['abc'], '900150983cd24fb0d6963f7d28e17f72'],
  ['md5', [''], 'd41d8cd98f00b204e9800998ecf8427e'],
  ['sha1', ['abc'], 'a9993e364706816aba3e25717850c26c9cd0d89d'],
  ['sha256', ['abc'], 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'],
  ['sha256', ['a'.repeat(100)], '2816597888e4a0d3a36b82b83316ab32680eb8f00f8cd3b904d681246d285a0e'],
  // JSON
  ['json_extract', ['{"a":{"b":[1,2]}}', 'a.b{1}'], 2],
  ['json_extract', ['{"a":{"b":[1,2]}}', 'a.b'], '[1,2]'],
  ['json_extract', ['{"a":"x"}', 'missing'], null],
  ['json_valid', ['{"a":1}'], true],
  ['json_valid', ['{a:1}'], false],
  ['spath', ['{"a":[{"b":1},{"b":2}]}', 'a{}.b'], [1, 2]],
];

describe('eval functions: table', () => {
  for (const [name, args, expected] of CASES) {
    it(`${name}(${args.map((a) => JSON.stringify(a)).join(', ')}) = ${JSON.stringify(expected)}`, () => {
      assert.deepEqual(call(name, ...args), expected);
    });
  }
});

describe('eval functions: errors and registry', () => {
  it('if() rejects a non-boolean condition with a stable code', () => {
    assert.throws(() => call('if', 'yes', 1, 2), (e: unknown) => e instanceof EvalFunctionError && e.code === 'spl.eval.bad-argument');
  });
  it('match() with an unsupported PCRE construct reports spl.regex.unsupported', () => {
    assert.throws(() => call('match', 'abc', 'a\\Kb'), (e: unknown) => e instanceof EvalFunctionError && e.code === 'spl.regex.unsupported');
  });
  it('tonumber() rejects a base outside 2..36', () => {
    assert.throws(() => call('tonumber', '1', 37), (e: unknown) => e instanceof EvalFunctionError && e.code === 'spl.eval.bad-argument');
  });
  it('names match in any case (ESCU runs CASE(), LIKE(), ISNOTNULL()); suggestions offer the lower-case name', () => {
    assert.equal(lookupFunction('IF')?.name, 'if');
    assert.equal(lookupFunction('ISNOTNULL')?.name, 'isnotnull');
    assert.equal(lookupFunction('Lowr'), undefined);
    assert.equal(suggestFunction('IF'), 'if');
    assert.equal(suggestFunction('mvcnt'), 'mvcount');
    assert.equal(suggestFunction('strftiem'), 'strftime');
    assert.equal(suggestFunction('zzzzzzzz'), undefined);
  });
  it('every entry is keyed by its own lower-case name with sane arity', () => {
    for (const [key, f] of Object.entries(EVAL_FUNCTIONS)) {
      assert.equal(key, f.name);
      assert.equal(key, key.toLowerCase());
      assert.ok(f.minArgs <= f.maxArgs);
    }
  });
  it('time() is wall-clock, now() is the search time', () => {
    const t = call('time') as number;
    assert.ok(Math.abs(t - Date.now() / 1000) < 5);
    assert.equal(call('now'), ctx.now);
  });
  it('strftime uses the context time zone', () => {
    const f = lookupFunction('strftime');
    assert.equal(f?.call([1602155026, '%H:%M %z'], { now: 0, timezone: '+02:00' }), '13:03 +0200');
  });
});
