/**
 * Triage on the real logs of ../shared/data, when that folder is present (it is
 * not in every workplace; these tests say so and skip): every 4688 v0/v1 event
 * whose creator started earlier in the same log gets that parent rebuilt, and
 * every web shell child of w3wp.exe gets w3wp.exe as its parent in the context.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { describe, it } from 'node:test';
import { decimalId } from '../../src/cim/processes.js';
import type { WinEvent } from '../../src/events/types.js';
import { readPaths } from '../../src/readers/index.js';
import { newRow } from '../../src/spl/values.js';
import { ContextCollector, ParentRebuilder } from '../../src/triage/index.js';
import { SHARED_DATA } from '../support/paths.js';

const skip = existsSync(SHARED_DATA) ? false : `${SHARED_DATA} is not present in this workplace`;

async function allEvents(): Promise<WinEvent[]> {
  const out: WinEvent[] = [];
  await readPaths([SHARED_DATA], { keepRaw: false }, { event: (e) => void out.push(e), diagnostic: () => {} });
  return out;
}

describe('triage on ../shared/data', { skip }, () => {
  it('rebuilds the parent of 4688 v0/v1 events from the creator started earlier in the same log', async () => {
    const events = await allEvents();
    const rebuilder = new ParentRebuilder();
    let checked = 0;
    const started = new Map<string, string>(); // host|pid → image, from 4688 starts seen so far, per file
    let file = '';
    for (const e of events) {
      if (e.origin.file !== file) {
        file = e.origin.file;
        started.clear();
      }
      const out = rebuilder.process(e);
      if (e.system.eventId !== 4688) continue;
      const host = e.system.computer.toLowerCase();
      const creator = e.data['ProcessId'] ? decimalId(e.data['ProcessId']) : undefined;
      if (!e.data['ParentProcessName'] && creator !== undefined && started.has(`${host}|${creator}`)) {
        assert.equal(out.data['ParentProcessName'], started.get(`${host}|${creator}`), `${e.origin.file}:${e.origin.line}`);
        checked++;
      }
      if (e.data['NewProcessId'] && e.data['NewProcessName']) started.set(`${host}|${decimalId(e.data['NewProcessId'])}`, e.data['NewProcessName']);
    }
    assert.ok(checked > 0, 'the data holds 4688 v0/v1 events whose creator started earlier');
  });

  it('gives children of w3wp.exe (web shells) w3wp.exe as parent in their context', async () => {
    const events = await allEvents();
    const c = new ContextCollector();
    for (const e of events) c.add(e);
    let checked = 0;
    for (const e of events) {
      const parent = e.data['ParentImage'] ?? e.data['ParentProcessName'];
      if (!parent || !/\\w3wp\.exe$/i.test(parent) || !(e.data['ProcessId'] ?? e.data['NewProcessId'])) continue;
      const row = newRow();
      row['dest'] = e.system.computer;
      row['process_id'] = decimalId((e.data['ProcessId'] ?? e.data['NewProcessId']) as string);
      row['_time'] = Date.parse(e.system.timeCreated) / 1000;
      const ctx = c.contextFor(row);
      if (!ctx.process) continue;
      const p = ctx.ancestors[0]?.item.name;
      if (p !== undefined) {
        assert.equal(p.toLowerCase(), 'w3wp.exe', `${e.origin.file}:${e.origin.line}`);
        checked++;
      }
    }
    assert.ok(checked > 0, 'the data holds a w3wp.exe child with its parent start');
  });
});
