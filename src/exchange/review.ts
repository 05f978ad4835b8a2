/**
 * `reviewExchangeLogs`: Microsoft's Test-ProxyLogon checks over a folder
 * collected from an Exchange server. One pass over each file; the result is
 * plain data (see types.ts), ready for a reporter or for alert context.
 */
import { stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import type { WinEvent } from '../events/types.js';
import { readPaths } from '../readers/index.js';
import { ExchangeLogReader, rowTime } from './exchange-log.js';
import { childNamed, descend, eachLine, listFiles } from './files.js';
import {
  CHECK_INFO,
  HTTP_PROXY_FIELDS,
  ListingReader,
  isOabDownloadFailure,
  isSsrfAnchor,
  isUmInvalidCast,
  mayHoldSsrfAnchor,
  oabTempFile,
  pickFields,
  suspiciousFile,
  vdirChange,
} from './rules.js';
import type { CheckId, ExchangeCheck, ExchangeFinding, ExchangeReview, LogAge, MalformedLine, UnreadableLog } from './types.js';

export interface ReviewOptions {
  /** Evidence kept per check (default 10,000); `evidenceCount` still counts all. */
  readonly maxEvidence?: number;
  /** Malformed lines kept per check (default 1,000); `malformedCount` still counts all. */
  readonly maxMalformed?: number;
}

/** Codes of malformed lines. */
export const EXCHANGE_CODES = {
  badCsv: 'exchange.bad-csv',
  fieldCount: 'exchange.field-count',
  noFieldsHeader: 'exchange.no-fields-header',
  badListing: 'exchange.bad-listing',
} as const;

const TEXT_LIMIT = 2000;
const APP_EXT = /\.(evtx|xml|jsonl)$/i;
const LISTING_NAMES = ['files.txt', 'files.csv'];

function cut(s: string): string {
  return s.length <= TEXT_LIMIT ? s : s.slice(0, TEXT_LIMIT - 1) + '…';
}

function days(ms: number): number {
  return Math.round(ms / 8_640_000) / 10;
}

/** First and last timestamps of one log. Compared as instants, reported as written. */
class Age {
  files = 0;
  entries = 0;
  private min: { t: number; s: string } | undefined;
  private max: { t: number; s: string } | undefined;
  constructor(readonly path: string) {}

  add(s: string | undefined): void {
    if (s === undefined) return;
    const t = Date.parse(s);
    if (Number.isNaN(t)) return;
    this.entries++;
    if (!this.min || t < this.min.t) this.min = { t, s };
    if (!this.max || t > this.max.t) this.max = { t, s };
  }

  get last(): number | undefined {
    return this.max?.t;
  }

  result(newest: number | undefined): LogAge {
    const out: { -readonly [K in keyof LogAge]: LogAge[K] } = { path: this.path, files: this.files, entries: this.entries };
    if (this.min && this.max) {
      out.firstTime = this.min.s;
      out.lastTime = this.max.s;
      out.spanDays = days(this.max.t - this.min.t);
      if (newest !== undefined) {
        out.lagDays = days(newest - this.max.t);
        out.lagSeconds = Math.round((newest - this.max.t) / 1000);
      }
    }
    return out;
  }
}

/** What one check gathers while the files are read. */
class CheckBuilder {
  readonly evidence: ExchangeFinding[] = [];
  evidenceCount = 0;
  readonly malformed: MalformedLine[] = [];
  malformedCount = 0;
  readonly ages: Age[] = [];
  filesRead = 0;
  constructor(
    readonly id: CheckId,
    private readonly maxEvidence: number,
    private readonly maxMalformed: number,
  ) {}

  age(path: string): Age {
    let a = this.ages.find((x) => x.path === path);
    if (!a) {
      a = new Age(path);
      this.ages.push(a);
    }
    return a;
  }

  find(f: Omit<ExchangeFinding, 'check'>): void {
    this.evidenceCount++;
    if (this.evidence.length < this.maxEvidence) this.evidence.push({ check: this.id, ...f });
  }

  bad(m: MalformedLine): void {
    this.malformedCount++;
    if (this.malformed.length < this.maxMalformed) this.malformed.push(m);
  }

  build(newest: number | undefined): ExchangeCheck {
    return {
      id: this.id,
      ...CHECK_INFO[this.id],
      status: this.evidenceCount > 0 ? 'found' : this.filesRead > 0 ? 'clean' : 'no-logs',
      evidence: this.evidence,
      evidenceCount: this.evidenceCount,
      logs: this.ages.map((a) => a.result(newest)),
      malformed: this.malformed,
      malformedCount: this.malformedCount,
    };
  }
}

/** Where the Exchange `Logging` tree is: `<folder>/Logging`, `<folder>/V15/Logging`, or the folder itself. */
async function findLoggingRoot(folder: string): Promise<string | undefined> {
  for (const path of [['Logging'], ['V15', 'Logging']]) {
    const found = await descend(folder, path);
    if (found) return found;
  }
  for (const name of ['HttpProxy', 'ECP', 'OABGeneratorLog']) {
    if (await childNamed(folder, name, 'dir')) return folder;
  }
  return undefined;
}

/**
 * Reviews an Exchange server's logs as Test-ProxyLogon does (flagship.md §4.3).
 * Never throws for bad content: unreadable files are listed in `unreadable`,
 * malformed lines in each check's `malformed`. Throws only when `folder` is not a folder.
 * @example const review = await reviewExchangeLogs('collected/EXCH01'); review.checks.filter((c) => c.status === 'found')
 */
export async function reviewExchangeLogs(folder: string, opts: ReviewOptions = {}): Promise<ExchangeReview> {
  const st = await stat(folder);
  if (!st.isDirectory()) throw new Error(`${folder} is not a folder`);
  const maxEvidence = opts.maxEvidence ?? 10_000;
  const maxMalformed = opts.maxMalformed ?? 1_000;
  const rel = (p: string): string => relative(folder, p).split(sep).join('/') || '.';
  const unreadable: UnreadableLog[] = [];
  const builder = (id: CheckId) => new CheckBuilder(id, maxEvidence, maxMalformed);
  const ssrf = builder('CVE-2021-26855');
  const oab = builder('CVE-2021-26858');
  const ecp = builder('CVE-2021-27065');
  const um = builder('CVE-2021-26857');
  const files = builder('suspicious-files');

  /** Reads an Exchange CSV log, calling `onRow` for every data line; counts and reports malformed ones. */
  const scanExchangeLog = async (
    check: CheckBuilder,
    age: Age,
    file: string,
    onRow: (line: string, no: number, values: readonly string[], record: Readonly<Record<string, string>> | undefined, time: string | undefined) => void,
  ): Promise<void> => {
    const reader = new ExchangeLogReader();
    const name = rel(file);
    const error = await eachLine(file, (line, no) => {
      const r = reader.line(line);
      if (r.kind === 'header' || r.kind === 'blank') return;
      if (r.kind === 'malformed') {
        check.bad({ file: name, line: no, code: EXCHANGE_CODES.badCsv, message: r.message });
        onRow(line, no, [], undefined, undefined);
        return;
      }
      if (r.problem !== undefined) check.bad({ file: name, line: no, code: EXCHANGE_CODES.fieldCount, message: r.problem });
      const time = rowTime(r.values, r.record);
      age.add(time);
      onRow(line, no, r.values, r.record, time);
    });
    if (error !== undefined) unreadable.push({ file: name, message: error });
    else check.filesRead++;
    age.files++;
  };

  const root = await findLoggingRoot(folder);
  if (root !== undefined) {
    // CVE-2021-26855: HttpProxy/**/*.log, one log per protocol folder.
    const httpProxy = await childNamed(root, 'HttpProxy', 'dir');
    if (httpProxy) {
      const listed = await listFiles(httpProxy, (n) => n.toLowerCase().endsWith('.log'));
      unreadable.push(...listed.failures.map((f) => ({ ...f, file: rel(f.file) })));
      for (const file of listed.files) {
        const protocol = relative(httpProxy, file).split(sep);
        const age = ssrf.age(rel(protocol.length > 1 ? join(httpProxy, protocol[0] as string) : httpProxy));
        const name = rel(file);
        let warnedNoHeader = false;
        await scanExchangeLog(ssrf, age, file, (line, no, _values, record, time) => {
          if (!mayHoldSsrfAnchor(line)) return;
          if (record === undefined) {
            if (!warnedNoHeader && _values.length > 0) {
              warnedNoHeader = true;
              ssrf.bad({ file: name, line: no, code: EXCHANGE_CODES.noFieldsHeader, message: 'a row mentioning ServerInfo~ before any #Fields: header; AnchorMailbox cannot be located' });
            }
            return;
          }
          const fields = pickFields(record, HTTP_PROXY_FIELDS);
          if (!isSsrfAnchor(fields['AnchorMailbox'] ?? '')) return;
          ssrf.find({ file: name, line: no, ...(time !== undefined ? { time } : {}), fields });
        });
      }
    }

    // CVE-2021-26858: every file under OABGeneratorLog.
    const oabDir = await childNamed(root, 'OABGeneratorLog', 'dir');
    if (oabDir) {
      const listed = await listFiles(oabDir, () => true);
      unreadable.push(...listed.failures.map((f) => ({ ...f, file: rel(f.file) })));
      const age = oab.age(rel(oabDir));
      for (const file of listed.files) {
        const name = rel(file);
        await scanExchangeLog(oab, age, file, (line, no, _values, _record, time) => {
          if (!isOabDownloadFailure(line)) return;
          const tempFile = oabTempFile(line);
          oab.find({ file: name, line: no, ...(time !== undefined ? { time } : {}), fields: tempFile !== undefined ? { tempFile } : {}, text: cut(line) });
        });
      }
    }

    // CVE-2021-27065: ECP/Server/*.log (Get-ChildItem -Recurse on that path also descends).
    const ecpDir = await descend(root, ['ECP', 'Server']);
    if (ecpDir) {
      const listed = await listFiles(ecpDir, (n) => n.toLowerCase().endsWith('.log'));
      unreadable.push(...listed.failures.map((f) => ({ ...f, file: rel(f.file) })));
      const age = ecp.age(rel(ecpDir));
      for (const file of listed.files) {
        const name = rel(file);
        await scanExchangeLog(ecp, age, file, (line, no, _values, record, time) => {
          const hit = vdirChange(line);
          if (!hit) return;
          const fields: Record<string, string> = record ? pickFields(record, ['TimeStamp', 'ServerName', 'EventId']) : {};
          if (hit.cmdlet !== undefined) fields['cmdlet'] = hit.cmdlet;
          ecp.find({ file: name, line: no, ...(time !== undefined ? { time } : {}), fields, text: cut(line) });
        });
      }
    }
  }

  // CVE-2021-26857: Application log exports in the folder or an Application subfolder.
  const appFiles = (await listFiles(folder, (n) => APP_EXT.test(n), false)).files;
  const appDir = await childNamed(folder, 'Application', 'dir');
  if (appDir) {
    const listed = await listFiles(appDir, (n) => APP_EXT.test(n));
    appFiles.push(...listed.files);
    unreadable.push(...listed.failures.map((f) => ({ ...f, file: rel(f.file) })));
  }
  if (appFiles.length > 0) {
    const failed = new Set<string>();
    const summary = await readPaths(appFiles, { keepRaw: false }, {
      event(e: WinEvent) {
        const s = e.system;
        um.age(rel(e.origin.file)).add(s.timeCreated);
        const text = Object.values(e.data).join('\n');
        if (!isUmInvalidCast(s.provider, s.level, text)) return;
        um.find({
          file: rel(e.origin.file),
          ...(e.origin.line !== undefined ? { line: e.origin.line } : {}),
          time: s.timeCreated,
          fields: {
            TimeCreated: s.timeCreated,
            Computer: s.computer,
            Provider: s.provider,
            EventID: String(s.eventId),
            Level: String(s.level ?? ''),
            ...(s.recordId !== undefined ? { EventRecordID: String(s.recordId) } : {}),
          },
          text: cut(text),
        });
      },
      diagnostic(d) {
        if (d.severity !== 'error') return;
        if (d.origin.line === undefined && d.origin.offset === undefined) {
          failed.add(d.origin.file);
          unreadable.push({ file: rel(d.origin.file), message: `${d.code}: ${d.message}` });
        } else {
          um.bad({ file: rel(d.origin.file), ...(d.origin.line !== undefined ? { line: d.origin.line } : {}), code: d.code, message: d.message });
        }
      },
    });
    for (const f of summary.files) {
      if (failed.has(f.file)) continue;
      um.filesRead++;
      um.age(rel(f.file)).files++;
    }
  }

  // Suspicious files, from a listing.
  for (const listingName of LISTING_NAMES) {
    const listing = await childNamed(folder, listingName, 'file');
    if (!listing) continue;
    const name = rel(listing);
    const age = files.age(name);
    const reader = new ListingReader();
    const error = await eachLine(listing, (line, no) => {
      const r = reader.line(line, no);
      if (r.kind === 'skip') return;
      if (r.kind === 'malformed') {
        files.bad({ file: name, line: no, code: EXCHANGE_CODES.badListing, message: r.message });
        return;
      }
      const kind = suspiciousFile(r.file.path);
      if (!kind) return;
      files.find({
        file: name,
        line: no,
        fields: {
          Type: kind === 'lsass-dump' ? 'LsassDump' : 'SuspiciousArchive',
          Path: r.file.path,
          ...(r.file.length !== undefined ? { Length: r.file.length } : {}),
          ...(r.file.lastWriteTime !== undefined ? { LastWriteTime: r.file.lastWriteTime } : {}),
        },
      });
    });
    age.files++;
    if (error !== undefined) unreadable.push({ file: name, message: error });
    else files.filesRead++;
  }

  const all = [ssrf, oab, ecp, um, files];
  let newest: number | undefined;
  for (const b of all) for (const a of b.ages) if (a.last !== undefined && (newest === undefined || a.last > newest)) newest = a.last;
  const checks = all.map((b) => b.build(newest));
  return {
    folder,
    ...(root !== undefined ? { loggingRoot: rel(root) } : {}),
    checks,
    ...(newest !== undefined ? { newestTime: new Date(newest).toISOString() } : {}),
    unreadable,
    found: checks.some((c) => c.status === 'found'),
  };
}
