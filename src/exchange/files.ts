/**
 * The I/O side of the review: finding the Exchange `Logging` tree in a
 * collected folder (names compared case-insensitively, as on Windows) and
 * streaming files line by line.
 */
import { createReadStream } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

/** Code-unit order: the same on every machine. */
function byName(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The entry of `dir` named `name` in any case, of the wanted kind. */
export async function childNamed(dir: string, name: string, kind: 'dir' | 'file'): Promise<string | undefined> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return undefined;
  }
  const want = name.toLowerCase();
  const hit = entries
    .filter((e) => (kind === 'dir' ? e.isDirectory() : e.isFile()) && e.name.toLowerCase() === want)
    .map((e) => e.name)
    .sort(byName)[0];
  return hit === undefined ? undefined : join(dir, hit);
}

/** Follows a path of folder names, each matched case-insensitively. */
export async function descend(dir: string, names: readonly string[]): Promise<string | undefined> {
  let at: string | undefined = dir;
  for (const n of names) {
    if (at === undefined) return undefined;
    at = await childNamed(at, n, 'dir');
  }
  return at;
}

export interface Listing {
  readonly files: string[];
  /** Folders that could not be listed. */
  readonly failures: { readonly file: string; readonly message: string }[];
}

/** Files under `dir` (recursively when asked), sorted by path, kept when `keep(name)` holds. */
export async function listFiles(dir: string, keep: (name: string) => boolean, recursive = true): Promise<Listing> {
  const files: string[] = [];
  const failures: { file: string; message: string }[] = [];
  const walk = async (d: string): Promise<void> => {
    let entries;
    try {
      entries = await readdir(d, { withFileTypes: true });
    } catch (e) {
      failures.push({ file: d, message: `cannot list folder: ${(e as Error).message}` });
      return;
    }
    entries.sort((a, b) => byName(a.name, b.name));
    for (const e of entries) {
      const p = join(d, e.name);
      if (e.isDirectory()) {
        if (recursive) await walk(p);
      } else if (e.isFile() && keep(e.name)) files.push(p);
    }
  };
  await walk(dir);
  return { files, failures };
}

/**
 * Calls `onLine` for each line of a UTF-8 file (BOM dropped, CRLF or LF),
 * 1-based, without holding the file in memory. Resolves with an error message
 * when the file cannot be read.
 */
export async function eachLine(file: string, onLine: (text: string, no: number) => void): Promise<string | undefined> {
  const stream = createReadStream(file, { encoding: 'utf8', highWaterMark: 1 << 20 });
  const lines = createInterface({ input: stream, crlfDelay: Infinity });
  let no = 0;
  try {
    for await (const line of lines) {
      no++;
      onLine(no === 1 && line.charCodeAt(0) === 0xfeff ? line.slice(1) : line, no);
    }
    return undefined;
  } catch (e) {
    return `cannot read: ${(e as Error).message}`;
  } finally {
    lines.close();
    stream.destroy();
  }
}
