import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sniffEncoding, sniffFormat } from '../../src/readers/index.js';
import { utf16be, utf16le, utf8 } from './helpers.js';

const LINE = "<Event xmlns='x'><System><EventID>1</EventID></System></Event>";

describe('sniffFormat', () => {
  const cases: [string, Uint8Array, string][] = [
    ['empty', new Uint8Array(0), 'empty'],
    ['whitespace only', utf8(' \r\n\n'), 'empty'],
    ['XML lines', utf8(`${LINE}\n${LINE}\n`), 'xml-lines'],
    ['XML lines after classic text and a header', utf8(`03/02/2021 10:11:12 AM\nLogName=Security\n\n${LINE}\n`), 'xml-lines'],
    ['XML lines whose first event is truncated', utf8(`<Event><System><EventID>1\n${LINE}\n`), 'xml-lines'],
    ['one XML line without newline', utf8(LINE), 'event-xml'],
    ['Event Viewer export', utf8('<?xml version="1.0"?>\r\n<Events><Event>\n</Event></Events>'), 'event-xml'],
    ['<Events> without declaration', utf8('<Events>\n<Event>'), 'event-xml'],
    ['event spanning lines', utf8('<Event xmlns="x">\n  <System>\n'), 'event-xml'],
    ['JSON lines', utf8('\n{"EventID": 1}\n'), 'json-lines'],
    ['UTF-8 BOM', utf8(`\ufeff${LINE}\n`), 'xml-lines'],
    ['UTF-16LE BOM', utf16le('<?xml version="1.0" encoding="UTF-16"?><Events>'), 'event-xml'],
    ['UTF-16LE no BOM', utf16le(`${LINE}\n`, false), 'xml-lines'],
    ['UTF-16BE BOM', utf16be('{"a":1}\n'), 'json-lines'],
    ['EVTX magic', utf8('ElfFile\0\0\0\0'), 'evtx'],
    ['binary', new Uint8Array([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0, 0, 0]), 'binary'],
    ['plain text', utf8('hello\nworld\n'), 'unknown'],
    ['JSON array', utf8('[{"EventID":1}]'), 'unknown'],
  ];
  for (const [what, bytes, want] of cases) it(what, () => assert.equal(sniffFormat(bytes), want));
});

describe('sniffEncoding', () => {
  it('reports the BOM length to skip', () => {
    assert.deepEqual(sniffEncoding(utf8('\ufeff<')), { encoding: 'utf-8', bomLength: 3 });
    assert.deepEqual(sniffEncoding(utf16le('<a')), { encoding: 'utf-16le', bomLength: 2 });
    assert.deepEqual(sniffEncoding(utf16be('<a')), { encoding: 'utf-16be', bomLength: 2 });
    assert.deepEqual(sniffEncoding(utf8('<a')), { encoding: 'utf-8', bomLength: 0 });
  });
});
