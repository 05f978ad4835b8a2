/**
 * Renders a `WinEvent` back to text: as one Splunk XmlWinEventLog line (the XML
 * Windows renders, single-quoted attributes), or as the EVTX-as-JSON shape
 * other EVTX tools write. Used by benchmarks, `dump`, and tests.
 */
import type { WinEvent } from './types.js';

function xmlText(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function xmlAttr(s: string): string {
  return xmlText(s).replace(/'/g, '&apos;');
}

/** One event as Splunk's XmlWinEventLog line. */
export function toXmlLine(e: WinEvent): string {
  const s = e.system;
  const opt = (tag: string, v: string | number | undefined): string => (v === undefined ? '' : `<${tag}>${xmlText(String(v))}</${tag}>`);
  const provider = `<Provider Name='${xmlAttr(s.provider)}'${s.providerGuid !== undefined ? ` Guid='${xmlAttr(s.providerGuid)}'` : ''}/>`;
  const exec =
    s.processId !== undefined || s.threadId !== undefined
      ? `<Execution${s.processId !== undefined ? ` ProcessID='${s.processId}'` : ''}${s.threadId !== undefined ? ` ThreadID='${s.threadId}'` : ''}/>`
      : '';
  const security = s.userId !== undefined ? `<Security UserID='${xmlAttr(s.userId)}'/>` : '<Security/>';
  const data = Object.entries(e.data)
    .map(([k, v]) => (v === '' ? `<Data Name='${xmlAttr(k)}'/>` : `<Data Name='${xmlAttr(k)}'>${xmlText(v)}</Data>`))
    .join('');
  return (
    `<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'><System>${provider}` +
    `<EventID>${s.eventId}</EventID>${opt('Version', s.version)}${opt('Level', s.level)}${opt('Task', s.task)}${opt('Opcode', s.opcode)}${opt('Keywords', s.keywords)}` +
    `<TimeCreated SystemTime='${xmlAttr(s.timeCreated)}'/>${opt('EventRecordID', s.recordId)}<Correlation/>${exec}` +
    `<Channel>${xmlText(s.channel)}</Channel><Computer>${xmlText(s.computer)}</Computer>${security}</System>` +
    `<EventData>${data}</EventData></Event>`
  );
}

/** One event in the EVTX-as-JSON shape: `{"Event": {"#attributes": ..., "System": ..., "EventData": ...}}`. */
export function toEvtxJson(e: WinEvent): Record<string, unknown> {
  const s = e.system;
  const attrs = (o: Record<string, unknown>): { '#attributes': Record<string, unknown> } => ({ '#attributes': o });
  const system: Record<string, unknown> = {
    Provider: attrs({ Name: s.provider, ...(s.providerGuid !== undefined ? { Guid: s.providerGuid } : {}) }),
    EventID: s.eventId,
  };
  if (s.version !== undefined) system['Version'] = s.version;
  if (s.level !== undefined) system['Level'] = s.level;
  if (s.task !== undefined) system['Task'] = s.task;
  if (s.opcode !== undefined) system['Opcode'] = s.opcode;
  if (s.keywords !== undefined) system['Keywords'] = s.keywords;
  system['TimeCreated'] = attrs({ SystemTime: s.timeCreated });
  if (s.recordId !== undefined) system['EventRecordID'] = s.recordId;
  system['Correlation'] = null;
  if (s.processId !== undefined || s.threadId !== undefined) {
    system['Execution'] = attrs({ ...(s.processId !== undefined ? { ProcessID: s.processId } : {}), ...(s.threadId !== undefined ? { ThreadID: s.threadId } : {}) });
  }
  system['Channel'] = s.channel;
  system['Computer'] = s.computer;
  system['Security'] = s.userId !== undefined ? attrs({ UserID: s.userId }) : null;
  return {
    Event: {
      '#attributes': { xmlns: 'http://schemas.microsoft.com/win/2004/08/events/event' },
      System: system,
      EventData: { ...e.data },
    },
  };
}
