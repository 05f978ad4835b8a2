/** Row values as reporters print them. */
import { scalarToString, type FieldValue, type Row, type Scalar } from '../../spl/values.js';

/** A value as JSON: text stays text, numbers stay numbers, multivalue fields are arrays. */
export function jsonValue(v: FieldValue | undefined): unknown {
  if (v === undefined) return null;
  return Array.isArray(v) ? [...v] : v;
}

/** A row as a JSON object, field names as keys, in the given order. */
export function jsonRow(row: Row, fields: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of fields) if (row[f] !== undefined) out[f] = jsonValue(row[f]);
  return out;
}

/** A value as one line of text; multivalue values joined with newlines in tables by the caller. */
export function textValues(v: FieldValue | undefined): string[] {
  if (v === undefined) return [];
  return Array.isArray(v) ? v.map((x: Scalar) => scalarToString(x)) : [scalarToString(v as Scalar)];
}
