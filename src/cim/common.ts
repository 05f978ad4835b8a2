/** Helpers shared by the CIM dataset mappings. */
import type { WinEvent } from '../events/types.js';
import type { DatasetField } from '../spl/engine/types.js';
import type { Row } from '../spl/values.js';

export const SYSMON_PROVIDER = 'Microsoft-Windows-Sysmon';
export const SECURITY_PROVIDER = 'Microsoft-Windows-Security-Auditing';
export const SCM_PROVIDER = 'Service Control Manager';

/** A value the event actually states: not missing, not empty, not Windows' `-` placeholder. */
export function present(v: string | undefined): v is string {
  return v !== undefined && v !== '' && v !== '-';
}

export function setIf(r: Row, k: string, v: string | undefined): void {
  if (present(v)) r[k] = v;
}

/** A Sysmon event (any EventID) by provider. */
export function isSysmon(e: WinEvent, ...ids: number[]): boolean {
  return e.system.provider === SYSMON_PROVIDER && ids.includes(e.system.eventId);
}

/** The data model's `unknown` fill: for each field missing or empty. */
export function fillUnknown(r: Row, fields: readonly string[]): void {
  for (const f of fields) if (r[f] === undefined || r[f] === '') r[f] = 'unknown';
}

/** The CIM `vendor_product` calculated field: its own value, else vendor + product, else sourcetype, else `unknown`. */
export function fillVendorProduct(r: Row, sourcetype: string): void {
  if (r['vendor_product'] !== undefined && r['vendor_product'] !== '') return;
  const vendor = r['vendor'];
  const product = r['product'];
  if (typeof vendor === 'string' && typeof product === 'string' && vendor !== '' && product !== '') r['vendor_product'] = `${vendor} ${product}`;
  else r['vendor_product'] = sourcetype || 'unknown';
}

/** A field fact for the planner: `rawDerived` and the values the model fills in. */
export const fact = (rawDerived: boolean, fills: readonly string[] = []): DatasetField => ({ rawDerived, fills });
export const UNKNOWN = ['unknown'] as const;

/** The default fields every record inherits, which the planner may never treat as raw-derived except `host`. */
export const DEFAULT_FIELD_FACTS: readonly [string, DatasetField][] = [
  ['_time', fact(false)],
  ['host', fact(true)],
  ['source', fact(false)],
  ['sourcetype', fact(false)],
];
