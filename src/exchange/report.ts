/** Text renderings of an `ExchangeReview`: a table for people, JSON and JSON lines for tools. Pure. */
import { HTTP_PROXY_FIELDS } from './rules.js';
import type { ExchangeCheck, ExchangeFinding, ExchangeReview, LogAge } from './types.js';

export function renderReviewJson(review: ExchangeReview): string {
  return JSON.stringify(review, null, 2) + '\n';
}

/**
 * One object per line: `{"record":"review",...}` (folder, loggingRoot,
 * newestTime, found), then per check `{"record":"check",...}` without its lists,
 * then its `{"record":"finding",...}`, `{"record":"log",...}` and
 * `{"record":"malformed",...}` lines, then `{"record":"unreadable",...}` lines.
 */
export function renderReviewJsonl(review: ExchangeReview): string {
  const out: string[] = [];
  const push = (o: object): void => {
    out.push(JSON.stringify(o));
  };
  push({
    record: 'review',
    folder: review.folder,
    ...(review.loggingRoot !== undefined ? { loggingRoot: review.loggingRoot } : {}),
    ...(review.newestTime !== undefined ? { newestTime: review.newestTime } : {}),
    found: review.found,
  });
  for (const c of review.checks) {
    const { evidence, logs, malformed, ...rest } = c;
    push({ record: 'check', ...rest });
    for (const f of evidence) push({ record: 'finding', ...f });
    for (const l of logs) push({ record: 'log', check: c.id, ...l });
    for (const m of malformed) push({ record: 'malformed', check: c.id, ...m });
  }
  for (const u of review.unreadable) push({ record: 'unreadable', ...u });
  return out.join('\n') + '\n';
}

const STATUS_TEXT = { found: 'FOUND', clean: 'clean', 'no-logs': 'no logs' } as const;

function where(f: { file: string; line?: number }): string {
  return f.line !== undefined ? `${f.file}:${f.line}` : f.file;
}

function ageLine(l: LogAge): string {
  const files = `${l.files} file${l.files === 1 ? '' : 's'}`;
  if (l.firstTime === undefined || l.lastTime === undefined) return `    ${l.path}  ${files}, no timestamped entries`;
  const lag =
    l.lagSeconds === undefined ? '' : l.lagSeconds === 0 ? ', holds the newest entry' : `, newest entry ${l.lagDays} days (${hm(l.lagSeconds)}) behind the newest of all logs`;
  return `    ${l.path}  ${files}, ${l.entries} entries, ${l.firstTime} .. ${l.lastTime} (${l.spanDays} days${lag})`;
}

function hm(seconds: number): string {
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  return h >= 48 ? `${Math.round(h / 24)}d` : `${h}h${String(m).padStart(2, '0')}m`;
}

function table(header: readonly string[], rows: readonly (readonly string[])[], indent: string, maxCol = 60): string[] {
  const clean = (s: string): string => {
    const one = s.replace(/\r?\n/g, ' ').replace(/\t/g, ' ');
    return one.length <= maxCol ? one : one.slice(0, maxCol - 1) + '…';
  };
  const cells = [header.map(clean), ...rows.map((r) => r.map(clean))];
  const widths = header.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  const line = (r: readonly string[]): string => indent + r.map((v, i) => v.padEnd(widths[i] as number)).join('  ').trimEnd();
  return [line(cells[0] as string[]), line(widths.map((w) => '-'.repeat(w))), ...cells.slice(1).map(line)];
}

function evidenceTable(c: ExchangeCheck): string[] {
  const ev: readonly ExchangeFinding[] = c.evidence;
  switch (c.id) {
    case 'CVE-2021-26855':
      return table(
        [...HTTP_PROXY_FIELDS, 'where'],
        ev.map((f) => [...HTTP_PROXY_FIELDS.map((k) => f.fields[k] ?? ''), where(f)]),
        '    ',
        48,
      );
    case 'CVE-2021-27065':
      return table(['time', 'cmdlet', 'where', 'line'], ev.map((f) => [f.time ?? '', f.fields['cmdlet'] ?? '', where(f), f.text ?? '']), '    ', 80);
    case 'CVE-2021-26858':
      return table(['time', 'temporary file', 'where', 'line'], ev.map((f) => [f.time ?? '', f.fields['tempFile'] ?? '', where(f), f.text ?? '']), '    ', 80);
    case 'CVE-2021-26857':
      return table(['TimeCreated', 'Computer', 'EventID', 'where', 'text'], ev.map((f) => [f.time ?? '', f.fields['Computer'] ?? '', f.fields['EventID'] ?? '', where(f), f.text ?? '']), '    ', 80);
    case 'suspicious-files':
      return table(['Type', 'Path', 'LastWriteTime', 'where'], ev.map((f) => [f.fields['Type'] ?? '', f.fields['Path'] ?? '', f.fields['LastWriteTime'] ?? '', where(f)]), '    ', 100);
  }
}

/** The review for a terminal: each check with its status, evidence, log ages and malformed lines. */
export function renderReviewTable(review: ExchangeReview): string {
  const out: string[] = [];
  out.push(`Exchange log review of ${review.folder}` + (review.loggingRoot !== undefined ? ` (Logging tree: ${review.loggingRoot})` : ' (no Exchange Logging tree found)'));
  if (review.newestTime !== undefined) out.push(`Newest entry of all logs: ${review.newestTime}; "days behind" is measured from it.`);
  for (const c of review.checks) {
    const count = c.evidenceCount;
    out.push('');
    out.push(`${c.id}  ${STATUS_TEXT[c.status]}${c.status === 'found' ? ` (${count})` : ''}  ${c.title}`);
    out.push(`  rule: ${c.rule}`);
    if (c.evidence.length > 0) {
      out.push(...evidenceTable(c));
      if (count > c.evidence.length) out.push(`    ... ${count - c.evidence.length} more not kept`);
    }
    if (c.logs.length > 0) {
      out.push('  logs:');
      out.push(...c.logs.map(ageLine));
    }
    if (c.malformed.length > 0) {
      const total = c.malformedCount;
      out.push(`  malformed lines: ${total}`);
      out.push(...c.malformed.map((m) => `    ${where(m)}: ${m.code}: ${m.message}`));
    }
  }
  if (review.unreadable.length > 0) {
    out.push('');
    out.push('Unreadable:');
    out.push(...review.unreadable.map((u) => `  ${u.file}: ${u.message}`));
  }
  out.push('');
  out.push(review.found ? 'Indicators found: review the evidence above.' : 'Nothing found.');
  return out.join('\n') + '\n';
}
