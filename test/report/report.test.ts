/**
 * The HTML report opened in headless Chromium (Debian's chromium, driven by
 * playwright-core): what is drawn, that it needs no network, and that it
 * prints. CI installs chromium (.ci/run); elsewhere the browser part is
 * skipped when /usr/bin/chromium is missing, never in CI.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { main } from '../../src/cli/main.js';
import { REPO_ROOT } from '../support/paths.js';
import { captureStream } from '../support/cli.js';

const CHROMIUM = '/usr/bin/chromium';
const browserSkip = !existsSync(CHROMIUM) && process.env['CI'] !== 'true' ? `${CHROMIUM} is not installed (CI installs it)` : false;


async function makeReport(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'spelunk-report-'));
  const file = join(dir, 'report.html');
  const code = await main(['hunt', join(REPO_ROOT, 'examples'), '--report', file, '--rebuild-parents', '--quiet'], { stdout: captureStream(), stderr: captureStream() });
  assert.equal(code, 1);
  return file;
}

describe('hunt --report', () => {
  it('writes one self-contained HTML file: no scripts, no external resources', async () => {
    const html = readFileSync(await makeReport(), 'utf8');
    assert.match(html, /^<!doctype html>/);
    assert.doesNotMatch(html, /<script|<link |src="http|href="http|url\(http/i);
    assert.match(html, /Content-Security-Policy" content="default-src 'none'/);
    assert.equal((html.match(/<section class="alert /g) ?? []).length, 5);
  });

  it('draws trees, timelines and findings in Chromium, and prints', { skip: browserSkip }, async () => {
    const { chromium } = await import('playwright-core');
    const file = await makeReport();
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
      const requests: string[] = [];
      page.on('request', (r) => {
        if (!r.url().startsWith('file:')) requests.push(r.url());
      });
      await page.goto(pathToFileURL(file).href);
      assert.deepEqual(requests, [], 'the report loads nothing from the network');

      // Hosts ordered by total risk (147, then 112); alerts grouped under them.
      assert.deepEqual(await page.locator('h2[id^="host-"]').evaluateAll((hs) => hs.map((h) => h.id)), ['host-EXCH01.corp.example', 'host-EXCH02.corp.example']);
      assert.equal(await page.locator('section.alert').count(), 5);

      // The UM worker → cmd.exe alert: tree drawn with the alerting node highlighted.
      const cmd = page.locator('section.alert[data-pid="7312"]');
      const names = await cmd.locator('svg.tree g').evaluateAll((gs) => gs.map((g) => `${g.getAttribute('class')}:${g.getAttribute('data-name')}`));
      assert.deepEqual(names, ['node:UMService.exe', 'node:UMWorkerProcess.exe', 'alertnode:cmd.exe', 'node:powershell.exe']);
      const box = await cmd.locator('svg.tree').boundingBox();
      assert.ok(box && box.width > 400 && box.height > 100, `tree is drawn (${JSON.stringify(box)})`);
      assert.ok((await cmd.locator('svg.timeline g.tl-alert').count()) === 1);
      assert.match(await cmd.locator('table.files').innerText(), /discover\.aspx/);
      assert.match(await cmd.innerText(), /Contain[\s\S]*egress[\s\S]*Patch[\s\S]*15\.02\.0792\.010[\s\S]*Monitor/);

      // The rebuilt 4688 v1 parent is marked.
      assert.match(await page.locator('section.alert[data-process="rundll32.exe"]').innerText(), /Note: parent rebuilt/);
      // Risk table: EXCH02 crosses the threshold with the rebuilt alert.
      assert.match(await page.locator('table.risk').innerText(), /EXCH02\.corp\.example[\s\S]*risk notable/);

      const shot = join(mkdtempSync(join(tmpdir(), 'spelunk-shot-')), 'report.png');
      await page.screenshot({ path: shot, fullPage: true });
      assert.ok(statSync(shot).size > 50_000, 'a full-page screenshot with content');
      const pdf = await page.pdf({ format: 'A4' });
      assert.ok(pdf.length > 20_000, 'prints to PDF');
    } finally {
      await browser.close();
    }
  });
});
