import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { readPaths } from '../../src/readers/index.js';
import { FIXTURES, collect } from './helpers.js';

const f = (name: string): string => join(FIXTURES, name);

describe('readPaths on malformed fixtures', () => {
  it('XML lines: good events around a classic block and two bad lines are all read', async () => {
    const c = collect();
    const s = await readPaths([f('xml-lines-mixed.log')], {}, c.sink);
    assert.equal(s.events, 5);
    assert.deepEqual(c.events.map((e) => [e.origin.line, e.system.eventId]), [[1, 4688], [2, 1], [16, 10], [18, 11], [20, 4688]]);
    assert.deepEqual(c.diagnostics.map((d) => [d.code, d.severity, d.origin.line]), [
      ['read.unrecognised-line', 'info', 3],
      ['read.bad-xml', 'error', 15],
      ['read.bad-xml', 'error', 19],
    ]);
    assert.match(c.diagnostics[0]!.message, /11 line\(s\).*lines 3-14/);
    assert.match(c.diagnostics[2]!.message, /<\/Level> does not close <Le>/);
    assert.deepEqual(
      { skipped: s.skipped, errors: s.errors, failedFiles: s.failedFiles, format: s.files[0]!.format },
      { skipped: 11, errors: 2, failedFiles: 0, format: 'xml-lines' },
    );
    assert.equal(c.events[0]!.origin.file, f('xml-lines-mixed.log'));
    assert.ok(!c.events[0]!.raw!.endsWith('\r'), 'CRLF removed from raw');
  });

  it('Event Viewer export: a bad event is reported at its start line, the next one is read', async () => {
    const c = collect();
    const s = await readPaths([f('event-viewer-bad-event.xml')], {}, c.sink);
    assert.deepEqual(c.events.map((e) => [e.origin.line, e.system.eventId]), [[3, 1], [70, 10]]);
    assert.equal(c.diagnostics.length, 1);
    const d = c.diagnostics[0]!;
    assert.deepEqual([d.code, d.origin.line], ['read.bad-xml', 40]);
    assert.match(d.message, /<\/Vers> does not close <Version>.*line 42/);
    assert.equal(s.files[0]!.format, 'event-xml');
    assert.ok(c.events[0]!.raw!.startsWith('<Event') && c.events[0]!.raw!.endsWith('</Event>'));
  });

  it('JSON lines: bad JSON and unknown shapes are reported with lines; the rest is read', async () => {
    const c = collect();
    const s = await readPaths([f('json-lines-mixed.jsonl')], {}, c.sink);
    assert.deepEqual(c.events.map((e) => [e.origin.line, e.system.eventId]), [[1, 1], [4, 4688], [6, 11]]);
    assert.deepEqual(c.diagnostics.map((d) => [d.code, d.origin.line]), [
      ['read.bad-json', 3],
      ['read.unknown-json-shape', 5],
      ['read.unknown-json-shape', 7],
    ]);
    assert.equal(s.errors, 3);
  });

  it('binary, empty and missing inputs each give one diagnostic and count as failed', async () => {
    const c = collect();
    const s = await readPaths([f('binary.bin'), f('empty.log'), f('no-such-file.log')], {}, c.sink);
    assert.deepEqual(c.diagnostics.map((d) => [d.code, d.origin.file]), [
      ['read.binary', f('binary.bin')],
      ['read.empty', f('empty.log')],
      ['read.not-found', f('no-such-file.log')],
    ]);
    assert.equal(s.failedFiles, 3);
    assert.equal(s.events, 0);
  });

  it('an EVTX file is read by content; a header of zeros gives typed EVTX warnings and no events', async () => {
    const c = collect();
    const s = await readPaths([f('evtx-header-only.evtx')], {}, c.sink);
    assert.equal(s.files[0]?.format, 'evtx');
    assert.equal(s.events, 0);
    assert.ok(c.diagnostics.length > 0);
    assert.ok(c.diagnostics.every((d) => d.code.startsWith('evtx.') && d.origin.file === f('evtx-header-only.evtx')));
    assert.ok(c.diagnostics.some((d) => d.code === 'evtx.bad-header-crc'));
  });
});

describe('readPaths on folders', () => {
  const dir = mkdtempSync(join(tmpdir(), 'spelunk-readers-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('walks folders recursively in sorted order and sums the summary', async () => {
    mkdirSync(join(dir, 'b', 'nested'), { recursive: true });
    mkdirSync(join(dir, 'a'));
    copyFileSync(f('json-lines-mixed.jsonl'), join(dir, 'b', 'nested', 'z.txt'));
    copyFileSync(f('xml-lines-mixed.log'), join(dir, 'b', 'a.dat'));
    copyFileSync(f('event-viewer-bad-event.xml'), join(dir, 'a', 'export'));
    writeFileSync(join(dir, 'Z-empty'), '');
    const c = collect();
    const s = await readPaths([dir], { rawFilter: (raw) => !raw.includes('>4688<') && !raw.includes('"event_id":"4688"') }, c.sink);
    assert.deepEqual(
      s.files.map((x) => [x.file.slice(dir.length + 1), x.format ?? '-', x.events, x.filtered]),
      [
        ['Z-empty', '-', 0, 0],
        [join('a', 'export'), 'event-xml', 2, 1],
        [join('b', 'a.dat'), 'xml-lines', 3, 2],
        [join('b', 'nested', 'z.txt'), 'json-lines', 2, 1],
      ],
    );
    assert.equal(s.events, 7);
    assert.equal(s.filtered, 4);
    // The damaged 4688 in the export was filtered before parsing, so it is not reported.
    assert.equal(c.diagnostics.filter((d) => d.code === 'read.bad-xml').length, 2);
    assert.equal(s.failedFiles, 1);
    assert.equal(s.bytes, s.files.reduce((n, x) => n + x.bytes, 0));
    assert.equal(c.progress.at(-1), s.bytes, 'progress reports cumulative run bytes');
    assert.deepEqual(c.events.map((e) => e.origin.line), [3, 70, 2, 16, 18, 1, 6]);
  });
});
