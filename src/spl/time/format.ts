/**
 * strftime and strptime with Splunk's variables.
 *
 * Source: Splunk Search Reference, "Date and time format variables"
 * (help.splunk.com .../time-format-variables-and-modifiers). Notable rules:
 * - `%N` is subseconds with a width, default `%9N`; `%Q` likewise, default `%3Q`;
 *   `%f` is microseconds. Subseconds are truncated, not rounded.
 * - `%z` is `+hhmm`; `%:z` `+hh:mm`; `%::z` `+hh:mm:ss`; `%:::z` `+hh`;
 *   `%Ez` is the offset in minutes (Splunk-specific).
 * - `%k` is the 24-hour hour padded with a space; `%e` the day padded with a space.
 * - `%c` / `%+` / `%x` / `%X` use the examples on that page
 *   (`Thu Jul 18 09:30:00 2019`, `7/13/2019`, `9:30:00`), i.e. US English.
 */

import { civilFromEpoch, epochFromCivil, resolveZone, UTC, type Civil, type Zone } from './zone.js';

const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'] as const;
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'] as const;

const pad = (n: number, width: number, fill = '0'): string => {
  const s = String(Math.abs(n));
  return (n < 0 ? '-' : '') + (s.length >= width ? s : fill.repeat(width - s.length) + s);
};

function offsetText(offset: number, colons: number): string {
  const sign = offset < 0 ? '-' : '+';
  const a = Math.abs(offset);
  const h = pad(Math.floor(a / 3600), 2);
  const m = pad(Math.floor((a % 3600) / 60), 2);
  const s = pad(a % 60, 2);
  switch (colons) {
    case 0:
      return `${sign}${h}${m}`;
    case 1:
      return `${sign}${h}:${m}`;
    case 2:
      return `${sign}${h}:${m}:${s}`;
    default:
      return `${sign}${h}`;
  }
}

function zoneAbbrev(zone: Zone, epoch: number, offset: number): string {
  if (zone.kind === 'fixed') return offset === 0 ? 'UTC' : offsetText(offset, 0);
  const name = new Intl.DateTimeFormat('en-US', { timeZone: zone.name, timeZoneName: 'short' })
    .formatToParts(new Date(Math.floor(epoch) * 1000))
    .find((p) => p.type === 'timeZoneName')?.value;
  return name ?? offsetText(offset, 0);
}

/** ISO 8601 week-based year and week number. */
function isoWeek(c: Civil): { year: number; week: number } {
  const wdMon = (c.weekday + 6) % 7; // Monday = 0
  const thursdayYday = c.yday - wdMon + 3;
  const daysInYear = (y: number): number => ((y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 366 : 365);
  if (thursdayYday < 0) {
    const prev = c.year - 1;
    return { year: prev, week: Math.floor((thursdayYday + daysInYear(prev)) / 7) + 1 };
  }
  if (thursdayYday >= daysInYear(c.year)) return { year: c.year + 1, week: 1 };
  return { year: c.year, week: Math.floor(thursdayYday / 7) + 1 };
}

/** Subsecond digits, truncated; precision is microseconds (what a double epoch holds). */
function subseconds(micros: number, digits: number): string {
  const us = pad(micros, 6);
  return digits <= 6 ? us.slice(0, digits) : us + '0'.repeat(digits - 6);
}

/**
 * Formats epoch seconds with Splunk's strftime variables. Unknown variables
 * are copied as written. An unknown zone name formats in UTC.
 *
 * @example strftime(0, '%Y-%m-%dT%H:%M:%S.%3N%z', 'UTC') // '1970-01-01T00:00:00.000+0000'
 */
export function strftime(epochSeconds: number, format: string, tz = 'UTC'): string {
  const zone = resolveZone(tz) ?? UTC;
  let whole = Math.floor(epochSeconds);
  let micros = Math.round((epochSeconds - whole) * 1e6);
  if (micros >= 1e6) {
    whole += 1;
    micros -= 1e6;
  }
  const c = civilFromEpoch(whole, zone);
  const hour12 = c.hour % 12 === 0 ? 12 : c.hour % 12;
  let out = '';
  for (let i = 0; i < format.length; i++) {
    const ch = format[i] as string;
    if (ch !== '%') {
      out += ch;
      continue;
    }
    const spec = /^%(?:(\d+)([NQ])|(:{1,3})z|Ez|(.))/s.exec(format.slice(i));
    if (!spec) {
      out += ch;
      continue;
    }
    i += spec[0].length - 1;
    if (spec[2] !== undefined) {
      out += spec[2] === 'N' || spec[2] === 'Q' ? subseconds(micros, Number(spec[1])) : '';
      continue;
    }
    if (spec[3] !== undefined) {
      out += offsetText(c.offset, spec[3].length);
      continue;
    }
    if (spec[0] === '%Ez') {
      out += String(c.offset / 60);
      continue;
    }
    const v = spec[4] as string;
    out += formatOne(v, c, hour12, micros, whole, zone) ?? spec[0];
  }
  return out;
}

function formatOne(v: string, c: Civil, hour12: number, micros: number, whole: number, zone: Zone): string | undefined {
  const day = DAYS[c.weekday] as string;
  const month = MONTHS[c.month - 1] as string;
  switch (v) {
    case 'a':
      return day.slice(0, 3);
    case 'A':
      return day;
    case 'b':
    case 'h':
      return month.slice(0, 3);
    case 'B':
      return month;
    case 'c':
      return `${day.slice(0, 3)} ${month.slice(0, 3)} ${pad(c.day, 2, ' ')} ${pad(c.hour, 2)}:${pad(c.minute, 2)}:${pad(c.second, 2)} ${c.year}`;
    case '+':
      return `${day.slice(0, 3)} ${month.slice(0, 3)} ${pad(c.day, 2, ' ')} ${pad(c.hour, 2)}:${pad(c.minute, 2)}:${pad(c.second, 2)} ${zoneAbbrev(zone, whole, c.offset)} ${c.year}`;
    case 'C':
      return pad(Math.floor(c.year / 100), 2);
    case 'd':
      return pad(c.day, 2);
    case 'D':
      return `${pad(c.month, 2)}/${pad(c.day, 2)}/${pad(c.year % 100, 2)}`;
    case 'e':
      return pad(c.day, 2, ' ');
    case 'f':
      return subseconds(micros, 6);
    case 'F':
      return `${pad(c.year, 4)}-${pad(c.month, 2)}-${pad(c.day, 2)}`;
    case 'g':
      return pad(isoWeek(c).year % 100, 2);
    case 'G':
      return String(isoWeek(c).year);
    case 'H':
      return pad(c.hour, 2);
    case 'I':
      return pad(hour12, 2);
    case 'j':
      return pad(c.yday + 1, 3);
    case 'k':
      return pad(c.hour, 2, ' ');
    case 'l':
      return pad(hour12, 2, ' ');
    case 'm':
      return pad(c.month, 2);
    case 'M':
      return pad(c.minute, 2);
    case 'n':
      return '\n';
    case 'N':
      return subseconds(micros, 9);
    case 'p':
      return c.hour < 12 ? 'AM' : 'PM';
    case 'Q':
      return subseconds(micros, 3);
    case 'r':
      return `${pad(hour12, 2)}:${pad(c.minute, 2)}:${pad(c.second, 2)} ${c.hour < 12 ? 'AM' : 'PM'}`;
    case 'R':
      return `${pad(c.hour, 2)}:${pad(c.minute, 2)}`;
    case 's':
      return String(whole);
    case 'S':
      return pad(c.second, 2);
    case 't':
      return '\t';
    case 'T':
      return `${pad(c.hour, 2)}:${pad(c.minute, 2)}:${pad(c.second, 2)}`;
    case 'u':
      return String(c.weekday === 0 ? 7 : c.weekday);
    case 'U':
      return pad(Math.floor((c.yday + 7 - c.weekday) / 7), 2);
    case 'V':
      return pad(isoWeek(c).week, 2);
    case 'w':
      return String(c.weekday);
    case 'W':
      return pad(Math.floor((c.yday + 7 - ((c.weekday + 6) % 7)) / 7), 2);
    case 'x':
      return `${c.month}/${c.day}/${c.year}`;
    case 'X':
      return `${c.hour}:${pad(c.minute, 2)}:${pad(c.second, 2)}`;
    case 'y':
      return pad(c.year % 100, 2);
    case 'Y':
      return String(c.year);
    case 'z':
      return offsetText(c.offset, 0);
    case 'Z':
      return zoneAbbrev(zone, whole, c.offset);
    case '%':
      return '%';
    default:
      return undefined;
  }
}

// ---------------------------------------------------------------------------
// strptime

const ZONE_ABBREVIATIONS: Readonly<Record<string, number>> = {
  UTC: 0,
  GMT: 0,
  Z: 0,
  UT: 0,
  EST: -5 * 3600,
  EDT: -4 * 3600,
  CST: -6 * 3600,
  CDT: -5 * 3600,
  MST: -7 * 3600,
  MDT: -6 * 3600,
  PST: -8 * 3600,
  PDT: -7 * 3600,
};

/** Composite variables, expanded before parsing. */
const COMPOSITE: Readonly<Record<string, string>> = {
  T: '%H:%M:%S',
  F: '%Y-%m-%d',
  D: '%m/%d/%y',
  R: '%H:%M',
  r: '%I:%M:%S %p',
  c: '%a %b %d %H:%M:%S %Y',
  '+': '%a %b %d %H:%M:%S %Z %Y',
  x: '%m/%d/%Y',
  X: '%H:%M:%S',
};

interface Parsed {
  year?: number;
  century?: number;
  yy?: number;
  month?: number;
  day?: number;
  yday?: number;
  hour?: number;
  hour12?: number;
  pm?: boolean;
  minute?: number;
  second?: number;
  micros?: number;
  epoch?: number;
  offset?: number;
}

function monthIndex(text: string): number | undefined {
  const t = text.toLowerCase();
  const i = MONTHS.findIndex((m) => m.toLowerCase() === t || m.slice(0, 3).toLowerCase() === t);
  return i < 0 ? undefined : i + 1;
}

/**
 * Parses text with a Splunk time format into epoch seconds (microsecond
 * precision), or `null` when the text does not fit the format.
 *
 * Rules (not all written in Splunk's docs, chosen to match C strptime):
 * white space in the format matches any amount of white space; text after
 * the last variable is ignored; missing date parts default to 1970-01-01;
 * `%y` 69-99 is 19xx and 00-68 is 20xx (POSIX); `%z`/`%Z` in the text
 * override `tz`.
 *
 * @example strptime('2020-10-08 11:03:46', '%Y-%m-%d %H:%M:%S', 'UTC') // 1602155026
 */
export function strptime(text: string, format: string, tz = 'UTC'): number | null {
  const zone = resolveZone(tz) ?? UTC;
  let fmt = format;
  for (let guard = 0; guard < 4 && /%[TFDRrcx+X]/.test(fmt); guard++) {
    fmt = fmt.replace(/%([TFDRrcx+X])/g, (_, v: string) => COMPOSITE[v] as string);
  }
  const p: Parsed = {};
  let pos = 0;
  const take = (re: RegExp): string | undefined => {
    const m = re.exec(text.slice(pos));
    if (!m) return undefined;
    pos += m[0].length;
    return m[0];
  };
  for (let i = 0; i < fmt.length; i++) {
    const ch = fmt[i] as string;
    if (/\s/.test(ch)) {
      take(/^\s*/);
      continue;
    }
    if (ch !== '%') {
      if (text[pos] !== ch) return null;
      pos++;
      continue;
    }
    const spec = /^%(?:(\d+)([NQ])|(:{0,3})z|Ez|(.))/s.exec(fmt.slice(i));
    if (!spec) return null;
    i += spec[0].length - 1;
    if (spec[2] !== undefined) {
      const digits = take(new RegExp(`^\\d{1,${Number(spec[1])}}`));
      if (digits === undefined) return null;
      p.micros = Number(digits.padEnd(6, '0').slice(0, 6));
      continue;
    }
    if (spec[3] !== undefined || spec[0] === '%Ez') {
      const z = take(/^(?:Z|[+-]\d{2}(?::?\d{2}(?::?\d{2})?)?)/i);
      if (z === undefined) return null;
      p.offset = parseOffset(z);
      continue;
    }
    const v = spec[4] as string;
    const num = (max: number, spaces = false): number | undefined => {
      if (spaces) take(/^ +/);
      const s = take(new RegExp(`^[+-]?\\d{1,${max}}`));
      return s === undefined ? undefined : Number(s);
    };
    let n: number | undefined;
    switch (v) {
      case 'Y':
        if ((n = num(4)) === undefined) return null;
        p.year = n;
        break;
      case 'C':
        if ((n = num(2)) === undefined) return null;
        p.century = n;
        break;
      case 'y':
        if ((n = num(2)) === undefined) return null;
        p.yy = n;
        break;
      case 'm':
        if ((n = num(2, true)) === undefined || n < 1 || n > 12) return null;
        p.month = n;
        break;
      case 'd':
      case 'e':
        if ((n = num(2, true)) === undefined || n < 1 || n > 31) return null;
        p.day = n;
        break;
      case 'j':
        if ((n = num(3)) === undefined || n < 1 || n > 366) return null;
        p.yday = n - 1;
        break;
      case 'H':
      case 'k':
        if ((n = num(2, true)) === undefined || n > 23) return null;
        p.hour = n;
        break;
      case 'I':
      case 'l':
        if ((n = num(2, true)) === undefined || n < 1 || n > 12) return null;
        p.hour12 = n;
        break;
      case 'M':
        if ((n = num(2)) === undefined || n > 59) return null;
        p.minute = n;
        break;
      case 'S':
        if ((n = num(2)) === undefined || n > 60) return null;
        p.second = n;
        break;
      case 'p': {
        const s = take(/^[AaPp]\.?[Mm]\.?/);
        if (s === undefined) return null;
        p.pm = /^p/i.test(s);
        break;
      }
      case 'b':
      case 'B':
      case 'h': {
        const s = take(/^[A-Za-z]+/);
        const mi = s === undefined ? undefined : monthIndex(s);
        if (mi === undefined) return null;
        p.month = mi;
        break;
      }
      case 'a':
      case 'A': {
        const s = take(/^[A-Za-z]+/);
        if (s === undefined || !DAYS.some((d) => d.toLowerCase() === s.toLowerCase() || d.slice(0, 3).toLowerCase() === s.toLowerCase())) return null;
        break;
      }
      case 's': {
        const s = take(/^-?\d+(?:\.\d+)?/);
        if (s === undefined) return null;
        p.epoch = Number(s);
        break;
      }
      case 'N':
      case 'Q':
      case 'f': {
        const s = take(/^\d+/);
        if (s === undefined) return null;
        p.micros = Number(s.padEnd(6, '0').slice(0, 6));
        break;
      }
      case 'Z': {
        const s = take(/^[A-Za-z]+|^[+-]\d{2}:?\d{2}/);
        if (s === undefined) return null;
        const off = /^[+-]/.test(s) ? parseOffset(s) : ZONE_ABBREVIATIONS[s.toUpperCase()];
        if (off === undefined) return null;
        p.offset = off;
        break;
      }
      case 'n':
      case 't':
        take(/^\s*/);
        break;
      case '%':
        if (text[pos] !== '%') return null;
        pos++;
        break;
      default:
        return null;
    }
  }
  return assemble(p, zone);
}

function parseOffset(z: string): number {
  if (/^z$/i.test(z)) return 0;
  const m = /^([+-])(\d{2}):?(\d{2})?:?(\d{2})?$/.exec(z);
  if (!m) return 0;
  const secs = Number(m[2]) * 3600 + Number(m[3] ?? 0) * 60 + Number(m[4] ?? 0);
  return m[1] === '-' ? -secs : secs;
}

function assemble(p: Parsed, zone: Zone): number {
  const frac = (p.micros ?? 0) / 1e6;
  if (p.epoch !== undefined) return p.epoch + (Number.isInteger(p.epoch) ? frac : 0);
  let year = p.year ?? 1970;
  if (p.year === undefined && p.yy !== undefined) {
    year = p.century !== undefined ? p.century * 100 + p.yy : p.yy < 69 ? 2000 + p.yy : 1900 + p.yy;
  }
  let hour = p.hour ?? 0;
  if (p.hour12 !== undefined) hour = (p.hour12 % 12) + (p.pm ? 12 : 0);
  else if (p.pm !== undefined && p.hour !== undefined && p.pm && hour < 12) hour += 12;
  let month = p.month ?? 1;
  let day = p.day ?? 1;
  if (p.yday !== undefined && p.month === undefined && p.day === undefined) {
    month = 1;
    day = p.yday + 1;
  }
  const fixed: Zone | undefined = p.offset === undefined ? undefined : { kind: 'fixed', name: 'parsed', offset: p.offset };
  return epochFromCivil(fixed ?? zone, year, month, day, hour, p.minute ?? 0, p.second ?? 0) + frac;
}

/**
 * Windows `SystemTime` (`2020-10-08T11:03:46.617920300Z`, 7 or 9 fractional
 * digits) to epoch seconds with microsecond precision; `undefined` when the
 * text is not ISO 8601. Without a zone designator the text is read as UTC.
 */
export function parseIsoTime(text: string): number | undefined {
  const m = /^\s*(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:[.,](\d+))?\s*(Z|[+-]\d{2}(?::?\d{2})?)?\s*$/i.exec(text);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, frac, z] = m as unknown as [string, string, string, string, string, string, string, string | undefined, string | undefined];
  const month = Number(mo);
  const day = Number(d);
  if (month < 1 || month > 12 || day < 1 || day > 31 || Number(h) > 23 || Number(mi) > 59 || Number(s) > 60) return undefined;
  const base = epochFromCivil(UTC, Number(y), month, day, Number(h), Number(mi), Number(s)) - (z === undefined ? 0 : parseOffset(z));
  const micros = frac === undefined ? 0 : Number(frac.padEnd(6, '0').slice(0, 6));
  return base + micros / 1e6;
}
