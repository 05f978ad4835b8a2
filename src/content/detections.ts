/**
 * Loading detections from files and folders. The YAML-to-model work is in
 * parse.ts (pure); this module only reads files and walks folders.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { isTestYaml, parseDetectionYaml, parseTestYaml, type ParseOptions } from './parse.js';
import type { ContentIssue, Detection, DetectionTest, TestFile } from './types.js';

export { parseDetectionYaml, parseTestYaml, dataModelsOfSearch, looksLikeTestFile } from './parse.js';

function readText(file: string): { text?: string; issue?: ContentIssue } {
  try {
    return { text: readFileSync(file, 'utf8') };
  } catch (err) {
    return {
      issue: { code: 'content.unreadable', severity: 'error', message: (err as Error).message, file },
    };
  }
}

/** Reads and parses one detection YAML file. */
export function loadDetectionFile(file: string, options: ParseOptions = {}): { detection?: Detection; issues: ContentIssue[] } {
  const { text, issue } = readText(file);
  if (text === undefined) return { issues: issue ? [issue] : [] };
  return parseDetectionYaml(text, file, options);
}

/** Reads and parses one ESCU test-definition file (`*.test.yml`). */
export function loadTestFile(file: string): { testFile?: TestFile; issues: ContentIssue[] } {
  const { text, issue } = readText(file);
  if (text === undefined) return { issues: issue ? [issue] : [] };
  return parseTestYaml(text, file);
}

const YAML_FILE = /\.ya?ml$/i;

/** `*.yml` / `*.yaml` files under `path` (itself when it is a file), recursively, in sorted order. */
export function yamlFilesUnder(path: string): string[] {
  const st = statSync(path);
  if (st.isFile()) return [path];
  const out: string[] = [];
  const entries = readdirSync(path, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    const full = join(path, e.name);
    if (e.isDirectory()) out.push(...yamlFilesUnder(full));
    else if (e.isFile() && YAML_FILE.test(e.name)) out.push(full);
  }
  return out;
}

/**
 * Loads every detection under the given files or folders (folders recursively,
 * `*.yml|*.yaml`, sorted). ESCU test-definition files met on the way are parsed
 * into `testFiles` and their tests attached to detections without tests of their own.
 * A detection id seen twice is reported and the later file ignored.
 */
export function loadDetections(
  paths: readonly string[],
  options: ParseOptions = {},
): { detections: Detection[]; issues: ContentIssue[]; testFiles: TestFile[] } {
  const detections: Detection[] = [];
  const testFiles: TestFile[] = [];
  const issues: ContentIssue[] = [];
  const seen = new Map<string, string>();
  for (const path of paths) {
    let files: string[];
    try {
      files = yamlFilesUnder(path);
    } catch (err) {
      issues.push({ code: 'content.unreadable', severity: 'error', message: (err as Error).message, file: path });
      continue;
    }
    for (const file of files) {
      const { text, issue } = readText(file);
      if (text === undefined) {
        if (issue) issues.push(issue);
        continue;
      }
      if (isTestYaml(text)) {
        const t = parseTestYaml(text, file);
        issues.push(...t.issues);
        if (t.testFile) testFiles.push(t.testFile);
        continue;
      }
      const d = parseDetectionYaml(text, file, options);
      issues.push(...d.issues);
      if (!d.detection) continue;
      const prior = seen.get(d.detection.id);
      if (prior !== undefined) {
        issues.push({
          code: 'content.duplicate-id',
          severity: 'warning',
          message: `detection id ${d.detection.id} already loaded from ${prior}; this file is ignored`,
          file,
          path: 'id',
        });
        continue;
      }
      seen.set(d.detection.id, file);
      detections.push(d.detection);
    }
  }
  return { detections: attachTests(detections, testFiles), issues, testFiles };
}

function stem(file: string): string {
  return basename(file).replace(YAML_FILE, '').replace(/\.v\d+$/, '').replace(/\.test$/, '');
}

/**
 * Gives each detection without tests of its own the tests that name it: by the
 * test entry's `file` stem (`endpoint/x.yml` matches `x.yml` and `x.v1.yml`) or,
 * failing that, by a test named exactly like the detection.
 */
export function attachTests(detections: readonly Detection[], testFiles: readonly TestFile[]): Detection[] {
  if (testFiles.length === 0) return [...detections];
  return detections.map((d) => {
    if (d.tests.length > 0) return d;
    const mine = stem(d.source.file);
    const tests: DetectionTest[] = [];
    for (const tf of testFiles)
      for (const t of tf.tests)
        if (stem(t.file) === mine || t.name === d.name) tests.push({ name: t.name, attackData: t.attackData });
    return tests.length > 0 ? { ...d, tests } : d;
  });
}
