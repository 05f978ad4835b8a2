/** Risk-based alerting: per-object totals, sliding windows, tactic counts, thresholds. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { summarizeRisk, type RiskEvent } from '../../src/alerting/index.js';

const H = 3600;
const ev = (object: string, score: number, time: number | undefined, tactics: string[], detection = 'd'): RiskEvent => ({
  object,
  objectType: 'system',
  field: 'dest',
  score,
  ...(time !== undefined ? { time } : {}),
  detection,
  tactics,
  techniques: [],
});

describe('risk summaries', () => {
  it('raises a notable when risk within 24 hours exceeds 100, not for more spread out risk', () => {
    const [a, b] = summarizeRisk([
      ev('a', 56, 0, ['Initial Access']),
      ev('a', 56, 23 * H, ['Initial Access']),
      ev('b', 56, 0, ['Initial Access']),
      ev('b', 56, 25 * H, ['Initial Access']),
    ]);
    assert.equal(a?.object, 'a');
    assert.equal(a?.peakWindowScore, 112);
    assert.deepEqual(a?.notableReasons, ['total risk 112 > 100 within 24 h']);
    assert.equal(b?.totalScore, 112);
    assert.equal(b?.peakWindowScore, 56);
    assert.deepEqual(b?.notableReasons, []);
  });

  it('exactly 100 is not over the threshold', () => {
    assert.deepEqual(summarizeRisk([ev('a', 50, 0, []), ev('a', 50, 1, [])])[0]?.notableReasons, []);
  });

  it('raises a notable for 3 distinct tactics within 7 days', () => {
    const [s] = summarizeRisk([
      ev('h', 10, 0, ['Initial Access']),
      ev('h', 10, 2 * 86400, ['Execution']),
      ev('h', 10, 6 * 86400, ['Persistence', 'Execution']),
      ev('h', 10, 30 * 86400, ['Impact']),
    ]);
    assert.equal(s?.peakWindowTactics, 3);
    assert.deepEqual(s?.notableReasons, ['3 ATT&CK tactics (≥ 3) within 7 days']);
    assert.deepEqual(s?.tactics, ['Execution', 'Impact', 'Initial Access', 'Persistence']);
  });

  it('takes configurable thresholds and windows', () => {
    const events = [ev('h', 30, 0, ['A']), ev('h', 30, 2 * H, ['B'])];
    assert.deepEqual(summarizeRisk(events, { scoreThreshold: 50, scoreWindow: H, tacticThreshold: 5, tacticWindow: 86400 })[0]?.notableReasons, []);
    assert.deepEqual(summarizeRisk(events, { scoreThreshold: 50, scoreWindow: 3 * H, tacticThreshold: 2, tacticWindow: 86400 })[0]?.notableReasons, [
      'total risk 60 > 50 within 3 h',
      '2 ATT&CK tactics (≥ 2) within 1 days',
    ]);
  });

  it('counts events without a time in every window', () => {
    const [s] = summarizeRisk([ev('h', 60, undefined, []), ev('h', 60, 0, [])]);
    assert.equal(s?.peakWindowScore, 120);
  });
});
