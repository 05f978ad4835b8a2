/**
 * Each dataset's `sourceFields` must name every EventData field its mapping
 * reads: records built from events reduced to those fields equal the records
 * built from the full events, over the ESCU example events (and variants of
 * them with named fields changed) and the synthetic test events.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parse as parseYaml } from 'yaml';
import { CIM_CATALOG } from '../../src/cim/catalog.js';
import { WinEngineEvent } from '../../src/engine/event.js';
import type { WinEvent } from '../../src/events/types.js';
import { allWindowsExamples, exampleLog, withFields } from '../support/escu-events.js';
import { makeEvent } from '../support/events.js';
import { event } from './helpers.js';

const MAPPED = ['Endpoint.Processes', 'Endpoint.Filesystem', 'Endpoint.Registry', 'Network_Traffic.All_Traffic', 'Endpoint.Services'];

function yamlFiles(dir: string): string[] {
  const out: string[] = [];
  for (const f of readdirSync(dir).sort()) {
    const p = join(dir, f);
    if (statSync(p).isDirectory()) out.push(...yamlFiles(p));
    else if (f.endsWith('.yaml')) out.push(p);
  }
  return out;
}

/** The real 7045 example (cut off in its YAML), completed; a 4697 with the same service (as test/cim/services.test.ts). */
function serviceEvents(): string[] {
  const x = exampleLog('windows_event_log_system_7045').replace(/\r?\n\s*/g, ' ');
  const head = x.slice(0, x.indexOf("<Data Name='ImagePath'>"));
  const ps = 'powershell.exe -WindowStyle Hidden -nop -enc SQBFAFgA';
  return [
    head +
      `<Data Name='ImagePath'>${ps}</Data><Data Name='ServiceType'>user mode service</Data>` +
      `<Data Name='StartType'>demand start</Data><Data Name='AccountName'>LocalSystem</Data></EventData></Event>`,
    "<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'><System><Provider Name='Microsoft-Windows-Security-Auditing' Guid='{54849625-5478-4994-A5BA-3E3B0328C30D}'/>" +
      "<EventID>4697</EventID><Version>0</Version><Level>0</Level><Task>12289</Task><Opcode>0</Opcode><Keywords>0x8020000000000000</Keywords>" +
      "<TimeCreated SystemTime='2024-03-04T10:11:25.500000000Z'/><EventRecordID>90001</EventRecordID><Correlation/><Execution ProcessID='4' ThreadID='120'/>" +
      '<Channel>Security</Channel><Computer>dc</Computer><Security/></System><EventData>' +
      "<Data Name='SubjectUserSid'>S-1-5-21-3344543075-1022232225-2459664213-500</Data><Data Name='SubjectUserName'>Administrator</Data>" +
      "<Data Name='SubjectDomainName'>ATTACKRANGE</Data><Data Name='SubjectLogonId'>0x3e7</Data><Data Name='ServiceName'>KrbSCM</Data>" +
      `<Data Name='ServiceFileName'>${ps}</Data><Data Name='ServiceType'>0x10</Data><Data Name='ServiceStartType'>3</Data>` +
      "<Data Name='ServiceAccount'>LocalSystem</Data></EventData></Event>",
  ];
}

/** ESCU examples, variants with empty / `-` / hex / absent values, and the conformance cases' synthetic events. */
function corpus(): WinEvent[] {
  const out: WinEvent[] = [];
  for (const xml of [...allWindowsExamples().map((x) => x.xml), ...serviceEvents()]) {
    let e: WinEvent;
    try {
      e = event(xml);
    } catch {
      continue;
    }
    out.push(e);
    const names = Object.keys(e.data);
    out.push(event(withFields(xml, Object.fromEntries(names.map((n) => [n, ''])))));
    out.push(event(withFields(xml, Object.fromEntries(names.map((n) => [n, '-'])))));
    out.push(event(withFields(xml, Object.fromEntries(names.map((n) => [n, '0x1b28'])))));
    out.push(event(withFields(xml, Object.fromEntries(names.map((n) => [n, 'True'])))));
    out.push(event(withFields(xml, Object.fromEntries(names.map((n) => [n, null])))));
  }
  const dir = new URL('../../../test/conformance/', import.meta.url).pathname;
  for (const f of yamlFiles(dir)) {
    const doc = parseYaml(readFileSync(f, 'utf8')) as { events?: unknown[] } | null;
    (doc?.events ?? []).forEach((x, i) => out.push(makeEvent(x, i)));
  }
  return out;
}

describe('CIM datasets: sourceFields', () => {
  const events = corpus();

  it('every mapped dataset declares them; datasets without a mapping read none', () => {
    for (const name of CIM_CATALOG.names()) {
      const f = CIM_CATALOG.dataset(name)?.sourceFields;
      assert.ok(f !== undefined, name);
      if (!MAPPED.includes(name)) assert.equal(f.size, 0, name);
    }
  });

  for (const name of MAPPED) {
    it(`${name}: records from events reduced to sourceFields equal records from full events`, () => {
      const keep = CIM_CATALOG.dataset(name)!.sourceFields!;
      let records = 0;
      let reducedAway = 0;
      for (const e of events) {
        const data: Record<string, string> = {};
        for (const k of Object.keys(e.data)) if (keep.has(k)) data[k] = e.data[k]!;
        if (Object.keys(data).length < Object.keys(e.data).length) reducedAway++;
        const full = new WinEngineEvent(e).dataset(name);
        const reduced = new WinEngineEvent({ ...e, data }).dataset(name);
        assert.deepEqual(reduced, full, `${name}: ${JSON.stringify(e.system)}`);
        if (full) records++;
      }
      assert.ok(records >= 5, `${name}: only ${records} events in the dataset`);
      assert.ok(reducedAway > 0);
    });
  }
});
