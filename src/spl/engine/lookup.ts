/**
 * The `lookup`, `inputlookup` and `outputlookup` commands. Pure: tables come in
 * through `LookupCatalog` and go out through `LookupWriter` (src/content/lookups.ts
 * implements both over ESCU's lookups folder).
 *
 * Semantics, with the Splunk page each rule comes from: docs/design/lookups.md.
 * In short: a row matches when every input field matches (EXACT, WILDCARD `*`,
 * CIDR), case-sensitively unless the definition says `case_sensitive_match=false`;
 * up to `max_matches` rows per input value, in table order, become multivalue
 * outputs; fewer than `min_matches` are padded with `default_match`; `OUTPUT`
 * overwrites (and clears when nothing matched), `OUTPUTNEW` fills missing fields only.
 */
import type { SearchExpr } from '../language/ast.js';
import { closest } from '../language/errors.js';
import { fromValues, newRow, scalarToString, valuesOf, type Row, type Scalar } from '../values.js';
import { compileSearchExpr } from './search-predicate.js';
import type { Stage } from './stages.js';
import { escapeRegex } from './wildcard.js';

// ------------------------------------------------------------------ interfaces

export type LookupMatchType = 'EXACT' | 'WILDCARD' | 'CIDR';

/** A lookup table: the header fields and the rows (cells are text; `''` is an empty cell). */
export interface LookupTable {
  readonly fields: readonly string[];
  readonly rows: readonly Readonly<Record<string, string>>[];
}

/** The transforms.conf settings of a lookup that matching needs. */
export interface LookupDefinitionInfo {
  readonly name: string;
  /** Non-exact match types by table field; fields not listed match EXACT. */
  readonly matchTypes: Readonly<Record<string, LookupMatchType>>;
  readonly caseSensitive: boolean;
  readonly minMatches: number;
  readonly maxMatches: number;
  readonly defaultMatch?: string;
}

export interface LookupCatalog {
  /** The definition a name refers to (a definition name, or a table file name such as `x.csv`). */
  definition(name: string): LookupDefinitionInfo | undefined;
  /** Its rows; undefined when it has none (an MLTK model, an unreadable file). */
  table(name: string): LookupTable | undefined;
  names(): readonly string[];
}

/** Where `outputlookup` writes. */
export interface LookupWriter {
  write(name: string, table: LookupTable, opts: { readonly append?: boolean }): void;
}

export interface LookupFieldMap {
  readonly tableField: string;
  readonly eventField: string;
}

/** `lookup [local=b] [update=b] <name> (<field> [AS <eventfield>])... [OUTPUT|OUTPUTNEW (<field> [AS <newname>])...]` */
export interface LookupSpec {
  readonly name: string;
  readonly inputs: readonly LookupFieldMap[];
  /** Absent: every table field that is not an input, under its own name. */
  readonly outputs?: readonly LookupFieldMap[];
  readonly mode: 'OUTPUT' | 'OUTPUTNEW';
  /** Accepted and ignored: they concern distributed and real-time search. */
  readonly local?: boolean;
  readonly update?: boolean;
}

/** `inputlookup [append=b] [start=n] [max=n] <name> [WHERE <search-expr>]` */
export interface InputlookupSpec {
  readonly name: string;
  readonly append?: boolean;
  readonly start?: number;
  readonly max?: number;
  readonly where?: SearchExpr;
}

/** `outputlookup [append=b] [max=n] [override_if_empty=b] [key_field=f] ... <name>` */
export interface OutputlookupSpec {
  readonly name: string;
  readonly append?: boolean;
  readonly max?: number;
  readonly overrideIfEmpty?: boolean;
}

/**
 * A problem with a lookup command. `code` is stable: `spl.unknown-lookup`,
 * `spl.lookup-no-table`, `spl.lookup-unknown-field`, `spl.syntax`. `offset` is
 * a position in the argument text given to a `parse*Args` helper.
 */
export class LookupError extends Error {
  override readonly name = 'LookupError';
  constructor(
    readonly code: string,
    message: string,
    readonly extra: { readonly suggestion?: string; readonly offset?: number } = {},
  ) {
    super(message);
  }
}

// ------------------------------------------------------------------ checking

/** What is wrong with a `lookup` against a catalog, or undefined. The planner reports it with a span. */
export function checkLookupSpec(spec: LookupSpec, catalog: LookupCatalog): LookupError | undefined {
  const def = catalog.definition(spec.name);
  if (!def) {
    const suggestion = closest(spec.name, catalog.names());
    return new LookupError('spl.unknown-lookup', `no lookup named ${JSON.stringify(spec.name)}`, suggestion !== undefined ? { suggestion } : {});
  }
  const table = catalog.table(spec.name);
  if (!table) return new LookupError('spl.lookup-no-table', `lookup ${spec.name} has no table spelunk can read (MLTK models and external lookups are not supported)`);
  // An empty KV store collection without fields_list cannot be checked; nothing will match.
  if (table.fields.length === 0) return undefined;
  for (const f of [...spec.inputs, ...(spec.outputs ?? [])]) {
    if (!table.fields.includes(f.tableField)) {
      const suggestion = closest(f.tableField, table.fields);
      return new LookupError('spl.lookup-unknown-field', `lookup ${spec.name} has no field ${JSON.stringify(f.tableField)}`, suggestion !== undefined ? { suggestion } : {});
    }
  }
  return undefined;
}

// ------------------------------------------------------------------ index

/** Row indices matching one input tuple, in table order, at most max_matches. */
export interface LookupIndex {
  match(values: readonly string[]): readonly number[];
}

type CellTest = (folded: string) => boolean;

interface ScanEntry {
  readonly row: number;
  readonly tests: readonly CellTest[];
  /** Per input field: the folded literal pieces of a WILDCARD cell (else undefined). */
  readonly pieces: readonly (readonly string[] | undefined)[];
}

/** Below this many entries a plain scan is as fast as the trigram index. */
const TRIGRAM_MIN = 64;

/**
 * Non-literal rows, in table order. Large sets are indexed by one trigram per
 * row: the rarest trigram of the longest literal piece of one of its wildcard
 * cells, which any value the cell matches must contain. Rows without such a
 * piece (`*`, `*ab*`, CIDR) are always candidates.
 */
class ScanSet {
  private readonly entries: ScanEntry[] = [];
  private grams: Map<number, Map<string, ScanEntry[]>> | undefined;
  private readonly always: ScanEntry[] = [];

  add(e: ScanEntry): void {
    this.entries.push(e);
  }

  freeze(): void {
    if (this.entries.length < TRIGRAM_MIN) return;
    // Per anchor field: trigram → how many rows' anchor pieces contain it.
    const anchors = this.entries.map(longestPiece);
    const freq = new Map<number, Map<string, number>>();
    for (const a of anchors) {
      if (!a) continue;
      let f = freq.get(a.field);
      if (!f) freq.set(a.field, (f = new Map()));
      for (const g of trigrams(a.piece)) f.set(g, (f.get(g) ?? 0) + 1);
    }
    const grams = new Map<number, Map<string, ScanEntry[]>>();
    this.entries.forEach((e, i) => {
      const a = anchors[i];
      if (!a) {
        this.always.push(e);
        return;
      }
      const f = freq.get(a.field) as Map<string, number>;
      let best = '';
      let bestN = Infinity;
      for (const g of trigrams(a.piece)) {
        const n = f.get(g) ?? 0;
        if (n < bestN) {
          best = g;
          bestN = n;
        }
      }
      let byGram = grams.get(a.field);
      if (!byGram) grams.set(a.field, (byGram = new Map()));
      const list = byGram.get(best);
      if (list) list.push(e);
      else byGram.set(best, [e]);
    });
    this.grams = grams;
  }

  /** Entries that may match, in table order. */
  candidates(folded: readonly string[]): readonly ScanEntry[] {
    if (!this.grams) return this.entries;
    const found = new Set<ScanEntry>(this.always);
    for (const [f, byGram] of this.grams)
      for (const g of trigrams(folded[f] ?? '')) for (const e of byGram.get(g) ?? []) found.add(e);
    return [...found].sort((a, b) => a.row - b.row);
  }
}

/** The longest literal piece (3+ characters) of any wildcard cell of a row. */
function longestPiece(e: ScanEntry): { field: number; piece: string } | undefined {
  let best: { field: number; piece: string } | undefined;
  e.pieces.forEach((ps, field) => {
    for (const p of ps ?? []) if (p.length >= 3 && (!best || p.length > best.piece.length)) best = { field, piece: p };
  });
  return best;
}

/** The trigrams of s (repeats included; callers tolerate them). */
function trigrams(s: string): string[] {
  const out: string[] = [];
  for (let i = 0; i + 3 <= s.length; i++) out.push(s.slice(i, i + 3));
  return out;
}

const SEP = '\u0000';
const CACHE_LIMIT = 10_000;

/**
 * Indexes a table for lookups on `inputFields` (table field names). Rows whose
 * input cells are all literal (EXACT cells, WILDCARD cells without `*`, CIDR
 * cells that are not addresses) go in a hash on the case-folded tuple; the
 * others are scanned in table order, bucketed by the first EXACT field when
 * there is one. Results are cached per input tuple.
 */
export function buildLookupIndex(def: LookupDefinitionInfo, table: LookupTable, inputFields: readonly string[]): LookupIndex {
  // Tables are immutable, so an index is shared by every search that uses the same table the same way.
  const key = JSON.stringify([inputFields, def.caseSensitive, def.maxMatches, inputFields.map((f) => def.matchTypes[f] ?? 'EXACT')]);
  let perTable = indexCache.get(table);
  if (!perTable) indexCache.set(table, (perTable = new Map()));
  let index = perTable.get(key);
  if (!index) perTable.set(key, (index = makeIndex(def, table, inputFields)));
  return index;
}

const indexCache = new WeakMap<LookupTable, Map<string, LookupIndex>>();

function makeIndex(def: LookupDefinitionInfo, table: LookupTable, inputFields: readonly string[]): LookupIndex {
  const fold = def.caseSensitive ? (s: string) => s : (s: string) => s.toLowerCase();
  const types = inputFields.map((f) => def.matchTypes[f] ?? 'EXACT');
  const firstExact = types.indexOf('EXACT');
  const hash = new Map<string, number[]>();
  const scanAll = new ScanSet();
  const scanBy = new Map<string, ScanSet>();
  table.rows.forEach((row, k) => {
    const cells = inputFields.map((f) => row[f] ?? '');
    let literal = true;
    const pieces: (string[] | undefined)[] = cells.map(() => undefined);
    const tests: CellTest[] = cells.map((cell, i) => {
      const t = types[i];
      if (t === 'WILDCARD' && cell.includes('*')) {
        literal = false;
        pieces[i] = fold(cell).split('*').filter((p) => p !== '');
        return wildcardTest(cell, def.caseSensitive);
      }
      if (t === 'CIDR') {
        const net = parseCidr(cell);
        if (net) {
          literal = false;
          return (v: string) => inCidr(v, net);
        }
      }
      const want = fold(cell);
      return (v: string) => v === want;
    });
    if (literal) {
      const key = cells.map(fold).join(SEP);
      const list = hash.get(key);
      if (list) list.push(k);
      else hash.set(key, [k]);
    } else if (firstExact >= 0) {
      const b = fold(cells[firstExact] as string);
      let set = scanBy.get(b);
      if (!set) scanBy.set(b, (set = new ScanSet()));
      set.add({ row: k, tests, pieces });
    } else scanAll.add({ row: k, tests, pieces });
  });
  scanAll.freeze();
  for (const set of scanBy.values()) set.freeze();
  const cache = new Map<string, readonly number[]>();
  const max = Math.max(1, def.maxMatches);
  return {
    match(values) {
      const folded = values.map(fold);
      const key = folded.join(SEP);
      const hit = cache.get(key);
      if (hit) return hit;
      const fromHash = hash.get(key) ?? [];
      const set = firstExact >= 0 ? scanBy.get(folded[firstExact] as string) : scanAll;
      const candidates = set ? set.candidates(folded) : [];
      const fromScan: number[] = [];
      for (const e of candidates) {
        // Later scanned rows come after these in table order: they cannot make the cut.
        if (fromScan.length >= max) break;
        let ok = true;
        for (let i = 0; i < e.tests.length && ok; i++) ok = (e.tests[i] as CellTest)(folded[i] as string);
        if (ok) fromScan.push(e.row);
      }
      const merged = mergeSorted(fromHash, fromScan, max);
      if (cache.size >= CACHE_LIMIT) cache.clear();
      cache.set(key, merged);
      return merged;
    },
  };
}

function mergeSorted(a: readonly number[], b: readonly number[], max: number): number[] {
  const out: number[] = [];
  let i = 0;
  let j = 0;
  while (out.length < max && (i < a.length || j < b.length)) {
    if (j >= b.length || (i < a.length && (a[i] as number) < (b[j] as number))) out.push(a[i++] as number);
    else out.push(b[j++] as number);
  }
  return out;
}

/** `*` in the table's cell matches any run of characters; tested on the (already folded) event value. */
function wildcardTest(cell: string, caseSensitive: boolean): CellTest {
  const parts = cell.split('*');
  // Compiled on first use: most rows of a large table are never candidates.
  let compiled: RegExp | undefined;
  const re = {
    test: (v: string): boolean => (compiled ??= new RegExp('^' + parts.map(escapeRegex).join('.*') + '$', caseSensitive ? 's' : 'is')).test(v),
  };
  // Cheap pre-check on the longest literal piece; large wildcard tables (92k DNS suffixes) are scanned per value.
  let longest = '';
  for (const p of parts) if (p.length > longest.length) longest = p;
  const needle = caseSensitive ? longest : longest.toLowerCase();
  if (needle === '') return (v) => re.test(v);
  return (v) => v.includes(needle) && re.test(v);
}

// ------------------------------------------------------------------ CIDR

interface Cidr {
  readonly bytes: Uint8Array;
  readonly bits: number;
}

/** `10.0.0.0/8`, `fe80::/10`, or a bare address (all bits). Undefined when not an address. */
export function parseCidr(text: string): Cidr | undefined {
  const s = text.trim();
  const slash = s.indexOf('/');
  const addr = parseIp(slash < 0 ? s : s.slice(0, slash));
  if (!addr) return undefined;
  const full = addr.length * 8;
  if (slash < 0) return { bytes: addr, bits: full };
  const bitsText = s.slice(slash + 1);
  if (!/^\d{1,3}$/.test(bitsText)) return undefined;
  const bits = Number(bitsText);
  if (bits > full) return undefined;
  return { bytes: addr, bits };
}

/** Whether an event value is an address inside the network. */
function inCidr(value: string, net: Cidr): boolean {
  const ip = parseIp(value.trim());
  if (!ip || ip.length !== net.bytes.length) return false;
  let bits = net.bits;
  for (let i = 0; bits > 0; i++, bits -= 8) {
    const mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
    if (((ip[i] as number) & mask) !== ((net.bytes[i] as number) & mask)) return false;
  }
  return true;
}

/** An IPv4 (4 bytes) or IPv6 (16 bytes) address, or undefined. */
export function parseIp(s: string): Uint8Array | undefined {
  if (s.includes(':')) return parseIpv6(s);
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(s);
  if (!m) return undefined;
  const out = new Uint8Array(4);
  for (let i = 0; i < 4; i++) {
    const n = Number(m[i + 1]);
    if (n > 255) return undefined;
    out[i] = n;
  }
  return out;
}

function parseIpv6(s: string): Uint8Array | undefined {
  const zone = s.indexOf('%');
  if (zone >= 0) s = s.slice(0, zone);
  const halves = s.split('::');
  if (halves.length > 2) return undefined;
  const groups = (part: string): number[] | undefined => {
    if (part === '') return [];
    const out: number[] = [];
    const items = part.split(':');
    for (let i = 0; i < items.length; i++) {
      const it = items[i] as string;
      if (i === items.length - 1 && it.includes('.')) {
        const v4 = parseIp(it);
        if (!v4 || v4.length !== 4) return undefined;
        out.push(((v4[0] as number) << 8) | (v4[1] as number), ((v4[2] as number) << 8) | (v4[3] as number));
      } else if (/^[0-9a-fA-F]{1,4}$/.test(it)) out.push(parseInt(it, 16));
      else return undefined;
    }
    return out;
  };
  const head = groups(halves[0] as string);
  const tail = halves.length === 2 ? groups(halves[1] as string) : [];
  if (!head || !tail) return undefined;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return undefined;
  const all = [...head, ...new Array<number>(halves.length === 2 ? missing : 0).fill(0), ...tail];
  const out = new Uint8Array(16);
  all.forEach((g, i) => {
    out[i * 2] = g >> 8;
    out[i * 2 + 1] = g & 0xff;
  });
  return out;
}

// ------------------------------------------------------------------ lookup

/** Input tuples per event are capped: a cartesian product of large multivalue fields is not worth more. */
const MAX_TUPLES = 10_000;

/**
 * The `lookup` command as a stage. Throws `LookupError` when the spec does not
 * fit the catalog (call `checkLookupSpec` first to report it with a span).
 * The index is built on the first row and shared by every run of the stage.
 */
export function lookupStage(spec: LookupSpec, catalog: LookupCatalog): Stage {
  const problem = checkLookupSpec(spec, catalog);
  if (problem) throw problem;
  const def = catalog.definition(spec.name) as LookupDefinitionInfo;
  const table = catalog.table(spec.name) as LookupTable;
  const inputFields = spec.inputs.map((i) => i.tableField);
  const outputs = spec.outputs ?? table.fields.filter((f) => !inputFields.includes(f)).map((f) => ({ tableField: f, eventField: f }));
  const pad = def.minMatches > 0 && def.defaultMatch !== undefined && def.defaultMatch !== '' ? def.defaultMatch : undefined;
  let index: LookupIndex | undefined;

  const apply = (row: Row): Row => {
    if (spec.mode === 'OUTPUTNEW' && outputs.every((o) => row[o.eventField] !== undefined)) return row;
    const inputValues: string[][] = [];
    for (const i of spec.inputs) {
      const vs = valuesOf(row[i.eventField]);
      if (vs.length === 0) return row; // an event without an input field is not looked up
      inputValues.push(vs.map((v: Scalar) => scalarToString(v)));
    }
    index ??= buildLookupIndex(def, table, inputFields);
    const collected: string[][] = outputs.map(() => []);
    for (const tuple of tuples(inputValues)) {
      const rows = index.match(tuple);
      for (const k of rows) {
        const r = table.rows[k] as Readonly<Record<string, string>>;
        outputs.forEach((o, i) => {
          const cell = r[o.tableField];
          if (cell !== undefined && cell !== '') (collected[i] as string[]).push(cell);
        });
      }
      if (pad !== undefined) for (let n = rows.length; n < def.minMatches; n++) for (const c of collected) c.push(pad);
    }
    const out = newRow();
    for (const k in row) out[k] = row[k];
    outputs.forEach((o, i) => {
      const v = fromValues(collected[i] as string[]);
      if (spec.mode === 'OUTPUT') {
        if (v === undefined) delete out[o.eventField];
        else out[o.eventField] = v;
      } else if (out[o.eventField] === undefined && v !== undefined) out[o.eventField] = v;
    });
    return out;
  };

  return (next) => ({
    push: (row) => next.push(apply(row)),
    end: () => next.end(),
  });
}

/** Every combination of one value per input field, first field slowest. */
function* tuples(values: readonly (readonly string[])[]): Generator<string[]> {
  if (values.length === 1) {
    for (const v of values[0] as readonly string[]) yield [v];
    return;
  }
  let combos: string[][] = [[]];
  for (const vs of values) {
    const nextCombos: string[][] = [];
    for (const c of combos) for (const v of vs) if (nextCombos.length < MAX_TUPLES) nextCombos.push([...c, v]);
    combos = nextCombos;
  }
  yield* combos;
}

// ------------------------------------------------------------------ inputlookup / outputlookup

/** The rows `inputlookup` produces, in table order; empty cells are absent fields. */
export function inputlookupRows(spec: InputlookupSpec, catalog: LookupCatalog): Row[] {
  if (!catalog.definition(spec.name)) {
    const suggestion = closest(spec.name, catalog.names());
    throw new LookupError('spl.unknown-lookup', `no lookup named ${JSON.stringify(spec.name)}`, suggestion !== undefined ? { suggestion } : {});
  }
  const table = catalog.table(spec.name);
  if (!table) throw new LookupError('spl.lookup-no-table', `lookup ${spec.name} has no table spelunk can read`);
  const start = Math.max(0, spec.start ?? 0);
  const end = spec.max !== undefined ? start + Math.max(0, spec.max) : table.rows.length;
  const pred = spec.where ? compileSearchExpr(spec.where) : undefined;
  const out: Row[] = [];
  for (const r of table.rows.slice(start, end)) {
    const row = newRow();
    for (const f of table.fields) {
      const v = r[f];
      if (v !== undefined && v !== '') row[f] = v;
    }
    if (!pred || pred(row)) out.push(row);
  }
  return out;
}

/**
 * `inputlookup` after other commands (`append=true`): the incoming rows pass, then
 * the table's rows follow. As the first command, use `inputlookupRows`.
 */
export function inputlookupStage(spec: InputlookupSpec, catalog: LookupCatalog): Stage {
  const rows = inputlookupRows(spec, catalog);
  return (next) => ({
    push: (row) => next.push(row),
    end() {
      for (const r of rows) next.push(r);
      next.end();
    },
  });
}

/** Fields `outputlookup` writes: all but internal ones (`_raw`, `_cd`, ...); `_key` and `_time` are kept. */
function written(field: string): boolean {
  return !field.startsWith('_') || field === '_key' || field === '_time';
}

/**
 * `outputlookup`: rows pass through unchanged; at the end they are written as a
 * table whose columns are the fields in order of first appearance. Multivalue
 * fields are written with their values joined by newlines.
 */
export function outputlookupStage(spec: OutputlookupSpec, writer: LookupWriter): Stage {
  return (next) => {
    const rows: Row[] = [];
    return {
      push(row) {
        if (spec.max === undefined || rows.length < spec.max) rows.push(row);
        next.push(row);
      },
      end() {
        if (rows.length > 0 || spec.overrideIfEmpty !== false) {
          const fields: string[] = [];
          const seen = new Set<string>();
          for (const r of rows)
            for (const k in r)
              if (r[k] !== undefined && !seen.has(k) && written(k)) {
                seen.add(k);
                fields.push(k);
              }
          const out = rows.map((r) => {
            const rec: Record<string, string> = Object.create(null) as Record<string, string>;
            for (const f of fields) rec[f] = valuesOf(r[f]).map(scalarToString).join('\n');
            return rec;
          });
          writer.write(spec.name, { fields, rows: out }, spec.append ? { append: true } : {});
        }
        next.end();
      },
    };
  };
}

// ------------------------------------------------------------------ argument parsing

interface Token {
  readonly text: string;
  readonly quoted: boolean;
  readonly offset: number;
}

/** Words, `"quoted strings"` (with `\"`), commas dropped as separators. */
function tokenize(text: string): Token[] {
  const out: Token[] = [];
  const re = /"((?:[^"\\]|\\.)*)"|[^\s,"]+/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (m[1] !== undefined) out.push({ text: m[1].replace(/\\(.)/g, '$1'), quoted: true, offset: m.index });
    else out.push({ text: m[0], quoted: false, offset: m.index });
  }
  const unclosed = /"/.exec(text.replace(/"((?:[^"\\]|\\.)*)"/g, (s) => ' '.repeat(s.length)));
  if (unclosed) throw new LookupError('spl.syntax', 'unterminated quoted string', { offset: unclosed.index });
  return out;
}

const OPTION = /^([A-Za-z_]+)=(.*)$/;

function boolOption(t: Token, value: string): boolean {
  if (/^(true|t|1|yes)$/i.test(value)) return true;
  if (/^(false|f|0|no)$/i.test(value)) return false;
  throw new LookupError('spl.syntax', `expected true or false in ${t.text}`, { offset: t.offset });
}

/** Leading `key=value` options, returned in lower case keys with the rest of the tokens. */
function options(tokens: Token[]): { opts: Map<string, { value: string; token: Token }>; rest: Token[] } {
  const opts = new Map<string, { value: string; token: Token }>();
  let i = 0;
  for (; i < tokens.length; i++) {
    const t = tokens[i] as Token;
    const m = t.quoted ? null : OPTION.exec(t.text);
    if (!m) break;
    opts.set((m[1] as string).toLowerCase(), { value: m[2] as string, token: t });
  }
  return { opts, rest: tokens.slice(i) };
}

/** `a`, `a AS b`, `a as b`, separated by spaces or commas. */
function fieldList(tokens: readonly Token[], what: string): LookupFieldMap[] {
  const out: LookupFieldMap[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i] as Token;
    if (!t.quoted && t.text.toLowerCase() === 'as') throw new LookupError('spl.syntax', `AS without a ${what} field before it`, { offset: t.offset });
    const next = tokens[i + 1];
    if (next && !next.quoted && next.text.toLowerCase() === 'as') {
      const target = tokens[i + 2];
      if (!target) throw new LookupError('spl.syntax', `AS needs a field name after it`, { offset: next.offset });
      out.push({ tableField: t.text, eventField: target.text });
      i += 2;
    } else out.push({ tableField: t.text, eventField: t.text });
  }
  return out;
}

/**
 * Parses the arguments of `lookup` (the text after the command name).
 * Example: `parseLookupArgs('update=true hijacklibs library AS loaded_file OUTPUT islibrary')`.
 * Throws `LookupError` (`spl.syntax`, with `offset`).
 */
export function parseLookupArgs(text: string): LookupSpec {
  const { opts, rest } = options(tokenize(text));
  for (const [k, v] of opts)
    if (k !== 'local' && k !== 'update' && k !== 'event_time_field')
      throw new LookupError('spl.syntax', `unknown lookup option ${k}`, { offset: v.token.offset });
  const nameTok = rest[0];
  if (!nameTok) throw new LookupError('spl.syntax', 'lookup needs a table name', { offset: text.length });
  const body = rest.slice(1);
  const outAt = body.findIndex((t) => !t.quoted && /^output(new)?$/i.test(t.text));
  const inputs = fieldList(outAt < 0 ? body : body.slice(0, outAt), 'lookup');
  if (inputs.length === 0) throw new LookupError('spl.syntax', 'lookup needs at least one field to match on', { offset: (body[0] ?? nameTok).offset + nameTok.text.length });
  const spec: { -readonly [K in keyof LookupSpec]: LookupSpec[K] } = { name: nameTok.text, inputs, mode: 'OUTPUT' };
  if (outAt >= 0) {
    const kw = body[outAt] as Token;
    spec.mode = kw.text.toUpperCase() === 'OUTPUTNEW' ? 'OUTPUTNEW' : 'OUTPUT';
    const outputs = fieldList(body.slice(outAt + 1), 'output');
    if (outputs.length === 0) throw new LookupError('spl.syntax', `${kw.text} needs at least one field`, { offset: kw.offset + kw.text.length });
    spec.outputs = outputs;
  }
  const local = opts.get('local');
  if (local) spec.local = boolOption(local.token, local.value);
  const update = opts.get('update');
  if (update) spec.update = boolOption(update.token, update.value);
  return spec;
}

/**
 * Parses the arguments of `inputlookup` up to WHERE. The where clause is
 * returned as text with its offset, for the planner to parse with the search
 * language parser and put in `InputlookupSpec.where`.
 */
export function parseInputlookupArgs(text: string): { spec: InputlookupSpec; where?: { text: string; offset: number } } {
  const whereMatch = /(^|\s)where(\s|$)/i.exec(text);
  const head = whereMatch ? text.slice(0, whereMatch.index) : text;
  const { opts, rest } = options(tokenize(head));
  const nameTok = rest[0];
  if (!nameTok) throw new LookupError('spl.syntax', 'inputlookup needs a table name', { offset: head.length });
  // Splunk also takes the options after the table name (ESCU writes `| inputlookup t append=t`).
  const after = options(rest.slice(1));
  for (const [k, v] of after.opts) opts.set(k, v);
  const extra = after.rest[0];
  if (extra) throw new LookupError('spl.syntax', `unexpected ${JSON.stringify(extra.text)} after the table name (WHERE?)`, { offset: extra.offset });
  const spec: { -readonly [K in keyof InputlookupSpec]: InputlookupSpec[K] } = { name: nameTok.text };
  for (const [k, v] of opts) {
    if (k === 'append') spec.append = boolOption(v.token, v.value);
    else if (k === 'start' || k === 'max') {
      if (!/^\d+$/.test(v.value)) throw new LookupError('spl.syntax', `${k} must be a whole number`, { offset: v.token.offset });
      spec[k] = Number(v.value);
    } else throw new LookupError('spl.syntax', `unknown inputlookup option ${k}`, { offset: v.token.offset });
  }
  if (!whereMatch) return { spec };
  const offset = whereMatch.index + whereMatch[0].length;
  return { spec, where: { text: text.slice(offset), offset } };
}

/** Parses the arguments of `outputlookup`; options other than append, max and override_if_empty are accepted and ignored. */
export function parseOutputlookupArgs(text: string): OutputlookupSpec {
  const { opts, rest } = options(tokenize(text));
  const nameTok = rest[0];
  if (!nameTok) throw new LookupError('spl.syntax', 'outputlookup needs a table name', { offset: text.length });
  const extra = rest[1];
  if (extra) throw new LookupError('spl.syntax', `unexpected ${JSON.stringify(extra.text)} after the table name`, { offset: extra.offset });
  const spec: { -readonly [K in keyof OutputlookupSpec]: OutputlookupSpec[K] } = { name: nameTok.text };
  const known = new Set(['append', 'max', 'override_if_empty', 'create_empty', 'key_field', 'createinapp', 'create_context', 'output_format', 'allow_updates']);
  for (const [k, v] of opts) {
    if (!known.has(k)) throw new LookupError('spl.syntax', `unknown outputlookup option ${k}`, { offset: v.token.offset });
    if (k === 'append') spec.append = boolOption(v.token, v.value);
    else if (k === 'override_if_empty') spec.overrideIfEmpty = boolOption(v.token, v.value);
    else if (k === 'max') {
      if (!/^\d+$/.test(v.value)) throw new LookupError('spl.syntax', 'max must be a whole number', { offset: v.token.offset });
      spec.max = Number(v.value);
    }
  }
  return spec;
}
