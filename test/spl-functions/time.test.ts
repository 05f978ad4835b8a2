import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseIsoTime, parseTimeModifier, relativeTime, resolveTimeModifier, strftime, strptime } from '../../src/spl/time/index.js';

const T = 1602155026.61792; // 2020-10-08T11:03:46.617920Z, Thursday, day 282

/** [epoch, format, tz, expected] */
const FORMAT: readonly [number, string, string, string][] = [
  [T, '%Y-%m-%d %H:%M:%S', 'UTC', '2020-10-08 11:03:46'],
  [T, '%y %e|%k|%I %p|%l', 'UTC', '20  8|11|11 AM|11'],
  [T, '%a %A %b %B %h', 'UTC', 'Thu Thursday Oct October Oct'],
  [T, '%j %U %W %V %G %u %w', 'UTC', '282 40 40 41 2020 4 4'],
  [T, '%3N|%6N|%9N|%N|%Q|%f', 'UTC', '617|617920|617920000|617920000|617|617920'],
  [T, '%s', 'UTC', '1602155026'],
  [T, '%T %F %D %R', 'UTC', '11:03:46 2020-10-08 10/08/20 11:03'],
  [T, '%c', 'UTC', 'Thu Oct  8 11:03:46 2020'],
  [T, '%x %X', 'UTC', '10/8/2020 11:03:46'],
  [T, '%z %:z %::z %Z %Ez', 'UTC', '+0000 +00:00 +00:00:00 UTC 0'],
  [T, '%H:%M %z %:z %Ez', '+02:00', '13:03 +0200 +02:00 120'],
  [T, '%d %H:%M %z', '-0530', '08 05:33 -0530'],
  [T, '%H:%M %z %Z', 'America/New_York', '07:03 -0400 EDT'],
  [T, '100%% %q', 'UTC', '100% %q'],
  [0, '%Y-%m-%dT%H:%M:%S.%3N%z', 'UTC', '1970-01-01T00:00:00.000+0000'],
  [-1, '%Y-%m-%d %H:%M:%S', 'UTC', '1969-12-31 23:59:59'],
  [1577836799.9999996, '%S.%6N', 'UTC', '00.000000'], // rounds to the microsecond, carries
  [Date.UTC(2021, 0, 3) / 1000, '%G-W%V %U %W', 'UTC', '2020-W53 01 00'],
  [Date.UTC(2020, 1, 29, 0, 0) / 1000, '%j', 'UTC', '060'],
  [Date.UTC(2020, 0, 1, 12) / 1000, '%I %p %r', 'UTC', '12 PM 12:00:00 PM'],
  [Date.UTC(2020, 0, 1, 0) / 1000, '%I %p', 'UTC', '12 AM'],
];

describe('strftime', () => {
  for (const [t, f, tz, expected] of FORMAT) {
    it(`${f} in ${tz}`, () => assert.equal(strftime(t, f, tz), expected));
  }
});

/** [text, format, tz, expected epoch or null] */
const PARSE: readonly [string, string, string, number | null][] = [
  ['2020-10-08 11:03:46', '%Y-%m-%d %H:%M:%S', 'UTC', 1602155026],
  ['2020-10-08T11:03:46.617', '%Y-%m-%dT%H:%M:%S.%3N', 'UTC', 1602155026.617],
  ['2020-10-08T11:03:46.617920Z', '%Y-%m-%dT%H:%M:%S.%6N%Z', '+05:00', 1602155026.61792],
  ['10/08/2020:11:03:46', '%m/%d/%Y:%H:%M:%S', 'UTC', 1602155026],
  ['2020-10-08 13:03:46', '%Y-%m-%d %H:%M:%S', '+02:00', 1602155026],
  ['2020-10-08 13:03:46 +0200', '%Y-%m-%d %H:%M:%S %z', 'UTC', 1602155026],
  ['2020-10-08 13:03:46 +02:00', '%Y-%m-%d %H:%M:%S %:z', 'UTC', 1602155026],
  ['Oct 8 2020 11:03:46 AM', '%b %d %Y %I:%M:%S %p', 'UTC', 1602155026],
  ['october 8, 2020', '%B %d, %Y', 'UTC', 1602115200],
  ['Thu Oct  8 11:03:46 2020', '%a %b %d %H:%M:%S %Y', 'UTC', 1602155026],
  ['08/10/20 12:00:00 PM', '%d/%m/%y %I:%M:%S %p', 'UTC', 1602158400],
  ['1602155026', '%s', 'UTC', 1602155026],
  ['2020-282', '%Y-%j', 'UTC', 1602115200],
  ['2020-10-08 11:03:46 trailing text', '%Y-%m-%d %H:%M:%S', 'UTC', 1602155026],
  ['2020-10-08T11:03:46', '%FT%T', 'UTC', 1602155026],
  ['2020-13-08', '%Y-%m-%d', 'UTC', null],
  ['2020-10', '%Y-%m-%d', 'UTC', null],
  ['abc', '%Y', 'UTC', null],
  ['2020/10/08', '%Y-%m-%d', 'UTC', null],
  ['2020-07-01 12:00:00', '%Y-%m-%d %H:%M:%S', 'Europe/Berlin', 1593597600],
];

describe('strptime', () => {
  for (const [text, f, tz, expected] of PARSE) {
    it(`${JSON.stringify(text)} with ${f} in ${tz}`, () => {
      const got = strptime(text, f, tz);
      if (expected === null) assert.equal(got, null);
      else {
        assert.ok(got !== null);
        assert.ok(Math.abs(got - expected) < 1e-6, `${got} != ${expected}`);
      }
    });
  }
  it('round-trips strftime output', () => {
    const f = '%Y-%m-%dT%H:%M:%S.%6N%z';
    const back = strptime(strftime(T, f, '+02:00'), f, 'UTC');
    assert.ok(back !== null && Math.abs(back - T) < 1e-6);
  });
});

const NOW = 1602155026; // Thursday 2020-10-08 11:03:46 UTC
const day = (y: number, m: number, d: number, h = 0, mi = 0, s = 0): number => Date.UTC(y, m - 1, d, h, mi, s) / 1000;

/** [modifier, tz, expected] */
const RELATIVE: readonly [string, string, number | null][] = [
  ['now', 'UTC', NOW],
  ['-24h', 'UTC', NOW - 86400],
  ['-60m', 'UTC', NOW - 3600],
  ['-30s', 'UTC', NOW - 30],
  ['-h', 'UTC', NOW - 3600],
  ['+1d', 'UTC', NOW + 86400],
  ['-7d@h', 'UTC', day(2020, 10, 1, 11)],
  ['-1d@d', 'UTC', day(2020, 10, 7)],
  ['+1d@d', 'UTC', day(2020, 10, 9)],
  ['@d', 'UTC', day(2020, 10, 8)],
  ['@d+8h', 'UTC', day(2020, 10, 8, 8)],
  ['@w', 'UTC', day(2020, 10, 4)],
  ['@w0', 'UTC', day(2020, 10, 4)],
  ['@w7', 'UTC', day(2020, 10, 4)],
  ['@w1', 'UTC', day(2020, 10, 5)],
  ['@w5', 'UTC', day(2020, 10, 2)],
  ['@w4', 'UTC', day(2020, 10, 8)],
  ['-1w@w1', 'UTC', day(2020, 9, 28)],
  ['@mon', 'UTC', day(2020, 10, 1)],
  ['-1mon@mon', 'UTC', day(2020, 9, 1)],
  ['-1month', 'UTC', day(2020, 9, 8, 11, 3, 46)],
  ['@q', 'UTC', day(2020, 10, 1)],
  ['-1q@q', 'UTC', day(2020, 7, 1)],
  ['@y', 'UTC', day(2020, 1, 1)],
  ['-1y@y', 'UTC', day(2019, 1, 1)],
  ['-2days', 'UTC', NOW - 2 * 86400],
  ['-3hours@m', 'UTC', day(2020, 10, 8, 8, 3)],
  ['-1quarter', 'UTC', day(2020, 7, 8, 11, 3, 46)],
  ['@d', '+02:00', day(2020, 10, 7, 22)],
  ['@d', '-05:00', day(2020, 10, 8, 5)],
  ['@h', '+05:30', day(2020, 10, 8, 10, 30)],
  ['0', 'UTC', 0],
  ['1602000000', 'UTC', 1602000000],
  ['10/15/2019:20:00:00', 'UTC', day(2019, 10, 15, 20)],
  ['', 'UTC', null],
  ['-1x', 'UTC', null],
  ['@w8', 'UTC', null],
  ['rt-5m', 'UTC', null],
  ['yesterday', 'UTC', null],
];

describe('time modifiers', () => {
  for (const [mod, tz, expected] of RELATIVE) {
    it(`${JSON.stringify(mod)} in ${tz}`, () => assert.equal(relativeTime(NOW, mod, tz), expected));
  }
  it('-1d across a DST change keeps the wall-clock time in an IANA zone', () => {
    // 2020-11-02 12:00 in New York (EST) minus one day is 2020-11-01 12:00 (EST, after the change).
    const t = day(2020, 11, 2, 17);
    assert.equal(relativeTime(t, '-1d', 'America/New_York'), day(2020, 11, 1, 17));
    assert.equal(relativeTime(t, '-24h', 'America/New_York'), t - 86400);
  });
  it('parses to a structure usable for earliest=/latest=', () => {
    assert.deepEqual(parseTimeModifier('-7d@h'), {
      modifier: {
        kind: 'relative',
        steps: [
          { kind: 'offset', amount: -7, unit: 'd' },
          { kind: 'snap', unit: 'h' },
        ],
      },
    });
    const r = parseTimeModifier('-1x');
    assert.ok('error' in r);
    assert.equal(r.error.code, 'spl.time.bad-modifier');
    assert.equal(r.error.offset, 2);
  });
  it('resolves against the given now', () => {
    const p = parseTimeModifier('@d');
    assert.ok('modifier' in p);
    assert.equal(resolveTimeModifier(p.modifier, NOW), day(2020, 10, 8));
  });
});

describe('parseIsoTime', () => {
  const CASES: readonly [string, number | undefined][] = [
    ['2020-10-08T11:03:46.617920300Z', 1602155026.61792],
    ['2020-10-08T11:03:46.6179203Z', 1602155026.61792],
    ['2020-10-08T11:03:46Z', 1602155026],
    ['2020-10-08T11:03:46', 1602155026],
    ['2020-10-08 11:03:46.5', 1602155026.5],
    ['2020-10-08T13:03:46.000+02:00', 1602155026],
    ['2020-10-08T11:03:46.000000001Z', 1602155026],
    ['not a time', undefined],
    ['2020-13-08T11:03:46Z', undefined],
  ];
  for (const [text, expected] of CASES) {
    it(JSON.stringify(text), () => assert.equal(parseIsoTime(text), expected));
  }
  it('keeps microsecond precision', () => {
    const t = parseIsoTime('2020-10-08T11:03:46.617920300Z') as number;
    assert.equal(strftime(t, '%6N', 'UTC'), '617920');
  });
});
