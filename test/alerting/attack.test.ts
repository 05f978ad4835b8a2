import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ATTACK_TECHNIQUES, attackTechnique } from '../../src/alerting/index.js';
import { loadDetections } from '../../src/content/index.js';
import { ESCU } from '../content/helpers.js';

describe('ATT&CK table', () => {
  it('has every technique id used by the ESCU corpus', () => {
    const { detections } = loadDetections([join(ESCU, 'detections')]);
    const used = new Set(detections.flatMap((d) => d.mitreAttackIds));
    assert.ok(used.size > 250);
    const missing = [...used].filter((id) => !attackTechnique(id));
    assert.deepEqual(missing, []);
  });

  it('gives names and tactics', () => {
    assert.deepEqual(attackTechnique('T1190'), { id: 'T1190', name: 'Exploit Public-Facing Application', tactics: ['Initial Access'] });
    assert.deepEqual(attackTechnique('t1059.001')?.tactics, ['Execution']);
    assert.equal(attackTechnique('T1574.002')?.revoked, true);
    for (const t of ATTACK_TECHNIQUES.values()) {
      assert.match(t.id, /^T\d{4}(\.\d{3})?$/);
      assert.ok(t.tactics.length > 0, t.id);
    }
  });
});
