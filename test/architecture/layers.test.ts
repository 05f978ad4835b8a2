/**
 * The layering of docs/design/architecture.md, checked on the sources: the
 * EVTX parser, the SPL core and the pure layers import no Node API, and no
 * layer imports the CLI.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { REPO_ROOT } from '../support/paths.js';

const SRC = join(REPO_ROOT, 'src');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
  });
}

const imports = (file: string): string[] => [...readFileSync(file, 'utf8').matchAll(/^\s*(?:import|export)[^'"]*from\s+'([^']+)'/gm)].map((m) => m[1] as string);

describe('layers', () => {
  const pure = ['spl', 'evtx', 'events', 'cim', 'alerting', 'triage', 'report'];
  for (const layer of pure) {
    it(`src/${layer} imports no node:* module`, () => {
      const bad = files(join(SRC, layer)).flatMap((f) => imports(f).filter((i) => i.startsWith('node:')).map((i) => `${relative(SRC, f)}: ${i}`));
      assert.deepEqual(bad, []);
    });
  }

  for (const [layer, allowed] of [
    ['spl', ['spl']],
    ['evtx', ['evtx', 'events', 'readers/types.ts']],
    ['events', ['events']],
  ] as const) {
    it(`src/${layer} imports only from ${allowed.join(', ')}`, () => {
      const bad = files(join(SRC, layer)).flatMap((f) =>
        imports(f)
          .filter((i) => i.startsWith('.'))
          .map((i) => relative(SRC, resolve(dirname(f), i)).replace(/\.js$/, '.ts'))
          .filter((target) => !allowed.some((a) => target === a || target.startsWith(`${a}/`)))
          .map((target) => `${relative(SRC, f)}: ${target}`),
      );
      assert.deepEqual(bad, []);
    });
  }

  it('only the CLI imports the CLI', () => {
    const bad = files(SRC)
      .filter((f) => !relative(SRC, f).startsWith('cli'))
      .flatMap((f) => imports(f).filter((i) => /(^|\/)cli\//.test(i)).map((i) => `${relative(SRC, f)}: ${i}`));
    assert.deepEqual(bad, []);
  });
});
