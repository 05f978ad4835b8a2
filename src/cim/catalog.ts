/**
 * The data models spelunk knows, behind the engine's `DataModelCatalog` interface.
 *
 * Datasets with a mapping (Endpoint.*, Network_Traffic.All_Traffic) are filled
 * from Windows events. The other CIM datasets ESCU searches use (Web,
 * Authentication, Network_Resolution, Change, Risk, ...) are known but empty:
 * no Windows event source spelunk reads maps to them, so a `tstats` over them
 * runs and returns what Splunk returns without such data: nothing.
 */
import type { DataModelCatalog, DatasetField, DatasetInfo } from '../spl/engine/types.js';
import { FILESYSTEM_DATASET } from './filesystem.js';
import { NETWORK_TRAFFIC_DATASET } from './network-traffic.js';
import { PROCESSES_DATASET } from './processes.js';
import { REGISTRY_DATASET } from './registry.js';
import { SERVICES_DATASET } from './services.js';

// No mapping: no EventData field read.
const empty = (name: string, prefix: string): DatasetInfo => ({ name, prefix, fields: new Map<string, DatasetField>(), sourceFields: new Set<string>() });

/** CIM datasets with no Windows source in spelunk (yet): known, always empty. */
const EMPTY_DATASETS: readonly DatasetInfo[] = [
  empty('Alerts.Alerts', 'Alerts'),
  empty('Authentication.Authentication', 'Authentication'),
  empty('Certificates.All_Certificates', 'All_Certificates'),
  empty('Change.All_Changes', 'All_Changes'),
  empty('Change_Analysis.All_Changes', 'All_Changes'),
  empty('Data_Access.Data_Access', 'Data_Access'),
  empty('Email.All_Email', 'All_Email'),
  empty('Endpoint.Ports', 'Ports'),
  empty('Intrusion_Detection.IDS_Attacks', 'IDS_Attacks'),
  empty('Malware.Malware_Attacks', 'Malware_Attacks'),
  empty('Network_Resolution.DNS', 'DNS'),
  empty('Network_Sessions.All_Sessions', 'All_Sessions'),
  empty('Risk.All_Risk', 'All_Risk'),
  empty('Updates.Updates', 'Updates'),
  empty('Vulnerabilities.Vulnerabilities', 'Vulnerabilities'),
  empty('Web.Web', 'Web'),
];

const DATASETS: readonly DatasetInfo[] = [PROCESSES_DATASET, FILESYSTEM_DATASET, REGISTRY_DATASET, NETWORK_TRAFFIC_DATASET, SERVICES_DATASET, ...EMPTY_DATASETS];

/** `from datamodel=Web` names the model; its root dataset is what the search reads. */
const MODEL_ROOTS: Readonly<Record<string, string>> = {
  Alerts: 'Alerts.Alerts',
  Authentication: 'Authentication.Authentication',
  Certificates: 'Certificates.All_Certificates',
  Change: 'Change.All_Changes',
  Change_Analysis: 'Change_Analysis.All_Changes',
  Data_Access: 'Data_Access.Data_Access',
  Email: 'Email.All_Email',
  Intrusion_Detection: 'Intrusion_Detection.IDS_Attacks',
  Malware: 'Malware.Malware_Attacks',
  Network_Resolution: 'Network_Resolution.DNS',
  Network_Sessions: 'Network_Sessions.All_Sessions',
  Network_Traffic: 'Network_Traffic.All_Traffic',
  Risk: 'Risk.All_Risk',
  Updates: 'Updates.Updates',
  Vulnerabilities: 'Vulnerabilities.Vulnerabilities',
  Web: 'Web.Web',
};

export const CIM_CATALOG: DataModelCatalog = {
  dataset(name: string): DatasetInfo | undefined {
    // Data model names are matched as Splunk does: case-sensitively.
    const full = MODEL_ROOTS[name] ?? name;
    return DATASETS.find((d) => d.name === full);
  },
  names: () => DATASETS.map((d) => d.name),
};
