/**
 * Context for an alert, built from the same inputs: the process tree around
 * the alerting process, its siblings, what else started on the host nearby,
 * file writes by the tree and into Exchange's web folders, Unified Messaging
 * errors in the Application log, and the count of WER children of the UM
 * processes (flagship.md §4). Every item says why it is there.
 */
import { epochSeconds } from '../cim/fields.js';
import { fileName } from '../cim/processes.js';
import type { WinEvent } from '../events/types.js';
import { rowTimes } from '../alerting/time.js';
import { scalarToString, valuesOf, type Row } from '../spl/values.js';
import { ProcessIndex, type ProcessNode } from './process-index.js';

export interface ProcessRef {
  readonly name: string;
  readonly image: string;
  readonly pid: string;
  readonly guid?: string;
  readonly commandLine?: string;
  readonly user?: string;
  readonly time: string;
  readonly source: string;
  readonly line?: number;
}

export interface ContextItem<T> {
  readonly why: string;
  readonly item: T;
}

export interface FileWrite {
  readonly time: string;
  readonly eventId: number;
  readonly action: string;
  readonly path: string;
  readonly process: string;
  readonly pid?: string;
  /** A script file (.aspx, .asp, .ashx, .js) under one of Exchange's web folders. */
  readonly scriptInWebPath: boolean;
  readonly source: string;
}

export interface AppError {
  readonly time: string;
  readonly provider: string;
  readonly message: string;
  readonly source: string;
}

export interface AlertContext {
  /** The alerting process, when the inputs hold its start event. */
  readonly process?: ProcessRef;
  readonly note?: string;
  readonly ancestors: readonly ContextItem<ProcessRef>[];
  readonly descendants: readonly ContextItem<ProcessRef & { readonly depth: number }>[];
  readonly siblings: readonly ContextItem<ProcessRef>[];
  readonly nearby: readonly ContextItem<ProcessRef>[];
  readonly fileWrites: readonly ContextItem<FileWrite>[];
  readonly umErrors: readonly ContextItem<AppError>[];
  readonly werChildrenOfUm: number;
  readonly windowSeconds: number;
  /** Findings of the Exchange log review (`hunt --exchange-logs`), the same for every alert of the hunt. */
  readonly exchange?: readonly ExchangeCheckSummary[];
}

/** One check of the Exchange log review as alert context carries it. */
export interface ExchangeCheckSummary {
  readonly id: string;
  readonly title: string;
  readonly status: string;
  readonly evidenceCount: number;
  /** The first pieces of evidence: file (relative to the reviewed folder), line, time, fields. */
  readonly evidence: readonly { readonly file: string; readonly line?: number; readonly time?: string; readonly fields: Readonly<Record<string, string>> }[];
}

/** A context with nothing in it but a note: for alerts whose inputs could not be read again. */
export function emptyContext(note: string, windowSeconds = 900): AlertContext {
  return { note, ancestors: [], descendants: [], siblings: [], nearby: [], fileWrites: [], umErrors: [], werChildrenOfUm: 0, windowSeconds };
}

const UM_PROCESSES = new Set(['umworkerprocess.exe', 'umservice.exe']);
const WER = new Set(['wermgr.exe', 'werfault.exe']);
/** flagship.md §4.2: where ProxyLogon-era web shells were written. */
const EXCHANGE_WEB_PATHS = ['\\inetpub\\wwwroot\\aspnet_client\\', '\\frontend\\httpproxy\\owa\\auth\\', '\\frontend\\httpproxy\\ecp\\auth\\'];
const SCRIPT_EXT = /\.(aspx|asp|ashx|js)$/i;
const FILE_EVENTS: Readonly<Record<number, string>> = { 11: 'created', 23: 'deleted', 26: 'deleted', 2: 'creation time changed', 15: 'stream created' };
const SYSMON = 'Microsoft-Windows-Sysmon';

function iso(t: number): string {
  return new Date(Math.round(t * 1000)).toISOString();
}

function ref(n: ProcessNode): ProcessRef {
  return {
    name: n.name,
    image: n.image,
    pid: n.pid,
    ...(n.guid ? { guid: n.guid } : {}),
    ...(n.commandLine ? { commandLine: n.commandLine } : {}),
    ...(n.user ? { user: n.user } : {}),
    time: iso(n.start),
    source: n.origin.file,
    ...(n.origin.line !== undefined ? { line: n.origin.line } : {}),
  };
}

interface FileEvent {
  readonly host: string;
  readonly t: number;
  readonly eventId: number;
  readonly path: string;
  readonly image: string;
  readonly guid?: string;
  readonly pid?: string;
  readonly source: string;
}

/** Collects, from a stream of events, what alert context needs. */
export class ContextCollector {
  readonly processes = new ProcessIndex();
  private readonly files: FileEvent[] = [];
  private readonly appErrors: (AppError & { host: string; t: number })[] = [];

  add(e: WinEvent): void {
    if (this.processes.add(e)) return;
    const s = e.system;
    const t = epochSeconds(s.timeCreated);
    if (t === undefined) return;
    const where = e.origin.line !== undefined ? `${e.origin.file}:${e.origin.line}` : e.origin.file;
    if (s.provider === SYSMON && FILE_EVENTS[s.eventId] !== undefined && e.data['TargetFilename']) {
      this.files.push({
        host: s.computer.toLowerCase(),
        t,
        eventId: s.eventId,
        path: e.data['TargetFilename'],
        image: e.data['Image'] ?? '',
        ...(e.data['ProcessGuid'] ? { guid: e.data['ProcessGuid'].toUpperCase() } : {}),
        ...(e.data['ProcessId'] ? { pid: e.data['ProcessId'] } : {}),
        source: where,
      });
      return;
    }
    if (s.provider === 'MSExchange Unified Messaging' && s.level === 2) {
      const text = Object.values(e.data).join(' ');
      if (text.includes('System.InvalidCastException')) {
        this.appErrors.push({ host: s.computer.toLowerCase(), t, time: iso(t), provider: s.provider, message: text.slice(0, 500), source: where });
      }
    }
  }

  /** Context for an alert row (fields `dest`, `process_id`, `process_name`, `firstTime`, `lastTime`, `_time`). */
  contextFor(row: Row, windowSeconds = 900): AlertContext {
    const host = first(row['dest']) ?? first(row['host']) ?? '';
    const t = rowTimes(row);
    const times = t ? { from: t.from, to: t.to + 1 } : undefined;
    const base = { ancestors: [], descendants: [], siblings: [], windowSeconds } as const;
    const pid = first(row['process_id']);
    const node = pid !== undefined && times ? this.processes.find(host, pid, first(row['process_name']), times.from, times.to) : undefined;
    const werChildrenOfUm = this.processes
      .processes(host)
      .filter((n) => WER.has(n.name.toLowerCase()) && UM_PROCESSES.has(this.processes.parentOf(n)?.name.toLowerCase() ?? ''))
      .length;
    const at = node?.start ?? times?.from;
    const nearby =
      at === undefined
        ? []
        : this.processes
            .startedBetween(host, at - windowSeconds, at + windowSeconds)
            .filter((n) => n !== node)
            .map((n) => ({ why: `started on ${host} within ${windowSeconds / 60} minutes of the alert`, item: ref(n) }));
    const umErrors = this.appErrors
      .filter((e) => e.host === host.toLowerCase())
      .map(({ host: _h, t: _t, ...e }) => ({ why: 'MSExchange Unified Messaging error with System.InvalidCastException (CVE-2021-26857 exploitation leaves these)', item: e }));
    if (!node) {
      return {
        ...base,
        note: pid === undefined ? 'the alert row has no process_id' : `no start event of process ${pid} on ${host} in the inputs`,
        nearby,
        fileWrites: this.webWrites(host, new Set()),
        umErrors,
        werChildrenOfUm,
      };
    }
    const ancestors: ContextItem<ProcessRef>[] = [];
    const seen = new Set<ProcessNode>([node]);
    for (let p = this.processes.parentOf(node), depth = 1; p && !seen.has(p) && depth <= 50; p = this.processes.parentOf(p), depth++) {
      seen.add(p);
      ancestors.push({ why: depth === 1 ? 'parent of the alerting process' : `ancestor (${depth} levels up)`, item: ref(p) });
    }
    const descendants: ContextItem<ProcessRef & { depth: number }>[] = [];
    const tree = new Set<ProcessNode>([node]);
    const walk = (n: ProcessNode, depth: number): void => {
      for (const c of this.processes.childrenOf(n)) {
        if (seen.has(c) || depth > 50) continue;
        seen.add(c);
        tree.add(c);
        descendants.push({ why: depth === 1 ? 'child of the alerting process' : `descendant (${depth} levels down)`, item: { ...ref(c), depth } });
        walk(c, depth + 1);
      }
    };
    walk(node, 1);
    const parent = this.processes.parentOf(node);
    const siblings = parent
      ? this.processes
          .childrenOf(parent)
          .filter((c) => c !== node)
          .map((c) => ({ why: `also started by ${parent.name} (pid ${parent.pid})`, item: ref(c) }))
      : [];
    // The parent's writes count: a UM process writing a web shell is what flagship.md §4.2 asks for.
    if (parent) tree.add(parent);
    return {
      ...base,
      process: ref(node),
      ancestors,
      descendants,
      siblings,
      // Processes already shown in the tree or as siblings are not repeated as nearby.
      nearby: nearby.filter((x) => ![...ancestors, ...descendants, ...siblings].some((d) => d.item.pid === x.item.pid && d.item.time === x.item.time)),
      fileWrites: this.webWrites(host, tree),
      umErrors,
      werChildrenOfUm,
    };
  }

  /** Writes by the given processes, and script files written under Exchange's web folders by anyone. */
  private webWrites(host: string, tree: ReadonlySet<ProcessNode>): ContextItem<FileWrite>[] {
    const guids = new Set([...tree].map((n) => n.guid).filter((g): g is string => g !== undefined));
    const pids = new Set([...tree].map((n) => n.pid));
    const out: ContextItem<FileWrite>[] = [];
    for (const f of this.files) {
      if (f.host !== host.toLowerCase()) continue;
      const lower = f.path.toLowerCase();
      const web = EXCHANGE_WEB_PATHS.some((p) => lower.includes(p));
      const script = web && SCRIPT_EXT.test(lower);
      const byTree = f.guid ? guids.has(f.guid) : f.pid !== undefined && pids.has(f.pid);
      if (!byTree && !web) continue;
      const why = byTree
        ? `written by ${fileName(f.image)} of the alert's process tree${script ? '; a script under an Exchange web folder' : ''}`
        : `${script ? 'a script' : 'a file'} written under an Exchange web folder`;
      out.push({
        why,
        item: {
          time: iso(f.t),
          eventId: f.eventId,
          action: FILE_EVENTS[f.eventId] ?? 'written',
          path: f.path,
          process: f.image,
          ...(f.pid !== undefined ? { pid: f.pid } : {}),
          scriptInWebPath: script,
          source: f.source,
        },
      });
    }
    return out;
  }
}

function first(v: Row[string]): string | undefined {
  const vs = valuesOf(v);
  return vs.length > 0 ? scalarToString(vs[0] as string | number) : undefined;
}
