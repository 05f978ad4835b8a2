/** Shared helpers for the EVTX tests. */
import type { WinEvent } from '../../src/events/types.js';
import type { EvtxDiagnostic } from '../../src/evtx/errors.js';
import { mapEvent } from '../../src/evtx/event.js';
import { readEvtx, type EvtxReadOptions, type EvtxRecord, type EvtxSummary } from '../../src/evtx/reader.js';
import { toXml } from '../../src/evtx/render.js';

export interface ReadResult {
  readonly records: EvtxRecord[];
  readonly xml: string[];
  readonly events: Pick<WinEvent, 'system' | 'data'>[];
  readonly diagnostics: EvtxDiagnostic[];
  readonly summary: EvtxSummary;
}

export function readAll(bytes: Uint8Array, opts: EvtxReadOptions = {}): ReadResult {
  const records: EvtxRecord[] = [];
  const diagnostics: EvtxDiagnostic[] = [];
  const summary = readEvtx(bytes, opts, (r) => records.push(r), (d) => diagnostics.push(d));
  const events: Pick<WinEvent, 'system' | 'data'>[] = [];
  for (const r of records) {
    const m = mapEvent(r.root);
    if (m.ok) events.push({ system: m.system, data: m.data });
  }
  return { records, xml: records.map((r) => toXml(r.root)), events, diagnostics, summary };
}

export function codes(ds: readonly EvtxDiagnostic[]): string[] {
  return ds.map((d) => d.code);
}

/** Deterministic PRNG (mulberry32). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
