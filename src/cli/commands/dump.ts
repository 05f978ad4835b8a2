/** `spelunk dump`: events as Windows renders them (XML) or as EVTX tools write them (JSON), from any input format. */
import { toEvtxJson, toXmlLine } from '../../events/render.js';
import type { WinEvent } from '../../events/types.js';
import { parseJobs, readPathsParallel } from '../../engine/parallel.js';
import type { ReadSink } from '../../readers/index.js';
import { closeSync, fstatSync, openSync, writeSync } from 'node:fs';
import { isatty } from 'node:tty';
import { DiagnosticPrinter, EXIT, UsageError, inputFailed, parseCommandArgs, summaryLine, type ExitCode, type Io } from '../common.js';
import { DUMP_HELP } from '../help.js';
import { createProgress } from '../progress.js';

const DUMP_FORMATS = ['xml', 'json', 'jsonl'] as const;
type DumpFormat = (typeof DUMP_FORMATS)[number];

/**
 * The event's XML on one line: the text it was read as when that was XML (EVTX
 * records render to XML too), else rendered. Line breaks between tags (Event
 * Viewer's indentation) are dropped; those inside values are written as `&#13;`
 * and `&#10;`, as EVTX records are (`ReadOptions.xmlLines`), so nothing is lost.
 */
export function xmlOf(e: WinEvent): string {
  if (e.raw === undefined || !e.raw.startsWith('<Event')) return toXmlLine(e);
  const s = e.raw.replace(/>[ \t]*\r?\n\s*</g, '><');
  return s.indexOf('\r') < 0 && s.indexOf('\n') < 0 ? s : s.replace(/\r/g, '&#13;').replace(/\n/g, '&#10;');
}

/** Where dump writes. `sync`: a write is complete when `write` returns, so a reused buffer may be written without a copy. */
interface Output {
  readonly sync: boolean;
  write(data: string | Uint8Array): void;
  close(): void;
}

/** Does a write to `fd` (through Node's stdout) complete before it returns? Regular files and non-terminal devices. */
function writesComplete(fd: number): boolean {
  try {
    const st = fstatSync(fd);
    return st.isFile() || (st.isCharacterDevice() && !isatty(fd));
  } catch {
    return false;
  }
}

function openOutput(path: string | undefined, io: Io): Output {
  if (path === undefined) {
    // Node writes a regular file, or a device such as /dev/null, before `write` returns; a pipe
    // that is full (`| less`) or a terminal may queue the write and read the buffer later.
    return { sync: io.stdout === process.stdout && writesComplete(1), write: (d) => void io.stdout.write(d), close: () => {} };
  }
  let fd: number;
  try {
    fd = openSync(path, 'w');
  } catch (e) {
    throw new UsageError(`cannot write ${path}: ${(e as Error).message}`);
  }
  return {
    sync: true,
    write: (d) => {
      const b = typeof d === 'string' ? Buffer.from(d) : d;
      for (let off = 0; off < b.length; ) off += writeSync(fd, b, off);
    },
    close: () => closeSync(fd),
  };
}

export async function dumpCommand(argv: readonly string[], io: Io): Promise<ExitCode> {
  const { values, positionals } = parseCommandArgs(argv, {
    format: { type: 'string' },
    output: { type: 'string' },
    quiet: { type: 'boolean' },
    debug: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
    jobs: { type: 'string' },
    recover: { type: 'boolean' },
  });
  if (values.help) {
    io.stdout.write(DUMP_HELP);
    return EXIT.ok;
  }
  if (positionals.length === 0) throw new UsageError('dump needs at least one input path (a file, a folder, or - for stdin)');
  const format = (values.format ?? 'xml') as DumpFormat;
  if (!(DUMP_FORMATS as readonly string[]).includes(format)) throw new UsageError(`--format must be one of ${DUMP_FORMATS.join(', ')} (got "${format}")`);
  const jobs = parseJobs(values.jobs);
  if (typeof jobs === 'string') throw new UsageError(jobs);
  const out = openOutput(values.output, io);
  const diags = new DiagnosticPrinter(io);
  const progress = createProgress(io.stderr, !values.quiet);
  const started = performance.now();
  let n = 0;
  let pending = '';
  const flush = (force = false): void => {
    if (pending.length > 1 << 16 || (force && pending.length > 0)) {
      out.write(pending);
      pending = '';
    }
  };
  if (format === 'json') pending += '[\n';
  const sink: ReadSink = {
    event(e) {
      switch (format) {
        case 'xml':
          pending += xmlOf(e) + '\n';
          break;
        case 'jsonl':
          pending += JSON.stringify({ file: e.origin.file, record_id: e.system.recordId ?? null, ...toEvtxJson(e) }) + '\n';
          break;
        case 'json':
          pending += (n > 0 ? ',\n' : '') + JSON.stringify(toEvtxJson(e), null, 2);
          break;
      }
      n++;
      flush();
    },
    diagnostic: (d) => diags.read(d),
    progress: (b) => progress.update(b, n),
  };
  // EVTX records are written as XML bytes straight from the file, with no event built (`ReadOptions.xmlLines`).
  const xmlLines =
    format === 'xml'
      ? (lines: Uint8Array, count: number): void => {
          flush(true);
          // The block's buffer is reused once this returns: written as it is only when the write completes now.
          out.write(out.sync ? lines : Buffer.from(lines));
          n += count;
        }
      : undefined;
  const read = await readPathsParallel(positionals, { keepRaw: true, ...(xmlLines !== undefined ? { xmlLines } : {}), ...(values.recover ? { recover: true } : {}) }, sink, { jobs });
  if (format === 'json') pending += (n > 0 ? '\n' : '') + ']\n';
  flush(true);
  progress.done();
  diags.finish();
  out.close();
  if (!values.quiet) io.stderr.write(summaryLine(read, `${n} events written`, (performance.now() - started) / 1000));
  return inputFailed(read) ? EXIT.partial : EXIT.ok;
}
