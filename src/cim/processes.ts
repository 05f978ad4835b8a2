/**
 * The CIM Endpoint.Processes data model: Sysmon EventID 1 as the Splunk add-on
 * for Sysmon maps it, Security 4688 (versions 0, 1, 2) as the Splunk add-on for
 * Windows maps it, then the model's calculated fields. See
 * docs/design/cim-processes.md for the choices the add-on documentation leaves open.
 */
import type { WinEvent } from '../events/types.js';
import type { DatasetField, DatasetInfo } from '../spl/engine/types.js';
import { newRow, type Row } from '../spl/values.js';
import { SECURITY_PROVIDER, SYSMON_PROVIDER, fileName, present, setIf } from './common.js';

export { fileName };



/** `0x1b28` → `6952`; decimal text stays as it is; anything else is kept verbatim. */
export function decimalId(id: string): string {
  const t = id.trim();
  if (/^0x[0-9a-f]+$/i.test(t)) return BigInt(t).toString(10);
  return t;
}

const INTEGRITY_BY_SID: Readonly<Record<string, string>> = {
  'S-1-16-0': 'untrusted',
  'S-1-16-4096': 'low',
  'S-1-16-8192': 'medium',
  'S-1-16-8448': 'medium',
  'S-1-16-12288': 'high',
  'S-1-16-16384': 'system',
  'S-1-16-20480': 'protected',
};

/** 4688's MandatoryLabel (a SID, or its rendered name) as an integrity level name. */
function integrityFromLabel(label: string): string {
  const bySid = INTEGRITY_BY_SID[label.toUpperCase()];
  if (bySid) return bySid;
  const m = /\\?(\w+) Mandatory Level$/i.exec(label);
  return m ? (m[1] as string).toLowerCase() : label.toLowerCase();
}


/** The add-on's mapping (before the model's calculated fields), or undefined when the event is not a process start. */
function mapEvent(e: WinEvent): Row | undefined {
  const s = e.system;
  const d = e.data;
  const r = newRow();
  if (s.eventId === 1 && s.provider === SYSMON_PROVIDER) {
    const image = d['Image'];
    const parentImage = d['ParentImage'];
    if (present(image)) {
      r['process_path'] = image;
      r['process_name'] = fileName(image);
      r['process_exec'] = fileName(image);
    }
    if (present(parentImage)) {
      r['parent_process_path'] = parentImage;
      r['parent_process_name'] = fileName(parentImage);
      r['parent_process_exec'] = fileName(parentImage);
    }
    setIf(r, 'process', d['CommandLine']);
    setIf(r, 'parent_process', d['ParentCommandLine']);
    setIf(r, 'process_id', d['ProcessId']);
    setIf(r, 'parent_process_id', d['ParentProcessId']);
    setIf(r, 'process_guid', d['ProcessGuid']);
    setIf(r, 'parent_process_guid', d['ParentProcessGuid']);
    setIf(r, 'process_hash', d['Hashes']);
    setIf(r, 'process_current_directory', d['CurrentDirectory']);
    setIf(r, 'original_file_name', d['OriginalFileName']);
    setIf(r, 'user', d['User']);
    setIf(r, 'parent_user', d['ParentUser']);
    if (present(d['IntegrityLevel'])) r['process_integrity_level'] = d['IntegrityLevel'];
    if (s.userId !== undefined) r['user_id'] = s.userId;
    r['vendor_product'] = 'Microsoft Sysmon';
  } else if (s.eventId === 4688 && (s.provider === SECURITY_PROVIDER || s.channel === 'Security')) {
    const image = d['NewProcessName'];
    const parentImage = d['ParentProcessName'];
    if (present(image)) {
      r['process_path'] = image;
      r['process_name'] = fileName(image);
      r['process_exec'] = fileName(image);
    }
    if (present(parentImage)) {
      r['parent_process_path'] = parentImage;
      r['parent_process_name'] = fileName(parentImage);
      r['parent_process_exec'] = fileName(parentImage);
      // 4688 has no parent command line; the parent's path is the best the event says.
      r['parent_process'] = parentImage;
    }
    setIf(r, 'process', d['CommandLine']);
    if (present(d['NewProcessId'])) r['process_id'] = decimalId(d['NewProcessId']);
    if (present(d['ProcessId'])) r['parent_process_id'] = decimalId(d['ProcessId']);
    const userName = d['SubjectUserName'];
    const domain = d['SubjectDomainName'];
    if (present(userName)) r['user'] = present(domain) ? `${domain}\\${userName}` : userName;
    setIf(r, 'user_id', d['SubjectUserSid']);
    if (present(d['MandatoryLabel'])) r['process_integrity_level'] = integrityFromLabel(d['MandatoryLabel']);
    r['vendor_product'] = 'Microsoft Windows';
  } else {
    return undefined;
  }
  r['dest'] = s.computer;
  r['action'] = 'allowed';
  r['signature_id'] = String(s.eventId);
  return r;
}


const UNKNOWN_FILLED = ['dest', 'user', 'process', 'parent_process', 'original_file_name', 'parent_user', 'loaded_file'] as const;

/**
 * The event's Endpoint.Processes record (fields unprefixed, plus `_time`,
 * `host`, `source`, `sourcetype`), or undefined when it is not a process event.
 */
export function processesRecord(e: WinEvent): Row | undefined {
  const r = mapEvent(e);
  if (!r) return undefined;
  // The data model's calculated fields.
  for (const f of UNKNOWN_FILLED) if (r[f] === undefined || r[f] === '') r[f] = 'unknown';
  if (r['process_name'] === undefined) r['process_name'] = r['process'] !== 'unknown' ? fileName(String(r['process'])) || 'unknown' : 'unknown';
  if (r['parent_process_name'] === undefined) {
    r['parent_process_name'] = r['parent_process'] !== 'unknown' ? fileName(String(r['parent_process'])) || 'unknown' : 'unknown';
  }
  if (typeof r['process_integrity_level'] === 'string') r['process_integrity_level'] = r['process_integrity_level'].toLowerCase();
  return r;
}

const f = (rawDerived: boolean, fills: readonly string[] = []): DatasetField => ({ rawDerived, fills });
const U = ['unknown'];

/**
 * The EventData fields `mapEvent` reads (Sysmon 1 and Security 4688): the readers may leave the
 * others out (`ReadOptions.fields`). Kept honest by test/cim/source-fields.test.ts.
 */
export const PROCESSES_SOURCE_FIELDS: ReadonlySet<string> = new Set(['Image', 'ParentImage', 'CommandLine', 'ParentCommandLine', 'ProcessId', 'ParentProcessId', 'ProcessGuid', 'ParentProcessGuid', 'Hashes', 'CurrentDirectory', 'OriginalFileName', 'User', 'ParentUser', 'IntegrityLevel', 'NewProcessName', 'ParentProcessName', 'NewProcessId', 'SubjectUserName', 'SubjectDomainName', 'SubjectUserSid', 'MandatoryLabel']);

/** What the planner may know of Endpoint.Processes fields (see literals.ts). */
export const PROCESSES_DATASET: DatasetInfo = {
  sourceFields: PROCESSES_SOURCE_FIELDS,
  name: 'Endpoint.Processes',
  prefix: 'Processes',
  fields: new Map<string, DatasetField>([
    ['dest', f(true, U)],
    ['user', f(false, U)],
    ['process', f(true, U)],
    ['parent_process', f(true, U)],
    ['process_name', f(true, U)],
    ['parent_process_name', f(true, U)],
    ['process_exec', f(true)],
    ['parent_process_exec', f(true)],
    ['process_path', f(true)],
    ['parent_process_path', f(true)],
    ['process_id', f(false)],
    ['parent_process_id', f(false)],
    ['process_guid', f(true)],
    ['parent_process_guid', f(true)],
    ['process_hash', f(true)],
    ['process_current_directory', f(true)],
    ['original_file_name', f(true, U)],
    ['parent_user', f(true, U)],
    ['loaded_file', f(false, U)],
    ['process_integrity_level', f(false)],
    ['user_id', f(true)],
    ['vendor_product', f(false, U)],
    ['action', f(false)],
    ['signature_id', f(false)],
    ['_time', f(false)],
    ['host', f(true)],
    ['source', f(false)],
    ['sourcetype', f(false)],
  ]),
};
