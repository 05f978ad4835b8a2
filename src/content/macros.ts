/**
 * Search macros in ESCU's YAML form (`name`, `definition`, optional `arguments`),
 * the built-in ones shipped in content/macros, and user overrides.
 */
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { loadDetections } from './detections.js';
import { FieldReader } from './fields.js';
import { builtinContentDir } from './package-root.js';
import type { ContentIssue, Detection, TestFile } from './types.js';
import { readYamlDir } from './yaml-dir.js';
import { YamlSource, isRecord } from './yaml-source.js';

export interface Macro {
  readonly name: string;
  readonly args: readonly string[];
  readonly definition: string;
  readonly description?: string;
  readonly file?: string;
}

/** Key: the name, or `name(N)` when the macro takes N > 0 arguments (Splunk's own convention). */
export type MacroTable = ReadonlyMap<string, Macro>;

/** The table key of a macro named `name` called with `argCount` arguments. */
export function macroKey(name: string, argCount: number): string {
  return argCount > 0 ? `${name}(${argCount})` : name;
}

const MACRO_NAME = /^[A-Za-z0-9_.:-]+$/;
const ARG_NAME = /^[A-Za-z0-9_]+$/;

/** Parses one ESCU macro YAML file. Pure. */
export function parseMacroYaml(text: string, file: string): { macro?: Macro; issues: ContentIssue[] } {
  const src = new YamlSource(text, file);
  if (src.value === undefined) return { issues: src.issues };
  if (!isRecord(src.value)) {
    src.report('content.not-a-mapping', 'error', 'a macro file must be a YAML mapping');
    return { issues: src.issues };
  }
  const r = new FieldReader(src);
  const name = r.str(['name'], 'error');
  const definition = r.str(['definition'], 'error');
  const args = r.strList(['arguments']);
  if (name !== undefined && !MACRO_NAME.test(name))
    src.report('content.invalid-macro-name', 'error', `macro name ${JSON.stringify(name)} has characters Splunk does not allow`, ['name']);
  args.forEach((a, i) => {
    if (!ARG_NAME.test(a)) src.report('content.invalid-macro-argument', 'error', `argument name ${JSON.stringify(a)} must be alphanumeric or _`, ['arguments', i]);
  });
  if (definition !== undefined)
    for (const a of args)
      if (!definition.includes(`$${a}$`))
        src.report('content.unused-macro-argument', 'warning', `argument ${a} is not used as $${a}$ in the definition`, ['definition']);
  if (src.issues.some((i) => i.severity === 'error') || name === undefined || definition === undefined) return { issues: src.issues };
  const description = r.str(['description']);
  return { macro: { name, args, definition, ...(description !== undefined ? { description } : {}), file }, issues: src.issues };
}

/** Loads `DIR/*.yml|*.yaml` (ESCU's macros folder is flat). Later files win on a duplicate key, with a warning. */
export function loadMacroDir(dir: string): { macros: Map<string, Macro>; issues: ContentIssue[] } {
  const macros = new Map<string, Macro>();
  const { files, issues } = readYamlDir(dir);
  for (const { file, text } of files) {
    const { macro, issues: found } = parseMacroYaml(text, file);
    issues.push(...found);
    if (!macro) continue;
    const key = macroKey(macro.name, macro.args.length);
    const prior = macros.get(key);
    if (prior) issues.push({ code: 'content.duplicate-macro', severity: 'warning', message: `macro ${key} also defined in ${prior.file ?? '?'}; this one wins`, file, path: 'name' });
    macros.set(key, macro);
  }
  return { macros, issues };
}

/**
 * Loads an ESCU-shaped content folder: `macros/` (flat) and `detections/` (recursive);
 * either may be missing. Test files under `detections/` are attached as in loadDetections.
 */
export function loadContentDir(contentDir: string): {
  macros: Map<string, Macro>;
  detections: Detection[];
  testFiles: TestFile[];
  issues: ContentIssue[];
} {
  const issues: ContentIssue[] = [];
  if (!existsSync(contentDir) || !statSync(contentDir).isDirectory())
    return { macros: new Map(), detections: [], testFiles: [], issues: [{ code: 'content.unreadable', severity: 'error', message: 'not a folder', file: contentDir }] };
  const macroDir = join(contentDir, 'macros');
  const m = existsSync(macroDir) ? loadMacroDir(macroDir) : { macros: new Map<string, Macro>(), issues: [] };
  issues.push(...m.issues);
  const detDir = join(contentDir, 'detections');
  const d = existsSync(detDir) ? loadDetections([detDir]) : { detections: [], testFiles: [], issues: [] };
  issues.push(...d.issues);
  return { macros: m.macros, detections: d.detections, testFiles: d.testFiles, issues };
}

/** Later tables override earlier ones key by key: `mergeMacros(builtinMacros(), user.macros)`. */
export function mergeMacros(...tables: readonly MacroTable[]): Map<string, Macro> {
  const out = new Map<string, Macro>();
  for (const t of tables) for (const [k, v] of t) out.set(k, v);
  return out;
}

/** ESCU's rule for a detection's filter macro name: spaces, `-`, `.`, `/` → `_`, lower case, `_filter` appended (contentctl). */
export function filterMacroName(detectionName: string): string {
  return detectionName.replace(/[ \-./]/g, '_').toLowerCase() + '_filter';
}

/**
 * The macro a search call refers to. A `*_filter` macro with no arguments that no
 * table defines is `search *` (contentctl creates exactly this default for every
 * detection, and users tune by overriding it); anything else missing is `undefined`.
 */
export function lookupMacro(table: MacroTable, name: string, argCount: number): Macro | undefined {
  const found = table.get(macroKey(name, argCount));
  if (found) return found;
  if (argCount === 0 && name.endsWith('_filter')) return { name, args: [], definition: 'search *', description: 'default filter macro' };
  return undefined;
}

let builtinMacroCache: Map<string, Macro> | undefined;
let builtinDetectionCache: Detection[] | undefined;

function failOnErrors(what: string, issues: readonly ContentIssue[]): void {
  const errors = issues.filter((i) => i.severity === 'error');
  // Built-in content is part of the package: an error here is a packaging bug, not user input.
  if (errors.length > 0) throw new Error(`spelunk: built-in ${what} are broken: ${errors.map((e) => `${e.file}: ${e.code} ${e.message}`).join('; ')}`);
}

/** The package's built-in macros (content/macros), a fresh copy each call. */
export function builtinMacros(): Map<string, Macro> {
  if (!builtinMacroCache) {
    const { macros, issues } = loadMacroDir(join(builtinContentDir(), 'macros'));
    failOnErrors('macros', issues);
    builtinMacroCache = macros;
  }
  return new Map(builtinMacroCache);
}

/** The package's built-in detections (content/detections), marked `source.builtin`. */
export function builtinDetections(): Detection[] {
  if (!builtinDetectionCache) {
    const { detections, issues } = loadDetections([join(builtinContentDir(), 'detections')], { builtin: true });
    failOnErrors('detections', issues);
    builtinDetectionCache = detections;
  }
  return [...builtinDetectionCache];
}
