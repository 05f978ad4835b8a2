/**
 * The benchmark's EVTX file: the real example events repeated with fresh record ids,
 * written by the test-only EVTX writer, about `mb` MB.
 *   node dist/bench/evtx-file.js bench/out/events.evtx 64
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import type { WinEvent } from '../src/events/types.js';
import { parseEventXml } from '../src/readers/index.js';
import { packageRoot } from '../src/content/index.js';
import { recordOf } from '../test/evtx/fixtures.js';
import { writeEvtx, type WRecord } from '../test/evtx/writer.js';

/** The Windows `example_log` events of ../shared/escu/data_sources (real XmlWinEventLog records). */
export function escuExampleEvents(): WinEvent[] {
  const events: WinEvent[] = [];
  const dir = join(packageRoot(), '..', 'shared', 'escu', 'data_sources');
  for (const f of readdirSync(dir).sort()) {
    const doc = parse(readFileSync(join(dir, f), 'utf8')) as { example_log?: unknown };
    const x = typeof doc.example_log === 'string' ? doc.example_log.replace(/\r?\n/g, ' ').trim() : '';
    if (!x.startsWith('<Event')) continue;
    const r = parseEventXml(x);
    if (r.ok) events.push({ system: r.system, data: r.data, origin: { file: f } });
  }
  return events;
}

/** Writes `events` repeated (fresh record ids) as an EVTX file of about `mb` MB. */
export function writeBenchEvtx(file: string, events: readonly WinEvent[], mb: number): void {
  const recs: WRecord[] = [];
  let size = 0;
  for (let i = 0; size < mb * 1024 * 1024; i++) {
    const e = events[i % events.length] as WinEvent;
    recs.push(recordOf({ ...e, system: { ...e.system, recordId: i + 1 } }, i + 1));
    size += 900; // about one record's share of a chunk; the file ends close to the size asked for
  }
  writeFileSync(file, writeEvtx(recs));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [file, mb] = process.argv.slice(2);
  if (!file) throw new Error('usage: evtx-file.js <out.evtx> [MB]');
  writeBenchEvtx(file, escuExampleEvents(), Number(mb ?? 64));
}
