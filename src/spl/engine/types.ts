/**
 * What the SPL engine needs from the outside world, as small interfaces:
 * events (raw fields and data model records) and a catalog of data models.
 * The engine never imports readers, CIM mappings or Node APIs.
 */
import type { Row } from '../values.js';

/** A field of a data model dataset, as far as planning needs to know it. */
export interface DatasetField {
  /**
   * True when every value of the field is a verbatim substring of the event's
   * raw text (modulo the format's escaping), so a search for a literal value can
   * skip events whose raw text lacks it.
   */
  readonly rawDerived: boolean;
  /** Values the model fills in when the source has none (e.g. `unknown`). */
  readonly fills: readonly string[];
}

export interface DatasetInfo {
  /** `Endpoint.Processes` */
  readonly name: string;
  /** The prefix its fields carry in `tstats` (`Processes`). */
  readonly prefix: string;
  readonly fields: ReadonlyMap<string, DatasetField>;
  /**
   * The EventData field names the dataset's mapping reads (System fields aside):
   * records built from events holding only these are the same. Undefined = unknown
   * (a run reading it then asks the readers for every field).
   */
  readonly sourceFields?: ReadonlySet<string>;
}

export interface DataModelCatalog {
  dataset(name: string): DatasetInfo | undefined;
  names(): readonly string[];
}

/** One input event as the engine sees it. Implementations cache what they compute. */
export interface EngineEvent {
  /** Splunk's search-time fields of the raw event (`_time`, `host`, `source`, EventData fields, ...). */
  fields(): Row;
  /** The event's record in a data model dataset, fields unprefixed; undefined when the event is not in it. */
  dataset(name: string): Row | undefined;
}

export interface RowSink {
  push(row: Row): void;
  end(): void;
}

export interface ExecOptions {
  /** Epoch seconds used by now() and relative times; fixed for the whole search. */
  readonly now: number;
  /** Time zone for strftime/convert: `UTC` (default) or a fixed offset like `+02:00`. */
  readonly timezone: string;
}

/** A non-fatal problem found while running a search. */
export interface RunDiagnostic {
  readonly code: string;
  readonly message: string;
  readonly command?: string;
}
