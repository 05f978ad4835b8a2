/**
 * Splunk's search-time fields of one Windows event, as the Splunk add-ons for
 * Windows and Sysmon extract them from an XmlWinEventLog event: default fields,
 * the System values under Splunk's names, every EventData field by name, and
 * the add-on's CIM fields (for the event types that have a mapping), so plain
 * `search` detections select events as they do in Splunk.
 */
import type { WinEvent } from '../events/types.js';
import { newRow, type Row } from '../spl/values.js';
import { filesystemRecord } from './filesystem.js';
import { networkTrafficRecord } from './network-traffic.js';
import { processesRecord } from './processes.js';
import { registryRecord } from './registry.js';
import { servicesRecord } from './services.js';
import { SOURCETYPE_NAME } from './sourcetype.js';

/** `XmlWinEventLog`: the sourcetype Splunk gives these events (ESCU tests write it lower case). */
export const SOURCETYPE = SOURCETYPE_NAME;

/** `source` as Splunk's Windows inputs set it: `XmlWinEventLog:<Channel>`. */
export function sourceOf(e: WinEvent): string {
  return `XmlWinEventLog:${e.system.channel}`;
}

/** Epoch seconds (with sub-second precision) of an ISO 8601 UTC time such as `2020-10-08T11:03:46.617920300Z`. */
export function epochSeconds(iso: string): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:?\d{2})?$/.exec(iso.trim());
  if (!m) {
    const t = Date.parse(iso);
    return Number.isNaN(t) ? undefined : t / 1000;
  }
  const whole = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6])) / 1000;
  let offset = 0;
  const z = m[8];
  if (z && z !== 'Z') {
    const sign = z[0] === '-' ? -1 : 1;
    const digits = z.slice(1).replace(':', '');
    offset = sign * (Number(digits.slice(0, 2)) * 3600 + Number(digits.slice(2)) * 60);
  }
  // Microsecond precision is what Splunk keeps of _time.
  const frac = m[7] ? Number(`0.${m[7].slice(0, 6)}`) : 0;
  return whole - offset + frac;
}

/** The default fields every data model record inherits: `_time`, `host`, `source`, `sourcetype`. */
export function baseFields(e: WinEvent, row: Row = newRow()): Row {
  const t = epochSeconds(e.system.timeCreated);
  if (t !== undefined) row['_time'] = t;
  row['host'] = e.system.computer;
  row['source'] = sourceOf(e);
  row['sourcetype'] = SOURCETYPE;
  return row;
}

/** The event's fields as Splunk shows them at search time. */
export function splunkFields(e: WinEvent): Row {
  const s = e.system;
  const row = baseFields(e);
  if (e.raw !== undefined) row['_raw'] = e.raw;
  row['EventCode'] = String(s.eventId);
  row['EventID'] = String(s.eventId);
  row['Channel'] = s.channel;
  row['Computer'] = s.computer;
  row['Name'] = s.provider;
  if (s.providerGuid !== undefined) row['Guid'] = s.providerGuid;
  if (s.recordId !== undefined) {
    row['EventRecordID'] = String(s.recordId);
    row['RecordNumber'] = String(s.recordId);
  }
  if (s.version !== undefined) row['Version'] = String(s.version);
  if (s.level !== undefined) row['Level'] = String(s.level);
  if (s.task !== undefined) row['Task'] = String(s.task);
  if (s.opcode !== undefined) row['Opcode'] = String(s.opcode);
  if (s.keywords !== undefined) row['Keywords'] = s.keywords;
  if (s.processId !== undefined) row['ProcessID'] = String(s.processId);
  if (s.threadId !== undefined) row['ThreadID'] = String(s.threadId);
  if (s.userId !== undefined) row['UserID'] = s.userId;
  row['SystemTime'] = s.timeCreated;
  for (const k in e.data) row[k] = e.data[k];
  const eventtype = eventtypesOf(e);
  if (eventtype.length > 0) row['eventtype'] = eventtype.length === 1 ? (eventtype[0] as string) : eventtype;
  // The add-ons' CIM fields, unprefixed; an event is in at most one of these datasets.
  for (const build of RAW_CIM_BUILDERS) {
    const rec = build(e);
    if (!rec) continue;
    for (const k in rec) if (!(k in row) && k[0] !== '_') row[k] = rec[k];
    break;
  }
  return row;
}

const RAW_CIM_BUILDERS: readonly ((e: WinEvent) => Row | undefined)[] = [
  processesRecord,
  filesystemRecord,
  registryRecord,
  networkTrafficRecord,
  servicesRecord,
];

/**
 * Splunk's `eventtype` values for the event, from the Splunk add-on for
 * Microsoft Windows' eventtypes.conf (`wineventlog_security`,
 * `wineventlog_system`, `wineventlog_application`: each `source=XmlWinEventLog:<Channel>`
 * among others). ESCU's `wineventlog_system` macro is `eventtype=wineventlog_system`.
 */
export function eventtypesOf(e: WinEvent): string[] {
  const ch = e.system.channel.toLowerCase();
  if (ch === 'security') return ['wineventlog_security'];
  if (ch === 'system') return ['wineventlog_system'];
  if (ch === 'application') return ['wineventlog_application'];
  return [];
}
