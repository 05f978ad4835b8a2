/**
 * The EVTX reader as a readers plug-in (`FORMAT_READERS.evtx`): bytes pushed by
 * the file layer → `EvtxStream` → `WinEvent`s through the run's sink. The only
 * file of this layer that knows the readers' interface (type imports only).
 *
 * - `raw` (and what `rawFilter` sees) is the event rendered as one XML line,
 *   single-quoted attributes, as Splunk's XmlWinEventLog shows it.
 * - Origins carry no line; the diagnostics' messages name the file offset, chunk
 *   and record id (the readers' `report` takes a line only).
 */
import type { WinEvent } from '../events/types.js';
import type { ByteParser, ReadCode, ReaderContext } from '../readers/types.js';
import type { EvtxDiagnostic } from './errors.js';
import { mapEvent } from './event.js';
import { EvtxStream, type EvtxReadOptions } from './reader.js';
import { toXml } from './render.js';

function where(d: EvtxDiagnostic): string {
  const parts = [`file offset ${d.offset}`];
  if (d.chunk !== undefined) parts.push(`chunk ${d.chunk}`);
  if (d.recordId !== undefined) parts.push(`record ${d.recordId}`);
  return parts.join(', ');
}

/**
 * Opens an EVTX byte parser on a reader context.
 * @example FORMAT_READERS.evtx = { kind: 'bytes', open: (ctx) => createEvtxParser(ctx) }
 */
export function createEvtxParser(ctx: ReaderContext, opts: EvtxReadOptions = {}): ByteParser {
  const filter = ctx.rawFilter;
  const needXml = ctx.keepRaw || filter !== undefined;
  const stream = new EvtxStream(
    opts,
    (rec) => {
      const raw = needXml ? toXml(rec.root) : '';
      if (filter !== undefined && !filter(raw)) {
        ctx.counters.filtered++;
        return;
      }
      const m = mapEvent(rec.root);
      if (!m.ok) {
        ctx.report('evtx.bad-event' as ReadCode, 'error', `${m.message} (file offset ${rec.offset}, chunk ${rec.chunk}, record ${rec.recordId})`);
        return;
      }
      const origin = { file: ctx.file, offset: rec.offset };
      const e: WinEvent = ctx.keepRaw ? { system: m.system, data: m.data, raw, origin } : { system: m.system, data: m.data, origin };
      ctx.emit(e);
    },
    // EVTX codes are not in READ_CODES (readers/types.ts); they travel as the diagnostic's code string.
    (d) => ctx.report(d.code as ReadCode, d.severity, `${d.message} (${where(d)})`),
  );
  return {
    push: (bytes) => stream.push(bytes),
    end: () => {
      stream.end();
    },
  };
}
