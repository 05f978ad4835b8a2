/**
 * libevtx's `evtxexport` (Debian libevtx-utils) as an independent oracle for
 * the EVTX reader: the same file read by spelunk and exported by evtxexport
 * (its XML read back through spelunk's Event Viewer XML reader) gives the same
 * records and the same field values. evtxexport zero-pads hex integers
 * (`0x000003e7`) where Windows does not (`0x3e7`); such values compare by number.
 * Run over EVTX files written from real events, and over every EVTX file in
 * ../shared/data when that folder is present. CI installs libevtx-utils.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { WinEvent } from '../../src/events/types.js';
import { parseEventXml, readPaths } from '../../src/readers/index.js';
import { recordOf } from '../evtx/fixtures.js';
import { writeEvtx } from '../evtx/writer.js';
import { allWindowsExamples } from '../support/escu-events.js';
import { REPO_ROOT, SHARED_DATA } from '../support/paths.js';

const HAVE = spawnSync('sh', ['-c', 'command -v evtxexport'], { encoding: 'utf8' }).status === 0;
const skip = !HAVE && process.env['CI'] !== 'true' ? 'evtxexport is not installed (apt-get install libevtx-utils; CI installs it)' : false;

async function readAll(file: string): Promise<{ events: WinEvent[]; errors: number }> {
  const events: WinEvent[] = [];
  const s = await readPaths([file], { keepRaw: false }, { event: (e) => void events.push(e), diagnostic: () => {} });
  return { events, errors: s.errors };
}

/** evtxexport's XML export of `file`, read back as events, or undefined when evtxexport fails on it. */
async function viaEvtxexport(file: string, dir: string): Promise<WinEvent[] | undefined> {
  const r = spawnSync('evtxexport', ['-f', 'xml', file], { encoding: 'utf8', maxBuffer: 1 << 30 });
  if (r.status !== 0) return undefined;
  const xml = r.stdout.replace(/^evtxexport[^\n]*\n/, '');
  const out = join(dir, 'export.xml');
  writeFileSync(out, `<Events>\n${xml}\n</Events>\n`);
  return (await readAll(out)).events;
}

const HEX = /^0x[0-9a-f]+$/i;
function same(a: string | undefined, b: string | undefined): boolean {
  if (a === b) return true;
  if (a !== undefined && b !== undefined && HEX.test(a) && HEX.test(b)) return BigInt(a) === BigInt(b);
  return false;
}

function compare(mine: WinEvent[], theirs: WinEvent[], where: string): void {
  assert.equal(mine.length, theirs.length, `${where}: record count`);
  mine.forEach((m, i) => {
    const t = theirs[i] as WinEvent;
    const at = `${where} record ${m.system.recordId}`;
    assert.equal(m.system.recordId, t.system.recordId, at);
    assert.equal(m.system.eventId, t.system.eventId, at);
    assert.equal(m.system.provider, t.system.provider, at);
    assert.equal(m.system.channel, t.system.channel, at);
    assert.equal(m.system.computer, t.system.computer, at);
    assert.equal(Date.parse(m.system.timeCreated), Date.parse(t.system.timeCreated), at);
    assert.ok(same(m.system.keywords, t.system.keywords), `${at}: Keywords ${m.system.keywords} / ${t.system.keywords}`);
    assert.deepEqual(Object.keys(m.data), Object.keys(t.data), at);
    for (const k of Object.keys(m.data)) assert.ok(same(m.data[k], t.data[k]), `${at}: ${k}: ${JSON.stringify(m.data[k])} / ${JSON.stringify(t.data[k])}`);
  });
}

describe('EVTX reader against evtxexport', { skip }, () => {
  it('agrees on EVTX written from the ESCU example events and the example intrusion', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'spelunk-oracle-'));
    const xml = [
      ...allWindowsExamples().map((e) => e.xml),
      ...readFileSync(join(REPO_ROOT, 'examples', 'exch01-sysmon.xml'), 'utf8').trim().split('\n'),
    ];
    const events: WinEvent[] = [];
    for (const x of xml) {
      const r = parseEventXml(x);
      if (r.ok) events.push({ system: { ...r.system, recordId: events.length + 1 }, data: r.data, origin: { file: 'x' } });
    }
    const file = join(dir, 'escu.evtx');
    writeFileSync(file, writeEvtx(events.map((e) => recordOf(e))));
    const mine = await readAll(file);
    assert.equal(mine.errors, 0);
    const theirs = await viaEvtxexport(file, dir);
    assert.ok(theirs, 'evtxexport reads the file');
    compare(mine.events, theirs, 'escu.evtx');
  });

  it('agrees on every EVTX file in ../shared/data that evtxexport reads', { skip: existsSync(SHARED_DATA) ? false : `${SHARED_DATA} is not present in this workplace` }, async () => {
    const files: string[] = [];
    const walk = (d: string): void => {
      for (const f of readdirSync(d).sort()) {
        const p = join(d, f);
        if (statSync(p).isDirectory()) walk(p);
        else if (/\.evtx$/i.test(f)) files.push(p);
      }
    };
    walk(SHARED_DATA);
    const dir = mkdtempSync(join(tmpdir(), 'spelunk-oracle-'));
    let compared = 0;
    for (const f of files) {
      const theirs = await viaEvtxexport(f, dir);
      if (!theirs) continue; // files evtxexport cannot read are checked by hand-verified expectations elsewhere
      compare((await readAll(f)).events, theirs, f);
      compared++;
    }
    assert.ok(compared > 0);
  });
});
