/**
 * Time zones and civil (wall-clock) time.
 *
 * A zone is `UTC`, a fixed offset (`+02:00`, `-0530`, `UTC+2`), or an IANA
 * name resolved through `Intl` (pure JS, no `node:*`). All arithmetic on
 * calendar fields goes through `epochFromCivil`, which normalizes overflow
 * (month 13, day 0) the way C's `mktime` does.
 */

export type Zone =
  | { readonly kind: 'fixed'; readonly name: string; readonly offset: number }
  | { readonly kind: 'iana'; readonly name: string; readonly fmt: Intl.DateTimeFormat };

/** Calendar fields in a zone. `month` is 1-12; `weekday` 0 = Sunday; `yday` 0-based. */
export interface Civil {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
  readonly weekday: number;
  readonly yday: number;
  /** Seconds east of UTC in effect at this instant. */
  readonly offset: number;
}

export const UTC: Zone = { kind: 'fixed', name: 'UTC', offset: 0 };

const zones = new Map<string, Zone | undefined>();

/** The zone for a name, or `undefined` when the name is not a known zone. */
export function resolveZone(tz: string): Zone | undefined {
  if (zones.has(tz)) return zones.get(tz);
  const zone = parseZone(tz.trim());
  if (zones.size > 100) zones.clear();
  zones.set(tz, zone);
  return zone;
}

function parseZone(tz: string): Zone | undefined {
  if (/^(?:UTC|GMT|Z|Etc\/UTC|Etc\/GMT)$/i.test(tz) || tz === '') return UTC;
  const m = /^(?:UTC|GMT)?([+-])(\d{1,2})(?::?(\d{2}))?$/i.exec(tz);
  if (m) {
    const secs = (Number(m[2]) * 3600 + Number(m[3] ?? 0) * 60) * (m[1] === '-' ? -1 : 1);
    if (Math.abs(secs) > 18 * 3600) return undefined;
    return { kind: 'fixed', name: tz, offset: secs };
  }
  try {
    const fmt = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
      era: 'short',
    });
    return { kind: 'iana', name: tz, fmt };
  } catch {
    return undefined;
  }
}

/** UTC milliseconds for calendar fields, normalizing overflow; years 0-99 stay literal. */
export function utcMs(year: number, month1: number, day: number, hour = 0, minute = 0, second = 0): number {
  const d = new Date(0);
  d.setUTCFullYear(year, month1 - 1, day);
  d.setUTCHours(hour, minute, second, 0);
  return d.getTime();
}

/** Seconds east of UTC in `zone` at the instant `epochSeconds`. */
export function offsetAt(zone: Zone, epochSeconds: number): number {
  if (zone.kind === 'fixed') return zone.offset;
  const t = Math.floor(epochSeconds);
  const parts = zone.fmt.formatToParts(new Date(t * 1000));
  const get = (type: string): number => Number(parts.find((p) => p.type === type)?.value ?? 0);
  let year = get('year');
  if (parts.find((p) => p.type === 'era')?.value === 'BC') year = 1 - year;
  const local = utcMs(year, get('month'), get('day'), get('hour'), get('minute'), get('second')) / 1000;
  return local - t;
}

/** Calendar fields of an instant (whole seconds; callers keep the fraction). */
export function civilFromEpoch(epochSeconds: number, zone: Zone): Civil {
  const t = Math.floor(epochSeconds);
  const offset = offsetAt(zone, t);
  const d = new Date((t + offset) * 1000);
  const year = d.getUTCFullYear();
  const yday = Math.round((utcMs(year, d.getUTCMonth() + 1, d.getUTCDate()) - utcMs(year, 1, 1)) / 86400000);
  return {
    year,
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(),
    weekday: d.getUTCDay(),
    yday,
    offset,
  };
}

/**
 * The instant for wall-clock fields in a zone (fields may overflow). For IANA
 * zones the offset is found by iteration; in a DST gap the later offset wins.
 */
export function epochFromCivil(
  zone: Zone,
  year: number,
  month: number,
  day: number,
  hour = 0,
  minute = 0,
  second = 0,
): number {
  const local = utcMs(year, month, day, hour, minute, second) / 1000;
  if (zone.kind === 'fixed') return local - zone.offset;
  let guess = local - offsetAt(zone, local);
  for (let i = 0; i < 3; i++) {
    const next = local - offsetAt(zone, guess);
    if (next === guess) break;
    guess = next;
  }
  return guess;
}
