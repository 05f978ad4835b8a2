import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { buildAlerts, renderMessage } from '../../src/alerting/index.js';
import { builtinDetections, loadDetectionFile, type Detection } from '../../src/content/index.js';
import { newRow, type Row } from '../../src/spl/values.js';
import { ESCU } from '../content/helpers.js';

function row(fields: Record<string, Row[string]>): Row {
  return Object.assign(newRow(), fields);
}

const v1 = loadDetectionFile(join(ESCU, 'flagship', 'unified_messaging_service_spawning_a_process.v1.yml')).detection as Detection;

describe('renderMessage', () => {
  it('fills tokens from the row', () => {
    assert.equal(renderMessage('Possible CVE-2021-26857 exploitation on $dest$', row({ dest: 'EXCH01' })), 'Possible CVE-2021-26857 exploitation on EXCH01');
    assert.equal(renderMessage('$count$ on $dest$', row({ count: 12, dest: 'EXCH01' })), '12 on EXCH01');
    assert.equal(renderMessage('$Processes.dest$', row({ 'Processes.dest': 'h' })), 'h');
  });

  it('renders a missing field as empty text and joins multivalues', () => {
    assert.equal(renderMessage('on $dest$ by $user$', row({ dest: 'h' })), 'on h by ');
    assert.equal(renderMessage('ran $process_name$', row({ process_name: ['a.exe', 'b.exe'] })), 'ran a.exe, b.exe');
    assert.equal(renderMessage('costs $5 and $', row({})), 'costs $5 and $');
  });
});

describe('buildAlerts', () => {
  it('makes one notable + risk alert per row of a TTP', () => {
    const rows = [row({ dest: 'EXCH01', process_name: 'cmd.exe' }), row({ dest: 'EXCH02', process_name: 'wermgr.exe' })];
    const alerts = buildAlerts(v1, rows);
    assert.equal(alerts.length, 2);
    const a = alerts[0];
    assert.ok(a);
    assert.deepEqual(a.detection, { id: v1.id, name: v1.name, type: 'TTP', version: 1 });
    assert.equal(a.notable, true);
    assert.deepEqual(a.outputs, ['notable', 'risk']);
    assert.equal(a.riskScore, 56);
    assert.deepEqual(a.riskObjects, [{ field: 'dest', type: 'system', value: 'EXCH01', score: 56 }]);
    assert.equal(a.message, 'Possible CVE-2021-26857 exploitation on EXCH01');
    assert.deepEqual(a.mitre, [{ id: 'T1190', name: 'Exploit Public-Facing Application', tactics: ['Initial Access'] }]);
    assert.deepEqual(a.cves, ['CVE-2021-26857']);
    assert.deepEqual(a.analyticStories, ['HAFNIUM Group']);
    assert.deepEqual(a.killChainPhases, ['Exploitation']);
    assert.equal(a.row, rows[0]);
  });

  it('splits a multivalue risk field into one risk object per value, and keeps a missing one as null', () => {
    const [multi] = buildAlerts(v1, [row({ dest: ['h1', 'h2'] })]);
    assert.deepEqual(multi?.riskObjects.map((o) => o.value), ['h1', 'h2']);
    const [missing] = buildAlerts(v1, [row({})]);
    assert.deepEqual(missing?.riskObjects, [{ field: 'dest', type: 'system', value: null, score: 56 }]);
    assert.equal(missing?.message, 'Possible CVE-2021-26857 exploitation on ');
  });

  it('gives an Anomaly risk only, and a Hunting search neither', () => {
    const anomaly = builtinDetections().find((d) => d.type === 'Anomaly');
    assert.ok(anomaly);
    const [a] = buildAlerts(anomaly, [row({ dest: 'EXCH01', count: 14 })]);
    assert.equal(a?.notable, false);
    assert.deepEqual(a?.outputs, ['risk']);
    assert.match(a?.message ?? '', /^14 Windows Error Reporting processes .* on EXCH01,/);
    const hunting: Detection = { ...v1, type: 'Hunting' };
    const [h] = buildAlerts(hunting, [row({ dest: 'x' })]);
    assert.deepEqual(h?.outputs, []);
    assert.equal(h?.notable, false);
  });

  it('maps threat objects from the row', () => {
    const d: Detection = { ...v1, threatObjects: [{ field: 'process_name', type: 'process' }] };
    const [a] = buildAlerts(d, [row({ dest: 'h', process_name: 'cmd.exe' })]);
    assert.deepEqual(a?.threatObjects, [{ field: 'process_name', type: 'process', value: 'cmd.exe' }]);
  });
});
