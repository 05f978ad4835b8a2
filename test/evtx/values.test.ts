/** Byte reader, CRC-32 and value rendering: one byte-built case per value type. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ByteReader } from '../../src/evtx/bytes.js';
import { crc32, crc32Update } from '../../src/evtx/crc32.js';
import { EvtxError } from '../../src/evtx/errors.js';
import { fileTimeToIso, isoToFileTime, renderValue, toXml } from '../../src/evtx/render.js';
import { V, cat, type WValue } from './writer.js';

function render(v: WValue): { text: string; items?: readonly string[]; problem?: string } {
  if (!('bytes' in v)) throw new Error('not a byte value');
  const padded = cat([Uint8Array.of(0xaa, 0xbb), v.bytes]);
  return renderValue(new ByteReader(padded), v.type, 2, v.bytes.length);
}

describe('ByteReader', () => {
  it('reads little-endian integers, UTF-16 and GUIDs', () => {
    const r = new ByteReader(Uint8Array.of(0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x41, 0x00, 0x3d, 0xd8, 0x00, 0xde));
    assert.equal(r.u8(), 1);
    assert.equal(r.u16(), 0x0302);
    assert.equal(r.u8At(3), 4);
    assert.equal(r.u32At(0), 0x04030201);
    assert.equal(r.u64At(0), 0x0807060504030201n);
    assert.equal(r.utf16At(8, 3), 'A\u{1f600}');
  });

  it('throws a typed error with the offset on every out-of-bounds read', () => {
    const r = new ByteReader(new Uint8Array(6), 0, 4);
    for (const f of [() => r.u32At(2), () => r.u64At(0), () => r.utf16At(3, 1), () => r.guidAt(0), () => r.skip(5), () => r.u8At(-1)]) {
      assert.throws(f, (e: unknown) => e instanceof EvtxError && e.code === 'evtx.out-of-bounds' && typeof e.offset === 'number');
    }
  });
});

describe('crc32', () => {
  it('matches the standard check value and updates incrementally', () => {
    const b = new TextEncoder().encode('123456789');
    assert.equal(crc32(b), 0xcbf43926);
    assert.equal(crc32Update(crc32(b, 0, 4), b, 4), 0xcbf43926);
    assert.equal(crc32(new Uint8Array(0)), 0);
  });
});

describe('value rendering (as Windows renders event XML)', () => {
  const cases: [string, WValue, string][] = [
    ['null', V.null(), ''],
    ['string', V.string('C:\\Windows\\cmd.exe \u00ae'), 'C:\\Windows\\cmd.exe \u00ae'],
    ['string with trailing NUL', V.raw(0x01, Uint8Array.of(0x61, 0, 0, 0)), 'a'],
    ['string of NULs only', V.raw(0x01, Uint8Array.of(0, 0, 0, 0)), ''],
    ['string with a NUL inside, odd size', V.raw(0x01, Uint8Array.of(0x61, 0, 0, 0, 0x62, 0, 0, 0, 0)), 'a\u0000b'],
    ['string with a zero high byte only', V.raw(0x01, Uint8Array.of(0x61, 0, 0, 1, 0, 0)), 'a\u0100'],
    ['string: lone surrogate before NULs', V.raw(0x01, Uint8Array.of(0x3d, 0xd8, 0, 0, 0, 0)), '\ud83d'],
    ['long string with trailing NULs', V.raw(0x01, Uint8Array.from({ length: 64 }, (_, i) => (i < 60 && i % 2 === 0 ? 0x41 + (i % 26) : 0))), Array.from({ length: 30 }, (_, k) => String.fromCharCode(0x41 + ((2 * k) % 26))).join('')],
    ['ANSI string', V.ansi('caf\u00e9'), 'caf\u00e9'],
    ['int8', V.int8(-5), '-5'],
    ['uint8', V.uint8(250), '250'],
    ['int16', V.int16(-300), '-300'],
    ['uint16', V.uint16(4688), '4688'],
    ['int32', V.int32(-70000), '-70000'],
    ['uint32', V.uint32(4294967295), '4294967295'],
    ['int64', V.int64(-9007199254740993n), '-9007199254740993'],
    ['uint64', V.uint64(18446744073709551615n), '18446744073709551615'],
    ['real32', V.real32(0.1), '0.1'],
    ['real64', V.real64(1.5), '1.5'],
    ['bool true', V.bool(true), 'true'],
    ['bool false', V.bool(false), 'false'],
    ['binary', V.binary(Uint8Array.of(0x00, 0xab, 0x0f)), '00AB0F'],
    ['GUID', V.guid('{5770385f-c22a-43e0-bf4c-06f5698ffbd9}'), '{5770385F-C22A-43E0-BF4C-06F5698FFBD9}'],
    ['SizeT 32', V.sizeT32(0x1f), '0x1f'],
    ['SizeT 64', V.sizeT64(0x7ff612340000n), '0x7ff612340000'],
    ['FILETIME', V.fileTime('2020-10-08T11:03:46.6179203Z'), '2020-10-08T11:03:46.617920300Z'],
    ['SYSTEMTIME', V.sysTime(2021, 3, 2, 10, 11, 12, 345), '2021-03-02T10:11:12.345000000Z'],
    ['SID', V.sid('S-1-5-21-3623811015-3361044348-30300820-1013'), 'S-1-5-21-3623811015-3361044348-30300820-1013'],
    ['SID LocalSystem', V.sid('S-1-5-18'), 'S-1-5-18'],
    ['HexInt32', V.hex32(0xf84), '0xf84'],
    ['HexInt32 zero', V.hex32(0), '0x0'],
    ['HexInt64 keywords', V.hex64(0x8000000000000000n), '0x8000000000000000'],
    ['EvtHandle (hex)', V.raw(0x20, Uint8Array.of(1, 2)), '0102'],
    ['unknown type (hex)', V.raw(0x33, Uint8Array.of(0xfe)), 'FE'],
  ];
  for (const [name, v, expected] of cases) {
    it(name, () => {
      const r = render(v);
      assert.equal(r.text, expected);
      assert.equal(r.problem, undefined);
    });
  }

  it('arrays: every item in turn', () => {
    assert.deepEqual(render(V.array(0x01, [V.string('a'), V.string(''), V.string('bc')])).items, ['a', '', 'bc']);
    assert.deepEqual(render(V.array(0x02, [V.ansi('x'), V.ansi('yz')])).items, ['x', 'yz']);
    assert.deepEqual(render(V.array(0x08, [V.uint32(1), V.uint32(2)])).items, ['1', '2']);
    assert.deepEqual(render(V.array(0x14, [V.hex32(10), V.hex32(255)])).items, ['0xa', '0xff']);
    assert.deepEqual(render(V.array(0x0f, [V.guid('{00000000-0000-0000-0000-000000000001}')])).items, ['{00000000-0000-0000-0000-000000000001}']);
    assert.deepEqual(render(V.array(0x13, [V.sid('S-1-5-18'), V.sid('S-1-5-32-544')])).items, ['S-1-5-18', 'S-1-5-32-544']);
    assert.deepEqual(render(V.array(0x0d, [V.bool(true), V.bool(false)])).items, ['true', 'false']);
  });

  it('a size that does not fit the type is rendered as hex with a problem, never thrown', () => {
    const r = render(V.raw(0x08, Uint8Array.of(1, 2, 3)));
    assert.equal(r.text, '010203');
    assert.match(r.problem ?? '', /size 3/);
    assert.ok(render(V.raw(0x13, Uint8Array.of(1, 9, 0, 0, 0, 0, 0, 5))).problem);
    assert.ok(render(V.raw(0x88, Uint8Array.of(1, 2, 3))).problem);
  });

  it('FILETIME round trip and extreme values', () => {
    assert.equal(fileTimeToIso(isoToFileTime('1601-01-01T00:00:00Z')!), '1601-01-01T00:00:00.000000000Z');
    assert.equal(fileTimeToIso(0xffffffffffffffffn).length > 0, true);
  });

  it('XML text escapes text and single-quoted attributes', () => {
    assert.equal(
      toXml({ name: 'Data', attrs: [{ name: 'Name', value: `a'b"&<` }], children: ['x < y & z > w'] }),
      `<Data Name='a&apos;b&quot;&amp;&lt;'>x &lt; y &amp; z &gt; w</Data>`,
    );
    assert.equal(toXml({ name: 'Security', attrs: [], children: [] }), '<Security/>');
  });
});
