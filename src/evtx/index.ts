/**
 * EVTX (Windows binary XML event log) reader. Pure: no `node:*` imports.
 * See README.md for what is supported, the diagnostic codes and the rendering rules.
 */
export { ByteReader, hexOf, decodeUtf16 } from './bytes.js';
export { crc32, crc32Update, useHostCrc32 } from './crc32.js';
export { EVTX_CODES, EvtxError, type EvtxCode, type EvtxDiagnostic, type EvtxSeverity } from './errors.js';
export { parseFileHeader, hasFileMagic, FILE_MAGIC, FILE_HEADER_BLOCK_SIZE, type FileHeader, type HeaderResult } from './header.js';
export { parseChunkHeader, chunkCrcProblems, hasChunkMagic, CHUNK_SIZE, CHUNK_HEADER_SIZE, type ChunkHeader } from './chunk.js';
export {
  ChunkContext,
  renderBinXml,
  rootElement,
  TOKENS,
  type BinXmlLimits,
  type TemplateDef,
  type TemplateValue,
  type TNode,
} from './binxml.js';
export { renderValue, toXml, fileTimeToIso, isoToFileTime, VALUE_TYPES, ARRAY_FLAG, type XmlElement, type XmlAttr, type XmlNode } from './render.js';
export { mapEvent, type EventMapResult } from './event.js';
export { readEvtx, EvtxStream, type EvtxReadOptions, type EvtxRecord, type EvtxSlice, type EvtxSummary, type RecordHandler, type DiagnosticHandler } from './reader.js';
export { createEvtxParser, chunkLiteralTest, recordLiteralTest, renderableFromBinary } from './plugin.js';
export { XmlLines, writeXmlLine } from './xml-bytes.js';
