/**
 * Synthetic events for tests, written as short YAML/JSON objects:
 * `{sysmon1: {Computer, Image, ParentImage, ...}}`, `{security4688: {...}}`, or
 * `{event: {provider, channel, eventId, computer, time, version, data}}`.
 */
import type { WinEvent } from '../../src/events/types.js';

type Fields = Record<string, string | number>;

const SYSTEM_KEYS = new Set(['Computer', 'time', 'RecordID', 'Version', 'UserID']);

function dataOf(f: Fields): Record<string, string> {
  const d: Record<string, string> = {};
  for (const [k, v] of Object.entries(f)) if (!SYSTEM_KEYS.has(k)) d[k] = String(v);
  return d;
}

export function makeEvent(spec: unknown, index = 0): WinEvent {
  const s = spec as Record<string, unknown>;
  const origin = { file: '<test>', line: index + 1 };
  if (s['sysmon1']) {
    const f = s['sysmon1'] as Fields;
    return {
      system: {
        provider: 'Microsoft-Windows-Sysmon',
        eventId: 1,
        version: Number(f['Version'] ?? 5),
        channel: 'Microsoft-Windows-Sysmon/Operational',
        computer: String(f['Computer'] ?? 'host1'),
        timeCreated: String(f['time'] ?? `2021-03-02T10:00:${String(index % 60).padStart(2, '0')}.0000000Z`),
        recordId: Number(f['RecordID'] ?? index + 1),
        ...(f['UserID'] !== undefined ? { userId: String(f['UserID']) } : { userId: 'S-1-5-18' }),
      },
      data: dataOf(f),
      origin,
    };
  }
  if (s['security4688']) {
    const f = s['security4688'] as Fields;
    return {
      system: {
        provider: 'Microsoft-Windows-Security-Auditing',
        eventId: 4688,
        version: Number(f['Version'] ?? 2),
        channel: 'Security',
        computer: String(f['Computer'] ?? 'host1'),
        timeCreated: String(f['time'] ?? `2021-03-02T10:00:${String(index % 60).padStart(2, '0')}.0000000Z`),
        recordId: Number(f['RecordID'] ?? index + 1),
      },
      data: dataOf(f),
      origin,
    };
  }
  if (s['event']) {
    const e = s['event'] as Record<string, unknown>;
    return {
      system: {
        provider: String(e['provider'] ?? 'Test'),
        eventId: Number(e['eventId'] ?? 0),
        channel: String(e['channel'] ?? 'Application'),
        computer: String(e['computer'] ?? 'host1'),
        timeCreated: String(e['time'] ?? '2021-03-02T10:00:00.0000000Z'),
        ...(e['version'] !== undefined ? { version: Number(e['version']) } : {}),
      },
      data: Object.fromEntries(Object.entries((e['data'] ?? {}) as Fields).map(([k, v]) => [k, String(v)])),
      ...(e['raw'] !== undefined ? { raw: String(e['raw']) } : {}),
      origin,
    };
  }
  throw new Error(`unknown test event shape: ${JSON.stringify(spec)}`);
}
