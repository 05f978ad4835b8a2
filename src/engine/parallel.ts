/**
 * `readPaths` over several files at once with worker threads, delivering to the
 * sink exactly what the single-threaded `readPaths` delivers, in the same order:
 * files in the order the walk visits them, each file's events and diagnostics in
 * file order, the same `ReadSummary`. Workers read, decode and pre-filter whole
 * files; the main thread forwards a file's batches only once every earlier file
 * is done, and holds at most `maxPending` unforwarded batches per worker (the
 * worker waits), so memory stays bounded. Standard input is read on the main
 * thread, in its place. With fewer files than jobs, a large EVTX file is read
 * in parts (chunk ranges, `readEvtxPart`) by several workers and put together
 * in order. See docs/design/parallel.md.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import {
  EVTX_PART_BYTES,
  finishEvtxParts,
  planEvtxParts,
  planInputs,
  readEvtxPart,
  readPaths,
  summarizeFiles,
  type PlannedInput,
  type EvtxPart,
  type EvtxPartPlan,
  type EvtxPartResult,
  type FileSummary,
  type ReadOptions,
  type ReadSink,
  type ReadSummary,
} from '../readers/index.js';
import { isDiag, isLines, type BatchItem, type FileJob, type WorkerInit, type WorkerMessage } from './parallel-protocol.js';

/** Events (and diagnostics) per batch sent by a worker. */
export const BATCH_SIZE = 512;
/** Unforwarded batches the main thread holds per worker before that worker waits. */
export const MAX_PENDING_BATCHES = 16;

/** The compiled worker entry, next to this module (dist/src/engine/). */
export const WORKER_URL = new URL('./parallel-worker.js', import.meta.url);

/**
 * Whether the worker entry exists as JavaScript next to this module. Not when
 * running the TypeScript sources directly (tsx from src/): then `--jobs` falls
 * back to 1.
 */
export function workerAvailable(): boolean {
  try {
    return WORKER_URL.protocol === 'file:' && existsSync(fileURLToPath(WORKER_URL));
  } catch {
    return false;
  }
}

/** The CPUs this process may use: what `--jobs auto` asks for. */
export function defaultJobs(): number {
  return Math.max(1, availableParallelism());
}

/**
 * `--jobs` text to a count, or an error message for the CLI's usage error.
 * The default is 1: on a 2-core machine the searches, rendering and copying
 * events between threads share the cores with the workers, and end-to-end runs
 * measured slower with workers (docs/design/parallel.md). `auto` uses every CPU.
 */
export function parseJobs(v: string | undefined): number | string {
  if (v === undefined) return 1;
  if (v === 'auto') return defaultJobs();
  if (!/^\d+$/.test(v) || Number(v) < 1) return `--jobs must be auto or a whole number of at least 1 (got "${v}")`;
  return Math.min(Number(v), 1024);
}

export interface ParallelOptions {
  /**
   * Threads reading at most (capped at the number of files, or of parts when files are read in
   * parts: then the main thread reads every `jobs`-th part and `jobs - 1` workers the rest);
   * 1 = `readPaths` itself.
   */
  readonly jobs: number;
  /** Tests: smaller batches and a smaller bound to exercise back-pressure. */
  readonly batchSize?: number;
  readonly maxPending?: number;
  /** Tests: called with the number of received, not yet forwarded batches (all files) after each one arrives. */
  readonly onHeld?: (batches: number) => void;
  /**
   * Part size for a large EVTX file read in parts (whole 64 KiB chunks; default
   * `SPELUNK_EVTX_PART_BYTES` from the environment, else `EVTX_PART_BYTES`, 16 MiB).
   * Files are read in parts only when there are fewer files than jobs.
   */
  readonly evtxPartBytes?: number;
  /** Tests: called for each file read in parts, with the number of parts. */
  readonly onParts?: (file: string, parts: number) => void;
}

/** The EVTX part size from `SPELUNK_EVTX_PART_BYTES` (tests and tuning), if set to a positive whole number. */
function envPartBytes(): number | undefined {
  const v = process.env['SPELUNK_EVTX_PART_BYTES'];
  return v !== undefined && /^\d+$/.test(v) && Number(v) > 0 ? Number(v) : undefined;
}

/** Per unit (a file, or a part of one) being read by a worker: its batches not yet forwarded, and its end. */
interface Slot {
  readonly batches: BatchItem[][];
  worker: number;
  summary?: ReadSummary;
  part?: EvtxPartResult;
  error?: Error;
  wake?: () => void;
}

/**
 * `readPaths(paths, opts, sink)` with up to `jobs` worker threads. Falls back to
 * `readPaths` itself when `jobs` is 1, when there are fewer than two files and no
 * large EVTX file to read in parts, when
 * the worker entry is not compiled JavaScript (running from src/), or when
 * `opts.rawFilter` comes without the `literals` that workers rebuild it from.
 */
export async function readPathsParallel(paths: readonly string[], opts: ReadOptions, sink: ReadSink, options: ParallelOptions): Promise<ReadSummary> {
  if (options.jobs <= 1 || (opts.rawFilter !== undefined && opts.literals === undefined) || !workerAvailable()) return readPaths(paths, opts, sink);
  const plan = await planInputs(paths);
  const fileCount = plan.filter((p) => p.kind === 'file').length;
  // Fewer files than jobs (e.g. one big EVTX file): large EVTX files are read in parts by several workers.
  const split = new Map<number, EvtxPartPlan>();
  let units = fileCount;
  if (options.jobs > fileCount) {
    const partBytes = options.evtxPartBytes ?? envPartBytes() ?? EVTX_PART_BYTES;
    for (let seq = 0; seq < plan.length; seq++) {
      const p = plan[seq] as PlannedInput;
      if (p.kind !== 'file') continue;
      const parts = await planEvtxParts(p.path, p.size, partBytes);
      if (parts === undefined) continue;
      split.set(seq, parts);
      units += parts.parts.length - 1;
      options.onParts?.(p.path, parts.parts.length);
    }
  }
  const jobs = Math.min(options.jobs, units);
  if (jobs <= 1) return readPaths(paths, opts, sink);
  return runPlan(plan, split, opts, sink, jobs, options.batchSize ?? BATCH_SIZE, options.maxPending ?? MAX_PENDING_BATCHES, options.onHeld);
}

async function runPlan(
  plan: readonly PlannedInput[],
  split: ReadonlyMap<number, EvtxPartPlan>,
  opts: ReadOptions,
  sink: ReadSink,
  jobs: number,
  batchSize: number,
  maxPending: number,
  onHeld: ((batches: number) => void) | undefined,
): Promise<ReadSummary> {
  const files: FileSummary[] = [];
  let failedFiles = 0;
  const slots = new Map<number, Slot>();
  let fatal: Error | undefined;

  // Units of work in plan order: a whole file, or one part of a file read in parts. The main
  // thread reads every `jobs`-th part itself, in its turn, straight to the sink (no copy between
  // threads); `jobs - 1` workers then read the rest, so `jobs` threads read in all.
  const units: FileJob[] = [];
  const unitsOf = new Map<number, number[]>();
  const inline = new Set<number>();
  plan.forEach((p, seq) => {
    if (p.kind !== 'file') return;
    const us: number[] = [];
    for (const part of split.get(seq)?.parts ?? [undefined]) {
      if (part !== undefined && part.index % jobs === 0) inline.add(units.length);
      us.push(units.length);
      units.push(part === undefined ? { seq: units.length, path: p.path } : { seq: units.length, path: p.path, part });
    }
    unitsOf.set(seq, us);
  });
  const threads = inline.size > 0 ? Math.max(1, jobs - 1) : jobs;

  // Progress: bytes of finished files plus what each worker has read of its current one.
  let bytesDone = 0;
  const current: number[] = new Array<number>(threads).fill(0);
  // Bytes read on the main thread: standard input, and the parts of large EVTX files it reads itself.
  let mainBytes = 0;
  const progress = sink.progress?.bind(sink);
  const reportProgress = (): void => {
    if (!progress) return;
    let b = bytesDone + mainBytes;
    for (const c of current) b += c;
    progress(b);
  };

  const counters = Array.from({ length: threads }, () => new Int32Array(new SharedArrayBuffer(4)));
  let nextUnit = 0;
  const workers: Worker[] = [];

  const wakeAll = (): void => {
    for (const s of slots.values()) s.wake?.();
  };
  const assign = (w: number): void => {
    while (inline.has(nextUnit)) nextUnit++;
    if (nextUnit >= units.length || fatal) return;
    const job = units[nextUnit++] as FileJob;
    slots.set(job.seq, { batches: [], worker: w });
    current[w] = 0;
    (workers[w] as Worker).postMessage(job);
  };
  const onMessage = (w: number, m: WorkerMessage): void => {
    const slot = slots.get(m.seq);
    if (!slot) return;
    switch (m.t) {
      case 'batch':
        slot.batches.push(m.items);
        if (onHeld) {
          let held = 0;
          for (const s of slots.values()) held += s.batches.length;
          onHeld(held);
        }
        break;
      case 'progress':
        current[w] = m.bytes;
        reportProgress();
        return;
      case 'done':
        slot.summary = m.summary;
        bytesDone += m.summary.bytes;
        current[w] = 0;
        assign(w);
        break;
      case 'part':
        slot.part = m.result;
        bytesDone += m.result.bytes;
        current[w] = 0;
        assign(w);
        break;
      case 'error': {
        const e = new Error(m.message);
        if (m.stack !== undefined) e.stack = m.stack;
        slot.error = e;
        break;
      }
    }
    slot.wake?.();
  };

  const init = (w: number): WorkerInit => ({
    keepRaw: opts.keepRaw ?? true,
    ...(opts.literals !== undefined && opts.rawFilter !== undefined ? { literals: opts.literals } : {}),
    ...(opts.maxRecordChars !== undefined ? { maxRecordChars: opts.maxRecordChars } : {}),
    ...(opts.fields !== undefined ? { fields: opts.fields } : {}),
    ...(opts.recover === true ? { recover: true } : {}),
    ...(opts.xmlLines !== undefined ? { xmlLines: true } : {}),
    batchSize,
    maxPending,
    pending: (counters[w] as Int32Array).buffer as SharedArrayBuffer,
  });

  try {
    for (let w = 0; w < threads; w++) {
      const worker = new Worker(WORKER_URL, { workerData: init(w) });
      worker.on('message', (m: WorkerMessage) => onMessage(w, m));
      worker.on('error', (e) => {
        fatal ??= e;
        wakeAll();
      });
      worker.on('exit', (code) => {
        if (code !== 0 && !fatal) {
          fatal = new Error(`parallel reader worker exited with code ${code}`);
          wakeAll();
        }
      });
      workers.push(worker);
    }
    for (let w = 0; w < threads; w++) assign(w);

    const ack = (w: number): void => {
      const c = counters[w] as Int32Array;
      Atomics.sub(c, 0, 1);
      Atomics.notify(c, 0);
    };
    const deliver = (items: readonly BatchItem[]): void => {
      for (let k = 0; k < items.length; k++) {
        const it = items[k] as BatchItem;
        if (isDiag(it)) sink.diagnostic(it.diag);
        else if (isLines(it)) opts.xmlLines?.(it.lines, it.count);
        else sink.event(it);
      }
    };
    const merge = (s: ReadSummary): void => {
      files.push(...s.files);
      failedFiles += s.failedFiles;
    };
    /** Forwards a unit's batches (or only acknowledges them) until it is done. */
    const drain = async (u: number, forward: boolean): Promise<Slot> => {
      const slot = slots.get(u) as Slot;
      for (;;) {
        while (slot.batches.length > 0) {
          const items = slot.batches.shift() as BatchItem[];
          if (forward) deliver(items);
          ack(slot.worker);
        }
        if (slot.error) throw slot.error;
        if (fatal) throw fatal;
        if (slot.summary || slot.part) break;
        await new Promise<void>((resolve) => (slot.wake = resolve));
        delete slot.wake;
      }
      slots.delete(u);
      return slot;
    };

    for (let seq = 0; seq < plan.length; seq++) {
      const p = plan[seq] as PlannedInput;
      if (p.kind === 'fail') {
        sink.diagnostic({ code: p.code, severity: 'error', message: p.message, origin: { file: p.path } });
        files.push({ file: p.path, bytes: 0, events: 0, filtered: 0, skipped: 0, errors: 1 });
        failedFiles++;
        continue;
      }
      if (p.kind === 'stdin') {
        const base = mainBytes;
        const s = await readPaths(['-'], opts, {
          event: (e) => sink.event(e),
          diagnostic: (d) => sink.diagnostic(d),
          progress: (b) => {
            mainBytes = base + b;
            reportProgress();
          },
        });
        mainBytes = base + s.bytes;
        merge(s);
        continue;
      }
      const us = unitsOf.get(seq) as number[];
      const parts = split.get(seq);
      if (parts === undefined) {
        merge((await drain(us[0] as number, true)).summary as ReadSummary);
        continue;
      }
      // A file read in parts: the parts in order, up to one stopped by a read error (later ones are read but dropped).
      const results: EvtxPartResult[] = [];
      for (const u of us) {
        const stopped = results.at(-1)?.failed === true;
        if (inline.has(u)) {
          if (stopped) continue;
          const base = mainBytes;
          const r = await readEvtxPart(p.path, (units[u] as FileJob).part as EvtxPart, opts, sink, (b) => {
            mainBytes = base + b;
            reportProgress();
          });
          mainBytes = base + r.bytes;
          results.push(r);
          continue;
        }
        const slot = await drain(u, !stopped);
        if (!stopped) results.push(slot.part as EvtxPartResult);
      }
      const end = finishEvtxParts(parts, results, opts, sink);
      files.push(end.summary);
      if (end.failed) failedFiles++;
    }
  } finally {
    fatal ??= new Error('parallel read ended');
    // Release any worker waiting for an ack, then stop them all.
    for (const c of counters) {
      Atomics.store(c, 0, -(1 << 30));
      Atomics.notify(c, 0);
    }
    await Promise.all(workers.map((w) => w.terminate()));
  }

  return summarizeFiles(files, failedFiles);
}
