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

/** Default fields an input sets for all its events, as Splunk inputs (and ESCU tests) set `source` and `sourcetype`. */
export interface EventOverrides {
  readonly source?: string;
  readonly sourcetype?: string;
  readonly host?: string;
}

export class WinEngineEvent implements EngineEvent {
  private fieldsCache: Row | undefined;
  /** The first dataset asked for (most events are asked for one), then a map for any others. */
  private firstName: string | undefined;
  private firstRec: Row | undefined;
  private datasets: Map<string, Row | undefined> | undefined;
  constructor(
    readonly event: WinEvent,
    private readonly overrides?: EventOverrides,
  ) {}

  private override(row: Row): void {
    const o = this.overrides;
    if (!o) return;
    if (o.source !== undefined) row['source'] = o.source;
    if (o.sourcetype !== undefined) row['sourcetype'] = o.sourcetype;
    if (o.host !== undefined) row['host'] = o.host;
  }

  fields(): Row {
    if (!this.fieldsCache) {
      this.fieldsCache = splunkFields(this.event);
      this.override(this.fieldsCache);
    }
    return this.fieldsCache;
  }

  dataset(name: string): Row | undefined {
    if (this.firstName === name) return this.firstRec;
    if (this.datasets?.has(name)) return this.datasets.get(name);
    const rec = this.build(name);
    if (this.firstName === undefined) {
      this.firstName = name;
      this.firstRec = rec;
    } else (this.datasets ??= new Map()).set(name, rec);
    return rec;
  }

  private build(name: string): Row | undefined {
    const build = DATASET_BUILDERS[name];
    // Records inherit the default fields; built only for events in the dataset.
    const rec = build?.(this.event);
    if (rec) {
      baseFields(this.event, rec);
      this.override(rec);
    }
    return rec;
  }
}

export const catalog: DataModelCatalog = CIM_CATALOG;
