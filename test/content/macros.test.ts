import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, realpathSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import {
  builtinDetections,
  builtinMacros,
  filterMacroName,
  loadContentDir,
  loadMacroDir,
  lookupMacro,
  macroKey,
  mergeMacros,
  packageRoot,
  parseMacroYaml,
} from '../../src/content/index.js';
import { ESCU, REPO } from './helpers.js';

const FLAGSHIP_ID = 'f1126df0-7bd5-11eb-988f-acde48001122';

describe('ESCU macros', () => {
  it('loads the whole macros folder without errors, keyed name or name(N)', () => {
    const { macros, issues } = loadMacroDir(join(ESCU, 'macros'));
    assert.deepEqual(issues.filter((i) => i.severity === 'error'), []);
    assert.ok(macros.size >= 180);
    assert.equal(macros.get('security_content_ctime(1)')?.args[0], 'field');
    assert.equal(macros.get('security_content_summariesonly')?.args.length, 0);
  });

  it('reports a macro without definition at its line', () => {
    const { macro, issues } = parseMacroYaml('name: m\ndescription: d\n', 'm.yml');
    assert.equal(macro, undefined);
    assert.deepEqual(issues.map((i) => [i.code, i.path, i.line]), [['content.missing-field', 'definition', 1]]);
  });
});

describe('built-in macros', () => {
  const builtin = builtinMacros();

  it('copies ESCU definitions exactly', () => {
    const escu = loadMacroDir(join(ESCU, 'macros')).macros;
    for (const key of ['security_content_summariesonly', 'summariesonly_config', 'oldsummaries_config', 'fillnull_config', 'security_content_ctime(1)'])
      assert.equal(builtin.get(key)?.definition, escu.get(key)?.definition, key);
    assert.equal(builtin.get('fillnull_config')?.definition, 'null');
  });

  it('adds the CIM drop_dm_object_name(1) and the anomaly threshold', () => {
    assert.equal(builtin.get('drop_dm_object_name(1)')?.definition, 'rename $object$.* AS *');
    assert.equal(builtin.get('excessive_wer_children_of_unified_messaging_service_threshold')?.definition, '10');
  });

  it('lets user macros override built-ins by key', () => {
    const dir = mkdtempSync(join(tmpdir(), 'spelunk-content-'));
    mkdirSync(join(dir, 'macros'));
    writeFileSync(join(dir, 'macros', 't.yml'), "name: excessive_wer_children_of_unified_messaging_service_threshold\ndefinition: '3'\n");
    const user = loadContentDir(dir);
    assert.deepEqual(user.issues, []);
    const merged = mergeMacros(builtin, user.macros);
    assert.equal(merged.get('excessive_wer_children_of_unified_messaging_service_threshold')?.definition, '3');
    assert.equal(merged.get('fillnull_config')?.definition, 'null');
  });

  it('defaults an undefined *_filter macro to search *', () => {
    assert.equal(lookupMacro(builtin, 'unified_messaging_service_spawning_a_process_filter', 0)?.definition, 'search *');
    assert.equal(lookupMacro(builtin, 'no_such_macro', 0), undefined);
    assert.equal(macroKey('security_content_ctime', 1), 'security_content_ctime(1)');
  });

  it('finds the package root from source', () => {
    assert.equal(realpathSync(packageRoot()), realpathSync(REPO));
  });
});

describe('built-in detections', () => {
  const detections = builtinDetections();
  const flagship = detections.find((d) => d.id === FLAGSHIP_ID);
  const anomaly = detections.find((d) => d.type === 'Anomaly');

  it('ships the fixed flagship with version 1 metadata', () => {
    assert.ok(flagship);
    assert.equal(flagship.name, 'Unified Messaging Service Spawning a Process');
    assert.ok((flagship.version ?? 0) > 2);
    assert.equal(flagship.type, 'TTP');
    assert.equal(flagship.riskScore, 56);
    assert.equal(flagship.impact, 70);
    assert.equal(flagship.confidence, 80);
    assert.equal(flagship.message, 'Possible CVE-2021-26857 exploitation on $dest$');
    assert.deepEqual(flagship.riskObjects.map((o) => [o.field, o.type]), [['dest', 'system']]);
    assert.deepEqual(flagship.mitreAttackIds, ['T1190']);
    assert.deepEqual(flagship.killChainPhases, ['Exploitation']);
    assert.deepEqual(flagship.cves, ['CVE-2021-26857']);
    assert.deepEqual(flagship.analyticStories, ['HAFNIUM Group']);
    assert.ok(flagship.source.builtin);
    assert.ok(flagship.search.includes('NOT (Processes.process_name IN ("wermgr.exe", "werfault.exe"))'));
    assert.ok(!flagship.search.includes('!='), 'the v1 tautology is gone');
    assert.match(flagship.search, /by Processes\.dest Processes\.user Processes\.parent_process\s+Processes\.process_name/);
    assert.match(flagship.description, /tautology|excluded\s+nothing/);
    assert.match(flagship.knownFalsePositives ?? '', /UMService\.exe[\s\S]*UMWorkerProcess\.exe/);
    assert.match(flagship.knownFalsePositives ?? '', /unified_messaging_service_spawning_a_process_filter/);
  });

  it('ships the WER anomaly', () => {
    assert.ok(anomaly);
    assert.notEqual(anomaly.id, FLAGSHIP_ID);
    assert.ok(anomaly.riskScore > 0 && anomaly.riskScore < 56);
    assert.deepEqual(anomaly.riskObjects.map((o) => o.field), ['dest']);
    assert.match(anomaly.message, /\$dest\$/);
    assert.match(anomaly.message, /\$count\$/);
    assert.deepEqual(anomaly.mitreAttackIds, ['T1190']);
    assert.deepEqual(anomaly.cves, ['CVE-2021-26857']);
    assert.deepEqual(anomaly.analyticStories, ['HAFNIUM Group']);
    assert.match(anomaly.search, /where count >= `excessive_wer_children_of_unified_messaging_service_threshold`/);
  });

  it('uses only macros the package defines (or default filters)', () => {
    const macros = builtinMacros();
    for (const d of detections) {
      for (const m of d.search.matchAll(/`([A-Za-z0-9_]+)(?:\(([^)]*)\))?`/g)) {
        const name = m[1] ?? '';
        const argc = m[2] === undefined ? 0 : m[2].split(',').length;
        assert.ok(lookupMacro(macros, name, argc), `${d.name}: ${macroKey(name, argc)}`);
      }
      assert.ok(d.search.includes(`\`${filterMacroName(d.name)}\``), `${d.name} ends with its filter macro`);
    }
  });
});
