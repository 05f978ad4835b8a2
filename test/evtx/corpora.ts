/** EVTX files and mutations shared by the fuzzer and the compiled-template differential test. */
import { prng, readAll } from './helpers.js';
import { V, writeEvtx, type WElement, type WNode, type WRecord, type WTemplate, type WValue } from './writer.js';

const CHUNK = 0x10000;

/** The fuzzer's base files: template records (optional NULL, string array, nested BinXML) and plain records, in three layouts. */
export function corpus(): Uint8Array[] {
  const inner: WTemplate = { guid: Uint8Array.from({ length: 16 }, (_, i) => 100 + i), root: { name: 'U', children: [{ name: 'A', children: [{ subst: 0, type: 0x01 }] }, { name: 'B', attrs: [['x', { subst: 1, type: 0x14 }]] }] } };
  const t: WTemplate = {
    guid: Uint8Array.from({ length: 16 }, (_, i) => i),
    root: {
      name: 'Event',
      attrs: [['xmlns', 'http://schemas.microsoft.com/win/2004/08/events/event']],
      children: [
        { name: 'System', children: [{ name: 'Provider', attrs: [['Name', { subst: 0, type: 0x01 }], ['Guid', { subst: 1, type: 0x0f, optional: true }]] }, { name: 'EventID', children: [{ subst: 2, type: 0x06 }] }, { name: 'TimeCreated', attrs: [['SystemTime', { subst: 3, type: 0x11 }]] }, { name: 'Security', attrs: [['UserID', { subst: 4, type: 0x13, optional: true }]] }] },
        { name: 'EventData', children: [{ name: 'Data', attrs: [['Name', 'S']], children: [{ subst: 5, type: 0x81 }] }, { name: 'Data', attrs: [['Name', 'K']], children: [{ subst: 6, type: 0x15 }] }, { name: 'Data', children: [{ subst: 7, type: 0x21 }] }] },
      ],
    },
  };
  const rec = (id: number): WRecord => ({
    id,
    body: {
      kind: 'template',
      template: t,
      values: [
        V.string(`Provider-${id % 3}`),
        id % 2 === 0 ? V.guid('{5770385F-C22A-43E0-BF4C-06F5698FFBD9}') : V.null(),
        V.uint16(id),
        V.fileTime('2022-01-02T03:04:05.1234567Z'),
        V.sid('S-1-5-21-1-2-3-1001'),
        V.array(0x01, [V.string('x'), V.string(`y${id}`)]),
        V.hex64(BigInt(id) << 40n),
        V.binXml({ kind: 'template', template: inner, values: [V.string('in'), V.hex32(id)] }),
      ],
    },
  });
  const plain: WElement = { name: 'Event', children: [{ name: 'System', children: [{ name: 'EventID', children: ['4'] }] }, { name: 'EventData', children: [{ name: 'Data', attrs: [['Name', 'T']], children: ['a', { entity: 'lt' }, { charRef: 0x42 }, { cdata: 'c' }] }] }] };
  const many = Array.from({ length: 30 }, (_, i) => (i % 5 === 4 ? { id: i + 1, body: { kind: 'plain' as const, root: plain } } : rec(i + 1)));
  return [writeEvtx(many, { recordsPerChunk: 10 }), writeEvtx(many.slice(0, 4)), writeEvtx(many, { recordsPerChunk: 7, flags: 1, headerChunkCount: 2 })];
}

export type Mutation = (b: Uint8Array, rnd: () => number) => Uint8Array;

/**
 * `cases` seeded mutations of `bases`: case k applies the mutations in turn to bases in turn,
 * and 30 % of the cases one more mutation picked at random.
 */
export function* mutatedFiles(bases: readonly Uint8Array[], cases: number, seed: number): Generator<{ readonly k: number; readonly name: string; readonly bytes: Uint8Array }> {
  const rnd = prng(seed);
  const names = Object.keys(MUTATIONS);
  for (let k = 0; k < cases; k++) {
    const name = names[k % names.length]!;
    let bytes = MUTATIONS[name]!(bases[k % bases.length]!, rnd);
    if (rnd() < 0.3) bytes = MUTATIONS[names[Math.floor(rnd() * names.length)]!]!(bytes, rnd);
    yield { k, name, bytes };
  }
}
const int = (rnd: () => number, n: number): number => Math.floor(rnd() * n);
/** Offsets biased towards the structures: header block, chunk headers, first records. */
const spot = (b: Uint8Array, rnd: () => number): number => {
  const r = rnd();
  const chunks = Math.max(1, Math.floor((b.length - 4096) / CHUNK));
  if (r < 0.2) return int(rnd, Math.min(b.length, 4096));
  if (r < 0.5) return Math.min(b.length - 1, 4096 + int(rnd, chunks) * CHUNK + int(rnd, 1200));
  return int(rnd, b.length);
};

export const MUTATIONS: Record<string, Mutation> = {
  bitFlips: (b, rnd) => {
    const c = b.slice();
    for (let i = 1 + int(rnd, 16); i > 0; i--) c[spot(c, rnd)]! ^= 1 << int(rnd, 8);
    return c;
  },
  byteSets: (b, rnd) => {
    const c = b.slice();
    const vals = [0x00, 0xff, 0x01, 0x0c, 0x0f, 0x41, 0x21, 0x7f, 0x80];
    for (let i = 1 + int(rnd, 8); i > 0; i--) c[spot(c, rnd)] = rnd() < 0.5 ? vals[int(rnd, vals.length)]! : int(rnd, 256);
    return c;
  },
  u32Sets: (b, rnd) => {
    const c = b.slice();
    const v = new DataView(c.buffer);
    const vals = [0, 1, 0xffffffff, 0x7fffffff, 0x10000, 512, 0x226, int(rnd, 0x20000)];
    for (let i = 1 + int(rnd, 4); i > 0; i--) {
      const at = Math.min(spot(c, rnd), c.length - 4);
      v.setUint32(at, vals[int(rnd, vals.length)]!, true);
    }
    return c;
  },
  truncate: (b, rnd) => b.slice(0, int(rnd, b.length)),
  insert: (b, rnd) => {
    const at = spot(b, rnd);
    const junk = Uint8Array.from({ length: 1 + int(rnd, 64) }, () => int(rnd, 256));
    const c = new Uint8Array(b.length + junk.length);
    c.set(b.subarray(0, at));
    c.set(junk, at);
    c.set(b.subarray(at), at + junk.length);
    return c;
  },
  zeroRange: (b, rnd) => {
    const c = b.slice();
    const at = spot(c, rnd);
    c.fill(0, at, at + 1 + int(rnd, 2000));
    return c;
  },
  chunkShuffle: (b, rnd) => {
    const n = Math.floor((b.length - 4096) / CHUNK);
    if (n < 2) return b.slice(0, b.length - 1);
    const c = b.slice();
    const i = int(rnd, n);
    const j = int(rnd, n);
    c.set(b.subarray(4096 + i * CHUNK, 4096 + (i + 1) * CHUNK), 4096 + j * CHUNK);
    c.set(b.subarray(4096 + j * CHUNK, 4096 + (j + 1) * CHUNK), 4096 + i * CHUNK);
    return c;
  },
  recordShuffle: (b, rnd) => {
    // Copy one record's bytes over another place in the same or another chunk.
    const recs = readAll(b).records;
    if (recs.length < 2) return b;
    const src = recs[int(rnd, recs.length)]!;
    const dst = recs[int(rnd, recs.length)]!;
    const size = new DataView(b.buffer, b.byteOffset).getUint32(src.offset + 4, true);
    const c = b.slice();
    c.set(b.subarray(src.offset, Math.min(src.offset + size, b.length, dst.offset + size)), dst.offset);
    return c.subarray(0, b.length);
  },
};


/* ---------------------------------------------------------- edge corpus */

const g = (n: number): Uint8Array => Uint8Array.from({ length: 16 }, (_, i) => (i === 0 ? n : 0x40 + i));
const s = (subst: number, type: number, optional = false) => ({ subst, type, optional });

/** Templates meant to hit every rule: optional NULLs, arrays in Data / attributes / System, nested BinXML everywhere, UserData, text around values. */
export function edgeFile(): Uint8Array {
  const inner: WTemplate = { guid: g(200), root: { name: 'Inner', children: [{ name: 'A', children: [s(0, 0x01)] }, { name: 'B', attrs: [['x', s(1, 0x14)]] }, 'tail', { name: 'C', children: ['t', s(2, 0x01, true)] }] } };
  const innerData: WTemplate = { guid: g(201), root: { name: 'Data', attrs: [['Name', s(0, 0x01)]], children: [s(1, 0x01)] } };
  const system: WElement = {
    name: 'System',
    children: [
      { name: 'Provider', attrs: [['Name', s(0, 0x01)], ['Guid', s(1, 0x0f, true)]] },
      { name: 'EventID', attrs: [['Qualifiers', s(2, 0x06, true)]], children: [s(3, 0x06)] },
      { name: 'Version', children: [s(4, 0x04)] },
      { name: 'Level', children: [s(5, 0x04)] },
      { name: 'Task', children: [s(6, 0x06)] },
      { name: 'Opcode', children: [s(7, 0x04)] },
      { name: 'Keywords', children: [s(8, 0x15)] },
      { name: 'TimeCreated', attrs: [['SystemTime', s(9, 0x11)]] },
      { name: 'EventRecordID', children: [s(10, 0x0a)] },
      { name: 'Correlation', attrs: [['ActivityID', s(11, 0x0f, true)]] },
      { name: 'Execution', attrs: [['ProcessID', s(12, 0x08)], ['ThreadID', s(13, 0x08)]] },
      { name: 'Channel', children: [s(14, 0x01)] },
      { name: 'Computer', children: [s(15, 0x01)] },
      { name: 'Security', attrs: [['UserID', s(16, 0x13, true)]] },
      { name: 'Extra', children: [s(30, 0x21, true)] },
      { name: 'Keywords', attrs: [['k', 'v']] },
      { name: 'Computer', children: ['fixed-', { entity: 'amp' }, { name: 'X' }, 'host'] },
    ],
  };
  const eventData = (first: number): WElement => ({
    name: 'EventData',
    children: [
      { name: 'Data', attrs: [['Name', 'Named']], children: [s(first, 0x01, true)] },
      { name: 'Data', children: [s(first + 1, 0x81, true)] },
      { name: 'Data', children: ['pre', s(first + 2, 0x01, true), { entity: 'amp' }, { charRef: 0x3c }] },
      { name: 'Data', attrs: [['Name', s(first + 3, 0x01, true)]], children: [s(first + 4, 0x01, true)] },
      { name: 'Data', attrs: [['Name', 'Arr']], children: [s(first + 5, 0x88, true), '|', s(first + 6, 0x81, true)] },
      { name: 'Data', attrs: [['Name', 'Nest']], children: [s(first + 7, 0x21, true)] },
      { name: 'Binary', children: [s(first + 8, 0x0e, true)] },
      { name: 'Data', attrs: [['Name', 'Named']], children: ['dup'] },
      { name: 'Data', attrs: [['Name', 'AttrArr'], ['v', s(first + 9, 0x81, true)]], children: [{ cdata: 'c<d' }] },
      s(first + 10, 0x21, true),
      { name: 'Data', attrs: [['Name', 'Multi']], children: [s(first + 11, 0x01, true), { name: 'Sub', children: ['x'] }, 'after', s(first + 12, 0x06, true)] },
    ],
  });
  const t1: WTemplate = { guid: g(1), root: { name: 'Event', attrs: [['xmlns', 'http://schemas.microsoft.com/win/2004/08/events/event']], children: [system, eventData(17), s(31, 0x21, true)] } };
  const t2: WTemplate = {
    guid: g(2),
    root: {
      name: 'Event',
      children: [
        system,
        {
          name: 'UserData',
          children: [{ name: 'LogFileCleared', attrs: [['xmlns', 'ns']], children: [{ name: 'Static', attrs: [['a', "b'<"]], children: ['fixed<'] }, { name: 'StaticTree', children: [{ name: 'In', children: ['1'] }, 'after'] }, { name: 'SubjectUserSid', children: [s(17, 0x13, true)] }, { name: 'Deep', children: [{ name: 'L1', children: [s(18, 0x01, true)] }, { name: 'L2', children: [s(19, 0x81, true)] }, 'txt'] }, { name: 'Nest', children: [s(20, 0x21, true)] }, s(21, 0x21, true)] }],
        },
        { name: 'RenderingInfo', attrs: [['Culture', 'en-US']], children: [{ name: 'Message', children: [s(22, 0x01, true)] }] },
      ],
    },
  };
  const sysValues = (id: number, rnd: () => number): WValue[] => [
    V.string(`Prov<${id % 3}>&'"`),
    rnd() < 0.5 ? V.guid('{5770385F-C22A-43E0-BF4C-06F5698FFBD9}') : V.null(),
    rnd() < 0.3 ? V.uint16(16384) : V.null(),
    rnd() < 0.1 ? V.string('nan') : V.uint16(id % 5000),
    V.uint8(2),
    V.uint8(4),
    V.uint16(12544),
    V.uint8(0),
    V.hex64(0x8020000000000000n),
    V.fileTime('2022-01-02T03:04:05.1234567Z'),
    V.uint64(BigInt(id)),
    rnd() < 0.5 ? V.null() : V.guid('{00000000-0000-0000-0000-000000000001}'),
    V.uint32(4),
    V.uint32(100 + id),
    V.string('Security'),
    V.string('host.example'),
    rnd() < 0.5 ? V.sid('S-1-5-18') : V.null(),
  ];
  const pick = <T>(rnd: () => number, xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const nested = (rnd: () => number, id: number): WValue =>
    pick(rnd, [
      V.null(),
      V.binXml({ kind: 'template', template: inner, values: [V.string(`in${id}`), V.hex32(id), rnd() < 0.5 ? V.null() : V.string('opt')] }),
      V.binXml({ kind: 'template', template: innerData, values: [V.string(rnd() < 0.3 ? '' : `N${id % 4}`), V.string('nv')] }),
      V.binXml({ kind: 'plain', root: { name: 'Data', attrs: [['Name', 'Plain']], children: ['p', { entity: 'gt' }] } }),
      V.binXml({ kind: 'plain', root: { name: 'System', children: [{ name: 'EventID', children: ['77'] }, { name: 'Channel', children: ['Nested'] }] } }),
      V.binXml({ kind: 'plain', root: { name: 'EventData', children: [{ name: 'Data', children: ['u'] }, { name: 'Data', attrs: [['Name', 'FromNest']], children: ['v'] }] } }),
    ]);
  const strArr = (rnd: () => number): WValue => pick(rnd, [V.null(), V.array(0x01, []), V.array(0x01, [V.string('a')]), V.array(0x01, [V.string('x<'), V.string(''), V.string('z')])]);
  const u32Arr = (rnd: () => number): WValue => pick(rnd, [V.null(), V.array(0x08, []), V.array(0x08, [V.uint32(1), V.uint32(2)]), V.raw(0x88, new Uint8Array(5))]);
  const anyVal = (rnd: () => number, id: number): WValue =>
    pick(rnd, [V.null(), V.string(''), V.string(`v${id} <&> '"`), V.int32(-id), V.real64(1.5), V.real32(0.1), V.bool(true), V.hex32(0xf84), V.sysTime(2021, 3, 2, 10, 11, 12, 345), V.raw(0x08, new Uint8Array(3)), V.raw(0x13, new Uint8Array(6)), V.raw(0x7f, Uint8Array.of(1, 2)), V.ansi('ansi\u00e9'), V.sizeT64(1n << 40n)]);
  const recs: WRecord[] = [];
  const rnd = prng(99);
  for (let id = 1; id <= 400; id++) {
    const sv = sysValues(id, rnd);
    while (sv.length < 30) sv.push(V.null());
    sv.push(rnd() < 0.8 ? V.null() : nested(rnd, id)); // 30: System/Extra
    if (id % 3 !== 0) {
      sv.length = 17;
      sv.push(anyVal(rnd, id), strArr(rnd), anyVal(rnd, id), rnd() < 0.5 ? V.string(rnd() < 0.3 ? '' : `K${id % 6}`) : V.null(), anyVal(rnd, id), u32Arr(rnd), strArr(rnd), nested(rnd, id), rnd() < 0.5 ? V.binary(Uint8Array.of(0, 0xab, id & 0xff)) : V.null(), strArr(rnd), nested(rnd, id), anyVal(rnd, id), V.uint16(id));
      // 30, 31: System/Extra, root-level nested
      sv.push(rnd() < 0.8 ? V.null() : nested(rnd, id), rnd() < 0.8 ? V.null() : nested(rnd, id));
      recs.push({ id, body: { kind: 'template', template: t1, values: rnd() < 0.05 ? sv.slice(0, 20) : sv } });
    } else {
      sv.length = 17;
      sv.push(rnd() < 0.5 ? V.sid('S-1-5-21-1-2-3-500') : V.null(), anyVal(rnd, id), strArr(rnd), nested(rnd, id), nested(rnd, id), anyVal(rnd, id));
      recs.push({ id, body: { kind: 'template', template: t2, values: sv } });
    }
  }
  const plain: WNode = { name: 'Event', children: [{ name: 'System', children: [{ name: 'EventID', children: ['4'] }] }] };
  recs.splice(7, 0, { id: 1000, body: { kind: 'plain', root: plain as WElement } });
  return writeEvtx(recs, { recordsPerChunk: 23 });
}

