/** The fast paths give what the simple code gave: CRC-32 tables, UTF-16 decoding, templates reused across chunks. */
import assert from 'node:assert/strict';
import { Buffer } from 'node:buffer';
import { describe, it } from 'node:test';
import { decodeUtf16 } from '../../src/evtx/bytes.js';
import { crc32 as zlibCrc32 } from 'node:zlib';
import { crc32, crc32Update, useHostCrc32 } from '../../src/evtx/crc32.js';
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
  for (const [name, hostCrc] of [['slicing-by-8', undefined], ["the host's (zlib)", zlibCrc32]] as const) {
    it(`${name} CRC-32 equals the bitwise CRC at every alignment and length`, () => {
      useHostCrc32(hostCrc);
      try {
        const rnd = prng(7);
        const b = Uint8Array.from({ length: 3000 }, () => Math.floor(rnd() * 256));
        for (let s = 0; s < 9; s++) {
          for (let n = 0; n < 100; n++) assert.equal(crc32(b, s, s + n), bitwiseCrc(b, s, s + n));
          assert.equal(crc32(b, s, 2999), bitwiseCrc(b, s, 2999));
          assert.equal(crc32Update(crc32(b, 0, s + 5), b, s + 5, 2000), bitwiseCrc(b, 0, 2000));
          assert.equal(crc32Update(crc32(b, 0, s + 100), b, s + 100, 2000), bitwiseCrc(b, 0, 2000));
        }
      } finally {
        useHostCrc32(zlibCrc32);
      }
    });
  }

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
  it('template bodies compared word by word at every buffer alignment: one differing byte is never missed', () => {
    const tpl = (guid0: number, type: number, name: string): WTemplate => ({
      guid: Uint8Array.from({ length: 16 }, (_, i) => (i === 0 ? 7 : i === 15 ? guid0 : i)),
      root: {
        name: 'Event',
        children: [
          { name: 'System', children: [{ name: 'Provider', attrs: [['Name', 'P']] }, { name: 'EventID', children: [{ subst: 0, type }] }] },
          { name: 'EventData', children: [{ name: 'Data', attrs: [['Name', name]], children: [{ subst: 1, type: 0x01 }] }] },
        ],
      },
    });
    // Same template id and size; bodies differ in one substitution type byte or one name character.
    const ts = [tpl(1, 0x06, 'Ab'), tpl(2, 0x08, 'Ab'), tpl(3, 0x06, 'Ac'), tpl(4, 0x08, 'Ac')];
    const recs: WRecord[] = Array.from({ length: 60 }, (_, i) => ({ id: i + 1, body: { kind: 'template', template: ts[i % 4]!, values: [V.uint16(i), V.string(`w${i}`)] } }));
    const bytes = writeEvtx(recs, { recordsPerChunk: 4 });
    const alone: string[] = [];
    for (let at = 4096; at < bytes.length; at += CHUNK) {
      const one = new Uint8Array(4096 + CHUNK);
      one.set(bytes.subarray(0, 4096));
      one.set(bytes.subarray(at, at + CHUNK), 4096);
      alone.push(...readAll(one).xml);
    }
    assert.equal(alone.length, 60);
    // Independent of the cache: each record shows its own template's Data name.
    alone.forEach((x, i) => assert.ok(x.includes(`<Data Name='${i % 4 < 2 ? 'Ab' : 'Ac'}'>w${i}</Data>`), x));
    for (let shift = 0; shift < 8; shift++) {
      const room = new Uint8Array(bytes.length + shift + 3);
      room.set(bytes, shift);
      assert.deepEqual(readAll(room.subarray(shift, shift + bytes.length)).xml, alone, `shift ${shift}`);
      for (const step of [65536 + shift, 4099]) {
        const got: string[] = [];
        const s = new EvtxStream({ compiled: { xml: true } }, (r) => got.push(r.xml!), () => {});
        const buf = Buffer.from(room.subarray(shift, shift + bytes.length));
        for (let i = 0; i < buf.length; i += step) s.push(buf.subarray(i, i + step));
        s.end();
        assert.deepEqual(got, alone, `shift ${shift}, step ${step}`);
      }
    }
  });
  it('a cached template body is not reused when a name by offset resolves to another name', () => {
    const guid = (g: number): Uint8Array => Uint8Array.from({ length: 16 }, (_, i) => (i === 0 ? 5 : i === 15 ? g : i));
    // The primer writes both names inline first, so the two look-alike templates refer to them by offset.
    const primer: WTemplate = { guid: guid(0), root: { name: 'Event', children: [{ name: 'EventData' }, { name: 'Foo' }, { name: 'Fop' }] } };
    const tpl = (g: number, el: string): WTemplate => ({ guid: guid(g), root: { name: 'Event', children: [{ name: 'EventData', children: [{ name: el, children: [{ subst: 0, type: 0x01 }] }] }] } });
    const ts = [primer, tpl(1, 'Foo'), tpl(1, 'Fop')];
    const recs: WRecord[] = Array.from({ length: 30 }, (_, i) => ({ id: i + 1, body: { kind: 'template', template: ts[i % 3]!, values: [V.string(`z${i}`)] } }));
    const bytes = writeEvtx(recs, { recordsPerChunk: 3 });
    for (const opts of [{}, { compiled: { xml: true } }]) {
      const got: string[] = [];
      const s = new EvtxStream(opts, (r) => got.push(r.xml ?? toXml(r.root)), () => {});
      s.push(bytes);
      s.end();
      assert.equal(got.length, 30);
      got.forEach((x, i) => {
        if (i % 3 !== 0) assert.ok(x.includes(`<${i % 3 === 1 ? 'Foo' : 'Fop'}>z${i}</`), x);
      });
    }
  });
});
