/** BinXML structures, each from byte-built fixtures: plain records, templates, substitutions, names, nesting, limits. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { codes, readAll } from './helpers.js';
import { V, writeEvtx, type WElement, type WRecord, type WTemplate } from './writer.js';

function guid(n: number): Uint8Array {
  const g = new Uint8Array(16);
  g[0] = n;
  g[15] = 0x42;
  return g;
}

const sys = (id: string | { subst: number; type: number }): WElement => ({
  name: 'System',
  children: [{ name: 'Provider', attrs: [['Name', 'P']] }, { name: 'EventID', children: [id] }],
});

describe('plain BinXML records (no template)', () => {
  it('elements, attributes, text pieces, character and entity references, CDATA', () => {
    const root: WElement = {
      name: 'Event',
      attrs: [['xmlns', 'http://schemas.microsoft.com/win/2004/08/events/event']],
      children: [
        sys('4688'),
        {
          name: 'EventData',
          children: [
            { name: 'Data', attrs: [['Name', 'CommandLine']], children: ['cmd /c ', { entity: 'amp' }, { charRef: 0x41 }, ' x'] },
            { name: 'Data', attrs: [['Name', 'Raw']], children: [{ cdata: '<b>' }] },
            { name: 'Data', attrs: [['Name', 'Empty']] },
            { name: 'Data', children: ['unnamed'] },
            { name: 'Binary', children: ['00FF'] },
          ],
        },
      ],
    };
    const r = readAll(writeEvtx([{ id: 7, body: { kind: 'plain', root } }]));
    assert.deepEqual(r.diagnostics, []);
    assert.equal(r.records.length, 1);
    assert.equal(r.records[0]!.recordId, 7);
    assert.deepEqual(r.events[0]!.data, { CommandLine: 'cmd /c &A x', Raw: '<b>', Empty: '', Data1: 'unnamed', Binary: '00FF' });
    assert.equal(r.events[0]!.system.eventId, 4688);
    assert.match(r.xml[0]!, /<Data Name='CommandLine'>cmd \/c &amp;A x<\/Data>/);
  });

  it('names are written once per chunk and referenced by offset afterwards', () => {
    const root: WElement = { name: 'Event', children: [sys('1')] };
    const records: WRecord[] = [1, 2, 3].map((id) => ({ id, body: { kind: 'plain', root } }));
    const r = readAll(writeEvtx(records));
    assert.deepEqual(r.events.map((e) => e.system.eventId), [1, 1, 1]);
    assert.deepEqual(r.diagnostics, []);
  });
});

describe('templates and substitutions', () => {
  const t: WTemplate = {
    guid: guid(1),
    root: {
      name: 'Event',
      children: [
        {
          name: 'System',
          children: [
            { name: 'Provider', attrs: [['Name', { subst: 0, type: 0x01 }], ['Guid', { subst: 1, type: 0x0f, optional: true }]] },
            { name: 'EventID', children: [{ subst: 2, type: 0x06 }] },
            { name: 'Keywords', children: [{ subst: 3, type: 0x15 }] },
            { name: 'TimeCreated', attrs: [['SystemTime', { subst: 4, type: 0x11 }]] },
            { name: 'Security', attrs: [['UserID', { subst: 5, type: 0x13, optional: true }]] },
          ],
        },
        {
          name: 'EventData',
          children: [
            { name: 'Data', attrs: [['Name', 'Pid']], children: [{ subst: 6, type: 0x14 }] },
            { name: 'Data', attrs: [['Name', 'Path']], children: ['[', { subst: 7, type: 0x01 }, ']'] },
            { name: 'Data', attrs: [['Name', 'Opt']], children: [{ subst: 8, type: 0x01, optional: true }] },
          ],
        },
      ],
    },
  };
  const values = (pid: number, user: boolean) => [
    V.string('Microsoft-Windows-Security-Auditing'),
    V.guid('{54849625-5478-4994-A5BA-3E3B0328C30D}'),
    V.uint16(4688),
    V.hex64(0x8020000000000000n),
    V.fileTime('2021-04-19T21:00:18.2884570Z'),
    user ? V.sid('S-1-5-18') : V.null(),
    V.hex32(pid),
    V.string('C:\\a b'),
    V.null(),
  ];

  it('fills substitutions; an optional null attribute is dropped; the template is reused by offset', () => {
    const r = readAll(
      writeEvtx([
        { id: 1, body: { kind: 'template', template: t, values: values(0xf84, true) } },
        { id: 2, body: { kind: 'template', template: t, values: values(0x10, false) } },
      ]),
    );
    assert.deepEqual(r.diagnostics, []);
    assert.equal(r.events.length, 2);
    const [a, b] = r.events;
    assert.deepEqual(a!.system, {
      provider: 'Microsoft-Windows-Security-Auditing',
      providerGuid: '{54849625-5478-4994-A5BA-3E3B0328C30D}',
      eventId: 4688,
      keywords: '0x8020000000000000',
      timeCreated: '2021-04-19T21:00:18.288457000Z',
      channel: '',
      computer: '',
      userId: 'S-1-5-18',
    });
    assert.deepEqual(a!.data, { Pid: '0xf84', Path: '[C:\\a b]', Opt: '' });
    assert.equal(b!.system.userId, undefined);
    assert.equal(b!.data['Pid'], '0x10');
    assert.match(r.xml[1]!, /<Security\/>/);
  });

  it('a record whose template was defined by a damaged earlier record still renders (definition read by offset)', () => {
    const bytes = writeEvtx([
      { id: 1, body: { kind: 'template', template: t, values: values(1, true) } },
      { id: 2, body: { kind: 'template', template: t, values: values(2, true) } },
    ]);
    // Break record 1's values count (right after its inline definition): record 1 is reported, record 2 still reads.
    const rec1 = readAll(bytes).records[0]!.offset;
    const view = new DataView(bytes.buffer);
    const defAt = rec1 + 24 + 4 + 10; // record header, fragment header, template instance header
    view.setUint32(defAt + 24 + view.getUint32(defAt + 20, true), 0xffff, true);
    const r = readAll(bytes);
    assert.deepEqual(r.records.map((x) => x.recordId), [2]);
    assert.equal(r.events[0]!.data['Pid'], '0x2');
    assert.deepEqual(codes(r.diagnostics), ['evtx.bad-chunk-crc', 'evtx.bad-binxml']);
    assert.equal(r.diagnostics[0]!.severity, 'warning');
    assert.equal(r.diagnostics[1]!.recordId, 1);
    assert.equal(r.diagnostics[1]!.chunk, 0);
    assert.equal(r.diagnostics[1]!.offset, defAt + 24 + view.getUint32(defAt + 20, true));
  });

  it('array substitutions repeat their element; an empty array gives one empty element', () => {
    const at: WTemplate = {
      guid: guid(2),
      root: { name: 'Event', children: [sys({ subst: 0, type: 0x06 }), { name: 'EventData', children: [{ name: 'Data', attrs: [['Name', 'S']], children: [{ subst: 1, type: 0x81 }] }, { name: 'Data', attrs: [['Name', 'E']], children: [{ subst: 2, type: 0x88 }] }] }] },
    };
    const r = readAll(writeEvtx([{ id: 1, body: { kind: 'template', template: at, values: [V.uint16(5), V.array(0x01, [V.string('a'), V.string('b')]), V.array(0x08, [])] } }]));
    assert.deepEqual(r.diagnostics, []);
    assert.match(r.xml[0]!, /<EventData><Data Name='S'>a<\/Data><Data Name='S'>b<\/Data><Data Name='E'\/><\/EventData>/);
    assert.deepEqual(r.events[0]!.data, { S: 'a', E: '' }, 'a repeated name keeps its first value, as for XML');
  });

  it('BinXML values (0x21): UserData from a nested template instance, flattened to leaves', () => {
    const inner: WTemplate = {
      guid: guid(3),
      root: { name: 'LogFileCleared', attrs: [['xmlns', 'http://manifests.microsoft.com/win/2004/08/windows/eventlog']], children: [{ name: 'SubjectUserSid', children: [{ subst: 0, type: 0x13 }] }, { name: 'SubjectUserName', children: [{ subst: 1, type: 0x01 }] }, { name: 'Nested', children: [{ name: 'Leaf', children: [{ subst: 2, type: 0x08 }] }] }] },
    };
    const outer: WTemplate = { guid: guid(4), root: { name: 'Event', children: [sys({ subst: 0, type: 0x06 }), { name: 'UserData', children: [{ subst: 1, type: 0x21 }] }] } };
    const nested = V.binXml({ kind: 'template', template: inner, values: [V.sid('S-1-5-21-1-2-3-500'), V.string('admin'), V.uint32(9)] });
    const r = readAll(writeEvtx([{ id: 1, body: { kind: 'template', template: outer, values: [V.uint16(1102), nested] } }]));
    assert.deepEqual(r.diagnostics, []);
    assert.deepEqual(r.events[0]!.data, { SubjectUserSid: 'S-1-5-21-1-2-3-500', SubjectUserName: 'admin', Leaf: '9' });
    assert.equal(r.events[0]!.system.eventId, 1102);
  });

  it('a template that instantiates itself is a typed error, not a hang', () => {
    // Template body: <Event> then a template instance pointing back at the same definition.
    const t2: WTemplate = { guid: guid(5), root: { name: 'Event', children: [sys('1')] } };
    const bytes = writeEvtx([{ id: 1, body: { kind: 'template', template: t2, values: [] } }]);
    const r0 = readAll(bytes);
    assert.equal(r0.records.length, 1);
    const rec = r0.records[0]!.offset;
    const defOffset = rec - 4096 - 0x10000 * r0.records[0]!.chunk + 24 + 4 + 10; // chunk-relative offset of the definition
    // Replace the EOF at the end of the template body with a template instance token pointing at the definition.
    const view = new DataView(bytes.buffer);
    const dataSize = view.getUint32(rec + 24 + 4 + 10 + 20, true);
    const bodyEnd = rec + 24 + 4 + 10 + 24 + dataSize - 1; // the template's EOF byte
    const patched = new Uint8Array(bytes.length + 0);
    patched.set(bytes);
    // Open an element so the instance sits in content: simplest is to turn the EOF into 0x0c and have its fields read the following bytes.
    patched[bodyEnd] = 0x0c;
    new DataView(patched.buffer).setUint32(bodyEnd + 2, 0, true);
    new DataView(patched.buffer).setUint32(bodyEnd + 6, defOffset, true);
    const r = readAll(patched);
    assert.equal(r.records.length, 0);
    // The patch also overwrote the record's trailing size copy (a warning).
    assert.deepEqual(codes(r.diagnostics), ['evtx.bad-chunk-crc', 'evtx.bad-record-size', 'evtx.bad-template']);
  });

  it('element nesting beyond the limit is evtx.too-deep', () => {
    let el: WElement = { name: 'Leaf' };
    for (let i = 0; i < 80; i++) el = { name: 'N', children: [el] };
    const root: WElement = { name: 'Event', children: [sys('1'), el] };
    const bytes = writeEvtx([{ id: 1, body: { kind: 'plain', root } }]);
    assert.deepEqual(codes(readAll(bytes).diagnostics), ['evtx.too-deep']);
    assert.equal(readAll(bytes, { maxElementDepth: 100 }).records.length, 1);
  });

  it('output larger than maxNodes is evtx.too-large', () => {
    const root: WElement = { name: 'Event', children: [sys('1'), { name: 'EventData', children: Array.from({ length: 50 }, (_, i) => ({ name: 'Data', attrs: [['Name', `F${i}`]] as const, children: ['v'] })) }] };
    const bytes = writeEvtx([{ id: 1, body: { kind: 'plain', root } }]);
    assert.deepEqual(codes(readAll(bytes, { maxNodes: 40 }).diagnostics), ['evtx.too-large']);
  });

  it('a record that is well-formed BinXML but not an event maps to a failure, not an event', () => {
    const r = readAll(writeEvtx([{ id: 1, body: { kind: 'plain', root: { name: 'Event', children: [{ name: 'EventData' }] } } }]));
    assert.equal(r.records.length, 1);
    assert.equal(r.events.length, 0);
  });
});
