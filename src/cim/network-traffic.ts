/**
 * The CIM Network_Traffic data model, dataset All_Traffic: Sysmon 3 (network
 * connection) as the Splunk add-on for Sysmon maps it, then the model's
 * calculated fields. tstats names the fields `All_Traffic.<field>`.
 * Decisions: docs/design/cim-datamodels.md.
 */
import type { WinEvent } from '../events/types.js';
import type { DatasetField, DatasetInfo } from '../spl/engine/types.js';
import { newRow, type Row } from '../spl/values.js';
import { DEFAULT_FIELD_FACTS, fact, isSysmon, setSysmonActor, withCalculatedFields, present, setIf, UNKNOWN } from './common.js';

function mapEvent(e: WinEvent): Row | undefined {
  if (!isSysmon(e, 3)) return undefined;
  const s = e.system;
  const d = e.data;
  const r = newRow();
  const srcHost = d['SourceHostname'];
  const destHost = d['DestinationHostname'];
  setIf(r, 'src_ip', d['SourceIp']);
  setIf(r, 'dest_ip', d['DestinationIp']);
  setIf(r, 'src_host', srcHost);
  setIf(r, 'dest_host', destHost);
  // src/dest: the host name Sysmon resolved, else the address.
  r['src'] = present(srcHost) ? srcHost : (r['src_ip'] ?? '');
  r['dest'] = present(destHost) ? destHost : (r['dest_ip'] ?? '');
  setIf(r, 'src_port', d['SourcePort']);
  setIf(r, 'dest_port', d['DestinationPort']);
  setIf(r, 'src_port_name', d['SourcePortName']);
  setIf(r, 'dest_port_name', d['DestinationPortName']);
  const transport = d['Protocol'];
  if (present(transport)) {
    r['transport'] = transport.toLowerCase();
    if (present(d['DestinationPort'])) r['transport_dest_port'] = `${transport.toLowerCase()}/${d['DestinationPort']}`;
  }
  r['protocol'] = 'ip';
  const v6 = d['SourceIsIpv6'] ?? d['DestinationIsIpv6'];
  if (v6 !== undefined) r['protocol_version'] = v6.toLowerCase() === 'true' ? 'ipv6' : 'ipv4';
  const initiated = d['Initiated'];
  if (initiated !== undefined) r['direction'] = initiated.toLowerCase() === 'true' ? 'outbound' : 'inbound';
  if (present(d['Image'])) r['app'] = d['Image'];
  setSysmonActor(r, e);
  r['dvc'] = s.computer;
  r['action'] = 'allowed';
  r['signature_id'] = String(s.eventId);
  r['vendor_product'] = 'Microsoft Sysmon';
  return r;
}

const FILLED = ['src', 'dest', 'user', 'app', 'transport', 'action', 'direction'] as const;

/** The event's Network_Traffic.All_Traffic record (fields unprefixed), or undefined when it is not a connection. */
export const networkTrafficRecord = withCalculatedFields(mapEvent, FILLED);

const F = fact;

/**
 * The EventData fields `mapEvent` reads (Sysmon 3): the readers may leave the
 * others out (`ReadOptions.fields`). Kept honest by test/cim/source-fields.test.ts.
 */
export const NETWORK_TRAFFIC_SOURCE_FIELDS: ReadonlySet<string> = new Set(['SourceHostname', 'DestinationHostname', 'SourceIp', 'DestinationIp', 'SourcePort', 'DestinationPort', 'SourcePortName', 'DestinationPortName', 'Protocol', 'SourceIsIpv6', 'DestinationIsIpv6', 'Initiated', 'Image', 'ProcessId', 'ProcessGuid', 'User']);

/** What the planner may know of Network_Traffic.All_Traffic fields. */
export const NETWORK_TRAFFIC_DATASET: DatasetInfo = {
  sourceFields: NETWORK_TRAFFIC_SOURCE_FIELDS,
  name: 'Network_Traffic.All_Traffic',
  prefix: 'All_Traffic',
  fields: new Map<string, DatasetField>([
    ['src', F(true, UNKNOWN)],
    ['src_ip', F(true)],
    ['src_host', F(true)],
    ['src_port', F(true)],
    ['src_port_name', F(true)],
    ['dest', F(true, UNKNOWN)],
    ['dest_ip', F(true)],
    ['dest_host', F(true)],
    ['dest_port', F(true)],
    ['dest_port_name', F(true)],
    ['transport', F(false, UNKNOWN)],
    ['transport_dest_port', F(false)],
    ['protocol', F(false)],
    ['protocol_version', F(false)],
    ['direction', F(false, UNKNOWN)],
    ['app', F(true, UNKNOWN)],
    ['process_path', F(true)],
    ['process_name', F(true)],
    ['process_exec', F(true)],
    ['process_id', F(true)],
    ['process_guid', F(true)],
    ['user', F(true, UNKNOWN)],
    ['user_id', F(true)],
    ['dvc', F(true)],
    ['action', F(false, UNKNOWN)],
    ['signature_id', F(false)],
    ['vendor_product', F(false, UNKNOWN)],
    ...DEFAULT_FIELD_FACTS,
  ]),
};
