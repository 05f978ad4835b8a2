import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { compilePcre, groupValue, namedGroups, sedReplace, type CompiledPcre } from '../../src/spl/regex/index.js';

function compiled(pattern: string, flags?: string): CompiledPcre {
  const r = compilePcre(pattern, flags);
  if ('error' in r) assert.fail(`${pattern}: ${r.error.code} ${r.error.message}`);
  return r.compiled;
}

/** [pattern, subject, matches?] — each a PCRE rule that differs from a naive JS RegExp. */
const MATCHES: readonly [string, string, boolean][] = [
  ['(?i)^cmd\\.exe$', 'CMD.EXE', true],
  ['(?i)powershell', 'PowerShell.exe', true],
  ['(?is)a.b', 'A\nB', true],
  ['(?s)a.b', 'a\nb', true],
  ['a.b', 'a\nb', false],
  ['a.b', 'a\rb', true], // PCRE '.' excludes only \n
  ['^abc$', 'abc\n', true], // '$' before a final newline
  ['^abc$', 'abc\n\n', false],
  ['(?m)^b$', 'a\nb\nc', true],
  ['^b$', 'a\nb\nc', false],
  ['\\Aabc\\z', 'abc', true],
  ['\\Aabc\\z', 'abc\n', false],
  ['\\Aabc\\Z', 'abc\n', true],
  ['a(?i)bc', 'aBC', true],
  ['a(?i)bc', 'ABC', false],
  ['(?i:ab)c', 'ABc', true],
  ['(?i:ab)c', 'ABC', false],
  ['(a(?i)b)c', 'aBc', true],
  ['(a(?i)b)c', 'aBC', false], // inline flag ends with its group
  ['(?i)a(?-i)b', 'Ab', true],
  ['(?i)a(?-i)b', 'AB', false],
  ['x(?i)[a-c]+', 'xABC', true],
  ['x(?i)[^a-c]', 'xB', false],
  ['(?x) a \\ b  # comment', 'a b', true],
  ['(?x)[ ]', ' ', true],
  ['[[:alpha:]]+[[:digit:]]', 'abc1', true],
  ['[[:^digit:]]', '5', false],
  ['[[:xdigit:]]{4}', 'beef', true],
  ['\\Qa.b*\\E', 'a.b*', true],
  ['\\Qa.b*\\E', 'axbb', false],
  ['\\h+x', ' \tx', true],
  ['\\h', '\n', false],
  ['\\v', '\r', true],
  ['\\R', '\r\n', true],
  ['[]a]', ']', true],
  ['[^]a]', 'b', true],
  ['a++b', 'aaab', true],
  ['a++a', 'aaaa', false], // possessive gives nothing back
  ['(?>a+)a', 'aaaa', false],
  ['(?>ab|a)c', 'abc', true],
  ['(?>a|ab)c', 'abc', false], // atomic: the first alternative is kept
  ['(\\w)\\1', 'aa', true],
  ['(?<x>\\w)\\k<x>', 'bb', true],
  ['(?P<x>\\w)(?P=x)', 'cc', true],
  ['(\\w)(?>z)(\\w)\\2', 'azbb', true], // backreference numbering survives hidden groups
  ['\\x41\\x{42}\\101', 'ABA', true],
  ['\\d{2,}', '1', false],
  ['a{,2}', 'a{,2}', true], // not a quantifier in PCRE: literal
  ['\\s', '\u00A0', false], // PCRE \s is ASCII
  ['\\p{Lu}', 'É', true],
  ['(?#comment)ab', 'ab', true],
  ['\\/path', '/path', true],
];

describe('PCRE translation: matching', () => {
  for (const [pattern, subject, expected] of MATCHES) {
    it(`${JSON.stringify(pattern)} ${expected ? 'matches' : 'does not match'} ${JSON.stringify(subject)}`, () => {
      assert.equal(compiled(pattern).regex.test(subject), expected);
    });
  }
});

/** [pattern, code, offset] */
const ERRORS: readonly [string, string, number][] = [
  ['a\\Kb', 'spl.regex.unsupported', 1],
  ['\\Gabc', 'spl.regex.unsupported', 0],
  ['(?R)', 'spl.regex.unsupported', 0],
  ['x(?1)', 'spl.regex.unsupported', 1],
  ['(?(1)a|b)', 'spl.regex.unsupported', 0],
  ['(?|(a)|(b))', 'spl.regex.unsupported', 0],
  ['(*SKIP)a', 'spl.regex.unsupported', 0],
  ['(?U)a+', 'spl.regex.unsupported', 2],
  ['(abc', 'spl.regex.syntax', 4],
  ['abc)', 'spl.regex.syntax', 3],
  ['[abc', 'spl.regex.syntax', 0],
  ['*a', 'spl.regex.syntax', 0],
  ['\\y', 'spl.regex.syntax', 0],
  ['(?<n>a)(?<n>b)', 'spl.regex.syntax', 7],
  ['[z-a]', 'spl.regex.syntax', 2],
];

describe('PCRE translation: errors', () => {
  for (const [pattern, code, offset] of ERRORS) {
    it(`${JSON.stringify(pattern)} gives ${code} at ${offset}`, () => {
      const r = compilePcre(pattern);
      assert.ok('error' in r, 'expected an error');
      assert.equal(r.error.code, code);
      assert.equal(r.error.offset, offset);
    });
  }
});

describe('PCRE translation: groups', () => {
  it('named groups keep PCRE names and order', () => {
    const c = compiled('(?<user>[^@]+)@(?P<domain>\\S+)');
    const m = c.regex.exec('bob@example.com');
    assert.ok(m);
    assert.deepEqual(namedGroups(c, m), [
      ['user', 'bob'],
      ['domain', 'example.com'],
    ]);
  });
  it('duplicate names with (?J): the group that took part wins', () => {
    const c = compiled('(?J)(?:(?<v>a\\d)|(?<v>b\\d))');
    const m = c.regex.exec('b7');
    assert.ok(m);
    assert.deepEqual(namedGroups(c, m), [['v', 'b7']]);
  });
  it('PCRE group numbers map past hidden atomic groups', () => {
    const c = compiled('(a)(?>b+)(c)');
    const m = c.regex.exec('abbc');
    assert.ok(m);
    assert.equal(c.groupCount, 2);
    assert.equal(groupValue(c, m, 1), 'a');
    assert.equal(groupValue(c, m, 2), 'c');
  });
  it('(?n) makes plain groups non-capturing', () => {
    assert.equal(compiled('(?n)(a)(?<k>b)').groupCount, 1);
  });
  it('flags argument acts like a leading (?flags)', () => {
    assert.ok(compiled('abc', 'i').regex.test('ABC'));
  });
  it('cache returns the same compiled object', () => {
    assert.equal(compilePcre('cache-me\\d'), compilePcre('cache-me\\d'));
  });
});

/** [text, sed expression, result] */
const SED: readonly [string, string, string][] = [
  ['a-b-c', 's/-/+/g', 'a+b+c'],
  ['a-b-c', 's/-/+/', 'a+b-c'],
  ['a-b-c', 's/-/+/2', 'a-b+c'],
  ['john@example.com', 's/(\\w+)@(\\w+)/\\2 at \\1/', 'example at john.com'],
  ['a/b', 's/\\//|/g', 'a|b'],
  ['a/b', 's#/#\\\\#g', 'a\\b'],
  ['ssn=123-45-6789', 's/\\d{3}-\\d{2}-(\\d{4})/XXX-XX-\\1/g', 'ssn=XXX-XX-6789'],
  ['hello', 'y/abcdefghijklmnopqrstuvwxyz/ABCDEFGHIJKLMNOPQRSTUVWXYZ/', 'HELLO'],
  ['CaSe', 's/(?i)case/x/', 'x'],
];

describe('sed expressions', () => {
  for (const [input, expr, expected] of SED) {
    it(`${expr} on ${JSON.stringify(input)}`, () => {
      assert.deepEqual(sedReplace(input, expr), { result: expected });
    });
  }
  for (const bad of ['x/a/b/', 's/a/b', 's/a/b/q', 'y/ab/c/', 's/a\\K/b/']) {
    it(`rejects ${JSON.stringify(bad)}`, () => {
      const r = sedReplace('a', bad);
      assert.ok('error' in r);
      assert.match(r.error.code, /^spl\.(sed|regex)\./);
    });
  }
});
