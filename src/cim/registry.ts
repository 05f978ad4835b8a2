/**
 * The CIM Endpoint.Registry data model: Sysmon 12 (key/value created or
 * deleted), 13 (value set) and 14 (key or value renamed) as the Splunk add-on
 * for Sysmon maps them, then the model's calculated fields. Decisions:
 * docs/design/cim-datamodels.md.
 */
import type { WinEvent } from '../events/types.js';
import type { DatasetField, DatasetInfo } from '../spl/engine/types.js';
import { newRow, type Row } from '../spl/values.js';
import { DEFAULT_FIELD_FACTS, fact, isSysmon, setSysmonActor, withCalculatedFields, present, setIf, UNKNOWN } from './common.js';

export const REGISTRY_EVENT_IDS = [12, 13, 14] as const;

/** Sysmon's hive abbreviations (and the kernel's names) as CIM's hive names. */
const HIVES: readonly [RegExp, string][] = [
  [/^(?:HKLM|HKEY_LOCAL_MACHINE|\\REGISTRY\\MACHINE)(?:\\|$)/i, 'HKEY_LOCAL_MACHINE'],
  [/^(?:HKU|HKEY_USERS|\\REGISTRY\\USER)(?:\\|$)/i, 'HKEY_USERS'],
  [/^(?:HKCU|HKEY_CURRENT_USER)(?:\\|$)/i, 'HKEY_CURRENT_USER'],
  [/^(?:HKCR|HKEY_CLASSES_ROOT)(?:\\|$)/i, 'HKEY_CLASSES_ROOT'],
  [/^(?:HKCC|HKEY_CURRENT_CONFIG)(?:\\|$)/i, 'HKEY_CURRENT_CONFIG'],
];

export function registryHive(path: string): string | undefined {
  for (const [re, name] of HIVES) if (re.test(path)) return name;
  return undefined;
}

/** Sysmon's EventType → CIM action. */
export function registryAction(eventType: string | undefined, eventId: number): string {
  const t = (eventType ?? '').toLowerCase();
  if (t.startsWith('create')) return 'created';
  if (t.startsWith('delete')) return 'deleted';
  if (t === 'setvalue' || t.startsWith('rename')) return 'modified';
  return eventId === 13 || eventId === 14 ? 'modified' : 'unknown';
}

/** Sysmon's `Details` of a value set: `DWORD (0x00000001)` → data `0x00000001`, type `REG_DWORD`. */
export function splitDetails(details: string): { data: string; type?: string } {
  const m = /^(DWORD|QWORD) \((.*)\)$/.exec(details);
  if (m) return { data: m[2] as string, type: `REG_${m[1] as string}` };
  if (details === 'Binary Data') return { data: details, type: 'REG_BINARY' };
  return { data: details };
}

/** Key events name a key; value events name a value (the last component) in a key (the one before). */
function isValueEvent(eventType: string | undefined, eventId: number): boolean {
  const t = (eventType ?? '').toLowerCase();
  if (t.endsWith('value')) return true;
  if (t.endsWith('key')) return false;
  return eventId === 13;
}

function mapEvent(e: WinEvent): Row | undefined {
  if (!isSysmon(e, ...REGISTRY_EVENT_IDS)) return undefined;
  const s = e.system;
  const d = e.data;
  const r = newRow();
  const eventType = d['EventType'];
  const target = d['TargetObject'];
  if (present(target)) {
    r['registry_path'] = target;
    const hive = registryHive(target);
    if (hive) r['registry_hive'] = hive;
    const parts = target.split('\\').filter((p) => p !== '');
    if (isValueEvent(eventType, s.eventId)) {
      if (parts.length >= 1) r['registry_value_name'] = parts[parts.length - 1] as string;
      if (parts.length >= 2) r['registry_key_name'] = parts[parts.length - 2] as string;
    } else if (parts.length >= 1) {
      r['registry_key_name'] = parts[parts.length - 1] as string;
    }
  }
  const details = d['Details'];
  if (present(details)) {
    const { data, type } = splitDetails(details);
    r['registry_value_data'] = data;
    if (type) r['registry_value_type'] = type;
  }
  setSysmonActor(r, e);
  r['dest'] = s.computer;
  r['action'] = registryAction(eventType, s.eventId);
  r['status'] = 'success';
  r['object_category'] = 'registry';
  r['signature_id'] = String(s.eventId);
  r['vendor_product'] = 'Microsoft Sysmon';
  return r;
}

const FILLED = ['dest', 'user'] as const;

/** The event's Endpoint.Registry record (fields unprefixed), or undefined when it is not a registry event. */
export const registryRecord = withCalculatedFields(mapEvent, FILLED);

const F = fact;

/**
 * The EventData fields `mapEvent` reads (Sysmon 12, 13, 14): the readers may leave the
 * others out (`ReadOptions.fields`). Kept honest by test/cim/source-fields.test.ts.
 */
export const REGISTRY_SOURCE_FIELDS: ReadonlySet<string> = new Set(['EventType', 'TargetObject', 'Details', 'Image', 'ProcessGuid', 'ProcessId', 'User']);

/** What the planner may know of Endpoint.Registry fields. */
export const REGISTRY_DATASET: DatasetInfo = {
  sourceFields: REGISTRY_SOURCE_FIELDS,
  name: 'Endpoint.Registry',
  prefix: 'Registry',
  fields: new Map<string, DatasetField>([
    ['registry_path', F(true)],
    ['registry_key_name', F(true)],
    ['registry_value_name', F(true)],
    ['registry_value_data', F(true)],
    ['registry_value_type', F(false)],
    ['registry_hive', F(false)],
    ['process_guid', F(true)],
    ['process_id', F(true)],
    ['process_path', F(true)],
    ['process_name', F(true)],
    ['process_exec', F(true)],
    ['user', F(true, UNKNOWN)],
    ['user_id', F(true)],
    ['dest', F(true, UNKNOWN)],
    ['action', F(false)],
    ['status', F(false)],
    ['object_category', F(false)],
    ['signature_id', F(false)],
    ['vendor_product', F(false, UNKNOWN)],
    ...DEFAULT_FIELD_FACTS,
  ]),
};
