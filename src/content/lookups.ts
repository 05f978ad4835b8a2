/**
 * ESCU lookup definitions (`lookups/*.yml`) and their tables (CSV files beside
 * them), loaded lazily. Tables are given to the SPL engine through its
 * `LookupCatalog` interface (src/spl/engine/lookup.ts), which `LookupStore`
 * satisfies structurally: content imports nothing from the rest of `src/`.
 *
 * Semantics and decisions: docs/design/lookups.md.
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { FieldReader } from './fields.js';
import { formatCsvRecord, parseCsv } from './lookups/csv.js';
import type { ContentIssue } from './types.js';
import { readYamlDir } from './yaml-dir.js';
import { YamlSource, isRecord } from './yaml-source.js';

export { parseCsv, formatCsvRecord, type CsvProblem, type CsvRecord, type CsvOptions } from './lookups/csv.js';

export const LOOKUP_MATCH_TYPES = ['EXACT', 'WILDCARD', 'CIDR'] as const;
export type LookupMatchType = (typeof LOOKUP_MATCH_TYPES)[number];

/** Where a lookup's rows come from. Only `csv` has rows here (see docs/design/lookups.md). */
export const LOOKUP_KINDS = ['csv', 'kvstore', 'mlmodel'] as const;
export type LookupKind = (typeof LOOKUP_KINDS)[number];

/** Splunk's transforms.conf defaults (transforms.conf.spec, 9.x). */
export const LOOKUP_DEFAULTS = { caseSensitive: true, minMatches: 0, maxMatches: 100 } as const;

export interface LookupDefinition {
  readonly name: string;
  readonly kind: LookupKind;
  readonly description?: string;
  /** `filename:` as written (`is_windows_system_file20231221.csv`). */
  readonly filename?: string;
  /** Absolute path of the table file (CSV or model); set when `filename` is given. */
  readonly path?: string;
  /** `collection:` of a KV store lookup. */
  readonly collection?: string;
  /** `fields_list:` of a KV store lookup, split on commas. */
  readonly fieldsList?: readonly string[];
  /** Non-exact match types by table field (`WILDCARD(domain)` → `{domain: 'WILDCARD'}`). */
  readonly matchTypes: Readonly<Record<string, LookupMatchType>>;
  readonly caseSensitive: boolean;
  readonly minMatches: number;
  readonly maxMatches: number;
  /** Splunk's default_match (a string: ESCU's `'false'` outputs the text `false`). */
  readonly defaultMatch?: string;
  /** The YAML file it came from. */
  readonly file: string;
}

/** A parsed table: header fields and rows (every row has every field; missing cells are `''`). */
export interface LookupTable {
  readonly fields: readonly string[];
  readonly rows: readonly Readonly<Record<string, string>>[];
}

// ------------------------------------------------------------------ definitions

const BOOL = /^(true|false|t|f|1|0|yes|no)$/i;

function readBool(r: FieldReader, key: string): boolean | undefined {
  const v = r.get([key]);
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'boolean') return v;
  if ((typeof v === 'string' || typeof v === 'number') && BOOL.test(String(v).trim())) return /^(true|t|1|yes)$/i.test(String(v).trim());
  r.src.report('content.invalid-type', 'error', `${key} must be true or false, found ${JSON.stringify(v)}`, [key]);
  return undefined;
}

/**
 * `WILDCARD(a), CIDR(b)` → `{a: 'WILDCARD', b: 'CIDR'}`. Splunk's list is comma- and
 * space-delimited; `WILDCARD(a, b)` (several fields in one) is accepted too.
 */
export function parseMatchType(text: string): { types: Record<string, LookupMatchType>; bad: string[] } {
  const types: Record<string, LookupMatchType> = Object.create(null) as Record<string, LookupMatchType>;
  const bad: string[] = [];
  const re = /([A-Za-z_]+)\s*\(([^)]*)\)|([^\s,]+)/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (m[3] !== undefined) {
      bad.push(m[3]);
      continue;
    }
    const kind = (m[1] ?? '').toUpperCase();
    const fields = (m[2] ?? '').split(',').map((f) => f.trim()).filter((f) => f !== '');
    if (!(LOOKUP_MATCH_TYPES as readonly string[]).includes(kind) || fields.length === 0) {
      bad.push(m[0]);
      continue;
    }
    for (const f of fields) types[f] = kind as LookupMatchType;
  }
  return { types, bad };
}

/**
 * Parses one ESCU lookup YAML file. `dir` is the folder the table file is
 * resolved against (the YAML's own folder). Pure apart from the path join.
 */
export function parseLookupYaml(text: string, file: string, dir?: string): { lookup?: LookupDefinition; issues: ContentIssue[] } {
  const src = new YamlSource(text, file);
  if (src.value === undefined) return { issues: src.issues };
  if (!isRecord(src.value)) {
    src.report('content.not-a-mapping', 'error', 'a lookup file must be a YAML mapping');
    return { issues: src.issues };
  }
  const r = new FieldReader(src);
  const name = r.str(['name'], 'error');
  const description = r.str(['description'], 'warning');
  const filename = r.str(['filename']);
  const collection = r.str(['collection']);
  const fieldsListText = r.str(['fields_list']);
  const matchTypeText = r.str(['match_type']);
  const minMatches = r.num(['min_matches']);
  const maxMatches = r.num(['max_matches']);
  const caseSensitive = readBool(r, 'case_sensitive_match');
  // default_match is a string in transforms.conf; ESCU writes 'false' (or a YAML boolean), which Splunk outputs as text.
  const defaultMatch = r.str(['default_match']);

  if (name !== undefined && !/^[A-Za-z0-9_.:-]+$/.test(name))
    src.report('content.invalid-lookup-name', 'error', `lookup name ${JSON.stringify(name)} has characters Splunk does not allow`, ['name']);
  if (filename === undefined && collection === undefined)
    src.report('content.lookup-no-source', 'error', 'a lookup needs a filename (CSV or model) or a collection (KV store)', ['name']);
  if (filename !== undefined && collection !== undefined)
    src.report('content.lookup-two-sources', 'warning', 'both filename and collection are given; the file is used', ['collection']);
  let kind: LookupKind = 'kvstore';
  if (filename !== undefined) {
    if (/\.csv(\.gz)?$/i.test(filename)) kind = 'csv';
    else if (/\.mlmodel$/i.test(filename)) kind = 'mlmodel';
    else src.report('content.lookup-unknown-file-type', 'error', `${filename}: a lookup file must end in .csv or .mlmodel`, ['filename']);
    if (/\.gz$/i.test(filename)) src.report('content.lookup-unsupported', 'error', `${filename}: gzip-compressed lookup files are not supported`, ['filename']);
  }
  let matchTypes: Record<string, LookupMatchType> = {};
  if (matchTypeText !== undefined) {
    const { types, bad } = parseMatchType(matchTypeText);
    matchTypes = types;
    for (const b of bad) src.report('content.invalid-match-type', 'error', `${JSON.stringify(b)} is not WILDCARD(field), CIDR(field) or EXACT(field)`, ['match_type']);
  }
  const checkCount = (v: number | undefined, key: string, lo: number): void => {
    if (v !== undefined && (!Number.isInteger(v) || v < lo || v > 1000))
      src.report('content.invalid-lookup-count', 'error', `${key} must be an integer from ${lo} to 1000, found ${v}`, [key]);
  };
  checkCount(minMatches, 'min_matches', 0);
  checkCount(maxMatches, 'max_matches', 1);
  if (minMatches !== undefined && maxMatches !== undefined && minMatches > maxMatches)
    src.report('content.invalid-lookup-count', 'warning', `min_matches ${minMatches} exceeds max_matches ${maxMatches}`, ['min_matches']);
  if (src.issues.some((i) => i.severity === 'error') || name === undefined) return { issues: src.issues };

  // Only EXACT is implied; keep the explicit non-exact ones.
  const nonExact: Record<string, LookupMatchType> = Object.create(null) as Record<string, LookupMatchType>;
  for (const [f, t] of Object.entries(matchTypes)) if (t !== 'EXACT') nonExact[f] = t;
  const lookup: LookupDefinition = {
    name,
    kind,
    ...(description !== undefined ? { description } : {}),
    ...(filename !== undefined ? { filename, path: join(dir ?? '.', basename(filename)) } : {}),
    ...(collection !== undefined && filename === undefined ? { collection } : {}),
    ...(fieldsListText !== undefined ? { fieldsList: splitFieldsList(fieldsListText) } : {}),
    matchTypes: nonExact,
    caseSensitive: caseSensitive ?? LOOKUP_DEFAULTS.caseSensitive,
    minMatches: minMatches ?? LOOKUP_DEFAULTS.minMatches,
    maxMatches: maxMatches ?? LOOKUP_DEFAULTS.maxMatches,
    ...(defaultMatch !== undefined ? { defaultMatch } : {}),
    file,
  };
  return { lookup, issues: src.issues };
}

/** `_key, a,b ,c` → `[_key, a, b, c]` (transforms.conf: comma- and space-delimited), first occurrence kept. */
function splitFieldsList(text: string): string[] {
  return [...new Set(text.split(/[\s,]+/).filter((f) => f !== ''))];
}

/**
 * Loads `DIR/*.yml|*.yaml` lookup definitions. Table files are only checked to
 * exist here; they are parsed on first use (`LookupStore.table`).
 */
export function loadLookupDir(dir: string): { lookups: Map<string, LookupDefinition>; issues: ContentIssue[] } {
  const lookups = new Map<string, LookupDefinition>();
  const { files, issues } = readYamlDir(dir);
  for (const { file, text } of files) {
    const { lookup, issues: found } = parseLookupYaml(text, file, dir);
    issues.push(...found);
    if (!lookup) continue;
    if (lookup.path !== undefined && !existsSync(lookup.path)) {
      issues.push({ code: 'content.lookup-file-missing', severity: 'error', message: `${lookup.filename ?? '?'} not found beside the definition`, file, path: 'filename' });
      continue;
    }
    const prior = lookups.get(lookup.name);
    if (prior) issues.push({ code: 'content.duplicate-lookup', severity: 'warning', message: `lookup ${lookup.name} also defined in ${prior.file}; this one wins`, file, path: 'name' });
    lookups.set(lookup.name, lookup);
  }
  return { lookups, issues };
}

// ------------------------------------------------------------------ tables

/**
 * Turns CSV text into a table. The header names the fields (trimmed; a duplicate
 * name keeps its first column); blank lines are skipped; a short row is padded
 * with empty cells and a long one cut, each with a warning. Pure.
 */
export function parseLookupCsv(text: string, file: string): { table: LookupTable; issues: ContentIssue[] } {
  const issues: ContentIssue[] = [];
  // Unquoted cells are trimmed: ESCU writes `domain, isLegit` and `x.com, True`, and its
  // searches use `isLegit` and `=True` (docs/design/lookups.md, "Whitespace").
  const { records, problems } = parseCsv(text, { trim: true });
  for (const p of problems)
    issues.push({ code: `content.lookup-${p.code.replace(/^csv\./, 'csv-')}`, severity: p.code === 'csv.unterminated-quote' ? 'error' : 'warning', message: p.message, file, line: p.line, column: 1 });
  const nonBlank = records.filter((r) => !(r.fields.length === 1 && r.fields[0] === ''));
  const header = nonBlank[0];
  if (!header) {
    issues.push({ code: 'content.lookup-empty', severity: 'error', message: 'the lookup file has no header line', file });
    return { table: { fields: [], rows: [] }, issues };
  }
  const columns: { name: string; index: number }[] = [];
  const seen = new Set<string>();
  header.fields.forEach((f, index) => {
    if (f === '') {
      issues.push({ code: 'content.lookup-empty-column-name', severity: 'warning', message: `column ${index + 1} has no name and is ignored`, file, line: header.line });
      return;
    }
    if (seen.has(f)) {
      issues.push({ code: 'content.lookup-duplicate-column', severity: 'warning', message: `column ${JSON.stringify(f)} appears twice; the first is used`, file, line: header.line });
      return;
    }
    seen.add(f);
    columns.push({ name: f, index });
  });
  const rows: Record<string, string>[] = [];
  let ragged = 0;
  for (const rec of nonBlank.slice(1)) {
    if (rec.fields.length !== header.fields.length) {
      if (ragged++ < 5)
        issues.push({ code: 'content.lookup-ragged-row', severity: 'warning', message: `row has ${rec.fields.length} fields, the header ${header.fields.length}`, file, line: rec.line });
    }
    const row = Object.create(null) as Record<string, string>;
    for (const c of columns) row[c.name] = rec.fields[c.index] ?? '';
    rows.push(row);
  }
  if (ragged > 5) issues.push({ code: 'content.lookup-ragged-row', severity: 'warning', message: `${ragged - 5} more rows with a different number of fields`, file });
  return { table: { fields: columns.map((c) => c.name), rows }, issues };
}

/** Reads and parses a CSV lookup file. */
export function loadLookupCsv(path: string): { table?: LookupTable; issues: ContentIssue[] } {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    return { issues: [{ code: 'content.unreadable', severity: 'error', message: (err as Error).message, file: path }] };
  }
  return parseLookupCsv(text, path);
}

export interface LookupStoreOptions {
  /** Folder `outputlookup` writes to (`<name>.csv`); without it writes stay in memory. */
  readonly outputDir?: string;
}

/**
 * The lookups of one run: definitions, tables parsed on first use and cached,
 * and what `outputlookup` wrote. Satisfies the engine's `LookupCatalog` and
 * `LookupWriter` interfaces.
 *
 * Names resolve as Splunk does: a definition name (`is_windows_system_file`), or a
 * table file name (`linux_tool_discovery_process.csv`), which uses the file with
 * default match settings. A KV store definition is an empty collection with its
 * `fields_list` columns (what a fresh Splunk install has) until something writes to it.
 */
/**
 * Lookups Splunk Enterprise Security provides and ESCU detections use without
 * shipping them: the asset and identity collections. spelunk has no asset or
 * identity inventory, so they are what a fresh ES install has: empty
 * collections with their columns (searches run; nothing matches).
 */
const kv = (name: string, fieldsList: readonly string[]): LookupDefinition => ({
  name,
  kind: 'kvstore',
  collection: name,
  fieldsList,
  matchTypes: {},
  caseSensitive: false,
  minMatches: 0,
  maxMatches: 1,
  file: '(Splunk Enterprise Security)',
});
export const WELL_KNOWN_COLLECTIONS: readonly LookupDefinition[] = [
  kv('asset_lookup_by_str', ['asset', 'ip', 'mac', 'nt_host', 'dns', 'owner', 'priority', 'lat', 'long', 'city', 'country', 'bunit', 'category', 'pci_domain', 'is_expected', 'should_timesync', 'should_update', 'requires_av', 'asset_tag']),
  kv('asset_lookup_by_cidr', ['asset', 'ip', 'mac', 'nt_host', 'dns', 'owner', 'priority', 'lat', 'long', 'city', 'country', 'bunit', 'category', 'pci_domain', 'is_expected', 'should_timesync', 'should_update', 'requires_av', 'asset_tag']),
  kv('identity_lookup_expanded', ['identity', 'prefix', 'nick', 'first', 'last', 'suffix', 'email', 'phone', 'phone2', 'managedBy', 'priority', 'bunit', 'category', 'watchlist', 'startDate', 'endDate', 'work_city', 'work_country', 'work_lat', 'work_long', 'identity_tag', 'objectSid', 'downLevelDomainName']),
];

export class LookupStore {
  /** Problems found while parsing tables on first use. */
  readonly issues: ContentIssue[] = [];
  private readonly defs: Map<string, LookupDefinition>;
  private readonly byFile = new Map<string, LookupDefinition>();
  private readonly tables = new Map<string, LookupTable | null>();

  constructor(
    definitions: ReadonlyMap<string, LookupDefinition>,
    private readonly options: LookupStoreOptions = {},
  ) {
    this.defs = new Map(definitions);
    for (const d of WELL_KNOWN_COLLECTIONS) if (!this.defs.has(d.name)) this.defs.set(d.name, d);
    for (const d of this.defs.values()) if (d.filename !== undefined) this.byFile.set(basename(d.filename), d);
  }

  /** A store over an ESCU-shaped lookups folder; issues of the definitions are returned beside it. */
  static fromDir(dir: string, options: LookupStoreOptions = {}): { store: LookupStore; issues: ContentIssue[] } {
    const { lookups, issues } = loadLookupDir(dir);
    return { store: new LookupStore(lookups, options), issues };
  }

  names(): readonly string[] {
    return [...this.defs.keys()].sort();
  }

  /** The definition a name refers to; a bare file name gets Splunk's defaults. */
  definition(name: string): LookupDefinition | undefined {
    const d = this.defs.get(name);
    if (d) return d;
    const f = this.byFile.get(name);
    if (f) {
      // A table file named directly bypasses its definition's match settings.
      const { defaultMatch: _unused, ...rest } = f;
      return { ...rest, name, matchTypes: {}, caseSensitive: LOOKUP_DEFAULTS.caseSensitive, minMatches: LOOKUP_DEFAULTS.minMatches, maxMatches: LOOKUP_DEFAULTS.maxMatches };
    }
    return undefined;
  }

  /** The rows of a lookup; undefined for unknown names, models, and unreadable files. */
  table(name: string): LookupTable | undefined {
    const key = this.tableKey(name);
    if (key === undefined) return undefined;
    const cached = this.tables.get(key);
    if (cached !== undefined) return cached ?? undefined;
    const def = this.defs.get(name) ?? this.byFile.get(name);
    let table: LookupTable | null = null;
    if (def?.kind === 'csv' && def.path !== undefined) {
      const { table: t, issues } = loadLookupCsv(def.path);
      this.issues.push(...issues);
      table = t ?? null;
    } else if (def?.kind === 'kvstore') {
      table = { fields: def.fieldsList ?? [], rows: [] };
    }
    this.tables.set(key, table);
    return table ?? undefined;
  }

  /**
   * `outputlookup`: replaces (or with `append`, extends) a table. Later reads in
   * this store see it; with `outputDir` it is also written as `<file name>.csv`.
   */
  write(name: string, table: LookupTable, opts: { append?: boolean } = {}): void {
    let out = table;
    if (opts.append) {
      const prior = this.table(name);
      if (prior) {
        const fields = [...prior.fields, ...table.fields.filter((f) => !prior.fields.includes(f))];
        out = { fields, rows: [...prior.rows, ...table.rows] };
      }
    }
    if (!this.defs.has(name) && !this.byFile.has(name)) {
      // A new table: Splunk creates `<name>.csv`, usable by file name (and by name, when written by name).
      const filename = /\.csv$/i.test(name) ? name : `${name}.csv`;
      const def: LookupDefinition = { name, kind: 'csv', filename, matchTypes: {}, ...LOOKUP_DEFAULTS, file: '(outputlookup)' };
      if (/\.csv$/i.test(name)) this.byFile.set(name, def);
      else this.defs.set(name, def);
    }
    this.tables.set(this.tableKey(name) as string, out);
    if (this.options.outputDir !== undefined) {
      mkdirSync(this.options.outputDir, { recursive: true });
      const def = this.defs.get(name) ?? this.byFile.get(name);
      const file = basename(def?.filename ?? (/\.csv$/i.test(name) ? name : `${name}.csv`));
      writeFileSync(join(this.options.outputDir, file), tableToCsv(out));
    }
  }

  /** Parses every CSV table now and returns the issues found (for `spelunk check` and tests). */
  checkAll(): ContentIssue[] {
    const before = this.issues.length;
    for (const name of this.names()) {
      const def = this.defs.get(name);
      if (def?.kind !== 'csv') continue;
      const t = this.table(name);
      if (!t) continue;
      for (const f of Object.keys(def.matchTypes))
        if (!t.fields.includes(f))
          this.issues.push({ code: 'content.lookup-match-field-unknown', severity: 'warning', message: `match_type names ${f}, which is not a column of ${def.filename ?? name}`, file: def.file, path: 'match_type' });
    }
    return this.issues.slice(before);
  }

  private tableKey(name: string): string | undefined {
    const d = this.defs.get(name) ?? this.byFile.get(name);
    if (!d) return undefined;
    return d.filename !== undefined ? `file:${basename(d.filename)}` : `def:${d.name}`;
  }
}

/** A table as CSV text (header, then rows; CRLF line ends as RFC 4180 says). */
export function tableToCsv(table: LookupTable): string {
  const lines = [formatCsvRecord(table.fields)];
  for (const r of table.rows) lines.push(formatCsvRecord(table.fields.map((f) => r[f] ?? '')));
  return lines.join('\r\n') + '\r\n';
}

/** Whether `dir` looks like a lookups folder (has at least one definition YAML). */
export function isLookupDir(dir: string): boolean {
  try {
    return statSync(dir).isDirectory() && readdirSync(dir).some((n) => /\.ya?ml$/i.test(n));
  } catch {
    return false;
  }
}
