/**
 * Splunk time modifiers: `now`, epoch numbers, `%m/%d/%Y:%H:%M:%S`, and
 * relative specs `[+|-]<n><unit>` / `@<unit>` in any sequence (`-1d@d`,
 * `@d+8h`, `-mon@mon`, `@w1`).
 *
 * Source: Splunk Search Reference, "Time modifiers"; Search Manual, "Specify
 * time modifiers in your search". Rules taken from there:
 * - a missing amount means 1 (`-h` is `-1h`);
 * - `@unit` snaps down to the start of the unit in the search's time zone;
 * - `@w`/`@week` is `@w0` (Sunday); `w0`..`w6` are Sunday..Saturday, `w7` is Sunday;
 * - `@q` snaps to Jan 1, Apr 1, Jul 1 or Oct 1;
 * - real-time modifiers (`rt`) are not allowed in search strings.
 * Month and year offsets move the calendar fields and let the day overflow
 * as C `mktime` does (Mar 31 -1mon is Mar 3 in a non-leap year): not stated
 * by the docs, noted as unverified.
 */

import { strptime } from './format.js';
import { civilFromEpoch, epochFromCivil, resolveZone, UTC } from './zone.js';

export type TimeUnit = 'us' | 'ms' | 's' | 'm' | 'h' | 'd' | 'w' | 'mon' | 'q' | 'y';

export type TimeStep =
  | { readonly kind: 'offset'; readonly amount: number; readonly unit: TimeUnit }
  | { readonly kind: 'snap'; readonly unit: TimeUnit; /** For weeks: 0 = Sunday .. 6 = Saturday. */ readonly weekday?: number };

export type TimeModifier =
  | { readonly kind: 'now' }
  | { readonly kind: 'epoch'; readonly value: number }
  | { readonly kind: 'absolute'; readonly text: string }
  | { readonly kind: 'relative'; readonly steps: readonly TimeStep[] };

export interface TimeModifierError {
  readonly code: 'spl.time.bad-modifier';
  readonly message: string;
  readonly offset: number;
}

const UNIT_NAMES: Readonly<Record<string, TimeUnit>> = {
  us: 'us',
  ms: 'ms',
  s: 's',
  sec: 's',
  secs: 's',
  second: 's',
  seconds: 's',
  m: 'm',
  min: 'm',
  mins: 'm',
  minute: 'm',
  minutes: 'm',
  h: 'h',
  hr: 'h',
  hrs: 'h',
  hour: 'h',
  hours: 'h',
  d: 'd',
  day: 'd',
  days: 'd',
  w: 'w',
  week: 'w',
  weeks: 'w',
  mon: 'mon',
  month: 'mon',
  months: 'mon',
  q: 'q',
  qtr: 'q',
  qtrs: 'q',
  quarter: 'q',
  quarters: 'q',
  y: 'y',
  yr: 'y',
  yrs: 'y',
  year: 'y',
  years: 'y',
};

const ABSOLUTE_FORMAT = '%m/%d/%Y:%H:%M:%S';

/**
 * Parses a time modifier as written after `earliest=` / `latest=` or as the
 * second argument of `relative_time()`.
 *
 * @example parseTimeModifier('-1d@d') // { modifier: { kind: 'relative', steps: [offset -1 d, snap d] } }
 */
export function parseTimeModifier(text: string): { readonly modifier: TimeModifier } | { readonly error: TimeModifierError } {
  const t = text.trim();
  const fail = (message: string, offset: number): { error: TimeModifierError } => ({
    error: { code: 'spl.time.bad-modifier', message, offset },
  });
  if (t === '') return fail('empty time modifier', 0);
  if (/^now(?:\(\))?$/i.test(t)) return { modifier: { kind: 'now' } };
  if (/^\d+(?:\.\d+)?$/.test(t)) return { modifier: { kind: 'epoch', value: Number(t) } };
  if (/^\d{1,2}\/\d{1,2}\/\d{4}:\d{1,2}:\d{1,2}:\d{1,2}$/.test(t)) return { modifier: { kind: 'absolute', text: t } };
  if (/^rt/i.test(t) || /^[+-]rt/i.test(t)) return fail('real-time modifiers (rt) are not supported in a search', 0);
  const steps: TimeStep[] = [];
  const re = /([+-])(\d*)([a-z]+)|@([a-z]+)(\d?)/giy;
  let pos = 0;
  while (pos < t.length) {
    re.lastIndex = pos;
    const m = re.exec(t);
    if (!m) return fail(`unexpected "${t.slice(pos)}" in time modifier "${t}"`, pos);
    if (m[1] !== undefined) {
      const unit = UNIT_NAMES[(m[3] as string).toLowerCase()];
      if (unit === undefined) return fail(`unknown time unit "${m[3]}"`, pos + 1 + (m[2] as string).length);
      const amount = (m[2] === '' ? 1 : Number(m[2])) * (m[1] === '-' ? -1 : 1);
      steps.push({ kind: 'offset', amount, unit });
    } else {
      const name = (m[4] as string).toLowerCase();
      const digit = m[5] as string;
      const unit = UNIT_NAMES[name];
      if (unit === undefined) return fail(`unknown snap unit "${m[4]}"`, pos + 1);
      if (digit !== '') {
        if (unit !== 'w' || name !== 'w') return fail(`unknown snap unit "${m[4]}${digit}"`, pos + 1);
        const wd = Number(digit);
        if (wd > 7) return fail(`week day must be w0 to w7, got w${digit}`, pos + 1);
        steps.push({ kind: 'snap', unit: 'w', weekday: wd % 7 });
      } else steps.push(unit === 'w' ? { kind: 'snap', unit: 'w', weekday: 0 } : { kind: 'snap', unit });
    }
    pos = re.lastIndex;
  }
  return { modifier: { kind: 'relative', steps } };
}

/** The instant a parsed modifier stands for, given the search's `now` and zone; `null` if not a valid date. */
export function resolveTimeModifier(modifier: TimeModifier, now: number, tz = 'UTC'): number | null {
  switch (modifier.kind) {
    case 'now':
      return now;
    case 'epoch':
      return modifier.value;
    case 'absolute':
      return strptime(modifier.text, ABSOLUTE_FORMAT, tz);
    case 'relative': {
      const zone = resolveZone(tz) ?? UTC;
      let t = now;
      for (const step of modifier.steps) t = step.kind === 'offset' ? applyOffset(t, step.amount, step.unit, zone) : applySnap(t, step, zone);
      return t;
    }
  }
}

/**
 * `relative_time(X, Y)`: applies modifier text to an epoch; `null` when the
 * modifier is not valid.
 *
 * @example relativeTime(1602155026, '-1d@d', 'UTC') // 1602028800 (2020-10-07T00:00:00Z)
 */
export function relativeTime(epochSeconds: number, modifier: string, tz = 'UTC'): number | null {
  const parsed = parseTimeModifier(modifier);
  if ('error' in parsed) return null;
  return resolveTimeModifier(parsed.modifier, epochSeconds, tz);
}

type ZoneT = NonNullable<ReturnType<typeof resolveZone>>;

function splitFrac(t: number): [number, number] {
  const whole = Math.floor(t);
  return [whole, t - whole];
}

function applyOffset(t: number, amount: number, unit: TimeUnit, zone: ZoneT): number {
  switch (unit) {
    case 'us':
      return t + amount / 1e6;
    case 'ms':
      return t + amount / 1e3;
    case 's':
      return t + amount;
    case 'm':
      return t + amount * 60;
    case 'h':
      return t + amount * 3600;
    default: {
      // Calendar units move wall-clock fields, so -1d across DST keeps the clock time.
      const [whole, frac] = splitFrac(t);
      const c = civilFromEpoch(whole, zone);
      let { year, month, day } = c;
      if (unit === 'd') day += amount;
      else if (unit === 'w') day += 7 * amount;
      else if (unit === 'mon') month += amount;
      else if (unit === 'q') month += 3 * amount;
      else year += amount;
      return epochFromCivil(zone, year, month, day, c.hour, c.minute, c.second) + frac;
    }
  }
}

function applySnap(t: number, step: Extract<TimeStep, { kind: 'snap' }>, zone: ZoneT): number {
  const whole = Math.floor(t);
  const c = civilFromEpoch(whole, zone);
  switch (step.unit) {
    case 'us':
      return Math.floor(t * 1e6) / 1e6;
    case 'ms':
      return Math.floor(t * 1e3) / 1e3;
    case 's':
      return whole;
    case 'm':
      return epochFromCivil(zone, c.year, c.month, c.day, c.hour, c.minute, 0);
    case 'h':
      return epochFromCivil(zone, c.year, c.month, c.day, c.hour, 0, 0);
    case 'd':
      return epochFromCivil(zone, c.year, c.month, c.day);
    case 'w': {
      const back = (c.weekday - (step.weekday ?? 0) + 7) % 7;
      return epochFromCivil(zone, c.year, c.month, c.day - back);
    }
    case 'mon':
      return epochFromCivil(zone, c.year, c.month, 1);
    case 'q':
      return epochFromCivil(zone, c.year, c.month - ((c.month - 1) % 3), 1);
    case 'y':
      return epochFromCivil(zone, c.year, 1, 1);
  }
}
