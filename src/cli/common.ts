/** What `hunt` and `search` share: options, macros, diagnostics on stderr, output, exit codes. */
import { existsSync, writeFileSync } from 'node:fs';
import { parseArgs, type ParseArgsConfig } from 'node:util';
// Content (and its YAML parser) is loaded by the commands that read it (`content-options.ts`), not by `dump`.
import { formatIssue, type ContentIssue } from '../content/types.js';
import type { ReadDiagnostic } from '../events/types.js';
import type { ReadSummary } from '../readers/index.js';
import { formatBytes, formatCount } from './progress.js';

export const EXIT = { ok: 0, alerts: 1, usage: 2, partial: 3, internal: 4 } as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

export const FORMATS = ['table', 'json', 'jsonl', 'csv'] as const;
export type Format = (typeof FORMATS)[number];

export class UsageError extends Error {}

export interface Io {
  readonly stdout: NodeJS.WriteStream;
  readonly stderr: NodeJS.WriteStream;
}

export const COMMON_OPTIONS = {
  content: { type: 'string' },
  format: { type: 'string' },
  output: { type: 'string' },
  tz: { type: 'string' },
  'no-prefilter': { type: 'boolean' },
  quiet: { type: 'boolean' },
  debug: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

type OptionsConfig = NonNullable<ParseArgsConfig['options']>;

export function parseCommandArgs<T extends OptionsConfig>(argv: readonly string[], options: T) {
  try {
    return parseArgs<{ args: string[]; options: T; allowPositionals: true; strict: true }>({ args: [...argv], options, allowPositionals: true, strict: true });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

export function checkFormat(f: string | undefined): Format {
  if (f === undefined) return 'table';
  if (!(FORMATS as readonly string[]).includes(f)) throw new UsageError(`--format must be one of ${FORMATS.join(', ')} (got "${f}")`);
  return f as Format;
}

export function checkZone(tz: string | undefined): string {
  if (tz === undefined) return 'UTC';
  if (tz === 'UTC' || tz === 'Z' || /^[+-]\d{2}:?\d{2}$/.test(tz)) return tz;
  throw new UsageError(`--tz must be UTC or an offset like +02:00 (got "${tz}")`);
}

/** Prints reader diagnostics on stderr: `file:line: code: message`, at most `limit` of them. */
export class DiagnosticPrinter {
  private printed = 0;
  private suppressed = 0;
  errors = 0;
  constructor(
    private readonly io: Io,
    private readonly limit = 50,
  ) {}

  read(d: ReadDiagnostic): void {
    if (d.severity === 'error') this.errors++;
    if (d.severity === 'info') {
      this.suppressed++;
      return;
    }
    if (this.printed >= this.limit) {
      this.suppressed++;
      return;
    }
    this.printed++;
    const where = d.origin.line !== undefined ? `:${d.origin.line}` : d.origin.offset !== undefined ? `@${d.origin.offset}` : '';
    this.io.stderr.write(`${d.origin.file}${where}: ${d.severity}: ${d.code}: ${d.message}\n`);
  }

  content(i: ContentIssue): void {
    if (i.severity === 'error') this.errors++;
    this.io.stderr.write(formatIssue(i) + '\n');
  }

  finish(): void {
    if (this.suppressed > 0 && this.printed >= this.limit) {
      this.io.stderr.write(`... ${this.suppressed} more diagnostics not shown\n`);
    }
  }
}

export function summaryLine(read: ReadSummary, extra: string, seconds: number): string {
  const files = read.files.length;
  const parts = [
    `${formatCount(files)} file${files === 1 ? '' : 's'}`,
    formatBytes(read.bytes),
    `${formatCount(read.events + read.filtered)} events`,
  ];
  if (read.filtered > 0) parts.push(`${formatCount(read.filtered)} skipped by pre-filter`);
  if (read.skipped > 0) parts.push(`${formatCount(read.skipped)} non-event lines skipped`);
  if (read.errors > 0) parts.push(`${formatCount(read.errors)} bad records`);
  if (read.failedFiles > 0) parts.push(`${formatCount(read.failedFiles)} unreadable files`);
  return `spelunk: ${parts.join(', ')}; ${extra} in ${seconds.toFixed(2)} s\n`;
}

export function writeOutput(io: Io, output: string | undefined, text: string): void {
  if (output === undefined) {
    io.stdout.write(text);
    return;
  }
  try {
    writeFileSync(output, text);
  } catch (err) {
    throw new UsageError(`cannot write --output ${output}: ${(err as Error).message}`);
  }
}

export function inputFailed(read: ReadSummary): boolean {
  return read.failedFiles > 0 || read.errors > 0;
}
