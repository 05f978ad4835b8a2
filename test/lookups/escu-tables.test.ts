/**
 * Lookups ESCU's Windows detections use, on their real tables, with the
 * arguments the detections (or their macros) write.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { LookupStore } from '../../src/content/index.js';
import { lookupStage, parseLookupArgs } from '../../src/spl/engine/lookup.js';
import type { RowSink } from '../../src/spl/engine/types.js';
import { newRow, type FieldValue } from '../../src/spl/values.js';
import { ESCU } from '../support/paths.js';

const { store } = LookupStore.fromDir(join(ESCU, 'lookups'));

function lookup(args: string, events: readonly Record<string, FieldValue>[]): Record<string, FieldValue | undefined>[] {
  const out: Record<string, FieldValue | undefined>[] = [];
  const stage = lookupStage(parseLookupArgs(args), store) as (next: RowSink) => RowSink;
  const sink = stage({ push: (r) => out.push({ ...r }), end: () => undefined });
  for (const e of events) sink.push(Object.assign(newRow(), e));
  sink.end();
  return out;
}

describe('ESCU tables', () => {
  it('ace_type_lookup (exact, case-sensitive by default) rewrites aceType in place', () => {
    const args = 'ace_type_lookup ace_type_string as aceType OUTPUT ace_type_value as aceType';
    assert.deepEqual(lookup(args, [{ aceType: 'A' }, { aceType: 'D' }, { aceType: 'a' }]), [{ aceType: 'Access allowed' }, { aceType: 'Access denied' }, {}]);
  });

  it('msad_guid_lookup resolves a control access right GUID (quoted CSV cells)', () => {
    const out = lookup('msad_guid_lookup guid as aceObjectGuid OUTPUT displayName as ControlAccessRights', [{ aceObjectGuid: 'ab721a53-1e2f-11d0-9819-00aa0040529b' }]);
    assert.equal(out[0]?.['ControlAccessRights'], 'Change Password');
  });

  it('remote_access_software: WILDCARD, case-insensitive, max_matches 1', () => {
    const args = 'remote_access_software remote_utility AS process_name OUTPUT isutility, description as signature, comment_reference as desc, category';
    const [hit, miss] = lookup(args, [{ process_name: 'PsExec.EXE' }, { process_name: 'notepad.exe' }]);
    assert.equal(hit?.['signature'], 'PSEXEC');
    assert.equal(hit?.['isutility'], 'TRUE');
    assert.equal(hit?.['category'], 'Remote Access');
    // min_matches 1 with default_match false: every output of a miss is the text "false".
    assert.deepEqual(miss, { process_name: 'notepad.exe', isutility: 'false', signature: 'false', desc: 'false', category: 'false' });
  });

  it('hijacklibs_loaded: two WILDCARD inputs must both match', () => {
    const args = 'hijacklibs_loaded library AS loaded_file excludes as loaded_file_path OUTPUT islibrary as excluded';
    const out = lookup(args, [
      { loaded_file: 'version.dll', loaded_file_path: 'C:\\Windows\\System32\\version.dll' },
      { loaded_file: 'VERSION.dll', loaded_file_path: 'C:\\Users\\Public\\version.dll' },
    ]);
    assert.deepEqual(out.map((r) => r['excluded']), ['TRUE', 'false']);
  });

  it('is_windows_system_file (macro form, no OUTPUT): default_match fills systemFile', () => {
    const out = lookup('update=true is_windows_system_file filename as process_name', [{ process_name: 'AgentService.exe' }, { process_name: 'evil.exe' }]);
    assert.deepEqual(out.map((r) => r['systemFile']), ['true', 'false']);
  });

  it('dynamic_dns_providers_default: 92k wildcard rows, padded cells trimmed', () => {
    const out = lookup('update=true dynamic_dns_providers_default dynamic_dns_domains as query OUTPUTNEW isDynDNS_default', [{ query: 'c2.3D-Game.com' }, { query: 'www.splunk.com' }]);
    assert.deepEqual(out.map((r) => r['isDynDNS_default']), ['True', undefined]);
  });

  it('ransomware_notes_lookup: OUTPUT renamed to a quoted field name', () => {
    const out = lookup('ransomware_notes_lookup ransomware_notes as file_name OUTPUT status as "Known Ransomware Notes"', [{ file_name: 'help_to_save_files.TXT' }]);
    // The table lists this note four times; max_matches defaults to 100, so all four come back.
    assert.deepEqual(out[0]?.['Known Ransomware Notes'], ['True', 'True', 'True', 'True']);
  });
});
