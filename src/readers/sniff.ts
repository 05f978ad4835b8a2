/**
 * Format and encoding recognition from the first bytes of a file. The file name
 * is never consulted: exports are often renamed (`.log`, `.txt`, no extension).
 * Pure: no `node:*` imports.
 */
import type { SniffResult } from './types.js';
import { isEventStart } from './xml-event.js';

export type TextEncoding = 'utf-8' | 'utf-16le' | 'utf-16be';
export interface EncodingInfo {
  readonly encoding: TextEncoding;
  /** Bytes of byte-order mark to skip. */
  readonly bomLength: number;
}

/** How many bytes of a file the readers sniff. */
export const SNIFF_BYTES = 64 * 1024;

const EVTX_MAGIC = [0x45, 0x6c, 0x66, 0x46, 0x69, 0x6c, 0x65, 0x00]; // "ElfFile\0"

export function isEvtxMagic(head: Uint8Array): boolean {
  if (head.length < EVTX_MAGIC.length) return false;
  for (let i = 0; i < EVTX_MAGIC.length; i++) if (head[i] !== EVTX_MAGIC[i]) return false;
  return true;
}

/**
 * Text encoding from the byte-order mark; without one, UTF-16 is still recognised
 * by its zero bytes around an ASCII first character (`<` or `{`), else UTF-8.
 */
export function sniffEncoding(head: Uint8Array): EncodingInfo {
  const [a, b, c] = [head[0], head[1], head[2]];
  if (a === 0xef && b === 0xbb && c === 0xbf) return { encoding: 'utf-8', bomLength: 3 };
  if (a === 0xff && b === 0xfe) return { encoding: 'utf-16le', bomLength: 2 };
  if (a === 0xfe && b === 0xff) return { encoding: 'utf-16be', bomLength: 2 };
  if (head.length >= 4) {
    if (a !== 0 && b === 0 && head[2] !== 0 && head[3] === 0) return { encoding: 'utf-16le', bomLength: 0 };
    if (a === 0 && b !== 0 && head[2] === 0 && head[3] !== 0) return { encoding: 'utf-16be', bomLength: 0 };
  }
  return { encoding: 'utf-8', bomLength: 0 };
}

/** Decodes a head for sniffing; a character cut at the end is harmless here. */
export function decodeHead(head: Uint8Array, enc: EncodingInfo): string {
  const body = head.subarray(enc.bomLength);
  if (enc.encoding === 'utf-16be') {
    const swapped = new Uint8Array(body.length & ~1);
    for (let i = 0; i + 1 < body.length; i += 2) {
      swapped[i] = body[i + 1]!;
      swapped[i + 1] = body[i]!;
    }
    return new TextDecoder('utf-16le').decode(swapped);
  }
  return new TextDecoder(enc.encoding).decode(body);
}

/**
 * Recognises the container format from a file's first bytes (up to `SNIFF_BYTES`).
 * @example sniffFormat(new TextEncoder().encode("<Event xmlns='…'>…</Event>\n")) === 'xml-lines'
 */
export function sniffFormat(head: Uint8Array): SniffResult {
  if (head.length === 0) return 'empty';
  if (isEvtxMagic(head)) return 'evtx';
  const enc = sniffEncoding(head);
  return sniffText(decodeHead(head, enc));
}

/** The text part of `sniffFormat`, on already decoded text. */
export function sniffText(text: string): SniffResult {
  if (looksBinary(text)) return 'binary';
  let pos = 0;
  const n = text.length;
  let sawContent = false;
  while (pos < n) {
    let nl = text.indexOf('\n', pos);
    const complete = nl >= 0;
    if (!complete) nl = n;
    let i = pos;
    while (i < nl && isSpace(text.charCodeAt(i))) i++;
    if (i < nl) {
      sawContent = true;
      const c = text.charCodeAt(i);
      if (c === 123 /* { */) return 'json-lines';
      if (c === 60 /* < */) {
        if (text.startsWith('<?xml', i) || text.startsWith('<Events', i)) return 'event-xml';
        if (isEventStart(text, i)) {
          // One event per line is the Splunk form; an event spanning lines (or a
          // line longer than the head) needs the block reader. A line that opens an
          // event and is followed by another event start is a truncated Splunk line.
          const close = text.indexOf('</Event>', i);
          if (complete && close >= 0 && close < nl) return 'xml-lines';
          if (!complete || !nextContentIsEvent(text, nl + 1)) return 'event-xml';
        }
      }
      // Headers and classic WinEventLog text may precede XML lines: keep looking.
    }
    pos = nl + 1;
  }
  return sawContent ? 'unknown' : 'empty';
}

function nextContentIsEvent(text: string, from: number): boolean {
  let i = from;
  while (i < text.length && isSpace(text.charCodeAt(i))) i++;
  return i < text.length && isEventStart(text, i);
}

function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 13 || c === 10 || c === 0xfeff;
}

/** NUL or many control/replacement characters mean this is not a text log. */
function looksBinary(text: string): boolean {
  const n = Math.min(text.length, 8192);
  if (n === 0) return false;
  let bad = 0;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 0) return true;
    if ((c < 32 && c !== 9 && c !== 10 && c !== 13 && c !== 12) || c === 0xfffd) bad++;
  }
  return bad * 20 > n;
}
