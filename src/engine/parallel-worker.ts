/**
 * Worker thread entry for `readPathsParallel`: reads whole files it is given
 * (decoding, EVTX, the literal pre-filter), or one part (a chunk range) of a
 * large EVTX file (`readEvtxPart`), and sends the surviving events and
 * the diagnostics, in file order, in batches. It blocks (Atomics.wait) while
 * the main thread holds `maxPending` of its batches unforwarded, which bounds
 * memory when a later file is read faster than an earlier one is consumed.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { readEvtxPart, readPaths, type ReadOptions } from '../readers/index.js';
import { compileLiteralTest } from '../spl/engine/literals.js';
import type { ReadDiagnostic, WinEvent } from '../events/types.js';
import type { BatchItem, FileJob, WorkerInit, WorkerMessage } from './parallel-protocol.js';

const init = workerData as WorkerInit;
const port = parentPort;
if (port === null) throw new Error('parallel-worker.js must run as a worker thread');
const pending = new Int32Array(init.pending);
const opts: ReadOptions = {
  keepRaw: init.keepRaw,
  ...(init.literals !== undefined ? { rawFilter: compileLiteralTest(init.literals), literals: init.literals } : {}),
  ...(init.maxRecordChars !== undefined ? { maxRecordChars: init.maxRecordChars } : {}),
  ...(init.fields !== undefined ? { fields: init.fields } : {}),
  ...(init.recover === true ? { recover: true } : {}),
};
// Blocks of XML lines are copied out of the reader's reused buffer and sent at once (transferred, not cloned).
const xmlLines = init.xmlLines === true;

const post = (m: WorkerMessage, transfer: ArrayBuffer[] = []): void => port.postMessage(m, transfer);

port.on('message', (job: FileJob) => {
  void readOne(job);
});

async function readOne(job: FileJob): Promise<void> {
  const { seq, path, part } = job;
  let items: BatchItem[] = [];
  const send = (): void => {
    if (items.length === 0) return;
    for (;;) {
      const n = Atomics.load(pending, 0);
      if (n < init.maxPending) break;
      Atomics.wait(pending, 0, n);
    }
    Atomics.add(pending, 0, 1);
    const transfer: ArrayBuffer[] = [];
    for (const it of items) if ('lines' in it) transfer.push(it.lines.buffer as ArrayBuffer);
    post({ t: 'batch', seq, items }, transfer);
    items = [];
  };
  const sink = {
    event(e: WinEvent): void {
      items.push(e);
      if (items.length >= init.batchSize) send();
    },
    diagnostic(d: ReadDiagnostic): void {
      items.push({ diag: d });
      if (items.length >= init.batchSize) send();
    },
    progress(bytes: number): void {
      post({ t: 'progress', seq, bytes });
    },
  };
  const readOpts: ReadOptions = xmlLines
    ? {
        ...opts,
        xmlLines: (lines, count) => {
          items.push({ lines: lines.slice(), count });
          send();
        },
      }
    : opts;
  try {
    if (part !== undefined) {
      // One chunk range of a large EVTX file: the main thread puts the parts together.
      const result = await readEvtxPart(path, part, readOpts, sink, sink.progress);
      send();
      post({ t: 'part', seq, result });
      return;
    }
    const summary = await readPaths([path], readOpts, sink);
    send();
    post({ t: 'done', seq, summary });
  } catch (e) {
    const err = e instanceof Error ? e : new Error(String(e));
    post({ t: 'error', seq, message: err.message, ...(err.stack !== undefined ? { stack: err.stack } : {}) });
  }
}
