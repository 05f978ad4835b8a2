/**
 * Timestamp normalisation for JSON shapes. XML readers keep `SystemTime` exactly
 * as written; JSON exporters write many variants, and the engine compares times
 * as ISO 8601 UTC text, so they are brought to `YYYY-MM-DDTHH:MM:SS[.fff…]Z`.
 * Pure: no `node:*` imports.
 */

const TS = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(\.\d+)?\s*(Z|z|[+-]\d{2}:?\d{2})?$/;

function pad(n: number, w = 2): string {
  return String(n).padStart(w, '0');
}

/**
 * ISO 8601 UTC text for a JSON timestamp, keeping the fractional digits written.
 * A time without a zone (NXLog's default `2021-03-02 10:11:12`) is taken as UTC:
 * the collector's zone is not in the record. Returns undefined when unrecognised.
 * @example normalizeTime('2021-03-02 10:11:12') === '2021-03-02T10:11:12Z'
 * @example normalizeTime('2021-03-02T12:11:12.5+02:00') === '2021-03-02T10:11:12.5Z'
 */
export function normalizeTime(s: string): string | undefined {
  const m = TS.exec(s.trim());
  if (m === null) return undefined;
  const [, y, mo, d, h, mi, se, frac = '', zone] = m;
  if (zone === undefined || zone === 'Z' || zone === 'z') return `${y}-${mo}-${d}T${h}:${mi}:${se}${frac}Z`;
  const sign = zone.startsWith('-') ? -1 : 1;
  const zh = Number(zone.slice(1, 3));
  const zm = Number(zone.slice(zone.length - 2));
  const ms = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(se)) - sign * (zh * 60 + zm) * 60_000;
  const t = new Date(ms);
  if (Number.isNaN(t.getTime())) return undefined;
  return (
    `${pad(t.getUTCFullYear(), 4)}-${pad(t.getUTCMonth() + 1)}-${pad(t.getUTCDate())}` +
    `T${pad(t.getUTCHours())}:${pad(t.getUTCMinutes())}:${pad(t.getUTCSeconds())}${frac}Z`
  );
}
