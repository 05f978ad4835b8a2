/**
 * The CIM Endpoint.Services data model: System 7045 (a service was installed,
 * Service Control Manager) and Security 4697 (a service was installed in the
 * system) as the Splunk add-on for Microsoft Windows maps them, then the
 * model's calculated fields. Decisions: docs/design/cim-datamodels.md.
 */
import type { WinEvent } from '../events/types.js';
import type { DatasetField, DatasetInfo } from '../spl/engine/types.js';
import { newRow, type Row } from '../spl/values.js';
import { DEFAULT_FIELD_FACTS, fact, present, SCM_PROVIDER, SECURITY_PROVIDER, setIf, UNKNOWN, withCalculatedFields } from './common.js';
import { decimalId } from './processes.js';

/** 7045's StartType text and 4697's ServiceStartType number → CIM start_mode. */
const START_MODE: Readonly<Record<string, string>> = {
  'boot start': 'boot',
  'system start': 'system',
  'auto start': 'auto',
  'demand start': 'manual',
  disabled: 'disabled',
  '0': 'boot',
  '1': 'system',
  '2': 'auto',
  '3': 'manual',
  '4': 'disabled',
};

export function startMode(v: string): string {
  return START_MODE[v.trim().toLowerCase()] ?? START_MODE[decimalId(v)] ?? v.toLowerCase();
}

/** 4697's ServiceType bit mask → 7045's wording, so both sources group together. */
export function serviceType(v: string): string {
  const t = v.trim();
  if (!/^(?:0x[0-9a-f]+|\d+)$/i.test(t)) return t;
  const n = Number(decimalId(t));
  if (n & 0x30) return 'user mode service';
  if (n & 0x1) return 'kernel mode driver';
  if (n & 0x2) return 'file system driver';
  return t;
}

export function isServiceInstall(e: WinEvent): boolean {
  const s = e.system;
  if (s.eventId === 7045) return s.provider === SCM_PROVIDER || s.channel === 'System';
  if (s.eventId === 4697) return s.provider === SECURITY_PROVIDER || s.channel === 'Security';
  return false;
}

function mapEvent(e: WinEvent): Row | undefined {
  if (!isServiceInstall(e)) return undefined;
  const s = e.system;
  const d = e.data;
  const r = newRow();
  const name = d['ServiceName'];
  setIf(r, 'service_name', name);
  setIf(r, 'service', name);
  if (s.eventId === 7045) {
    setIf(r, 'service_path', d['ImagePath']);
    if (present(d['ServiceType'])) r['service_type'] = serviceType(d['ServiceType']);
    if (present(d['StartType'])) r['start_mode'] = startMode(d['StartType']);
    setIf(r, 'user', d['AccountName']);
    if (s.userId !== undefined) r['user_id'] = s.userId;
  } else {
    setIf(r, 'service_path', d['ServiceFileName']);
    if (present(d['ServiceType'])) r['service_type'] = serviceType(d['ServiceType']);
    if (present(d['ServiceStartType'])) r['start_mode'] = startMode(d['ServiceStartType']);
    setIf(r, 'user', d['ServiceAccount']);
    setIf(r, 'user_id', d['SubjectUserSid']);
  }
  r['dest'] = s.computer;
  r['action'] = 'created';
  r['signature_id'] = String(s.eventId);
  r['vendor'] = 'Microsoft';
  r['product'] = 'Windows';
  r['vendor_product'] = 'Microsoft Windows';
  return r;
}

const FILLED = ['dest', 'user', 'service', 'service_name', 'start_mode', 'status'] as const;

/** The event's Endpoint.Services record (fields unprefixed), or undefined when it is not a service installation. */
export const servicesRecord = withCalculatedFields(mapEvent, FILLED);

const F = fact;

/**
 * The EventData fields `mapEvent` reads (System 7045 and Security 4697): the readers may leave the
 * others out (`ReadOptions.fields`). Kept honest by test/cim/source-fields.test.ts.
 */
export const SERVICES_SOURCE_FIELDS: ReadonlySet<string> = new Set(['ServiceName', 'ImagePath', 'ServiceType', 'StartType', 'AccountName', 'ServiceFileName', 'ServiceStartType', 'ServiceAccount', 'SubjectUserSid']);

/** What the planner may know of Endpoint.Services fields. */
export const SERVICES_DATASET: DatasetInfo = {
  sourceFields: SERVICES_SOURCE_FIELDS,
  name: 'Endpoint.Services',
  prefix: 'Services',
  fields: new Map<string, DatasetField>([
    ['service_name', F(true, UNKNOWN)],
    ['service', F(true, UNKNOWN)],
    ['service_path', F(true)],
    ['service_type', F(false)],
    ['start_mode', F(false, UNKNOWN)],
    ['status', F(false, UNKNOWN)],
    ['user', F(true, UNKNOWN)],
    ['user_id', F(true)],
    ['dest', F(true, UNKNOWN)],
    ['action', F(false)],
    ['signature_id', F(false)],
    ['vendor', F(false)],
    ['product', F(false)],
    ['vendor_product', F(false, UNKNOWN)],
    ...DEFAULT_FIELD_FACTS,
  ]),
};
