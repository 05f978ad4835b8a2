/**
 * The checks of Microsoft's Test-ProxyLogon.ps1 (CSS-Exchange, Security/src),
 * flagship.md §4.3, as pure predicates. No `node:*`.
 */
import type { CheckId } from './types.js';
import { like, splitCsvLine } from './exchange-log.js';

export interface CheckInfo {
  readonly title: string;
  readonly rule: string;
}

export const CHECK_INFO: Readonly<Record<CheckId, CheckInfo>> = {
  'CVE-2021-26855': {
    title: 'Server-side request forgery in the HttpProxy logs',
    rule: "Logging/HttpProxy/**/*.log rows whose AnchorMailbox is -like 'ServerInfo~*/*', not 'ServerInfo~*/autodiscover*', not 'ServerInfo~localhost*/*'",
  },
  'CVE-2021-26858': {
    title: 'Arbitrary file write in the OAB generator logs',
    rule: "Logging/OABGeneratorLog/** lines containing 'Download failed and temporary file'",
  },
  'CVE-2021-27065': {
    title: 'Virtual directory changes in the ECP server logs',
    rule: "Logging/ECP/Server/*.log lines matching 'Set-.+VirtualDirectory' (case-insensitive)",
  },
  'CVE-2021-26857': {
    title: 'Unified Messaging deserialization errors in the Application log',
    rule: "Application events of provider 'MSExchange Unified Messaging', level 2 (Error), text containing 'System.InvalidCastException'",
  },
  'suspicious-files': {
    title: 'LSASS dumps and archives left behind',
    rule: "files.txt/files.csv listing: lsass dumps (lsass*.dmp, lsass.*dmp) under C:\\root or %WINDIR%\\temp; .7z/.zip/.rar under ProgramData",
  },
};

/** The HttpProxy fields Test-ProxyLogon exports for a CVE-2021-26855 hit, in its order. */
export const HTTP_PROXY_FIELDS = ['DateTime', 'RequestId', 'ClientIPAddress', 'UrlHost', 'UrlStem', 'RoutingHint', 'UserAgent', 'AnchorMailbox', 'HttpStatus'] as const;

/** Test-ProxyLogon's Where-Object for CVE-2021-26855. */
export function isSsrfAnchor(anchorMailbox: string): boolean {
  return (
    like(anchorMailbox, 'ServerInfo~*/*') &&
    !like(anchorMailbox, 'ServerInfo~*/autodiscover*') &&
    !like(anchorMailbox, 'ServerInfo~localhost*/*')
  );
}

/** Test-ProxyLogon's cheap pre-filter (Select-String "ServerInfo~"): a line without it cannot match. */
export function mayHoldSsrfAnchor(line: string): boolean {
  return line.toLowerCase().includes('serverinfo~');
}

/**
 * Field values as Import-Csv gives them: property names are case-insensitive
 * (the log writes `ClientIpAddress`, Test-ProxyLogon asks for `ClientIPAddress`).
 */
export function pickFields(record: Readonly<Record<string, string>>, names: readonly string[]): Record<string, string> {
  const byLower = new Map(Object.entries(record).map(([k, v]) => [k.toLowerCase(), v]));
  const out: Record<string, string> = {};
  for (const n of names) out[n] = byLower.get(n.toLowerCase()) ?? '';
  return out;
}

const OAB_MARKER = 'download failed and temporary file';
const OAB_PATH = /Download failed and temporary file (.*?) needs to be removed/i;

/** CVE-2021-26858 (Select-String is case-insensitive). */
export function isOabDownloadFailure(line: string): boolean {
  return line.toLowerCase().includes(OAB_MARKER);
}

/** The temporary file the OAB generator failed to download (later Test-ProxyLogon versions report it). */
export function oabTempFile(line: string): string | undefined {
  return OAB_PATH.exec(line)?.[1];
}

const VDIR = /Set-.+VirtualDirectory/i;
const VDIR_CMDLET = /Set-[A-Za-z]*VirtualDirectory/i;

/** CVE-2021-27065: the matching text, or undefined. */
export function vdirChange(line: string): { match: string; cmdlet?: string } | undefined {
  const m = VDIR.exec(line);
  if (!m) return undefined;
  const cmdlet = VDIR_CMDLET.exec(m[0])?.[0];
  return cmdlet !== undefined ? { match: m[0], cmdlet } : { match: m[0] };
}

export const UM_PROVIDER = 'MSExchange Unified Messaging';

/** CVE-2021-26857 on an event's provider, level and text (Get-WinEvent's ProviderName and `-like` are case-insensitive). */
export function isUmInvalidCast(provider: string, level: number | undefined, text: string): boolean {
  return provider.toLowerCase() === UM_PROVIDER.toLowerCase() && level === 2 && text.toLowerCase().includes('system.invalidcastexception');
}

// ---------------------------------------------------------------- file listings

export interface ListedFile {
  readonly path: string;
  readonly line: number;
  readonly length?: string;
  readonly lastWriteTime?: string;
}

export type ListingLine = { readonly kind: 'file'; readonly file: ListedFile } | { readonly kind: 'malformed'; readonly message: string } | { readonly kind: 'skip' };

/**
 * Reads a file listing line by line: either one absolute path per line (blank
 * lines and `#` comments ignored), or the CSV of
 * `Get-ChildItem -Recurse | Select FullName,Length,LastWriteTime | Export-Csv`
 * (an optional `#TYPE` line, a header naming `FullName`, quoted values).
 * The first non-comment line decides which.
 */
export class ListingReader {
  private header: string[] | undefined;
  private csv: boolean | undefined;

  line(raw: string, no: number): ListingLine {
    const line = raw.replace(/^\uFEFF/, '').trim();
    if (line.length === 0 || line.startsWith('#')) return { kind: 'skip' };
    if (this.csv === undefined) {
      const split = splitCsvLine(line);
      const names = split.ok ? split.values.map((v) => v.trim().toLowerCase()) : [];
      this.csv = names.includes('fullname');
      if (this.csv) {
        this.header = names;
        return { kind: 'skip' };
      }
    }
    const header = this.header;
    if (!this.csv || header === undefined) return { kind: 'file', file: { path: line, line: no } };
    const split = splitCsvLine(line);
    if (!split.ok) return { kind: 'malformed', message: split.message };
    const get = (name: string): string | undefined => {
      const i = header.indexOf(name);
      return i < 0 ? undefined : split.values[i];
    };
    const path = get('fullname');
    if (path === undefined || path === '') return { kind: 'malformed', message: 'no FullName value' };
    const length = get('length');
    const lastWriteTime = get('lastwritetime') ?? get('lastwritetimeutc');
    return { kind: 'file', file: { path, line: no, ...(length ? { length } : {}), ...(lastWriteTime ? { lastWriteTime } : {}) } };
  }
}

export type SuspiciousKind = 'lsass-dump' | 'archive';

const LSASS_DIRS = [/^[a-z]:\\root\\/i, /^[a-z]:\\windows\\temp\\/i];
const PROGRAMDATA = /^[a-z]:\\programdata\\/i;
const ARCHIVE_EXT = /\.(7z|zip|rar)$/i;

/**
 * Test-ProxyLogon's suspicious files. `%WINDIR%` is taken as `<drive>:\Windows`
 * (a listing does not carry the environment); folders are searched recursively
 * as Get-ChildItem -Recurse does.
 */
export function suspiciousFile(path: string): SuspiciousKind | undefined {
  const p = path.replace(/\//g, '\\');
  const name = p.slice(p.lastIndexOf('\\') + 1);
  if (LSASS_DIRS.some((d) => d.test(p)) && (like(name, 'lsass*.dmp') || like(name, 'lsass.*dmp'))) return 'lsass-dump';
  if (PROGRAMDATA.test(p) && ARCHIVE_EXT.test(name)) return 'archive';
  return undefined;
}
