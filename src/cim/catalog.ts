/** The data models spelunk knows, behind the engine's `DataModelCatalog` interface. */
import type { DataModelCatalog, DatasetInfo } from '../spl/engine/types.js';
import { FILESYSTEM_DATASET } from './filesystem.js';
import { NETWORK_TRAFFIC_DATASET } from './network-traffic.js';
import { PROCESSES_DATASET } from './processes.js';
import { REGISTRY_DATASET } from './registry.js';
import { SERVICES_DATASET } from './services.js';

const DATASETS: readonly DatasetInfo[] = [PROCESSES_DATASET, FILESYSTEM_DATASET, REGISTRY_DATASET, NETWORK_TRAFFIC_DATASET, SERVICES_DATASET];

export const CIM_CATALOG: DataModelCatalog = {
  dataset(name: string): DatasetInfo | undefined {
    // Data model names are matched as Splunk does: case-sensitively.
    return DATASETS.find((d) => d.name === name);
  },
  names: () => DATASETS.map((d) => d.name),
};
