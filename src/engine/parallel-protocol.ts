/**
 * The messages between `parallel.ts` (main thread) and `parallel-worker.ts`
 * (one per worker thread). Everything here crosses a thread boundary by
 * structured clone: plain objects only, no functions.
 */
import type { ReadDiagnostic, WinEvent } from '../events/types.js';
import type { EvtxPart, EvtxPartResult, ReadSummary } from '../readers/index.js';

/** Given once to each worker (`workerData`). */
export interface WorkerInit {
  readonly keepRaw: boolean;
  /** The pre-filter's literals; the worker rebuilds the raw-text test with `compileLiteralTest`. */
  readonly literals?: readonly string[];
  readonly maxRecordChars?: number;
  /** `ReadOptions.fields`. */
  readonly fields?: readonly string[];
  /** `ReadOptions.recover`. */
  readonly recover?: boolean;
  /** `ReadOptions.xmlLines` is set: EVTX records come back as blocks of XML lines (`LinesItem`). */
  readonly xmlLines?: boolean;
  /** Events (and diagnostics) per batch. */
  readonly batchSize: number;
  /** Batches the worker may have sent that the main thread has not forwarded yet; at this many it waits. */
  readonly maxPending: number;
  /** One Int32: the worker's count of sent, not yet forwarded batches (main decrements and notifies). */
  readonly pending: SharedArrayBuffer;
}

/** Main → worker: read this file, or this part of an EVTX file (one at a time; the next comes after `done` or `part`). */
export interface FileJob {
  /** The unit of work: a whole file or one part. */
  readonly seq: number;
  readonly path: string;
  /** Only this chunk range of a large EVTX file (`readEvtxPart`). */
  readonly part?: EvtxPart;
}

/** A diagnostic in a batch, in its place among the events. */
export interface DiagItem {
  readonly diag: ReadDiagnostic;
}
/** A block of XML lines (`ReadOptions.xmlLines`), in its place among the diagnostics; its buffer is transferred. */
export interface LinesItem {
  readonly lines: Uint8Array;
  readonly count: number;
}
export type BatchItem = WinEvent | DiagItem | LinesItem;

/** Worker → main. */
export type WorkerMessage =
  | { readonly t: 'batch'; readonly seq: number; readonly items: BatchItem[] }
  | { readonly t: 'progress'; readonly seq: number; readonly bytes: number }
  | { readonly t: 'done'; readonly seq: number; readonly summary: ReadSummary }
  | { readonly t: 'part'; readonly seq: number; readonly result: EvtxPartResult }
  | { readonly t: 'error'; readonly seq: number; readonly message: string; readonly stack?: string };

export function isLines(item: BatchItem): item is LinesItem {
  return (item as Partial<LinesItem>).lines !== undefined;
}

export function isDiag(item: BatchItem): item is DiagItem {
  return (item as Partial<DiagItem>).diag !== undefined;
}
