/**
 * Worker thread entry for `readPathsParallel`: reads whole files it is given
 * (decoding, EVTX, the literal pre-filter) and sends the surviving events and
 * the diagnostics, in file order, in batches. It blocks (Atomics.wait) while
 * the main thread holds `maxPending` of its batches unforwarded, which bounds
 * memory when a later file is read faster than an earlier one is consumed.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { readPaths, type ReadOptions } from '../readers/index.js';
import { compileLiteralTest } from '../spl/engine/literals.js';
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

const post = (m: WorkerMessage): void => port.postMessage(m);

port.on('message', (job: FileJob) => {
  void readOne(job);
});

async function readOne(job: FileJob): Promise<void> {
  const { seq, path } = job;
  let items: BatchItem[] = [];
  const send = (): void => {
    if (items.length === 0) return;
    for (;;) {
      const n = Atomics.load(pending, 0);
      if (n < init.maxPending) break;
      Atomics.wait(pending, 0, n);
    }
    Atomics.add(pending, 0, 1);
    post({ t: 'batch', seq, items });
    items = [];
  };
  try {
    const summary = await readPaths([path], opts, {
      event(e) {
        items.push(e);
        if (items.length >= init.batchSize) send();
      },
      diagnostic(d) {
        items.push({ diag: d });
        if (items.length >= init.batchSize) send();
      },
      progress(bytes) {
        post({ t: 'progress', seq, bytes });
      },
    });
    send();
    post({ t: 'done', seq, summary });
  } catch (e) {
    const err = e instanceof Error ? e : new Error(String(e));
    post({ t: 'error', seq, message: err.message, ...(err.stack !== undefined ? { stack: err.stack } : {}) });
  }
}
