/** The fast paths give what the simple code gave: CRC-32 tables, UTF-16 decoding, templates reused across chunks. */
import assert from 'node:assert/strict';
import { Buffer } from 'node:buffer';
import { describe, it } from 'node:test';
import { decodeUtf16 } from '../../src/evtx/bytes.js';
import { crc32, crc32Update } from '../../src/evtx/crc32.js';
import { EvtxStream } from '../../src/evtx/reader.js';
import { toXml } from '../../src/evtx/render.js';
import { prng, readAll } from './helpers.js';
import { V, writeEvtx, type WRecord, type WTemplate } from './writer.js';

const CHUNK = 0x10000;

function bitwiseCrc(b: Uint8Array, s: number, e: number): number {
  let c = 0xffffffff;
  for (let i = s; i < e; i++) {
    c ^= b[i]!;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  }
  return ~c >>> 0;
}

describe('fast paths', () => {
  it('slicing-by-8 CRC-32 equals the bitwise CRC at every alignment and length', () => {
    const rnd = prng(7);
    const b = Uint8Array.from({ length: 3000 }, () => Math.floor(rnd() * 256));
    for (let s = 0; s < 9; s++) {
      for (let n = 0; n < 40; n++) assert.equal(crc32(b, s, s + n), bitwiseCrc(b, s, s + n));
      assert.equal(crc32(b, s, 2999), bitwiseCrc(b, s, 2999));
      assert.equal(crc32Update(crc32(b, 0, s + 5), b, s + 5, 2000), bitwiseCrc(b, 0, 2000));
    }
  });

  it('UTF-16 decoding keeps a leading U+FEFF and lone surrogates, short and long', () => {
    for (const n of [1, 5, 23, 24, 100, 5000]) {
      const units = Array.from({ length: n }, (_, i) => (i === 0 ? 0xfeff : 0x41 + (i % 26)));
      if (n > 3) units[3] = 0xd800; // lone high surrogate
      const bytes = new Uint8Array(2 * n + 1);
      units.forEach((u, i) => ((bytes[1 + 2 * i] = u & 0xff), (bytes[2 + 2 * i] = u >> 8)));
      assert.equal(decodeUtf16(bytes, 1, n), String.fromCharCode(...units));
    }
  });

  it('templates reused across chunks (names inline at other offsets, same template id) render as read chunk by chunk', () => {
    const tpl = (guid0: number, name: string, data: string): WTemplate => ({
      guid: Uint8Array.from({ length: 16 }, (_, i) => (i === 0 ? 9 : i === 15 ? guid0 : i)),
      root: {
        name: 'Event',
        children: [
          { name: 'System', children: [{ name: 'Provider', attrs: [['Name', name]] }, { name: 'EventID', children: [{ subst: 0, type: 0x06 }] }] },
          { name: 'EventData', children: [{ name: 'Data', attrs: [['Name', data]], children: [{ subst: 1, type: 0x01 }] }] },
        ],
      },
    });
    // Same template id (first 4 GUID bytes) and size, different names: must not be confused.
    const ts = [tpl(1, 'Alpha', 'Xx'), tpl(2, 'Bravo', 'Yy'), tpl(3, 'Alpha', 'Yy')];
    const recs: WRecord[] = Array.from({ length: 40 }, (_, i) => ({ id: i + 1, body: { kind: 'template', template: ts[(i * 7) % 3]!, values: [V.uint16(i), V.string(`v${i}`)] } }));
    const bytes = writeEvtx(recs, { recordsPerChunk: 3 });
    const whole = readAll(bytes);
    assert.equal(whole.records.length, 40);
    // Each chunk alone (a fresh reader: nothing cached from other chunks).
    const alone: string[] = [];
    for (let at = 4096; at < bytes.length; at += CHUNK) {
      const one = new Uint8Array(4096 + CHUNK);
      one.set(bytes.subarray(0, 4096));
      one.set(bytes.subarray(at, at + CHUNK), 4096);
      alone.push(...readAll(one).xml);
    }
    assert.deepEqual(whole.xml, alone);
    // Pushed as Node Buffers of odd sizes (the stream reuses its chunk buffer).
    for (const step of [1000, 65537, 7777]) {
      const got: string[] = [];
      const s = new EvtxStream({}, (r) => got.push(toXml(r.root)), () => {});
      const buf = Buffer.from(bytes);
      for (let i = 0; i < buf.length; i += step) s.push(buf.subarray(i, i + step));
      s.end();
      assert.deepEqual(got, whole.xml);
    }
  });
});
