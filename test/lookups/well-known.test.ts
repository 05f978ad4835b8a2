/** Lookups ESCU uses without shipping them, and inputlookup options after the table name. */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { LookupStore, WELL_KNOWN_COLLECTIONS } from '../../src/content/index.js';
import { parseInputlookupArgs } from '../../src/spl/engine/lookup.js';
import { ESCU } from '../support/paths.js';

describe('well-known Enterprise Security collections', () => {
  it('are known, empty, with their columns, unless the content defines them', () => {
    const { store } = LookupStore.fromDir(join(ESCU, 'lookups'));
    for (const d of WELL_KNOWN_COLLECTIONS) {
      assert.equal(store.definition(d.name)?.kind, 'kvstore', d.name);
      const t = store.table(d.name);
      assert.deepEqual(t?.rows, []);
      assert.ok(t?.fields.includes(d.name.startsWith('asset') ? 'asset' : 'objectSid'));
    }
  });
});

describe('inputlookup arguments', () => {
  it('takes options before or after the table name', () => {
    assert.deepEqual(parseInputlookupArgs('append=t t1').spec, { name: 't1', append: true });
    assert.deepEqual(parseInputlookupArgs('t1 append=t').spec, { name: 't1', append: true });
    assert.throws(() => parseInputlookupArgs('t1 t2'), /unexpected "t2"/);
  });
});
