import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import {
  formatIssue,
  loadDetectionFile,
  loadDetections,
  loadTestFile,
  parseDetectionYaml,
  yamlFilesUnder,
} from '../../src/content/index.js';
import { ESCU } from './helpers.js';

const FLAGSHIP = join(ESCU, 'flagship');
const V1 = join(FLAGSHIP, 'unified_messaging_service_spawning_a_process.v1.yml');
const V2 = join(FLAGSHIP, 'unified_messaging_service_spawning_a_process.v2.yml');

describe('ESCU corpus', () => {
  it('loads every detection under shared/escu/detections without an error', () => {
    const files = yamlFilesUnder(join(ESCU, 'detections'));
    const { detections, issues, testFiles } = loadDetections([join(ESCU, 'detections')]);
    const errors = issues.filter((i) => i.severity === 'error');
    assert.deepEqual(errors.map(formatIssue), []);
    assert.equal(testFiles.length, 0);
    assert.equal(detections.length, files.length);
    assert.ok(detections.length >= 1200, `only ${detections.length} detections`);
    // Every corpus detection is in the 2021 form, with a risk score in range; a few
    // (hunting searches) publish an empty message.
    for (const d of detections) {
      assert.equal(d.source.form, '2021-tags', d.source.file);
      assert.ok(d.riskScore >= 0 && d.riskScore <= 100, d.source.file);
    }
    assert.ok(detections.filter((d) => d.message === '').length < 20);
  });

  it('accepts, with a warning, the two deprecated files only PyYAML reads', () => {
    const { issues } = loadDetections([join(ESCU, 'detections', 'deprecated')]);
    const lenient = issues.filter((i) => i.code === 'content.yaml-lenient');
    assert.equal(lenient.length, 2);
    assert.ok(lenient.every((i) => i.line !== undefined));
  });

  it('lists detection folders in sorted order', () => {
    const files = yamlFilesUnder(join(ESCU, 'detections', 'endpoint'));
    assert.deepEqual(files, [...files].sort());
    assert.equal(files.length, readdirSync(join(ESCU, 'detections', 'endpoint')).filter((n) => n.endsWith('.yml')).length);
  });
});

describe('the flagship detection', () => {
  it('reads version 1 as published', () => {
    const { detection: d, issues } = loadDetectionFile(V1);
    assert.deepEqual(issues, []);
    assert.ok(d);
    assert.equal(d.id, 'f1126df0-7bd5-11eb-988f-acde48001122');
    assert.equal(d.name, 'Unified Messaging Service Spawning a Process');
    assert.equal(d.version, 1);
    assert.equal(d.date, '2021-03-02');
    assert.equal(d.type, 'TTP');
    assert.equal(d.riskScore, 56);
    assert.equal(d.impact, 70);
    assert.equal(d.confidence, 80);
    assert.equal(d.message, 'Possible CVE-2021-26857 exploitation on $dest$');
    assert.deepEqual(d.riskObjects, [{ field: 'dest', type: 'system', score: 56, role: ['Victim'] }]);
    assert.deepEqual(d.threatObjects, []);
    assert.deepEqual(d.mitreAttackIds, ['T1190']);
    assert.deepEqual(d.killChainPhases, ['Exploitation']);
    assert.deepEqual(d.cves, ['CVE-2021-26857']);
    assert.deepEqual(d.analyticStories, ['HAFNIUM Group']);
    assert.deepEqual(d.dataModels, ['Endpoint']);
    assert.equal(d.securityDomain, 'endpoint');
    assert.deepEqual(d.requiredFields, [
      '_time',
      'Processes.process_name',
      'Processes.process',
      'Processes.dest',
      'Processes.user',
      'Processes.parent_process',
      'Processes.process_id',
      'Processes.parent_process_id',
    ]);
    assert.match(d.search, /\(Processes\.process_name!="wermgr\.exe" OR Processes\.process_name!="werfault\.exe"\)/);
    assert.deepEqual(d.source, { file: V1, form: '2021-tags', builtin: false });
  });

  it('reads version 2 (Anomaly, fixed exclusion)', () => {
    const { detection: d } = loadDetectionFile(V2);
    assert.equal(d?.version, 2);
    assert.equal(d?.type, 'Anomaly');
    assert.match(d?.search ?? '', /NOT \(Processes\.process_name IN \("wermgr\.exe", "werfault\.exe"\)\)/);
  });

  it('reads the separate test file and attaches it to version 1', () => {
    const { testFile, issues } = loadTestFile(join(FLAGSHIP, 'unified_messaging_service_spawning_a_process.test.yml'));
    assert.deepEqual(issues, []);
    assert.equal(testFile?.tests.length, 1);
    const t = testFile?.tests[0];
    assert.equal(t?.file, 'endpoint/unified_messaging_service_spawning_a_process.yml');
    assert.equal(t?.passCondition, '| stats count | where count > 0');
    assert.equal(t?.attackData[0]?.fileName, 'windows-sysmon.log');
    assert.equal(t?.attackData[0]?.sourcetype, 'xmlwineventlog');

    const all = loadDetections([FLAGSHIP]);
    assert.equal(all.testFiles.length, 1);
    // v1 and v2 share an id: the second is reported and skipped.
    assert.deepEqual(all.issues.map((i) => i.code), ['content.duplicate-id']);
    assert.equal(all.detections.length, 1);
    assert.equal(all.detections[0]?.tests[0]?.name, 'Unified Messaging Service Spawning a Process');
  });
});

const MINIMAL = `name: X
id: 11111111-2222-3333-4444-555555555555
type: TTP
description: d
search: '| tstats count from datamodel=Endpoint.Processes by Processes.dest'
`;

describe('issues', () => {
  it('reports missing required fields with path and line', () => {
    const { detection, issues } = parseDetectionYaml('type: TTP\ndescription: d\ntags:\n  risk_score: 5\n', 'x.yml');
    assert.equal(detection, undefined);
    const missing = issues.filter((i) => i.code === 'content.missing-field' && i.severity === 'error');
    assert.deepEqual(missing.map((i) => i.path).sort(), ['id', 'name', 'search']);
    assert.ok(missing.every((i) => i.line === 1 && i.file === 'x.yml'));
  });

  it('reports an unknown type at its line', () => {
    const { detection, issues } = parseDetectionYaml(MINIMAL.replace('type: TTP', 'type: Alert'), 'x.yml');
    assert.equal(detection, undefined);
    const i = issues.find((x) => x.code === 'content.unknown-type');
    assert.equal(i?.path, 'type');
    assert.equal(i?.line, 3);
    assert.equal(i?.column, 7);
  });

  it('reports YAML syntax errors with a line', () => {
    const { issues } = parseDetectionYaml('name: [unclosed\nid: 1\n', 'bad.yml');
    assert.ok(issues.length > 0);
    assert.ok(issues.every((i) => i.code === 'content.yaml-syntax' && i.severity === 'error' && i.line !== undefined));
  });

  it('points a nested problem at its own line', () => {
    const text = `${MINIMAL}tags:\n  message: m\n  risk_score: 20\n  observable:\n  - type: User\n    role: [Victim]\n`;
    const { issues } = parseDetectionYaml(text, 'x.yml');
    const i = issues.find((x) => x.path === 'tags.observable[0].name');
    assert.equal(i?.code, 'content.missing-field');
    assert.equal(i?.line, 10);
  });
});

describe('2021 tags form', () => {
  it('computes the risk score from impact × confidence when risk_score is absent', () => {
    const { detection } = parseDetectionYaml(`${MINIMAL}tags:\n  message: m $dest$\n  impact: 70\n  confidence: 80\n`, 'x.yml');
    assert.equal(detection?.riskScore, 56);
    assert.deepEqual(detection?.dataModels, ['Endpoint']);
  });

  it('maps observables the way contentctl built ES risk/threat objects', () => {
    const text = `${MINIMAL}tags:
  message: m
  risk_score: 40
  observable:
  - {name: user, type: User, role: [Victim]}
  - {name: dest, type: Hostname, role: [Victim]}
  - {name: process_name, type: Process Name, role: [Attacker]}
  - {name: src_ip, type: IP Address, role: [Attacker]}
  - {name: parent_process, type: Process, role: [Parent Process]}
`;
    const { detection: d } = parseDetectionYaml(text, 'x.yml');
    assert.deepEqual(
      d?.riskObjects.map((o) => [o.field, o.type, o.score]),
      [
        ['user', 'user', 40],
        ['dest', 'system', 40],
        ['parent_process', 'other', 40],
      ],
    );
    assert.deepEqual(d?.threatObjects, [
      { field: 'process_name', type: 'process' },
      { field: 'src_ip', type: 'ip_address' },
    ]);
  });
});

describe('2024 rba form', () => {
  it('reads rba.risk_objects, threat_objects and message; score is the highest risk score', () => {
    const text = `${MINIMAL}rba:
  message: An instance of $process_name$ on $dest$ by $user$
  risk_objects:
  - field: user
    type: user
    score: 40
  - field: dest
    type: system
    score: 56
  threat_objects:
  - field: process_name
    type: process_name
tags:
  analytic_story: [S]
  mitre_attack_id: [T1059.001]
  cve: [CVE-2024-0001]
`;
    const { detection: d, issues } = parseDetectionYaml(text, 'x.yml');
    assert.deepEqual(issues, []);
    assert.equal(d?.source.form, '2024-rba');
    assert.equal(d?.riskScore, 56);
    assert.equal(d?.message, 'An instance of $process_name$ on $dest$ by $user$');
    assert.deepEqual(d?.riskObjects, [
      { field: 'user', type: 'user', score: 40 },
      { field: 'dest', type: 'system', score: 56 },
    ]);
    assert.deepEqual(d?.threatObjects, [{ field: 'process_name', type: 'process_name' }]);
    assert.deepEqual(d?.mitreAttackIds, ['T1059.001']);
    assert.deepEqual(d?.cves, ['CVE-2024-0001']);
  });
});

describe('2026 finding form (partly verified)', () => {
  it('reads a finding entity, intermediate findings and top-level threat objects', () => {
    const text = `${MINIMAL}finding:
  title: Suspicious child of $parent_process_name$ on $dest$
  entity:
    field: dest
    type: system
  score: 50
intermediate_findings:
- field: user
  type: user
  score: 20
threat_objects:
- field: process_name
  type: process_name
`;
    const { detection: d, issues } = parseDetectionYaml(text, 'x.yml');
    assert.deepEqual(issues, []);
    assert.equal(d?.source.form, '2026-finding');
    assert.equal(d?.message, 'Suspicious child of $parent_process_name$ on $dest$');
    assert.deepEqual(d?.riskObjects, [
      { field: 'dest', type: 'system', score: 50 },
      { field: 'user', type: 'user', score: 20 },
    ]);
    assert.equal(d?.riskScore, 50);
    assert.deepEqual(d?.threatObjects, [{ field: 'process_name', type: 'process_name' }]);
  });

  it('warns when nothing usable is in the finding', () => {
    const { detection, issues } = parseDetectionYaml(`${MINIMAL}finding:\n  something_new: 1\n`, 'x.yml');
    assert.ok(detection);
    assert.deepEqual(issues.map((i) => [i.code, i.severity, i.path]), [['content.finding-unverified', 'warning', 'finding']]);
  });
});
