/**
 * `--recover` end to end: the example intrusion written as an EVTX file whose
 * chunk no longer counts the intrusion's records (they sit in slack space after
 * the free space offset). `hunt` and `search` find them only with `--recover`,
 * on one thread and through the parallel workers.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { recordOf } from '../evtx/fixtures.js';
import { readAll } from '../evtx/helpers.js';
import { setFreeSpace, writeEvtx } from '../evtx/writer.js';
import { cli } from '../support/cli.js';
import { EXCH01_SYSMON, exch01SysmonEvents } from '../support/examples.js';

const XML = EXCH01_SYSMON;
const events = exch01SysmonEvents;

/** The 20 example events in one chunk, its free space offset lowered to the 2nd record: records 2-20 are slack. */
function slackEvtx(): Uint8Array {
  const bytes = writeEvtx(events().map((e) => recordOf(e)));
  const recs = readAll(bytes).records;
  assert.equal(recs.length, 20);
  setFreeSpace(bytes, 0, recs[1]!.offset - 4096);
  return bytes;
}

const strip = (out: string) =>
  out
    .trim()
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => {
      const a = JSON.parse(l) as Record<string, unknown>;
      delete a['context'];
      return a;
    });

describe('--recover', () => {
  const dir = mkdtempSync(join(tmpdir(), 'spelunk-recover-'));
  const evtx = join(dir, 'Microsoft-Windows-Sysmon%4Operational.evtx');
  writeFileSync(evtx, slackEvtx());

  it('hunt: the intrusion in slack space alerts only with --recover, as its XML lines do', async () => {
    const without = await cli('hunt', evtx, '--format', 'jsonl');
    assert.equal(without.code, 0, without.err);
    assert.equal(without.out, '');
    assert.match(without.err, / 1 events/);
    const withIt = await cli('hunt', evtx, '--format', 'jsonl', '--recover');
    assert.equal(withIt.code, 1, withIt.err);
    assert.match(withIt.err, / 20 events/);
    assert.doesNotMatch(withIt.err, /error|warning/); // recovered records are info diagnostics, not shown
    const xml = await cli('hunt', XML, '--format', 'jsonl', '--quiet');
    assert.equal(strip(withIt.out).length, 3);
    assert.deepEqual(strip(withIt.out), strip(xml.out));
    // The alert context (second pass) reads the recovered events too.
    const ctx = JSON.parse(withIt.out.split('\n')[0]!) as { context: unknown };
    assert.match(JSON.stringify(ctx.context), /UMWorkerProcess\.exe/);
  });

  it('search: rows from recovered events only with --recover, the same on worker threads', async () => {
    const sub = join(dir, 'two');
    mkdirSync(sub);
    writeFileSync(join(sub, 'a.evtx'), slackEvtx());
    writeFileSync(join(sub, 'b.evtx'), slackEvtx());
    const q = '| tstats count from datamodel=Endpoint.Processes by Processes.parent_process_name';
    const run = async (...extra: string[]) => {
      const r = await cli('search', q, sub, '--format', 'jsonl', '--quiet', ...extra);
      assert.equal(r.code, 0, r.err);
      return r.out
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as { 'Processes.parent_process_name': string; count: number });
    };
    const total = (rows: { count: number }[]) => rows.reduce((n, r) => n + Number(r.count), 0);
    const plain = await run();
    const recovered = await run('--recover');
    assert.equal(total(plain), 2 * 1); // 1 process creation before the free space offset, per file
    assert.equal(total(recovered), 2 * 18);
    assert.ok(recovered.some((r) => r['Processes.parent_process_name'] === 'UMWorkerProcess.exe'));
    assert.deepEqual(await run('--recover', '--jobs', '2'), recovered);
    assert.deepEqual(await run('--jobs', '2'), plain);
  });

  it('dump prints the recovered records only with --recover, XML (bytes) and JSON alike', async () => {
    const lines = (out: string) => out.trim().split('\n').filter((l) => l !== '');
    for (const format of ['xml', 'jsonl']) {
      const without = await cli('dump', evtx, '--format', format, '--quiet');
      const withIt = await cli('dump', evtx, '--format', format, '--quiet', '--recover');
      assert.equal(without.code, 0, without.err);
      assert.equal(lines(without.out).length, 1, format);
      assert.equal(lines(withIt.out).length, 20, format);
    }
    const xml = lines((await cli('dump', evtx, '--quiet', '--recover')).out);
    const fromLines = lines((await cli('dump', XML, '--quiet')).out);
    assert.deepEqual(
      xml.map((l) => /<EventRecordID>(\d+)</.exec(l)?.[1]),
      fromLines.map((l) => /<EventRecordID>(\d+)</.exec(l)?.[1]),
    );
  });

  it('is in the help of hunt, search and dump', async () => {
    for (const cmd of ['hunt', 'search', 'dump']) assert.match((await cli(cmd, '--help')).out, /--recover/);
  });
});
