/**
 * `npm run bench`: speed and memory of `hunt` on large inputs made by repeating
 * real events (the Windows example events of ../shared/escu/data_sources, plus
 * ../shared/data's XML and JSON lines when present) with fresh record ids, and
 * a synthetic UM-parent positive every 100,000 events.
 *
 * Size: BENCH_MB (default 512) MB per format; the EVTX file holds BENCH_EVTX_MB
 * (default 256) MB of records, about twice that on disk. Reproduce:
 *   npm run bench                        # 512 MB per format, a 533 MB EVTX file
 *   BENCH_MB=2048 npm run bench          # the 2 GB memory check
 *   BENCH_ONLY=evtx npm run bench        # only spelunk against evtxexport on the EVTX file
 */
import { spawnSync } from 'node:child_process';
import { escuExampleEvents } from './evtx-file.js';
import { createWriteStream, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { once } from 'node:events';
import { toEvtxJson, toXmlLine } from '../src/events/render.js';
import type { WinEvent } from '../src/events/types.js';
import { parseEventXml } from '../src/readers/index.js';
import { packageRoot } from '../src/content/index.js';

const ROOT = packageRoot();
const SHARED = join(ROOT, '..', 'shared');
const OUT = join(ROOT, 'bench', 'out');
const MB = Number(process.env['BENCH_MB'] ?? 512);

function realEvents(): WinEvent[] {
  const events = escuExampleEvents();
  const data = join(SHARED, 'data');
  if (existsSync(data)) {
    const walk = (d: string): void => {
      for (const f of readdirSync(d).sort()) {
        const p = join(d, f);
        if (statSync(p).isDirectory()) walk(p);
        else if (/\.(xml|log)$/i.test(f) && statSync(p).size < 50_000_000) {
          for (const line of readFileSync(p, 'utf8').split('\n')) {
            if (!line.startsWith('<Event')) continue;
            const r = parseEventXml(line);
            if (r.ok) events.push({ system: r.system, data: r.data, origin: { file: p } });
          }
        }
      }
    };
    walk(data);
  }
  return events;
}

function positive(base: WinEvent): WinEvent {
  return {
    ...base,
    system: { ...base.system, provider: 'Microsoft-Windows-Sysmon', eventId: 1, channel: 'Microsoft-Windows-Sysmon/Operational' },
    data: {
      ...base.data,
      Image: 'C:\\Windows\\System32\\cmd.exe',
      CommandLine: 'cmd.exe /c whoami',
      ParentImage: 'C:\\Program Files\\Microsoft\\Exchange Server\\V15\\Bin\\UMWorkerProcess.exe',
      ParentCommandLine: 'UMWorkerProcess.exe',
      ProcessId: '7312',
      ParentProcessId: '5904',
    },
  };
}

async function writeCorpus(file: string, render: (e: WinEvent) => string, events: WinEvent[]): Promise<{ bytes: number; events: number }> {
  return writeCorpusSized(file, render, events, MB);
}

async function writeCorpusSized(file: string, render: (e: WinEvent) => string, events: WinEvent[], mb: number): Promise<{ bytes: number; events: number }> {
  const out = createWriteStream(file);
  const target = mb * 1024 * 1024;
  let bytes = 0;
  let n = 0;
  let record = 1;
  const sysmon1 = events.find((e) => e.system.eventId === 1 && e.system.provider === 'Microsoft-Windows-Sysmon') ?? (events[0] as WinEvent);
  while (bytes < target) {
    let batch = '';
    for (let k = 0; k < 2000; k++) {
      const base = n % 100_000 === 99_999 ? positive(sysmon1) : (events[n % events.length] as WinEvent);
      const e: WinEvent = { ...base, system: { ...base.system, recordId: record++ } };
      batch += render(e) + '\n';
      n++;
    }
    bytes += Buffer.byteLength(batch);
    if (!out.write(batch)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  return { bytes, events: n };
}

interface Measured {
  detections?: number;
  of?: number;
  bytes: number;
  events: number;
  filtered: number;
  rows: number;
  seconds: number;
  maxRssMB: number;
}

function measure(args: string[], nodeFlags: string[] = []): Measured {
  const r = spawnSync(process.execPath, [...nodeFlags, join(ROOT, 'dist', 'bench', 'child.js'), ...args], { encoding: 'utf8', maxBuffer: 1 << 20 });
  if (r.status !== 0) throw new Error(`bench child failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as Measured;
}

const events = realEvents();
mkdirSync(OUT, { recursive: true });
const lines: string[] = [];
// BENCH_ONLY=evtx: only the EVTX comparison (no text corpora written, no hunt runs).
if (process.env['BENCH_ONLY'] !== 'evtx') {
  const xml = join(OUT, 'events.xml');
  const jsonl = join(OUT, 'events.jsonl');
  process.stderr.write(`bench: writing ${MB} MB of XML lines and of JSON lines from ${events.length} real events to ${OUT} ...\n`);
  const xmlInfo = await writeCorpus(xml, toXmlLine, events);
  await writeCorpus(jsonl, (e) => JSON.stringify(toEvtxJson(e)), events);

  // Process-creation events only (Sysmon 1, Security 4688): every one is normalized and reaches every detection.
  const processes = join(OUT, 'processes.xml');
  const procEvents = events.filter((e) => (e.system.eventId === 1 && e.system.provider === 'Microsoft-Windows-Sysmon') || e.system.eventId === 4688);
  await writeCorpusSized(processes, toXmlLine, procEvents, Math.max(16, Math.round(MB / 8)));

  const runs: [string, string[]][] = [
    ['hunt, built-in content, XML lines (pre-filtered)', ['hunt', xml]],
    ['hunt, built-in content, JSON lines (pre-filtered)', ['hunt', jsonl]],
    ['hunt, built-in content, XML lines, every event normalized (--no-prefilter)', ['hunt-all', xml]],
    ['search \\| tstats count by host (every event, all fields), XML lines', ['search', xml, '| tstats count by host']],
    ['every ESCU Endpoint.Processes detection that compiles, process events only', ['escu-processes', processes]],
  ];
  lines.push(`spelunk benchmark: ${MB} MB per input (${xmlInfo.events.toLocaleString('en-US')} events in the XML file), Node ${process.version}, 1 core per run`);
  lines.push('');
  lines.push('| run | MB/s | events/s | peak RSS (MB) | results |');
  lines.push('|---|---:|---:|---:|---:|');
  for (const [name, args] of runs) {
    const m = measure(args);
    const total = m.events + m.filtered;
    const label = m.detections !== undefined ? `${name} (${m.detections} of ${m.of} detections; ${MB >= 0 ? Math.round(m.bytes / 1048576) : 0} MB)` : name;
    lines.push(`| ${label} | ${(m.bytes / 1048576 / m.seconds).toFixed(0)} | ${Math.round(total / m.seconds).toLocaleString('en-US')} | ${m.maxRssMB.toFixed(0)} | ${m.rows} |`);
  }
  lines.push('');
}

// EVTX: spelunk's reader against libevtx's evtxexport on the same file (full rendering to XML).
// BENCH_EVTX_MB (default 256) sets the file's size in record data; the file comes out about twice that.
const evtxMb = Number(process.env['BENCH_EVTX_MB'] ?? 256);
const evtx = join(OUT, 'events.evtx');
process.stderr.write(`bench: writing an EVTX file of about ${2 * evtxMb} MB to ${evtx} ...\n`);
// In a child process: the writer holds every record in memory, and a child forked from a large
// parent starts with the parent's peak RSS (the children below report theirs).
const made = spawnSync(process.execPath, [join(ROOT, 'dist', 'bench', 'evtx-file.js'), evtx, String(evtxMb)], { stdio: 'inherit' });
if (made.status !== 0) throw new Error('bench: could not write the EVTX file');
/** Best wall-clock seconds of `runs` runs of a whole process, its output to /dev/null. */
function wall(cmd: string, args: string[], runs = 3): number | undefined {
  let best = Infinity;
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    const x = spawnSync(cmd, args, { stdio: ['ignore', 'ignore', 'ignore'] });
    if (x.status !== 0) return undefined;
    best = Math.min(best, (performance.now() - t0) / 1000);
  }
  return best;
}
const dump = measure(['evtx-dump', evtx]);
const dumpWall = wall(process.execPath, [join(ROOT, 'bin', 'spelunk.js'), 'dump', evtx, '--quiet']);
const ev = measure(['evtx-render', evtx]);
// Decoding EVTX makes garbage fast and V8 lets the heap grow far beyond the live set before it
// collects; the same run with the heap capped shows the memory the reader needs.
const evCapped = measure(['evtx-render', evtx], ['--max-old-space-size=192']);
const row = (name: string, secs: number, rss: string): string =>
  `| ${name} | ${Math.round(dump.events / secs).toLocaleString('en-US')} | ${(dump.bytes / 1048576 / secs).toFixed(0)} | ${secs.toFixed(2)} | ${rss} |`;
lines.push(`EVTX, ${Math.round(dump.bytes / 1048576)} MB, ${dump.events.toLocaleString('en-US')} records, every record decoded and rendered, one core:`);
lines.push('');
lines.push('| reader | records/s | MB/s | seconds | peak RSS (MB) |');
lines.push('|---|---:|---:|---:|---:|');
if (dumpWall !== undefined) lines.push(row('`spelunk dump FILE` (XML lines), whole process, best of 3', dumpWall, '-'));
lines.push(row('spelunk dump (XML lines), in process', dump.seconds, dump.maxRssMB.toFixed(0)));
lines.push(row('spelunk XML line + WinEvent per record (what hunt reads), in process', ev.seconds, ev.maxRssMB.toFixed(0)));
lines.push(row('the same, node --max-old-space-size=192', evCapped.seconds, evCapped.maxRssMB.toFixed(0)));
const which = spawnSync('sh', ['-c', 'command -v evtxexport'], { encoding: 'utf8' });
if (which.status === 0) {
  const secs = wall('evtxexport', ['-f', 'xml', evtx]);
  if (secs !== undefined) {
    lines.push(row('`evtxexport -f xml FILE` (libevtx), whole process, best of 3', secs, '-'));
    lines.push('');
    if (dumpWall !== undefined) lines.push(`spelunk dump renders ${(secs / dumpWall).toFixed(1)}x as fast as evtxexport on this file (whole processes, output to /dev/null).`);
  } else {
    lines.push('| evtxexport | failed | | | |');
  }
} else {
  lines.push('| evtxexport | not installed (apt-get install libevtx-utils) | | | |');
}
lines.push('');
lines.push(`Reproduce: BENCH_MB=${MB} BENCH_EVTX_MB=${evtxMb} npm run bench`);
process.stdout.write(lines.join('\n') + '\n');
