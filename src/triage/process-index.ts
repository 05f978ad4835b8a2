/**
 * A per-host index of process starts and exits, for rebuilding process trees.
 *
 * Parents are found through process GUIDs (Sysmon) when the event has them,
 * else through the parent PID at the child's start time. PIDs are reused: a
 * PID belongs to the newest process created with it at or before the moment
 * in question, until that process exits (Sysmon 5, Security 4689).
 */
import { epochSeconds } from '../cim/fields.js';
import { decimalId, fileName } from '../cim/processes.js';
import type { WinEvent } from '../events/types.js';

export interface ProcessNode {
  readonly host: string;
  readonly guid?: string;
  readonly parentGuid?: string;
  readonly pid: string;
  readonly ppid?: string;
  readonly image: string;
  readonly name: string;
  readonly commandLine?: string;
  readonly user?: string;
  readonly start: number;
  end?: number;
  readonly source: 'sysmon' | 'security';
  readonly origin: { readonly file: string; readonly line?: number; readonly recordId?: number };
}

const SYSMON = 'Microsoft-Windows-Sysmon';

function hostKey(h: string): string {
  return h.toLowerCase();
}

interface HostIndex {
  readonly byGuid: Map<string, ProcessNode>;
  readonly byPid: Map<string, ProcessNode[]>;
  readonly all: ProcessNode[];
}

export class ProcessIndex {
  private readonly hosts = new Map<string, HostIndex>();
  private childrenCache: Map<ProcessNode, ProcessNode[]> | undefined;

  private host(h: string): HostIndex {
    const k = hostKey(h);
    let idx = this.hosts.get(k);
    if (!idx) {
      idx = { byGuid: new Map(), byPid: new Map(), all: [] };
      this.hosts.set(k, idx);
    }
    return idx;
  }

  /** Adds a process start or exit event; other events are ignored. Returns true when used. */
  add(e: WinEvent): boolean {
    const s = e.system;
    const d = e.data;
    const t = epochSeconds(s.timeCreated);
    if (t === undefined) return false;
    const origin = { file: e.origin.file, ...(e.origin.line !== undefined ? { line: e.origin.line } : {}), ...(s.recordId !== undefined ? { recordId: s.recordId } : {}) };
    if (s.provider === SYSMON && s.eventId === 1 && d['ProcessId'] && d['Image']) {
      this.insert({
        host: s.computer,
        ...(d['ProcessGuid'] ? { guid: d['ProcessGuid'].toUpperCase() } : {}),
        ...(d['ParentProcessGuid'] ? { parentGuid: d['ParentProcessGuid'].toUpperCase() } : {}),
        pid: decimalId(d['ProcessId']),
        ...(d['ParentProcessId'] ? { ppid: decimalId(d['ParentProcessId']) } : {}),
        image: d['Image'],
        name: fileName(d['Image']),
        ...(d['CommandLine'] ? { commandLine: d['CommandLine'] } : {}),
        ...(d['User'] ? { user: d['User'] } : {}),
        start: t,
        source: 'sysmon',
        origin,
      });
      return true;
    }
    if (s.eventId === 4688 && s.channel === 'Security' && d['NewProcessId'] && d['NewProcessName']) {
      const user = d['SubjectUserName'] ? (d['SubjectDomainName'] && d['SubjectDomainName'] !== '-' ? `${d['SubjectDomainName']}\\${d['SubjectUserName']}` : d['SubjectUserName']) : undefined;
      this.insert({
        host: s.computer,
        pid: decimalId(d['NewProcessId']),
        ...(d['ProcessId'] ? { ppid: decimalId(d['ProcessId']) } : {}),
        image: d['NewProcessName'],
        name: fileName(d['NewProcessName']),
        ...(d['CommandLine'] ? { commandLine: d['CommandLine'] } : {}),
        ...(user ? { user } : {}),
        start: t,
        source: 'security',
        origin,
      });
      return true;
    }
    // Exits: Sysmon 5 (ProcessGuid, ProcessId), Security 4689 (ProcessId of the exiting process).
    if ((s.provider === SYSMON && s.eventId === 5) || (s.eventId === 4689 && s.channel === 'Security')) {
      const idx = this.host(s.computer);
      const guid = d['ProcessGuid']?.toUpperCase();
      const node = guid ? idx.byGuid.get(guid) : d['ProcessId'] ? this.resolvePid(s.computer, decimalId(d['ProcessId']), t) : undefined;
      if (node && node.end === undefined) node.end = t;
      return node !== undefined;
    }
    return false;
  }

  private insert(n: ProcessNode): void {
    const idx = this.host(n.host);
    if (n.guid) {
      if (idx.byGuid.has(n.guid)) return; // the same start read twice (e.g. XML and JSON copies)
      idx.byGuid.set(n.guid, n);
    } else if ((idx.byPid.get(n.pid) ?? []).some((x) => x.start === n.start && x.image === n.image)) {
      return;
    }
    const list = idx.byPid.get(n.pid) ?? [];
    list.push(n);
    list.sort((a, b) => a.start - b.start);
    idx.byPid.set(n.pid, list);
    idx.all.push(n);
    this.childrenCache = undefined;
  }

  /** The process that held `pid` on `host` at time `t`. */
  resolvePid(host: string, pid: string, t: number): ProcessNode | undefined {
    const list = this.hosts.get(hostKey(host))?.byPid.get(pid);
    if (!list) return undefined;
    for (let i = list.length - 1; i >= 0; i--) {
      const n = list[i] as ProcessNode;
      if (n.start <= t) return n.end === undefined || n.end >= t ? n : undefined;
    }
    return undefined;
  }

  parentOf(n: ProcessNode): ProcessNode | undefined {
    if (n.parentGuid) {
      const p = this.hosts.get(hostKey(n.host))?.byGuid.get(n.parentGuid);
      if (p) return p;
    }
    return n.ppid !== undefined ? this.resolvePid(n.host, n.ppid, n.start) : undefined;
  }

  childrenOf(n: ProcessNode): readonly ProcessNode[] {
    if (!this.childrenCache) {
      const m = new Map<ProcessNode, ProcessNode[]>();
      for (const idx of this.hosts.values()) {
        for (const c of idx.all) {
          const p = this.parentOf(c);
          if (!p || p === c) continue;
          const list = m.get(p) ?? [];
          list.push(c);
          m.set(p, list);
        }
      }
      for (const list of m.values()) list.sort((a, b) => a.start - b.start);
      this.childrenCache = m;
    }
    return this.childrenCache.get(n) ?? [];
  }

  /** Finds a process by host, PID and name near a time (the alert's row). */
  find(host: string, pid: string, name: string | undefined, from: number, to: number): ProcessNode | undefined {
    const list = this.hosts.get(hostKey(host))?.byPid.get(pid) ?? [];
    return list.find((n) => n.start >= from - 1 && n.start <= to + 1 && (name === undefined || n.name.toLowerCase() === name.toLowerCase()));
  }

  /** Every process started on `host` between `from` and `to`, in start order. */
  startedBetween(host: string, from: number, to: number): ProcessNode[] {
    const all = this.hosts.get(hostKey(host))?.all ?? [];
    return all.filter((n) => n.start >= from && n.start <= to).sort((a, b) => a.start - b.start);
  }

  processes(host: string): readonly ProcessNode[] {
    return this.hosts.get(hostKey(host))?.all ?? [];
  }
}
