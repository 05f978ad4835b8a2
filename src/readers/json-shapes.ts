/**
 * Maps one parsed JSON object to a Windows event by its shape: EVTX-as-JSON
 * (evtx_dump and similar), Winlogbeat 7+/ECS, Winlogbeat 6, NXLog flat.
 * Pure: no `node:*` imports. See README.md for the field tables.
 */
import type { WinSystem } from '../events/types.js';
import { normalizeTime } from './time.js';
import { READ_CODES } from './types.js';
import { buildSystem, setField, toInt, type Mutable } from './xml-event.js';

export const JSON_SHAPES = ['evtx-json', 'winlogbeat7', 'winlogbeat6', 'nxlog'] as const;
export type JsonShape = (typeof JSON_SHAPES)[number];

export type JsonMapResult =
  | { readonly ok: true; readonly shape: JsonShape; readonly system: WinSystem; readonly data: Record<string, string> }
  | {
      readonly ok: false;
      readonly code: typeof READ_CODES.unknownJsonShape | typeof READ_CODES.badEvent;
      readonly message: string;
    };

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function get(o: unknown, ...path: string[]): unknown {
  let v: unknown = o;
  for (const k of path) {
    if (!isObj(v)) return undefined;
    v = v[k];
  }
  return v;
}

/** A field value as Windows would render it: numbers in decimal, null as ''. */
export function valueText(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v === null || v === undefined) return '';
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  if (isObj(v) && '#text' in v) return valueText(v['#text']);
  // Arrays and objects have no Windows rendering; JSON keeps them lossless.
  return JSON.stringify(v);
}

/** A scalar as text, or undefined when absent/not scalar. */
function scalar(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'bigint') return String(v);
  return undefined;
}

function intOf(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isInteger(v) ? v : undefined;
  if (isObj(v) && '#text' in v) return intOf(v['#text']);
  return toInt(scalar(v));
}

/**
 * Keywords as Windows renders them (`0x8020000000000000`). NXLog writes the mask as
 * a signed 64-bit decimal (as a JSON number, exact for the usual masks with few
 * bits set); names (Winlogbeat's `["Audit Success"]`) cannot be
 * turned back into a mask and are dropped.
 */
export function keywordsText(v: unknown): string | undefined {
  let n: bigint;
  if (typeof v === 'number') {
    // A double prints in exponent form past 2^53; BigInt(double) keeps its exact value.
    if (!Number.isInteger(v)) return undefined;
    n = BigInt(v);
  } else {
    const s = scalar(v)?.trim();
    if (s === undefined || s === '') return undefined;
    if (/^0[xX][0-9a-fA-F]+$/.test(s)) return s;
    if (!/^-?[0-9]+$/.test(s)) return undefined;
    n = BigInt(s);
  }
  if (n < 0n) n += 1n << 64n;
  return `0x${n.toString(16)}`;
}

function attr(o: unknown, name: string): unknown {
  return get(o, '#attributes', name);
}

function setStr(sys: Partial<Mutable<WinSystem>>, key: 'provider' | 'providerGuid' | 'channel' | 'computer' | 'userId', v: unknown): void {
  const s = scalar(v);
  if (s !== undefined && (s !== '' || key === 'provider' || key === 'channel' || key === 'computer')) sys[key] = s;
}

type IntKey = 'version' | 'level' | 'task' | 'opcode' | 'recordId' | 'processId' | 'threadId';
function setInt(sys: Partial<Mutable<WinSystem>>, key: IntKey, v: unknown): void {
  const n = intOf(v);
  if (n !== undefined) sys[key] = n;
}

function setTime(sys: Partial<Mutable<WinSystem>>, v: unknown): void {
  const s = scalar(v);
  if (s === undefined) return;
  const t = normalizeTime(s);
  if (t !== undefined) sys.timeCreated = t;
}

/** Copies an EventData-like object into `data`; `Data` holding an unnamed list becomes Data1, Data2, … */
function copyEventData(src: unknown, data: Record<string, string>): void {
  if (!isObj(src)) return;
  let unnamed = 0;
  for (const [k, v] of Object.entries(src)) {
    if (k === '#attributes') continue;
    if (k === 'Data' && (Array.isArray(v) || (isObj(v) && '#text' in v))) {
      const t = isObj(v) ? v['#text'] : v;
      for (const item of Array.isArray(t) ? t : [t]) setField(data, `Data${++unnamed}`, valueText(item));
      continue;
    }
    setField(data, k, valueText(v));
  }
}

/** UserData: leaf elements by their own names, wrappers dropped (as the XML reader does). */
function flattenLeaves(src: unknown, data: Record<string, string>): void {
  if (!isObj(src)) return;
  for (const [k, v] of Object.entries(src)) {
    if (k === '#attributes') continue;
    if (isObj(v) && !('#text' in v)) flattenLeaves(v, data);
    else setField(data, k, valueText(v));
  }
}

function done(shape: JsonShape, sys: Partial<Mutable<WinSystem>>, eventId: unknown, data: Record<string, string>): JsonMapResult {
  const id = intOf(eventId);
  if (id === undefined) return { ok: false, code: READ_CODES.badEvent, message: `${shape} record has no numeric event id` };
  return { ok: true, shape, system: buildSystem(sys, id), data };
}

function mapEvtxJson(ev: Obj): JsonMapResult {
  const s = ev['System'];
  const sys: Partial<Mutable<WinSystem>> = {};
  setStr(sys, 'provider', attr(get(s, 'Provider'), 'Name'));
  setStr(sys, 'providerGuid', attr(get(s, 'Provider'), 'Guid'));
  setInt(sys, 'version', get(s, 'Version'));
  setInt(sys, 'level', get(s, 'Level'));
  setInt(sys, 'task', get(s, 'Task'));
  setInt(sys, 'opcode', get(s, 'Opcode'));
  const kw = scalar(get(s, 'Keywords'));
  if (kw !== undefined && kw !== '') sys.keywords = kw;
  // SystemTime is already ISO UTC; normalising keeps the digits as written.
  setTime(sys, attr(get(s, 'TimeCreated'), 'SystemTime'));
  setInt(sys, 'recordId', get(s, 'EventRecordID'));
  setInt(sys, 'processId', attr(get(s, 'Execution'), 'ProcessID'));
  setInt(sys, 'threadId', attr(get(s, 'Execution'), 'ThreadID'));
  setStr(sys, 'channel', get(s, 'Channel'));
  setStr(sys, 'computer', get(s, 'Computer'));
  setStr(sys, 'userId', attr(get(s, 'Security'), 'UserID') ?? attr(get(s, 'Security'), 'UserId'));
  const data: Record<string, string> = {};
  copyEventData(ev['EventData'], data);
  flattenLeaves(ev['UserData'], data);
  return done('evtx-json', sys, get(s, 'EventID'), data);
}

/**
 * ECS fields that Winlogbeat's modules fill from EventData and that some exports
 * keep instead of the EventData field. Used only when the EventData field is
 * missing; appended after the event's own fields.
 */
interface EcsFill {
  readonly field: string;
  readonly from: readonly string[];
  readonly hexPid?: boolean;
}
const ECS_FILLS: Readonly<Record<string, readonly EcsFill[]>> = {
  'Microsoft-Windows-Sysmon/1': [
    { field: 'ProcessGuid', from: ['process', 'entity_id'] },
    { field: 'ProcessId', from: ['process', 'pid'] },
    { field: 'Image', from: ['process', 'executable'] },
    { field: 'OriginalFileName', from: ['process', 'pe', 'original_file_name'] },
    { field: 'CommandLine', from: ['process', 'command_line'] },
    { field: 'CurrentDirectory', from: ['process', 'working_directory'] },
    { field: 'ParentProcessGuid', from: ['process', 'parent', 'entity_id'] },
    { field: 'ParentProcessId', from: ['process', 'parent', 'pid'] },
    { field: 'ParentImage', from: ['process', 'parent', 'executable'] },
    { field: 'ParentCommandLine', from: ['process', 'parent', 'command_line'] },
  ],
  'Microsoft-Windows-Security-Auditing/4688': [
    { field: 'NewProcessId', from: ['process', 'pid'], hexPid: true },
    { field: 'NewProcessName', from: ['process', 'executable'] },
    { field: 'ProcessId', from: ['process', 'parent', 'pid'], hexPid: true },
    { field: 'CommandLine', from: ['process', 'command_line'] },
    { field: 'ParentProcessName', from: ['process', 'parent', 'executable'] },
  ],
};

function applyEcsFills(o: Obj, provider: string, eventId: number, data: Record<string, string>): void {
  const fills = ECS_FILLS[`${provider}/${eventId}`];
  if (fills === undefined) return;
  for (const f of fills) {
    if (Object.hasOwn(data, f.field)) continue;
    const v = get(o, ...f.from);
    if (v === undefined || v === null) continue;
    // 4688 renders pids as hex (`0xf84`); ECS holds them as numbers.
    const n = f.hexPid === true ? intOf(v) : undefined;
    setField(data, f.field, n !== undefined ? `0x${n.toString(16)}` : valueText(v));
  }
  if (provider === 'Microsoft-Windows-Sysmon' && eventId === 1 && !Object.hasOwn(data, 'User')) {
    const name = scalar(get(o, 'user', 'name'));
    const domain = scalar(get(o, 'user', 'domain'));
    if (name !== undefined) setField(data, 'User', domain !== undefined && domain !== '' ? `${domain}\\${name}` : name);
  }
}

function mapWinlogbeat7(o: Obj, w: Obj): JsonMapResult {
  const sys: Partial<Mutable<WinSystem>> = {};
  setStr(sys, 'provider', w['provider_name']);
  setStr(sys, 'providerGuid', w['provider_guid']);
  setInt(sys, 'version', w['version']);
  // Winlogbeat 7 writes level/task/opcode as names; only numbers are kept.
  setInt(sys, 'level', w['level']);
  setInt(sys, 'task', w['task']);
  setInt(sys, 'opcode', w['opcode']);
  const kw = keywordsText(w['keywords']);
  if (kw !== undefined) sys.keywords = kw;
  setTime(sys, w['time_created'] ?? o['@timestamp']);
  setInt(sys, 'recordId', w['record_id']);
  setInt(sys, 'processId', get(w, 'process', 'pid'));
  setInt(sys, 'threadId', get(w, 'process', 'thread', 'id'));
  setStr(sys, 'channel', w['channel']);
  setStr(sys, 'computer', w['computer_name'] ?? get(o, 'host', 'name'));
  setStr(sys, 'userId', get(w, 'user', 'identifier'));
  const data: Record<string, string> = {};
  copyEventData(w['event_data'], data);
  flattenLeaves(w['user_data'], data);
  const eventId = w['event_id'] ?? get(o, 'event', 'code');
  const id = intOf(eventId);
  if (id !== undefined) applyEcsFills(o, sys.provider ?? '', id, data);
  return done('winlogbeat7', sys, eventId, data);
}

function mapWinlogbeat6(o: Obj): JsonMapResult {
  const sys: Partial<Mutable<WinSystem>> = {};
  setStr(sys, 'provider', o['source_name']);
  setStr(sys, 'providerGuid', o['provider_guid']);
  setInt(sys, 'version', o['version']);
  setInt(sys, 'level', o['level']);
  setInt(sys, 'task', o['task']);
  setInt(sys, 'opcode', o['opcode']);
  const kw = keywordsText(o['keywords']);
  if (kw !== undefined) sys.keywords = kw;
  setTime(sys, o['@timestamp']);
  setInt(sys, 'recordId', o['record_number']);
  setInt(sys, 'processId', o['process_id']);
  setInt(sys, 'threadId', o['thread_id']);
  setStr(sys, 'channel', o['log_name']);
  setStr(sys, 'computer', o['computer_name']);
  setStr(sys, 'userId', get(o, 'user', 'identifier'));
  const data: Record<string, string> = {};
  copyEventData(o['event_data'], data);
  flattenLeaves(o['user_data'], data);
  return done('winlogbeat6', sys, o['event_id'], data);
}

/** NXLog im_msvistalog keys that are metadata, not EventData. */
const NXLOG_META = new Set([
  'EventTime', 'EventReceivedTime', 'Hostname', 'Keywords', 'EventType', 'SeverityValue', 'Severity',
  'EventID', 'SourceName', 'ProviderName', 'ProviderGuid', 'Version', 'Task', 'OpcodeValue', 'Opcode',
  'Level', 'LevelValue', 'RecordNumber', 'ActivityID', 'RelatedActivityID', 'ExecutionProcessID',
  'ExecutionThreadID', 'Channel', 'Domain', 'AccountName', 'UserID', 'AccountType', 'Category',
  'SourceModuleName', 'SourceModuleType', 'Message', 'ERROR_EVT_UNRESOLVED', 'EventData', 'UserData',
]);

/** The values NXLog itself writes in `EventType`. */
const NXLOG_EVENT_TYPES = new Set(['AUDIT_SUCCESS', 'AUDIT_FAILURE', 'INFO', 'WARNING', 'ERROR', 'CRITICAL', 'VERBOSE', 'DEBUG']);

/**
 * NXLog writes the 64-bit keyword mask as a bare JSON number, which JSON.parse
 * rounds past 2^53; the digits are taken from the line itself when it has them.
 */
function nxlogKeywords(o: Obj, raw: string | undefined): unknown {
  const v = o['Keywords'];
  if (typeof v !== 'number' || Number.isSafeInteger(v) || raw === undefined) return v;
  const m = /"Keywords"\s*:\s*(-?[0-9]+)\s*[,}]/.exec(raw);
  return m?.[1] ?? v;
}

function mapNxlog(o: Obj, raw: string | undefined): JsonMapResult {
  const sys: Partial<Mutable<WinSystem>> = {};
  setStr(sys, 'provider', o['ProviderName'] ?? o['SourceName']);
  setStr(sys, 'providerGuid', o['ProviderGuid']);
  setInt(sys, 'version', o['Version']);
  setInt(sys, 'level', o['LevelValue'] ?? o['Level']);
  setInt(sys, 'task', o['Task']);
  setInt(sys, 'opcode', o['OpcodeValue'] ?? o['Opcode']);
  const kw = keywordsText(nxlogKeywords(o, raw));
  if (kw !== undefined) sys.keywords = kw;
  setTime(sys, o['EventTime']);
  setInt(sys, 'recordId', o['RecordNumber']);
  // Newer NXLog writes ExecutionProcessID; then a top-level ProcessID is an EventData field.
  const hasExec = 'ExecutionProcessID' in o || 'ExecutionThreadID' in o;
  setInt(sys, 'processId', hasExec ? o['ExecutionProcessID'] : o['ProcessID']);
  setInt(sys, 'threadId', hasExec ? o['ExecutionThreadID'] : o['ThreadID']);
  setStr(sys, 'channel', o['Channel']);
  setStr(sys, 'computer', o['Hostname']);
  setStr(sys, 'userId', o['UserID']);
  const data: Record<string, string> = {};
  if (isObj(o['EventData'])) copyEventData(o['EventData'], data);
  for (const [k, v] of Object.entries(o)) {
    // Sysmon has an EventData `EventType` (e.g. `SetValue`) that lands on NXLog's own key.
    if (k === 'EventType' && !NXLOG_EVENT_TYPES.has(String(v))) {
      setField(data, k, valueText(v));
      continue;
    }
    if (NXLOG_META.has(k)) continue;
    if (!hasExec && (k === 'ProcessID' || k === 'ThreadID')) continue;
    setField(data, k, valueText(v));
  }
  flattenLeaves(o['UserData'], data);
  return done('nxlog', sys, o['EventID'], data);
}

/**
 * Recognises the shape of one JSON value and maps it. `raw`, the JSON text, lets
 * NXLog keyword masks keep all 64 bits.
 */
export function mapJsonEvent(v: unknown, raw?: string): JsonMapResult {
  if (!isObj(v)) return { ok: false, code: READ_CODES.unknownJsonShape, message: 'JSON value is not an object' };
  const ev = v['Event'];
  if (isObj(ev) && isObj(ev['System'])) return mapEvtxJson(ev);
  const w = v['winlog'];
  if (isObj(w)) return mapWinlogbeat7(v, w);
  if (isObj(v['event_data']) || isObj(v['user_data']) || ('event_id' in v && ('computer_name' in v || 'source_name' in v)))
    return mapWinlogbeat6(v);
  if ('EventID' in v && ('SourceName' in v || 'ProviderName' in v || 'Channel' in v || 'Hostname' in v)) return mapNxlog(v, raw);
  return { ok: false, code: READ_CODES.unknownJsonShape, message: 'JSON object has no known Windows event shape' };
}
