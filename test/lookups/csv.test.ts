import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatCsvRecord, parseCsv, parseLookupCsv } from '../../src/content/index.js';

const rows = (text: string, trim = false): string[][] => parseCsv(text, { trim }).records.map((r) => r.fields);
const codes = (text: string): string[] => parseCsv(text).problems.map((p) => p.code);

describe('parseCsv (RFC 4180)', () => {
  it('reads plain records with LF, CRLF and a missing final line end', () => {
    assert.deepEqual(rows('a,b\n1,2\n'), [['a', 'b'], ['1', '2']]);
    assert.deepEqual(rows('a,b\r\n1,2\r\n'), [['a', 'b'], ['1', '2']]);
    assert.deepEqual(rows('a,b\r\n1,2'), [['a', 'b'], ['1', '2']]);
  });

  it('reads nothing from empty text and one empty field from an empty line', () => {
    assert.deepEqual(rows(''), []);
    assert.deepEqual(rows('\n'), [['']]);
    assert.deepEqual(rows('a\n\nb\n'), [['a'], [''], ['b']]);
  });

  it('keeps empty fields, including a trailing one', () => {
    assert.deepEqual(rows(',\n'), [['', '']]);
    assert.deepEqual(rows('a,,c'), [['a', '', 'c']]);
    assert.deepEqual(rows('a,'), [['a', '']]);
  });

  it('reads quoted fields: commas, doubled quotes, line breaks, empty quotes', () => {
    assert.deepEqual(rows('"a,b","say ""hi""",""\n'), [['a,b', 'say "hi"', '']]);
    assert.deepEqual(rows('"two\r\nlines",x\n'), [['two\r\nlines', 'x']]);
    assert.deepEqual(rows('"""",x'), [['"', 'x']]);
  });

  it('counts lines inside quoted fields', () => {
    const { records } = parseCsv('h\n"a\nb"\nc\n');
    assert.deepEqual(records.map((r) => r.line), [1, 2, 4]);
  });

  it('strips a UTF-8 byte-order mark', () => {
    assert.deepEqual(rows('\ufeffa,b\n'), [['a', 'b']]);
  });

  it('keeps spaces in strict mode and trims unquoted fields when asked', () => {
    assert.deepEqual(rows('a , b\n'), [['a ', ' b']]);
    assert.deepEqual(rows('a , b,"  c  "\n', true), [['a', 'b', '  c  ']]);
    assert.deepEqual(rows(' "q" ,x\n', true), [['q', 'x']]);
  });

  it('reports an unterminated quote with its line and keeps the rest of the text', () => {
    const { records, problems } = parseCsv('a\n"open\nmore');
    assert.deepEqual(records.map((r) => r.fields), [['a'], ['open\nmore']]);
    assert.deepEqual(problems, [{ code: 'csv.unterminated-quote', message: problems[0]?.message, line: 2 }]);
  });

  it('reports a stray quote and text after a closing quote, keeping the text', () => {
    assert.deepEqual(codes('a"b,c\n'), ['csv.stray-quote']);
    assert.deepEqual(rows('a"b,c\n'), [['a"b', 'c']]);
    assert.deepEqual(codes('"a"b,c\n'), ['csv.text-after-quote']);
    assert.deepEqual(rows('"a"b,c\n'), [['ab', 'c']]);
  });

  it('round-trips through formatCsvRecord', () => {
    const fields = ['plain', 'a,b', 'say "hi"', 'two\nlines', ' lead', ''];
    assert.equal(formatCsvRecord(fields), 'plain,"a,b","say ""hi""","two\nlines"," lead",');
    assert.deepEqual(rows(formatCsvRecord(fields) + '\n'), [fields]);
  });
});

describe('parseLookupCsv', () => {
  it('names fields from the trimmed header, skips blank lines, pads short rows', () => {
    const { table, issues } = parseLookupCsv('a, b\n1, x\n\n2\n', 't.csv');
    assert.deepEqual(table.fields, ['a', 'b']);
    assert.deepEqual(table.rows.map((r) => ({ ...r })), [{ a: '1', b: 'x' }, { a: '2', b: '' }]);
    assert.deepEqual(issues.map((i) => [i.code, i.line]), [['content.lookup-ragged-row', 4]]);
  });

  it('reports an empty file and a duplicate column', () => {
    assert.deepEqual(parseLookupCsv('', 'e.csv').issues.map((i) => i.code), ['content.lookup-empty']);
    const dup = parseLookupCsv('a,a\n1,2\n', 'd.csv');
    assert.deepEqual(dup.table.fields, ['a']);
    assert.equal(dup.table.rows[0]?.['a'], '1');
    assert.deepEqual(dup.issues.map((i) => i.code), ['content.lookup-duplicate-column']);
  });
});
