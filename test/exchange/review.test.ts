/** reviewExchangeLogs on the synthetic fixtures, and `spelunk exchange` end to end. */
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { reviewExchangeLogs, type ExchangeReview } from '../../src/exchange/index.js';
import { FIXTURES } from '../support/paths.js';
import { cli } from '../support/cli.js';

const COMPROMISED = join(FIXTURES, 'exchange', 'compromised');
const CLEAN = join(FIXTURES, 'exchange', 'clean');
const ECP_PROXY = 'V15/Logging/HttpProxy/Ecp/HttpProxy_2021030302-1.LOG';
const BROWSER = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/88.0.4324.190 Safari/537.36';

function check(r: ExchangeReview, id: string) {
  const c = r.checks.find((x) => x.id === id);
  assert.ok(c, id);
  return c;
}

describe('reviewExchangeLogs: compromised folder', async () => {
  const r = await reviewExchangeLogs(COMPROMISED);

  it('finds the V15/Logging tree and every indicator', () => {
    assert.equal(r.loggingRoot, 'V15/Logging');
    assert.equal(r.found, true);
    assert.deepEqual(
      r.checks.map((c) => [c.id, c.status, c.evidenceCount]),
      [
        ['CVE-2021-26855', 'found', 2],
        ['CVE-2021-26858', 'found', 1],
        ['CVE-2021-27065', 'found', 1],
        ['CVE-2021-26857', 'found', 1],
        ['suspicious-files', 'found', 4],
      ],
    );
    assert.deepEqual(r.unreadable, []);
  });

  it('CVE-2021-26855: Test-ProxyLogon fields with file and line; localhost, autodiscover and no-slash near misses excluded', () => {
    assert.deepEqual(check(r, 'CVE-2021-26855').evidence, [
      {
        check: 'CVE-2021-26855',
        file: ECP_PROXY,
        line: 7,
        time: '2021-03-03T02:14:43.451Z',
        fields: {
          DateTime: '2021-03-03T02:14:43.451Z',
          RequestId: 'e8a95ea2-3c4e-4c02-8f8a-2f6ab1e1f0a7',
          ClientIPAddress: '203.0.113.7',
          UrlHost: 'mail.corp.example',
          UrlStem: '/ecp/y.js',
          RoutingHint: 'ServerInfo-Header',
          UserAgent: 'ExchangeServicesClient/0.0.0.0',
          AnchorMailbox: 'ServerInfo~a]@EXCH01.corp.example:444/ecp/DDI/DDIService.svc/SetObject?schema=ResetOABVirtualDirectory&msExchEcpCanary=xkdU4icLzEO',
          HttpStatus: '200',
        },
      },
      {
        check: 'CVE-2021-26855',
        file: ECP_PROXY,
        line: 9,
        time: '2021-03-03T02:16:20.777Z',
        fields: {
          DateTime: '2021-03-03T02:16:20.777Z',
          RequestId: '5f2e0c44-6d1b-4d4e-b2a4-8e7c1f3a2b90',
          ClientIPAddress: '203.0.113.7',
          UrlHost: 'mail.corp.example',
          UrlStem: '/ecp/temp.js',
          RoutingHint: 'ServerInfo-Header',
          UserAgent: BROWSER,
          AnchorMailbox: 'serverinfo~b]@EXCH01.corp.example:444/mapi/emsmdb/?useMailboxOfAnotherUser',
          HttpStatus: '241',
        },
      },
    ]);
  });

  it('reports the malformed CSV row with file and line, and keeps going', () => {
    const c = check(r, 'CVE-2021-26855');
    assert.equal(c.malformedCount, 1);
    assert.deepEqual(c.malformed, [{ file: ECP_PROXY, line: 12, code: 'exchange.bad-csv', message: 'unterminated quoted field starting at column 127' }]);
  });

  it('CVE-2021-26858, CVE-2021-27065 (Set-Mailbox and Get-...VirtualDirectory near misses excluded), CVE-2021-26857', () => {
    const oab = check(r, 'CVE-2021-26858').evidence;
    assert.equal(oab.length, 1);
    assert.deepEqual({ ...oab[0], text: undefined }, {
      check: 'CVE-2021-26858',
      file: 'V15/Logging/OABGeneratorLog/OABGeneratorLog_20210303-1.LOG',
      line: 7,
      time: '2021-03-03T02:21:09.334Z',
      fields: { tempFile: "'C:\\inetpub\\wwwroot\\aspnet_client\\system_web\\web.aspx'" },
      text: undefined,
    });
    const ecp = check(r, 'CVE-2021-27065').evidence;
    assert.equal(ecp.length, 1);
    assert.equal(ecp[0]?.file, 'V15/Logging/ecp/SERVER/ECPServer20210303-1.LOG');
    assert.equal(ecp[0]?.line, 7);
    assert.deepEqual(ecp[0]?.fields, { TimeStamp: '2021-03-03T02:14:44.907Z', ServerName: 'EXCH01', EventId: 'ECP.Request', cmdlet: 'Set-OabVirtualDirectory' });
    assert.match(ecp[0]?.text ?? '', /^2021-03-03T02:14:44\.907Z,EXCH01,ECP\.Request,"S:TIME=27;.*Set-OabVirtualDirectory\.ExternalUrl=/);
    const um = check(r, 'CVE-2021-26857').evidence;
    assert.equal(um.length, 1);
    assert.deepEqual({ ...um[0], text: undefined }, {
      check: 'CVE-2021-26857',
      file: 'Application/Application.xml',
      line: 3,
      time: '2021-03-03T02:31:10.1234567Z',
      fields: { TimeCreated: '2021-03-03T02:31:10.1234567Z', Computer: 'EXCH01.corp.example', Provider: 'MSExchange Unified Messaging', EventID: '1040', Level: '2', EventRecordID: '88014' },
      text: undefined,
    });
    assert.match(um[0]?.text ?? '', /System\.InvalidCastException: Unable to cast object of type 'System\.Windows\.Data\.ObjectDataProvider'/);
  });

  it('suspicious files from files.txt', () => {
    assert.deepEqual(
      check(r, 'suspicious-files').evidence.map((f) => [f.file, f.line, f.fields['Type'], f.fields['Path']]),
      [
        ['files.txt', 2, 'LsassDump', 'C:\\root\\lsass.dmp'],
        ['files.txt', 3, 'LsassDump', 'C:\\Windows\\Temp\\lsass.exe.dmp'],
        ['files.txt', 5, 'SuspiciousArchive', 'C:\\ProgramData\\VSPerfMon\\test.7z'],
        ['files.txt', 6, 'SuspiciousArchive', 'c:\\programdata\\Microsoft\\Crypto\\backup.ZIP'],
      ],
    );
  });

  it('log ages: first and last entry per log, lag behind the newest entry of all logs', () => {
    assert.equal(r.newestTime, '2021-03-03T02:41:00.000Z');
    assert.deepEqual(check(r, 'CVE-2021-26855').logs, [
      { path: 'V15/Logging/HttpProxy/Ecp', files: 1, entries: 6, firstTime: '2021-03-03T02:01:10.118Z', lastTime: '2021-03-03T02:18:00.000Z', spanDays: 0, lagDays: 0, lagSeconds: 1380 },
      { path: 'V15/Logging/HttpProxy/Owa', files: 1, entries: 2, firstTime: '2021-03-02T23:04:11.200Z', lastTime: '2021-03-03T01:58:40.020Z', spanDays: 0.1, lagDays: 0, lagSeconds: 2540 },
    ]);
    assert.deepEqual(check(r, 'CVE-2021-27065').logs, [
      { path: 'V15/Logging/ecp/SERVER', files: 1, entries: 4, firstTime: '2021-03-03T01:40:00.101Z', lastTime: '2021-03-03T02:41:00.000Z', spanDays: 0, lagDays: 0, lagSeconds: 0 },
    ]);
    assert.deepEqual(check(r, 'CVE-2021-26857').logs, [
      { path: 'Application/Application.xml', files: 1, entries: 4, firstTime: '2021-03-03T01:12:00.0000000Z', lastTime: '2021-03-03T02:33:00.0000000Z', spanDays: 0.1, lagDays: 0, lagSeconds: 480 },
    ]);
    assert.deepEqual(check(r, 'suspicious-files').logs, [{ path: 'files.txt', files: 1, entries: 0 }]);
  });
});

describe('reviewExchangeLogs: clean folder', () => {
  it('every check clean; Logging/ directly under the folder; a days-behind log; an Export-Csv listing', async () => {
    const r = await reviewExchangeLogs(CLEAN);
    assert.equal(r.loggingRoot, 'Logging');
    assert.equal(r.found, false);
    assert.deepEqual(r.checks.map((c) => [c.id, c.status, c.evidence.length, c.malformedCount]), [
      ['CVE-2021-26855', 'clean', 0, 0],
      ['CVE-2021-26858', 'clean', 0, 0],
      ['CVE-2021-27065', 'clean', 0, 0],
      ['CVE-2021-26857', 'clean', 0, 0],
      ['suspicious-files', 'clean', 0, 0],
    ]);
    assert.equal(r.newestTime, '2021-03-04T06:30:00.250Z');
    const autod = check(r, 'CVE-2021-26855').logs.find((l) => l.path === 'Logging/HttpProxy/Autodiscover');
    assert.deepEqual(autod, { path: 'Logging/HttpProxy/Autodiscover', files: 1, entries: 2, firstTime: '2021-03-03T00:00:00.130Z', lastTime: '2021-03-03T00:05:00.000Z', spanDays: 0, lagDays: 1.3, lagSeconds: 109500 });
  });

  it('an empty folder: every check no-logs', async () => {
    const r = await reviewExchangeLogs(mkdtempSync(join(tmpdir(), 'spelunk-exch-')));
    assert.deepEqual(r.checks.map((c) => c.status), ['no-logs', 'no-logs', 'no-logs', 'no-logs', 'no-logs']);
    assert.equal(r.loggingRoot, undefined);
  });
});



describe('spelunk exchange', () => {
  it('table: each check with status, evidence and log ages; exit 1 when something is found', async () => {
    const r = await cli('exchange', COMPROMISED);
    assert.equal(r.code, 1, r.err);
    assert.match(r.out, /^Exchange log review of .*compromised \(Logging tree: V15\/Logging\)\n/);
    assert.match(r.out, /\nCVE-2021-26855 {2}FOUND \(2\) {2}Server-side request forgery in the HttpProxy logs\n/);
    assert.match(r.out, /\nsuspicious-files {2}FOUND \(4\) /);
    assert.match(r.out, / {4}V15\/Logging\/ecp\/SERVER {2}1 file, 4 entries, 2021-03-03T01:40:00\.101Z \.\. 2021-03-03T02:41:00\.000Z \(0 days, holds the newest entry\)\n/);
    assert.match(r.out, /V15\/Logging\/HttpProxy\/Ecp\/HttpProxy_2021030302-1\.LOG:12: exchange\.bad-csv: unterminated quoted field/);
    assert.match(r.err, /spelunk exchange: found: CVE-2021-26855 \(2\), CVE-2021-26858 \(1\), CVE-2021-27065 \(1\), CVE-2021-26857 \(1\), suspicious-files \(4\)\n/);
  });

  it('json is the review; exit 0 on the clean folder', async () => {
    const r = await cli('exchange', CLEAN, '--format', 'json');
    assert.equal(r.code, 0, r.err);
    const review = JSON.parse(r.out) as ExchangeReview;
    assert.deepEqual(review, JSON.parse(JSON.stringify(await reviewExchangeLogs(CLEAN))));
    assert.match(r.err, /nothing found/);
  });

  it('jsonl: review, check, finding, log and malformed records; --output writes a file', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'spelunk-exch-')), 'review.jsonl');
    const r = await cli('exchange', COMPROMISED, '--format', 'jsonl', '--output', out, '--quiet');
    assert.equal(r.code, 1);
    assert.equal(r.out, '');
    assert.equal(r.err, '');
    const recs = readFileSync(out, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.deepEqual(recs[0], { record: 'review', folder: COMPROMISED, loggingRoot: 'V15/Logging', newestTime: '2021-03-03T02:41:00.000Z', found: true });
    assert.deepEqual(recs[1], {
      record: 'check',
      id: 'CVE-2021-26855',
      title: 'Server-side request forgery in the HttpProxy logs',
      rule: "Logging/HttpProxy/**/*.log rows whose AnchorMailbox is -like 'ServerInfo~*/*', not 'ServerInfo~*/autodiscover*', not 'ServerInfo~localhost*/*'",
      status: 'found',
      evidenceCount: 2,
      malformedCount: 1,
    });
    assert.deepEqual(recs.filter((x) => x['record'] === 'finding').map((x) => [x['check'], x['file'], x['line']]), [
      ['CVE-2021-26855', ECP_PROXY, 7],
      ['CVE-2021-26855', ECP_PROXY, 9],
      ['CVE-2021-26858', 'V15/Logging/OABGeneratorLog/OABGeneratorLog_20210303-1.LOG', 7],
      ['CVE-2021-27065', 'V15/Logging/ecp/SERVER/ECPServer20210303-1.LOG', 7],
      ['CVE-2021-26857', 'Application/Application.xml', 3],
      ['suspicious-files', 'files.txt', 2],
      ['suspicious-files', 'files.txt', 3],
      ['suspicious-files', 'files.txt', 5],
      ['suspicious-files', 'files.txt', 6],
    ]);
    assert.deepEqual(recs.filter((x) => x['record'] === 'malformed'), [
      { record: 'malformed', check: 'CVE-2021-26855', file: ECP_PROXY, line: 12, code: 'exchange.bad-csv', message: 'unterminated quoted field starting at column 127' },
    ]);
    assert.equal(recs.filter((x) => x['record'] === 'log').length, 6);
  });

  it('exit 3 when a log cannot be read, the rest still reviewed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'spelunk-exch-'));
    cpSync(COMPROMISED, dir, { recursive: true });
    writeFileSync(join(dir, 'Application', 'System.xml'), 'this is not an event log\n');
    const r = await cli('exchange', dir, '--format', 'json');
    assert.equal(r.code, 3);
    const review = JSON.parse(r.out) as ExchangeReview;
    assert.equal(review.unreadable.length, 1);
    assert.equal(review.unreadable[0]?.file, 'Application/System.xml');
    assert.equal(review.checks.find((c) => c.id === 'CVE-2021-26857')?.status, 'found');
    assert.match(r.err, /Application\/System\.xml: error: read\./);
  });

  it('exit 2 on usage errors; help', async () => {
    assert.equal((await cli('exchange')).code, 2);
    assert.equal((await cli('exchange', join(FIXTURES, 'exchange', 'no-such-folder'))).code, 2);
    assert.equal((await cli('exchange', CLEAN, '--format', 'csv')).code, 2);
    assert.equal((await cli('exchange', CLEAN, '--bogus')).code, 2);
    const h = await cli('exchange', '--help');
    assert.equal(h.code, 0);
    assert.match(h.out, /^Usage: spelunk exchange <folder>/);
    assert.match((await cli('--help')).out, /\n {2}exchange /);
  });
});
