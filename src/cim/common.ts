/** Helpers shared by the CIM dataset mappings. */
import type { WinEvent } from '../events/types.js';
import type { DatasetField } from '../spl/engine/types.js';
import type { Row } from '../spl/values.js';
import { SOURCETYPE_NAME } from './sourcetype.js';

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

/** The file name of a Windows (or POSIX) path: `C:\\x\\UMWorkerProcess.exe` → `UMWorkerProcess.exe`. */
export function fileName(path: string): string {
  const i = Math.max(path.lastIndexOf('\\'), path.lastIndexOf('/'));
  return i >= 0 ? path.slice(i + 1) : path;
}

/**
 * The process that did what a Sysmon event records (file, registry, network events):
 * `Image` → `process_path`/`process_name`/`process_exec`, `ProcessGuid`, `ProcessId`,
 * `User`, and `user_id` from System/Security.
 */
export function setSysmonActor(r: Row, e: WinEvent): void {
  const d = e.data;
  const image = d['Image'];
  if (present(image)) {
    r['process_path'] = image;
    r['process_name'] = fileName(image);
    r['process_exec'] = fileName(image);
  }
  setIf(r, 'process_guid', d['ProcessGuid']);
  setIf(r, 'process_id', d['ProcessId']);
  setIf(r, 'user', d['User']);
  if (e.system.userId !== undefined) r['user_id'] = e.system.userId;
}

/** A dataset's record builder: the add-on's mapping, then the model's calculated fields. */
export function withCalculatedFields(map: (e: WinEvent) => Row | undefined, unknownFilled: readonly string[]): (e: WinEvent) => Row | undefined {
  return (e) => {
    const r = map(e);
    if (!r) return undefined;
    fillUnknown(r, unknownFilled);
    fillVendorProduct(r, SOURCETYPE_NAME);
    return r;
  };
}
