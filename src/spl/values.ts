/**
 * Values as SPL sees them.
 *
 * A field holds a string or a number, or several of them (a multivalue field).
 * A missing field is `undefined` in a row and `null` inside eval expressions.
 * Booleans exist only inside eval expressions (`where`, `if(...)`); they are
 * never stored in a field.
 */
export type Scalar = string | number;

/** A stored field value: one scalar, or a multivalue list of two or more scalars. */
export type FieldValue = Scalar | readonly Scalar[];

/** What an eval expression yields. `null` is Splunk's null (missing). */
export type EvalValue = FieldValue | boolean | null;

/** A result row or an event: field name to value. Field names are case-sensitive. */
export type Row = Record<string, FieldValue | undefined>;

/** Makes an empty row with no prototype, so names like `constructor` are ordinary fields. */
export function newRow(): Row {
  return Object.create(null) as Row;
}

export function isMulti(v: EvalValue | undefined): v is readonly Scalar[] {
  return Array.isArray(v);
}

/** Values of a field as a list (empty when missing). */
export function valuesOf(v: FieldValue | undefined | null): readonly Scalar[] {
  if (v === undefined || v === null) return [];
  return Array.isArray(v) ? v : [v as Scalar];
}

/** A list of scalars as a field value: `undefined` when empty, the scalar when single. */
export function fromValues(vs: readonly Scalar[]): FieldValue | undefined {
  if (vs.length === 0) return undefined;
  if (vs.length === 1) return vs[0] as Scalar;
  return vs;
}

/** Splunk's text form of a scalar: numbers print without a trailing `.0`. */
export function scalarToString(v: Scalar): string {
  if (typeof v === 'string') return v;
  if (Number.isInteger(v)) return String(v);
  if (!Number.isFinite(v)) return Number.isNaN(v) ? 'NaN' : v > 0 ? 'inf' : '-inf';
  return String(v);
}

const NUMERIC = /^\s*[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?\s*$/;

/**
 * The number a scalar stands for, or `undefined` when it is not numeric.
 * Splunk treats field text that looks like a decimal number as a number
 * (`"42"`, `"-1.5"`, `"1e3"`); hex (`0x1f`) is not numeric here.
 */
export function toNumber(v: Scalar): number | undefined {
  if (typeof v === 'number') return v;
  if (!NUMERIC.test(v)) return undefined;
  return Number(v);
}
