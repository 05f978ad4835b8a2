/**
 * The format registry: one reader per `InputFormat`. Typed as a `Record` so a new
 * format does not compile until it has an entry. EVTX is read by `src/evtx/`.
 */
import { createEvtxParser } from '../evtx/plugin.js';
import { createEventXmlParser, createJsonLinesParser, createXmlLinesParser } from './text-readers.js';
import { type FormatReader, type InputFormat } from './types.js';

export type FormatRegistry = Readonly<Record<InputFormat, FormatReader>>;

export const FORMAT_READERS: FormatRegistry = {
  'xml-lines': { kind: 'text', open: createXmlLinesParser },
  'event-xml': { kind: 'text', open: createEventXmlParser },
  'json-lines': { kind: 'text', open: createJsonLinesParser },
  evtx: { kind: 'bytes', open: (ctx) => createEvtxParser(ctx) },
};
