/** The bundled example intrusion (`examples/`, synthetic), as files and as events. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { WinEvent } from '../../src/events/types.js';
import { parseEventXml } from '../../src/readers/index.js';
import { REPO_ROOT } from './paths.js';

/** EXCH01's Sysmon events as XmlWinEventLog lines (20 events, the UM-parent children among them). */
export const EXCH01_SYSMON = join(REPO_ROOT, 'examples', 'exch01-sysmon.xml');

/** The events of `EXCH01_SYSMON`, in file order. */
export function exch01SysmonEvents(): WinEvent[] {
  return readFileSync(EXCH01_SYSMON, 'utf8')
    .trim()
    .split('\n')
    .map((l) => {
      const r = parseEventXml(l);
      if (!r.ok) throw new Error(r.message);
      return { system: r.system, data: r.data, origin: { file: EXCH01_SYSMON } };
    });
}
