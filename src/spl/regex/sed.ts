/**
 * PCRE replacement and `rex mode=sed` expressions.
 *
 * Splunk's rex doc (Search Reference, "rex"): `s/<regex>/<replacement>/<flags>`
 * where flags is `g` (replace all) or a number N (replace the Nth match), and
 * the replacement refers to groups as `\N`; `y/<chars>/<chars>/` transliterates.
 */

import { compilePcre, groupValue, type CompiledPcre, type PcreError } from './pcre.js';

export type SedErrorCode = 'spl.sed.syntax' | PcreError['code'];

export interface SedError {
  readonly code: SedErrorCode;
  readonly message: string;
  readonly offset?: number;
}

/** A parsed sed expression, ready to apply to many values. */
export type SedProgram =
  | { readonly kind: 's'; readonly compiled: CompiledPcre; readonly replacement: string; readonly occurrence: number | 'all' }
  | { readonly kind: 'y'; readonly from: readonly string[]; readonly to: readonly string[] };

/**
 * Expands `\N` backreferences (PCRE group numbers) in a Splunk replacement
 * string. `\\` is a backslash; any other escaped character stands for itself.
 */
export function expandReplacement(compiled: CompiledPcre, m: RegExpExecArray | RegExpMatchArray, replacement: string): string {
  let out = '';
  for (let i = 0; i < replacement.length; i++) {
    const c = replacement[i] as string;
    if (c !== '\\' || i + 1 >= replacement.length) {
      out += c;
      continue;
    }
    const next = replacement[i + 1] as string;
    if (next >= '0' && next <= '9') {
      out += groupValue(compiled, m, Number(next)) ?? '';
    } else {
      out += next;
    }
    i++;
  }
  return out;
}

/**
 * Replaces matches of `compiled` in `text` (all of them, or only the Nth,
 * 1-based). Used by eval `replace()` and `rex mode=sed`.
 */
export function pcreReplace(text: string, compiled: CompiledPcre, replacement: string, occurrence: number | 'all' = 'all'): string {
  let n = 0;
  return text.replace(compiled.global, (...args: unknown[]) => {
    n++;
    if (occurrence !== 'all' && n !== occurrence) return args[0] as string;
    // The replacer's leading args are the match and the JS groups.
    const groupsEnd = args.findIndex((a, i) => i > 0 && typeof a === 'number');
    const m = args.slice(0, groupsEnd) as unknown as RegExpMatchArray;
    return expandReplacement(compiled, m, replacement);
  });
}

/** Splits `body` on unescaped `delim`; `\delim` becomes `delim`, other escapes are kept. */
function splitParts(body: string, delim: string): string[] {
  const parts: string[] = [];
  let cur = '';
  for (let i = 0; i < body.length; i++) {
    const c = body[i] as string;
    if (c === '\\' && i + 1 < body.length) {
      const next = body[i + 1] as string;
      cur += next === delim ? next : c + next;
      i++;
    } else if (c === delim) {
      parts.push(cur);
      cur = '';
    } else cur += c;
  }
  parts.push(cur);
  return parts;
}

const programs = new Map<string, SedProgram | { readonly error: SedError }>();

/** Parses a sed expression (`s/re/repl/g`, `s/re/repl/2`, `y/abc/xyz/`). */
export function compileSed(expr: string): SedProgram | { readonly error: SedError } {
  const hit = programs.get(expr);
  if (hit) return hit;
  const result = parseSed(expr);
  if (programs.size >= 500) programs.clear();
  programs.set(expr, result);
  return result;
}

function parseSed(expr: string): SedProgram | { readonly error: SedError } {
  const syntax = (message: string, offset?: number): { error: SedError } => ({
    error: offset === undefined ? { code: 'spl.sed.syntax', message } : { code: 'spl.sed.syntax', message, offset },
  });
  const kind = expr[0];
  const delim = expr[1];
  if ((kind !== 's' && kind !== 'y') || delim === undefined || /[\w\s\\]/.test(delim)) {
    return syntax('sed expression must start with s/ or y/', 0);
  }
  const parts = splitParts(expr.slice(2), delim);
  if (parts.length !== 3) return syntax(`sed expression needs three "${delim}"-separated parts`, 0);
  const [a, b, flags] = parts as [string, string, string];
  if (kind === 'y') {
    const from = [...a];
    const to = [...b];
    if (from.length !== to.length) return syntax('y/// strings must have the same length', 2);
    if (flags !== '') return syntax(`unexpected flags "${flags}" after y///`, expr.length - flags.length);
    return { kind: 'y', from, to };
  }
  let occurrence: number | 'all' = 1;
  if (flags === 'g') occurrence = 'all';
  else if (/^[1-9]\d*$/.test(flags)) occurrence = Number(flags);
  else if (flags !== '') return syntax(`unknown sed flags "${flags}" (expected g or a number)`, expr.length - flags.length);
  const r = compilePcre(a);
  if ('error' in r) {
    const offset = r.error.offset === undefined ? undefined : r.error.offset + 2;
    return { error: offset === undefined ? { code: r.error.code, message: r.error.message } : { ...r.error, offset } };
  }
  return { kind: 's', compiled: r.compiled, replacement: b, occurrence };
}

/** Applies a compiled sed program to one value. */
export function applySed(program: SedProgram, text: string): string {
  if (program.kind === 's') return pcreReplace(text, program.compiled, program.replacement, program.occurrence);
  const map = new Map<string, string>();
  program.from.forEach((c, i) => {
    if (!map.has(c)) map.set(c, program.to[i] as string);
  });
  let out = '';
  for (const c of text) out += map.get(c) ?? c;
  return out;
}

/** Parses (cached) and applies a sed expression: `sedReplace('a-b', 's/-/+/g')`. */
export function sedReplace(text: string, expr: string): { readonly result: string } | { readonly error: SedError } {
  const program = compileSed(expr);
  if ('error' in program) return program;
  return { result: applySed(program, text) };
}
