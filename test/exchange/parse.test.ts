/** The pure parts of the Exchange review: CSV lines, #Fields headers, -like, the check predicates, listings. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ExchangeLogReader, like, rowTime, splitCsvLine } from '../../src/exchange/exchange-log.js';
import { ListingReader, isOabDownloadFailure, isSsrfAnchor, isUmInvalidCast, oabTempFile, pickFields, suspiciousFile, vdirChange } from '../../src/exchange/rules.js';

describe('splitCsvLine', () => {
  it('splits plain, quoted, doubled-quote and empty fields', () => {
    assert.deepEqual(splitCsvLine('a,"b,c","say ""hi""",,d'), { ok: true, values: ['a', 'b,c', 'say "hi"', '', 'd'] });
    assert.deepEqual(splitCsvLine('a,'), { ok: true, values: ['a', ''] });
    assert.deepEqual(splitCsvLine(''), { ok: true, values: [''] });
  });
  it('reports an unterminated quote and text after a closing quote', () => {
    assert.deepEqual(splitCsvLine('a,"b,c'), { ok: false, message: 'unterminated quoted field starting at column 3' });
    assert.deepEqual(splitCsvLine('"a"b,c'), { ok: false, message: 'text after the closing quote at column 4' });
  });
});

describe('ExchangeLogReader', () => {
  it('keeps the #Fields header and maps rows to records; other headers are kept by name', () => {
    const r = new ExchangeLogReader();
    assert.deepEqual(r.line('#Software: Microsoft Exchange Server'), { kind: 'header', name: 'Software', value: 'Microsoft Exchange Server' });
    r.line('#Log-type: HttpProxy Logs');
    r.line('#Fields: DateTime,AnchorMailbox,UserAgent');
    assert.equal(r.headers.get('log-type'), 'HttpProxy Logs');
    assert.deepEqual(r.line('2021-03-03T02:14:43.451Z,ServerInfo~a]@x:444/ecp/y,"UA, with comma"'), {
      kind: 'row',
      values: ['2021-03-03T02:14:43.451Z', 'ServerInfo~a]@x:444/ecp/y', 'UA, with comma'],
      record: { DateTime: '2021-03-03T02:14:43.451Z', AnchorMailbox: 'ServerInfo~a]@x:444/ecp/y', UserAgent: 'UA, with comma' },
    });
    assert.deepEqual(r.line(''), { kind: 'blank' });
  });
  it('still maps a row with the wrong field count, as Import-Csv does, and says so', () => {
    const r = new ExchangeLogReader();
    r.line('#Fields: A,B,C');
    assert.deepEqual(r.line('1,2'), { kind: 'row', values: ['1', '2'], record: { A: '1', B: '2', C: '' }, problem: '2 fields where the #Fields header has 3' });
  });
  it('rows before any #Fields header have no record', () => {
    assert.deepEqual(new ExchangeLogReader().line('x,y'), { kind: 'row', values: ['x', 'y'] });
  });
  it('takes the row time from DateTime/TimeStamp, else an ISO first value', () => {
    assert.equal(rowTime(['x'], { DateTime: '2021-03-03T02:14:43.451Z' }), '2021-03-03T02:14:43.451Z');
    assert.equal(rowTime(['2021-03-03T01:00:00.000Z', 'y'], undefined), '2021-03-03T01:00:00.000Z');
    assert.equal(rowTime(['3/3/2021'], undefined), undefined);
  });
});

describe('like (PowerShell -like)', () => {
  it('matches whole strings, case-insensitively, with * ? and sets', () => {
    assert.equal(like('SERVERINFO~a/b', 'ServerInfo~*/*'), true);
    assert.equal(like('ServerInfo~a', 'ServerInfo~*/*'), false);
    assert.equal(like('xServerInfo~a/b', 'ServerInfo~*/*'), false);
    assert.equal(like('lsass.exe.dmp', 'lsass.*dmp'), true);
    assert.equal(like('lsassy.dmp', 'lsass.*dmp'), false);
    assert.equal(like('a.b', 'a?b'), true);
    assert.equal(like('cat', '[bc]at'), true);
  });
});

describe('Test-ProxyLogon predicates', () => {
  it('CVE-2021-26855: ServerInfo~*/* except autodiscover and localhost', () => {
    assert.equal(isSsrfAnchor('ServerInfo~a]@EXCH01.corp.example:444/ecp/DDI/DDIService.svc/SetObject'), true);
    assert.equal(isSsrfAnchor('serverinfo~b]@EXCH01:444/mapi/emsmdb/?x'), true);
    assert.equal(isSsrfAnchor('ServerInfo~x/autodiscover/autodiscover.xml'), false);
    assert.equal(isSsrfAnchor('ServerInfo~a]@EXCH01:444/AutoDiscover/autodiscover.xml?#'), false);
    assert.equal(isSsrfAnchor('ServerInfo~localhost/ecp/ReportingWebService'), false);
    assert.equal(isSsrfAnchor('ServerInfo~LOCALHOST~1942062522/ews/exchange.asmx'), false);
    assert.equal(isSsrfAnchor('ServerInfo~EXCH01'), false);
    assert.equal(isSsrfAnchor('Sid~S-1-5-21-1-2-3-500'), false);
  });
  it('reads fields by case-insensitive name, as Import-Csv properties', () => {
    assert.deepEqual(pickFields({ ClientIpAddress: '1.2.3.4' }, ['ClientIPAddress', 'UrlHost']), { ClientIPAddress: '1.2.3.4', UrlHost: '' });
  });
  it('CVE-2021-26858 and CVE-2021-27065 line matches', () => {
    const oab = "x,Download failed and temporary file 'C:\\inetpub\\wwwroot\\aspnet_client\\a.aspx' needs to be removed";
    assert.equal(isOabDownloadFailure(oab), true);
    assert.equal(isOabDownloadFailure('DOWNLOAD FAILED AND TEMPORARY FILE x'), true);
    assert.equal(isOabDownloadFailure('Download failed, retrying'), false);
    assert.equal(oabTempFile(oab), "'C:\\inetpub\\wwwroot\\aspnet_client\\a.aspx'");
    assert.deepEqual(vdirChange("S:CMD=Set-OabVirtualDirectory.ExternalUrl='x'"), { match: 'Set-OabVirtualDirectory', cmdlet: 'Set-OabVirtualDirectory' });
    assert.deepEqual(vdirChange('s:cmd=set-owavirtualdirectory.x'), { match: 'set-owavirtualdirectory', cmdlet: 'set-owavirtualdirectory' });
    assert.equal(vdirChange("S:CMD=Set-Mailbox.Identity='a'"), undefined);
    assert.equal(vdirChange('S:CMD=Get-OabVirtualDirectory'), undefined);
  });
  it('CVE-2021-26857: provider, level 2, InvalidCastException', () => {
    assert.equal(isUmInvalidCast('MSExchange Unified Messaging', 2, 'System.InvalidCastException: Unable to cast'), true);
    assert.equal(isUmInvalidCast('msexchange unified messaging', 2, 'system.invalidcastexception'), true);
    assert.equal(isUmInvalidCast('MSExchange Unified Messaging', 3, 'System.InvalidCastException'), false);
    assert.equal(isUmInvalidCast('MSExchange Unified Messaging', 2, 'System.TimeoutException'), false);
    assert.equal(isUmInvalidCast('MSExchange Common', 2, 'System.InvalidCastException'), false);
  });
  it('suspicious files: lsass dumps under C:\\root or Windows\\Temp, archives under ProgramData', () => {
    assert.equal(suspiciousFile('C:\\root\\lsass.dmp'), 'lsass-dump');
    assert.equal(suspiciousFile('C:\\root\\sub\\lsass.DMP'), 'lsass-dump');
    assert.equal(suspiciousFile('c:\\windows\\temp\\lsass.exe.dmp'), 'lsass-dump');
    assert.equal(suspiciousFile('C:/Windows/Temp/lsass1.dmp'), 'lsass-dump');
    assert.equal(suspiciousFile('C:\\Users\\a\\lsass.dmp'), undefined);
    assert.equal(suspiciousFile('C:\\ProgramData\\x\\a.7z'), 'archive');
    assert.equal(suspiciousFile('C:\\ProgramData\\a.RAR'), 'archive');
    assert.equal(suspiciousFile('C:\\ProgramData\\a.zipx'), undefined);
    assert.equal(suspiciousFile('D:\\backup\\logs.zip'), undefined);
  });
});

describe('ListingReader', () => {
  it('reads a plain list, skipping blanks and comments', () => {
    const r = new ListingReader();
    assert.deepEqual(r.line('# listing', 1), { kind: 'skip' });
    assert.deepEqual(r.line('C:\\root\\lsass.dmp', 2), { kind: 'file', file: { path: 'C:\\root\\lsass.dmp', line: 2 } });
    assert.deepEqual(r.line('  ', 3), { kind: 'skip' });
  });
  it('reads Export-Csv output with FullName, Length, LastWriteTime', () => {
    const r = new ListingReader();
    assert.deepEqual(r.line('#TYPE Selected.System.IO.FileInfo', 1), { kind: 'skip' });
    assert.deepEqual(r.line('"FullName","Length","LastWriteTime"', 2), { kind: 'skip' });
    assert.deepEqual(r.line('"C:\\ProgramData\\a, b.7z","12","3/3/2021 2:00:00 AM"', 3), {
      kind: 'file',
      file: { path: 'C:\\ProgramData\\a, b.7z', line: 3, length: '12', lastWriteTime: '3/3/2021 2:00:00 AM' },
    });
    assert.deepEqual(r.line('"C:\\x', 4), { kind: 'malformed', message: 'unterminated quoted field starting at column 1' });
  });
});
