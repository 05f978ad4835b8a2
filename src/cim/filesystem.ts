/**
 * The CIM Endpoint.Filesystem data model: Sysmon 2 (file creation time
 * changed), 11 (FileCreate), 15 (FileCreateStreamHash), 23 (FileDelete,
 * archived) and 26 (FileDeleteDetected) as the Splunk add-on for Sysmon maps
 * them, then the model's calculated fields. Decisions:
 * docs/design/cim-datamodels.md.
 */
import type { WinEvent } from '../events/types.js';
import type { DatasetField, DatasetInfo } from '../spl/engine/types.js';
import { newRow, type Row } from '../spl/values.js';
import { DEFAULT_FIELD_FACTS, fact, isSysmon, setSysmonActor, withCalculatedFields, present, setIf, UNKNOWN } from './common.js';
import { fileName } from './common.js';

/** The action of each Sysmon file event. */
const ACTION: Readonly<Record<number, string>> = { 2: 'modified', 11: 'created', 15: 'created', 23: 'deleted', 26: 'deleted' };

export const FILESYSTEM_EVENT_IDS = [2, 11, 15, 23, 26] as const;

function mapEvent(e: WinEvent): Row | undefined {
  if (!isSysmon(e, ...FILESYSTEM_EVENT_IDS)) return undefined;
  const s = e.system;
  const d = e.data;
  const r = newRow();
  const target = d['TargetFilename'];
  if (present(target)) {
    r['file_path'] = target;
    r['file_name'] = fileName(target);
  }
  setSysmonActor(r, e);
  if (s.eventId === 2 || s.eventId === 11 || s.eventId === 15) setIf(r, 'file_create_time', d['CreationUtcTime']);
  if (s.eventId === 2 || s.eventId === 23 || s.eventId === 26) setIf(r, 'file_modify_time', d['UtcTime']);
  if (s.eventId === 15) setIf(r, 'file_hash', d['Hash']);
  if (s.eventId === 23 || s.eventId === 26) setIf(r, 'file_hash', d['Hashes']);
  r['dest'] = s.computer;
  r['action'] = ACTION[s.eventId] as string;
  r['object_category'] = 'file';
  r['signature_id'] = String(s.eventId);
  r['vendor_product'] = 'Microsoft Sysmon';
  return r;
}

const FILLED = ['dest', 'user'] as const;

/** The event's Endpoint.Filesystem record (fields unprefixed), or undefined when it is not a file event. */
export const filesystemRecord = withCalculatedFields(mapEvent, FILLED);

const F = fact;

/**
 * The EventData fields `mapEvent` reads (Sysmon 2, 11, 15, 23, 26): the readers may leave the
 * others out (`ReadOptions.fields`). Kept honest by test/cim/source-fields.test.ts.
 */
export const FILESYSTEM_SOURCE_FIELDS: ReadonlySet<string> = new Set(['TargetFilename', 'Image', 'ProcessGuid', 'ProcessId', 'User', 'CreationUtcTime', 'UtcTime', 'Hash', 'Hashes']);

/** What the planner may know of Endpoint.Filesystem fields (see docs/design/prefilter.md). */
export const FILESYSTEM_DATASET: DatasetInfo = {
  sourceFields: FILESYSTEM_SOURCE_FIELDS,
  name: 'Endpoint.Filesystem',
  prefix: 'Filesystem',
  fields: new Map<string, DatasetField>([
    ['file_path', F(true)],
    ['file_name', F(true)],
    ['file_create_time', F(true)],
    ['file_modify_time', F(true)],
    ['file_hash', F(true)],
    ['process_guid', F(true)],
    ['process_id', F(true)],
    ['process_path', F(true)],
    ['process_name', F(true)],
    ['process_exec', F(true)],
    ['user', F(true, UNKNOWN)],
    ['user_id', F(true)],
    ['dest', F(true, UNKNOWN)],
    ['action', F(false)],
    ['object_category', F(false)],
    ['signature_id', F(false)],
    ['vendor_product', F(false, UNKNOWN)],
    ...DEFAULT_FIELD_FACTS,
  ]),
};
