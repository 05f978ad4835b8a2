/**
 * The Exchange log review's data: checks, their evidence, log ages. Paths in
 * evidence are relative to the reviewed folder with `/` separators, so a
 * finding reads the same on whichever host ran the review.
 */

export const CHECK_IDS = ['CVE-2021-26855', 'CVE-2021-26858', 'CVE-2021-27065', 'CVE-2021-26857', 'suspicious-files'] as const;
export type CheckId = (typeof CHECK_IDS)[number];

/** `found`: evidence below; `clean`: logs were read and hold none; `no-logs`: nothing to read for this check. */
export const CHECK_STATUSES = ['found', 'clean', 'no-logs'] as const;
export type CheckStatus = (typeof CHECK_STATUSES)[number];

/** One piece of evidence: where it is and what it says. */
export interface ExchangeFinding {
  readonly check: CheckId;
  /** The log file, relative to the reviewed folder (`V15/Logging/HttpProxy/Ecp/HttpProxy_2021030312-1.LOG`). */
  readonly file: string;
  /** 1-based line in `file` (absent for events read from EVTX). */
  readonly line?: number;
  /** The entry's own time, ISO 8601 UTC as written, when it has one. */
  readonly time?: string;
  /** The fields the check reports, by name (e.g. HttpProxy's DateTime, RequestId, ... for CVE-2021-26855). */
  readonly fields: Readonly<Record<string, string>>;
  /** The matching line or event text, cut to 2,000 characters. */
  readonly text?: string;
}

/**
 * The time span of one log (an HttpProxy protocol folder, the OAB generator
 * log folder, ECP server logs, one Application log file). `lagDays` is how far
 * the newest entry of this log is behind the newest entry of all logs of the
 * review (`ExchangeReview.newestTime`): a log that stopped days before the
 * others was disabled, rotated away or cleared.
 */
export interface LogAge {
  readonly path: string;
  readonly files: number;
  /** Entries with a timestamp (lines or events). */
  readonly entries: number;
  readonly firstTime?: string;
  readonly lastTime?: string;
  /** (lastTime - firstTime) in days, one decimal: how far back this log lets the check see. */
  readonly spanDays?: number;
  /** (review newestTime - lastTime) in days, one decimal. */
  readonly lagDays?: number;
  /** (review newestTime - lastTime) in whole seconds: 0 for the log holding the newest entry. */
  readonly lagSeconds?: number;
}

/** A line or record that could not be parsed: counted, reported, skipped (or, for a CSV row, still matched as Import-Csv would). */
export interface MalformedLine {
  readonly file: string;
  readonly line?: number;
  readonly code: string;
  readonly message: string;
}

export interface ExchangeCheck {
  readonly id: CheckId;
  readonly title: string;
  /** What is looked for, in Test-ProxyLogon's terms. */
  readonly rule: string;
  readonly status: CheckStatus;
  /** Evidence kept (at most `ReviewOptions.maxEvidence`). */
  readonly evidence: readonly ExchangeFinding[];
  /** All evidence seen, kept or not. */
  readonly evidenceCount: number;
  readonly logs: readonly LogAge[];
  readonly malformed: readonly MalformedLine[];
  readonly malformedCount: number;
}

export interface UnreadableLog {
  readonly file: string;
  readonly message: string;
}

export interface ExchangeReview {
  /** The reviewed folder as given. */
  readonly folder: string;
  /** Where the `Logging` tree was found, relative to `folder` (`V15/Logging`, `Logging`, `.`), if anywhere. */
  readonly loggingRoot?: string;
  readonly checks: readonly ExchangeCheck[];
  /** The newest timestamp of all logs, the reference for `LogAge.lagDays`. */
  readonly newestTime?: string;
  readonly unreadable: readonly UnreadableLog[];
  /** Any check `found`. */
  readonly found: boolean;
}
