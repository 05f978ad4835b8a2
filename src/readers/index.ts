/**
 * Input readers: raw Windows event logs (Splunk XmlWinEventLog lines, Event
 * Viewer XML exports, JSON lines; EVTX recognised) to `WinEvent`s.
 */
export type {
  ByteParser,
  FileCounters,
  FileSummary,
  FormatReader,
  InputFormat,
  ReadCode,
  ReadOptions,
  ReadSink,
  ReadSummary,
  ReaderContext,
  SniffResult,
  TextParser,
} from './types.js';
export { INPUT_FORMATS, READ_CODES } from './types.js';
export { planInputs, readPaths, STDIN_NAME, summarizeFiles, type PlannedInput, type ReadPathsOptions } from './files.js';
export { FileReadSession, readBytes, type SessionOptions } from './session.js';
export { EVTX_PART_BYTES, finishEvtxParts, planEvtxParts, readEvtxPart, type EvtxPart, type EvtxPartPlan, type EvtxPartResult } from './evtx-parts.js';
export { FORMAT_READERS, type FormatRegistry } from './registry.js';
export { sniffFormat, sniffEncoding, SNIFF_BYTES, type EncodingInfo, type TextEncoding } from './sniff.js';
export { parseEventXml, decodeEntities, type EventParseResult } from './xml-event.js';
export { mapJsonEvent, type JsonMapResult, type JsonShape } from './json-shapes.js';
export { normalizeTime } from './time.js';
export { createReaderContext } from './text-readers.js';
