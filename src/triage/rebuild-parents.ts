/**
 * `--rebuild-parents`: Security 4688 events of versions 0 and 1 (hosts before
 * Windows 10 / Server 2016, where many Exchange servers run) have no
 * ParentProcessName, only the creator's PID. This enrichment fills it in from
 * what the same host's events said earlier: the image of the process most
 * recently created with that PID (4688 NewProcessId, Sysmon 1 ProcessId) and
 * not exited since (4689, Sysmon 5), or the parent an earlier event named for
 * that PID (4688 v2 ParentProcessName, Sysmon 1 ParentImage).
 *
 * Events are taken in input order, which is time order within one log. It is
 * off by default: Splunk does not do it, and results that depend on it are
 * marked.
 */
import { epochSeconds } from '../cim/fields.js';
import { decimalId } from '../cim/processes.js';
import type { WinEvent } from '../events/types.js';

export interface RebuiltParent {
  readonly host: string;
  /** Decimal PID of the process whose parent was rebuilt. */
  readonly pid: string;
  readonly time: number;
  readonly parentPid: string;
  readonly parentImage: string;
  /** How the parent was known: its own start event, or a later event naming it as a parent. */
  readonly evidence: string;
}

interface Known {
  readonly image: string;
  readonly evidence: string;
}

const SYSMON = 'Microsoft-Windows-Sysmon';

export class ParentRebuilder {
  private readonly live = new Map<string, Map<string, Known>>();
  /** Rebuilt parents by `host|pid`, newest last. */
  readonly rebuilt = new Map<string, RebuiltParent[]>();

  private hostMap(host: string): Map<string, Known> {
    const k = host.toLowerCase();
    let m = this.live.get(k);
    if (!m) {
      m = new Map();
      this.live.set(k, m);
    }
    return m;
  }

  /** Returns the event, or a copy with ParentProcessName filled in. */
  process(e: WinEvent): WinEvent {
    const s = e.system;
    const d = e.data;
    const where = `${e.origin.file}${e.origin.line !== undefined ? `:${e.origin.line}` : ''}`;
    if (s.eventId === 4688 && s.channel === 'Security') {
      const m = this.hostMap(s.computer);
      let out = e;
      const creator = d['ProcessId'] ? decimalId(d['ProcessId']) : undefined;
      if (creator !== undefined) {
        if (d['ParentProcessName']) {
          if (!m.has(creator)) m.set(creator, { image: d['ParentProcessName'], evidence: `named as the parent of pid ${creator} by the 4688 event at ${where}` });
        } else {
          const known = m.get(creator);
          if (known) {
            out = { ...e, data: { ...d, ParentProcessName: known.image } };
            const pid = d['NewProcessId'] ? decimalId(d['NewProcessId']) : '';
            const key = `${s.computer.toLowerCase()}|${pid}`;
            const list = this.rebuilt.get(key) ?? [];
            list.push({ host: s.computer, pid, time: epochSeconds(s.timeCreated) ?? 0, parentPid: creator, parentImage: known.image, evidence: known.evidence });
            this.rebuilt.set(key, list);
          }
        }
      }
      if (d['NewProcessId'] && d['NewProcessName']) {
        m.set(decimalId(d['NewProcessId']), { image: d['NewProcessName'], evidence: `started by the 4688 event at ${where}` });
      }
      return out;
    }
    if (s.eventId === 4689 && s.channel === 'Security' && d['ProcessId']) {
      this.hostMap(s.computer).delete(decimalId(d['ProcessId']));
      return e;
    }
    if (s.provider === SYSMON && s.eventId === 1 && d['ProcessId'] && d['Image']) {
      const m = this.hostMap(s.computer);
      if (d['ParentProcessId'] && d['ParentImage'] && !m.has(decimalId(d['ParentProcessId']))) {
        m.set(decimalId(d['ParentProcessId']), { image: d['ParentImage'], evidence: `named as a parent by the Sysmon event at ${where}` });
      }
      m.set(decimalId(d['ProcessId']), { image: d['Image'], evidence: `started by the Sysmon event at ${where}` });
      return e;
    }
    if (s.provider === SYSMON && s.eventId === 5 && d['ProcessId']) {
      this.hostMap(s.computer).delete(decimalId(d['ProcessId']));
    }
    return e;
  }

  /** The rebuilt parent behind a result row's process, if any (matched by host and PID). */
  lookup(host: string, pid: string): RebuiltParent | undefined {
    const list = this.rebuilt.get(`${host.toLowerCase()}|${pid}`);
    return list?.[list.length - 1];
  }
}
