/**
 * `dump --jobs N` with EVTX input: workers send the records as blocks of XML lines
 * (`ReadOptions.xmlLines`, buffers transferred), in order with the events of other
 * files and with the parts the main thread reads, so the output is byte-identical to
 * one thread, line breaks inside values included (written as `&#13;` `&#10;`).
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { WinEvent } from '../../src/events/types.js';
import { recordOf } from '../evtx/fixtures.js';
import { writeEvtx } from '../evtx/writer.js';
import { cli } from '../support/cli.js';
import { EXCH01_SYSMON, exch01SysmonEvents } from '../support/examples.js';

/** The example events repeated over several chunks, some command lines holding only line breaks or line breaks inside. */
function events(n: number): WinEvent[] {
  const base = exch01SysmonEvents();
  return Array.from({ length: n }, (_, i) => {
    const e = base[i % base.length]!;
    const data = { ...e.data };
    if ('CommandLine' in data && i % 7 === 0) data['CommandLine'] = i % 14 === 0 ? '\r\n' : `cmd /c "a"\r\n  & b ${i}`;
    return { ...e, system: { ...e.system, recordId: i + 1 }, data };
  });
}

describe('dump --jobs: XML lines from workers', () => {
  const dir = mkdtempSync(join(tmpdir(), 'spelunk-dump-jobs-'));
  const big = join(dir, 'big.evtx');
  writeFileSync(big, writeEvtx(events(900).map((e) => recordOf(e)), { recordsPerChunk: 40 }));
  const folder = join(dir, 'mixed');
  const small = (name: string, n: number): void => writeFileSync(join(folder, name), writeEvtx(events(n).map((e) => recordOf(e))));

  it('one EVTX file read in parts, and a folder of EVTX and XML files: the same bytes as one thread', async () => {
    const saved = process.env['SPELUNK_EVTX_PART_BYTES'];
    process.env['SPELUNK_EVTX_PART_BYTES'] = String(3 * 65536);
    try {
      const one = await cli('dump', big, '--quiet', '--jobs', '1');
      assert.equal(one.code, 0, one.err);
      const lines = one.out.trim().split('\n');
      assert.equal(lines.length, 900);
      assert.ok(lines.some((l) => l.includes("<Data Name='CommandLine'>&#13;&#10;</Data>")), 'a value of only a line break');
      for (const jobs of ['2', '3']) assert.equal((await cli('dump', big, '--quiet', '--jobs', jobs)).out, one.out, `--jobs ${jobs}`);
    } finally {
      if (saved === undefined) delete process.env['SPELUNK_EVTX_PART_BYTES'];
      else process.env['SPELUNK_EVTX_PART_BYTES'] = saved;
    }

    mkdirSync(folder);
    small('a.evtx', 50);
    writeFileSync(join(folder, 'b.xml'), readFileSync(EXCH01_SYSMON));
    small('c.evtx', 120);
    small('d.evtx', 10);
    const one = await cli('dump', folder, '--quiet', '--jobs', '1');
    assert.equal(one.out.trim().split('\n').length, 50 + 20 + 120 + 10);
    assert.equal((await cli('dump', folder, '--quiet', '--jobs', '3')).out, one.out);
  });
});
