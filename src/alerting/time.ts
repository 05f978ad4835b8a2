/** The time range an alert's row covers: `firstTime`/`lastTime` as ESCU renders them, else `_time`. */
import { strptime } from '../spl/time/index.js';
import { scalarToString, valuesOf, type FieldValue, type Row } from '../spl/values.js';

function first(v: FieldValue | undefined): string | undefined {
  const vs = valuesOf(v);
  return vs.length > 0 ? scalarToString(vs[0] as string | number) : undefined;
}

function parse(v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  if (/^\d+(\.\d+)?$/.test(v)) return Number(v);
  // security_content_ctime's format, then convert's default.
  const t = strptime(v, '%Y-%m-%dT%H:%M:%S', 'UTC') ?? strptime(v, '%m/%d/%Y %H:%M:%S', 'UTC');
  return t === null ? undefined : t;
}

/** Epoch seconds `[from, to]` of the row, or undefined when it carries no time. */
export function rowTimes(row: Row): { from: number; to: number } | undefined {
  const from = parse(first(row['firstTime'])) ?? parse(first(row['_time']));
  if (from === undefined) return undefined;
  const to = parse(first(row['lastTime'])) ?? from;
  return { from, to };
}
