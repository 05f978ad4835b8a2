/**
 * Real example events from Splunk's ESCU data source descriptions
 * (`../shared/escu/data_sources/*.yml`, field `example_log`), and synthetic
 * variants of them in which only named EventData fields (and the time, host
 * and record id) are changed.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { toEvtxJson } from '../../src/events/render.js';
import { parseEventXml } from '../../src/readers/index.js';
import { ESCU } from './paths.js';

export function exampleLog(dataSource: string): string {
  const doc = parse(readFileSync(join(ESCU, 'data_sources', `${dataSource}.yml`), 'utf8')) as { example_log?: string };
  if (!doc.example_log) throw new Error(`${dataSource} has no example_log`);
  return doc.example_log.trim();
}

/** Every Windows XML example event in the data source folder, by file name. */
export function allWindowsExamples(): { name: string; xml: string }[] {
  const out: { name: string; xml: string }[] = [];
  for (const f of readdirSync(join(ESCU, 'data_sources')).sort()) {
    if (!f.endsWith('.yml')) continue;
    const doc = parse(readFileSync(join(ESCU, 'data_sources', f), 'utf8')) as { example_log?: unknown };
    const x = typeof doc.example_log === 'string' ? doc.example_log.trim() : '';
    if (x.startsWith('<Event') && x.includes('</Event>')) out.push({ name: f, xml: x.replace(/\r?\n/g, ' ') });
  }
  return out;
}

function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Replaces (or adds) `<Data Name='k'>` values, and optionally System fields, in one XML event line. */
export function withFields(xml: string, data: Record<string, string | null>, system: { time?: string; computer?: string; recordId?: number } = {}): string {
  let out = xml.replace(/\r?\n/g, ' ');
  for (const [k, v] of Object.entries(data)) {
    const re = new RegExp(`<Data Name='${k}'>[^<]*</Data>|<Data Name='${k}'/>`);
    if (v === null) out = out.replace(re, '');
    else if (re.test(out)) out = out.replace(re, `<Data Name='${k}'>${escapeXml(v)}</Data>`);
    else out = out.replace('</EventData>', `<Data Name='${k}'>${escapeXml(v)}</Data></EventData>`);
  }
  if (system.time) out = out.replace(/SystemTime='[^']*'/, `SystemTime='${system.time}'`);
  if (system.computer) out = out.replace(/<Computer>[^<]*<\/Computer>/, `<Computer>${system.computer}</Computer>`);
  if (system.recordId !== undefined) out = out.replace(/<EventRecordID>\d+<\/EventRecordID>/, `<EventRecordID>${system.recordId}</EventRecordID>`);
  return out;
}

/** The same event in the EVTX-as-JSON shape other EVTX tools write. */
export function toEvtxJsonLine(xml: string): string {
  const r = parseEventXml(xml);
  if (!r.ok) throw new Error(`bad test event: ${r.message}`);
  return JSON.stringify(toEvtxJson({ system: r.system, data: r.data, origin: { file: '<test>' } }));
}
