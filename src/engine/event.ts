/** A `WinEvent` as the SPL engine sees it, with its Splunk fields and CIM records computed once and shared. */
import { CIM_CATALOG } from '../cim/catalog.js';
import { baseFields, splunkFields } from '../cim/fields.js';
import { filesystemRecord } from '../cim/filesystem.js';
import { networkTrafficRecord } from '../cim/network-traffic.js';
import { processesRecord } from '../cim/processes.js';
import { registryRecord } from '../cim/registry.js';
import { servicesRecord } from '../cim/services.js';
import type { WinEvent } from '../events/types.js';
import type { DataModelCatalog, EngineEvent } from '../spl/engine/types.js';
import type { Row } from '../spl/values.js';

const DATASET_BUILDERS: Readonly<Record<string, (e: WinEvent) => Row | undefined>> = {
  'Endpoint.Processes': processesRecord,
  'Endpoint.Filesystem': filesystemRecord,
  'Endpoint.Registry': registryRecord,
  'Network_Traffic.All_Traffic': networkTrafficRecord,
  'Endpoint.Services': servicesRecord,
};

export class WinEngineEvent implements EngineEvent {
  private fieldsCache: Row | undefined;
  private readonly datasets = new Map<string, Row | undefined>();
  constructor(readonly event: WinEvent) {}

  fields(): Row {
    this.fieldsCache ??= splunkFields(this.event);
    return this.fieldsCache;
  }

  dataset(name: string): Row | undefined {
    if (this.datasets.has(name)) return this.datasets.get(name);
    const build = DATASET_BUILDERS[name];
    // Records inherit the default fields; built only for events in the dataset.
    const rec = build?.(this.event);
    if (rec) baseFields(this.event, rec);
    this.datasets.set(name, rec);
    return rec;
  }
}

export const catalog: DataModelCatalog = CIM_CATALOG;
