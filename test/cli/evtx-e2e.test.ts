/**
 * EVTX end to end: the example intrusion written as an EVTX file (the test-only
 * writer) gives the same alerts and rows as its XML lines, and `dump` renders it
 * back as XML and JSON.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { WinEvent } from '../../src/events/types.js';
import { parseEventXml } from '../../src/readers/index.js';
import { nineDigits, recordOf } from '../evtx/fixtures.js';
import { writeEvtx } from '../evtx/writer.js';
import { REPO_ROOT } from '../support/paths.js';
import { cli } from '../support/cli.js';
import { EXCH01_SYSMON, exch01SysmonEvents } from '../support/examples.js';

const XML = EXCH01_SYSMON;
const events = exch01SysmonEvents;



describe('EVTX input end to end', () => {
  const dir = mkdtempSync(join(tmpdir(), 'spelunk-evtx-'));
  const evtx = join(dir, 'Microsoft-Windows-Sysmon%4Operational.evtx');
  writeFileSync(evtx, writeEvtx(events().map((e) => recordOf(e))));

  it('hunt gives the same alerts from EVTX as from the XML lines', async () => {
    const strip = (out: string) => out.trim().split('\n').map((l) => {
      const a = JSON.parse(l) as Record<string, unknown>;
      delete a['context'];
      return a;
    });
    const a = await cli('hunt', evtx, '--format', 'jsonl', '--quiet');
    const b = await cli('hunt', XML, '--format', 'jsonl', '--quiet');
    assert.equal(a.code, 1, a.err);
    assert.equal(strip(a.out).length, 3);
    assert.deepEqual(strip(a.out), strip(b.out));
  });

  it('search gives the same rows from EVTX as from the XML lines', async () => {
    const q = '| tstats count values(Processes.process_name) as names from datamodel=Endpoint.Processes by Processes.dest Processes.parent_process_name';
    const a = await cli('search', q, evtx, '--format', 'jsonl', '--quiet');
    const b = await cli('search', q, XML, '--format', 'jsonl', '--quiet');
    assert.equal(a.code, 0, a.err);
    assert.deepEqual(a.out, b.out);
  });

  it('dump renders EVTX records as XML events that read back as the same events', async () => {
    const r = await cli('dump', evtx, '--quiet');
    assert.equal(r.code, 0, r.err);
    const lines = r.out.trim().split('\n');
    assert.equal(lines.length, 20);
    const want = events();
    lines.forEach((l, i) => {
      const p = parseEventXml(l);
      assert.ok(p.ok, l);
      const w = want[i] as WinEvent;
      assert.deepEqual({ ...p.system, timeCreated: nineDigits(p.system.timeCreated) }, { ...w.system, timeCreated: nineDigits(w.system.timeCreated) });
      assert.deepEqual(p.data, w.data);
    });
  });

  it('dump writes the same XML to --output, to a real pipe, and with text inputs around the EVTX file, in order', async () => {
    const r = await cli('dump', evtx, '--quiet');
    const file = join(mkdtempSync(join(tmpdir(), 'spelunk-out-')), 'out.xml');
    const o = await cli('dump', evtx, '--quiet', '--output', file);
    assert.equal(o.code, 0, o.err);
    assert.equal(o.out, '');
    assert.equal(readFileSync(file, 'utf8'), r.out);
    // A child process: stdout is a pipe, written without copies (synchronous on Linux).
    const child = spawnSync(process.execPath, [join(REPO_ROOT, 'bin', 'spelunk.js'), 'dump', evtx, '--quiet'], { maxBuffer: 1 << 26 });
    assert.equal(child.status, 0, String(child.stderr));
    assert.equal(String(child.stdout), r.out);
    // XML lines before and after the EVTX file (folder order): every event once, in order.
    const mixed = mkdtempSync(join(tmpdir(), 'spelunk-mixed-'));
    const xml = readFileSync(XML, 'utf8');
    writeFileSync(join(mixed, 'a.xml'), xml);
    writeFileSync(join(mixed, 'b.evtx'), readFileSync(evtx));
    writeFileSync(join(mixed, 'c.xml'), xml);
    const m = await cli('dump', mixed, '--quiet');
    const lines = m.out.trim().split('\n');
    assert.equal(lines.length, 60);
    const ids = lines.map((l) => /<EventRecordID>(\d+)</.exec(l)?.[1]);
    assert.deepEqual(ids.slice(20, 40), ids.slice(0, 20));
    assert.deepEqual(ids.slice(40), ids.slice(0, 20));
    assert.deepEqual(lines.slice(20, 40), r.out.trim().split('\n'));
    const bad = await cli('dump', evtx, '--output', join(mixed, 'no', 'such', 'dir', 'x.xml'));
    assert.equal(bad.code, 2);
    assert.match(bad.err, /cannot write .*x\.xml/);
  });

  it('dump to a pipe that fills up (a slow reader) writes the same bytes as to a file', async () => {
    const many = join(mkdtempSync(join(tmpdir(), 'spelunk-pipe-')), 'many.evtx');
    const evs = events();
    writeFileSync(many, writeEvtx(Array.from({ length: 3000 }, (_, i) => recordOf({ ...evs[i % evs.length]!, system: { ...evs[i % evs.length]!.system, recordId: i + 1 } }))));
    const file = many + '.xml';
    assert.equal((await cli('dump', many, '--quiet', '--output', file)).code, 0);
    const child = spawn(process.execPath, [join(REPO_ROOT, 'bin', 'spelunk.js'), 'dump', many, '--quiet'], { stdio: ['ignore', 'pipe', 'inherit'] });
    child.stdout.pause(); // the pipe fills while spelunk keeps writing
    await new Promise((r) => setTimeout(r, 500));
    const parts: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => parts.push(b));
    child.stdout.resume();
    const code = await new Promise<number | null>((r) => child.on('close', r));
    assert.equal(code, 0);
    const got = Buffer.concat(parts);
    assert.ok(got.length > 1 << 20, `${got.length} bytes: more than a pipe holds`);
    assert.ok(got.equals(readFileSync(file)), 'the same bytes through the pipe');
  });

  it('dump --format jsonl gives the EVTX-tools JSON shape with file and record_id', async () => {
    const r = await cli('dump', evtx, '--format', 'jsonl', '--quiet');
    const first = JSON.parse(r.out.split('\n')[0] as string) as Record<string, any>;
    assert.equal(first['file'], evtx);
    assert.equal(first['record_id'], events()[0]?.system.recordId);
    assert.equal(first['Event']['System']['EventID'], 1);
    assert.equal(first['Event']['System']['Provider']['#attributes']['Name'], 'Microsoft-Windows-Sysmon');
    assert.equal(first['Event']['EventData']['Image'], 'C:\\Program Files\\Microsoft\\Exchange Server\\V15\\Bin\\UMService.exe');
    const json = await cli('dump', evtx, '--format', 'json', '--quiet');
    assert.equal((JSON.parse(json.out) as unknown[]).length, 20);
  });

  it('dump walks folders and reports bad files by name', async () => {
    writeFileSync(join(dir, 'junk.evtx'), Buffer.from('ElfFile\0' + 'x'.repeat(100)));
    const r = await cli('dump', dir, '--format', 'jsonl');
    assert.equal(r.out.trim().split('\n').length, 20);
    assert.match(r.err, /junk\.evtx/);
  });
});

describe('EVTX chunk pre-filter', () => {
  it('a literal from a value stored in binary (a process GUID) does not skip its chunk', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'spelunk-evtx-guid-'));
    const evtx = join(dir, 'guid.evtx');
    writeFileSync(evtx, writeEvtx(events().map((e) => recordOf(e))));
    const guid = events().find((e) => e.system.eventId === 1)!.data['ProcessGuid']!;
    assert.match(guid, /^\{[0-9A-F-]+\}$/);
    const q = `| tstats count from datamodel=Endpoint.Processes where Processes.process_guid="${guid}"`;
    for (const input of [evtx, XML]) {
      for (const pf of [[], ['--no-prefilter']]) {
        const r = await cli('search', q, input, '--format', 'jsonl', '--quiet', ...pf);
        assert.equal(r.code, 0, r.err);
        assert.equal(Number(JSON.parse(r.out.trim()).count), 1, `${input} ${pf.join(' ')}`);
      }
    }
  });

  it('skips chunks without the searches\' literals (UTF-16) and gives the same alerts as with every record decoded', async () => {
    const { chunkLiteralTest } = await import('../../src/evtx/plugin.js');
    const test = chunkLiteralTest(['umworkerprocess.exe'])!;
    const utf16 = (s: string) => new Uint8Array(Buffer.from(s, 'utf16le'));
    assert.equal(test(utf16('C:\\x\\UMWorkerProcess.exe')), true);
    assert.equal(test(new TextEncoder().encode('ansi UMWORKERPROCESS.EXE')), true);
    assert.equal(test(utf16('C:\\x\\w3wp.exe')), false);
    // Literals a binary value renders to (GUIDs, numbers, SIDs, times, hex, booleans) never rule a chunk out.
    for (const l of ['{3f2a1c00-0a12-603d-2c01-000000002a01}', '4688', 's-1-5-18', '2021-03-02t10:11', '0x8020', 'true', 'als']) {
      assert.equal(chunkLiteralTest(['cmd.exe', l]), undefined, l);
    }

    const dir = mkdtempSync(join(tmpdir(), 'spelunk-evtx-pf-'));
    const evtx = join(dir, 'many.evtx');
    // Enough quiet events to fill several chunks, then the intrusion in the last ones.
    const quiet = events().filter((e) => !JSON.stringify(e.data).toLowerCase().includes('um'));
    const all = [...Array.from({ length: 600 }, (_, i) => quiet[i % quiet.length] as WinEvent), ...events()];
    writeFileSync(evtx, writeEvtx(all.map((e, i) => recordOf(e, i + 1))));
    const a = await cli('hunt', evtx, '--format', 'jsonl');
    const b = await cli('hunt', evtx, '--format', 'jsonl', '--no-prefilter');
    assert.equal(a.code, 1, a.err);
    assert.deepEqual(a.out, b.out);
    assert.match(a.err, /skipped by pre-filter/);
    assert.doesNotMatch(b.err, /skipped by pre-filter/);
  });
});
