/** The data models spelunk knows, behind the engine's `DataModelCatalog` interface. */
import type { DataModelCatalog, DatasetInfo } from '../spl/engine/types.js';
import { PROCESSES_DATASET } from './processes.js';

const DATASETS: readonly DatasetInfo[] = [PROCESSES_DATASET];

export const CIM_CATALOG: DataModelCatalog = {
  dataset(name: string): DatasetInfo | undefined {
    // Data model names are matched as Splunk does: case-sensitively.
    return DATASETS.find((d) => d.name === name);
  },
  names: () => DATASETS.map((d) => d.name),
};
