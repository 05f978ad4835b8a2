/**
 * The event model shared by every reader and by normalization.
 *
 * A `WinEvent` is one Windows event as the OS rendered it, independent of the
 * container it came from (EVTX, Splunk XmlWinEventLog line, Event Viewer XML,
 * JSON lines). Readers produce it; `cim/` and `engine/` consume it.
 */

/** Where an event or a diagnostic came from. `line` is 1-based; `offset` is a byte offset. */
export interface Origin {
  readonly file: string;
  readonly line?: number;
  readonly offset?: number;
  /**
   * True when the event was recovered from deleted or overwritten space (EVTX
   * slack space, or a chunk with a damaged header; `ReadOptions.recover`):
   * Windows no longer counted it as part of the log. Absent otherwise.
   */
  readonly recovered?: boolean;
}

/** The `<System>` block, values as Windows renders them in XML (strings). */
export interface WinSystem {
  /** Provider/@Name, e.g. `Microsoft-Windows-Sysmon`. */
  readonly provider: string;
  readonly providerGuid?: string;
  /** EventID as a decimal integer. */
  readonly eventId: number;
  readonly version?: number;
  readonly level?: number;
  readonly task?: number;
  readonly opcode?: number;
  readonly keywords?: string;
  /** TimeCreated/@SystemTime, ISO 8601 UTC as written, e.g. `2020-10-08T11:03:46.617920300Z`. */
  readonly timeCreated: string;
  readonly recordId?: number;
  readonly processId?: number;
  readonly threadId?: number;
  /** Channel, e.g. `Security` or `Microsoft-Windows-Sysmon/Operational`. */
  readonly channel: string;
  readonly computer: string;
  /** Security/@UserID (a SID string) when present. */
  readonly userId?: string;
}

/**
 * One Windows event. `data` holds the EventData (or UserData) fields by name in
 * document order; unnamed `<Data>` elements get the names `Data1`, `Data2`, ...
 * Values are the rendered strings; an empty element is the empty string.
 */
export interface WinEvent {
  readonly system: WinSystem;
  readonly data: Readonly<Record<string, string>>;
  /** The event's text as read (an XML line, a JSON line), when the reader has it. */
  readonly raw?: string;
  readonly origin: Origin;
}

export const DIAGNOSTIC_SEVERITIES = ['error', 'warning', 'info'] as const;
export type DiagnosticSeverity = (typeof DIAGNOSTIC_SEVERITIES)[number];

/** A problem found while reading input: counted, reported, and skipped. */
export interface ReadDiagnostic {
  /** Stable code, e.g. `read.bad-xml`, `read.bad-json`, `read.unrecognised-line`. */
  readonly code: string;
  readonly severity: DiagnosticSeverity;
  readonly message: string;
  readonly origin: Origin;
}
