/** `spelunk hunt`: detections over event logs, alerts out. */
import { builtinDetections, loadDetections, type Detection } from '../../content/index.js';
import { alertContexts } from '../../engine/context-pass.js';
import { hunt } from '../../engine/hunt.js';
import { parseJobs } from '../../engine/parallel.js';
import { reviewExchangeLogs } from '../../exchange/index.js';
import { emptyContext, type AlertContext, type ExchangeCheckSummary } from '../../triage/index.js';
import {
  COMMON_OPTIONS,
  DiagnosticPrinter,
  EXIT,
  UsageError,
  checkFormat,
  checkZone,
  inputFailed,
  parseCommandArgs,
  summaryLine,
  writeOutput,
  type ExitCode,
  type Io,
} from '../common.js';
import { loadLookups, loadMacros } from '../content-options.js';
import { HUNT_HELP } from '../help.js';
import { createProgress } from '../progress.js';
import { renderReport } from '../../report/html.js';
import { DEFAULT_RISK_POLICY, riskEvents, summarizeRisk, type RiskPolicy } from '../../alerting/index.js';
import { renderAlertsCsv, renderAlertsJson, renderAlertsJsonl, renderAlertsTable, renderRiskTable } from '../reporters/alerts.js';

export async function huntCommand(argv: readonly string[], io: Io): Promise<ExitCode> {
  const { values, positionals } = parseCommandArgs(argv, {
    ...COMMON_OPTIONS,
    detections: { type: 'string', multiple: true },
    'no-context': { type: 'boolean' },
    window: { type: 'string' },
    'rebuild-parents': { type: 'boolean' },
    'risk-threshold': { type: 'string' },
    'risk-window': { type: 'string' },
    'tactic-threshold': { type: 'string' },
    'tactic-window': { type: 'string' },
    report: { type: 'string' },
    'exchange-logs': { type: 'string' },
    jobs: { type: 'string' },
    recover: { type: 'boolean' },
  });
  if (values.help) {
    io.stdout.write(HUNT_HELP);
    return EXIT.ok;
  }
  if (positionals.length === 0) throw new UsageError('hunt needs at least one input path (a file, a folder, or - for stdin)');
  const format = checkFormat(values.format);
  const jobs = parseJobs(values.jobs);
  if (typeof jobs === 'string') throw new UsageError(jobs);
  const num = (name: string, v: string | undefined, dflt: number): number => {
    if (v === undefined) return dflt;
    const n = Number(v);
    if (!Number.isFinite(n) || n <= 0) throw new UsageError(`--${name} must be a positive number (got "${v}")`);
    return n;
  };
  const policy: RiskPolicy = {
    scoreThreshold: num('risk-threshold', values['risk-threshold'], DEFAULT_RISK_POLICY.scoreThreshold),
    scoreWindow: num('risk-window', values['risk-window'], DEFAULT_RISK_POLICY.scoreWindow / 3600) * 3600,
    tacticThreshold: num('tactic-threshold', values['tactic-threshold'], DEFAULT_RISK_POLICY.tacticThreshold),
    tacticWindow: num('tactic-window', values['tactic-window'], DEFAULT_RISK_POLICY.tacticWindow / 86400) * 86400,
  };
  const timezone = checkZone(values.tz);
  const diags = new DiagnosticPrinter(io);
  let contentFailed = false;

  const macros = loadMacros(values.content, (i) => diags.content(i));
  const lookups = loadLookups(values.content, (i) => diags.content(i));
  let detections: Detection[];
  if (values.detections && values.detections.length > 0) {
    const loaded = loadDetections(values.detections);
    for (const i of loaded.issues) {
      diags.content(i);
      if (i.severity === 'error') contentFailed = true;
    }
    detections = loaded.detections;
    if (detections.length === 0) throw new UsageError(`no detection could be loaded from ${values.detections.join(', ')}`);
  } else {
    detections = builtinDetections();
  }

  const progress = createProgress(io.stderr, !values.quiet);
  const started = performance.now();
  const result = await hunt({
    detections,
    macros,
    ...(lookups ? { lookups } : {}),
    paths: positionals,
    exec: { timezone },
    ...(values['no-prefilter'] ? { noPrefilter: true } : {}),
    ...(values['rebuild-parents'] ? { rebuildParents: true } : {}),
    ...(values.recover ? { recover: true } : {}),
    jobs,
    onDiagnostic: (d) => diags.read(d),
    onProgress: (b, e) => progress.update(b, e),
  });
  progress.done();
  diags.finish();

  for (const run of result.runs) {
    if (run.error) {
      contentFailed = true;
      io.stderr.write(`${run.detection.source.file}: detection "${run.detection.name}" not run:\n${run.error.format()}\n`);
    }
  }
  for (const run of result.runs) {
    for (const w of run.result?.diagnostics ?? []) io.stderr.write(`${run.detection.source.file}: warning: ${w.code}: ${w.message}\n`);
  }
  const ran = result.runs.filter((r) => !r.error).length;
  if (ran === 0) throw new UsageError('no detection could be compiled');

  const windowMinutes = values.window === undefined ? 15 : Number(values.window);
  if (!Number.isFinite(windowMinutes) || windowMinutes <= 0) throw new UsageError(`--window must be a positive number of minutes (got "${values.window}")`);
  const contexts: (AlertContext | undefined)[] = values['no-context']
    ? result.alerts.map(() => undefined)
    : await alertContexts(result.alerts, positionals, { windowSeconds: windowMinutes * 60, ...(values.recover ? { recover: true } : {}) });
  let exchange: ExchangeCheckSummary[] | undefined;
  if (values['exchange-logs'] !== undefined) {
    const review = await reviewExchangeLogs(values['exchange-logs']);
    for (const u of review.unreadable) io.stderr.write(`${u.file}: error: exchange.unreadable: ${u.message}\n`);
    if (review.unreadable.length > 0) contentFailed = true;
    exchange = review.checks.map((c) => ({
      id: c.id,
      title: c.title,
      status: c.status,
      evidenceCount: c.evidenceCount,
      evidence: c.evidence.slice(0, 20).map((e) => ({ file: e.file, ...(e.line !== undefined ? { line: e.line } : {}), ...(e.time !== undefined ? { time: e.time } : {}), fields: e.fields })),
    }));
  }
  const withExchange = (ctx: AlertContext | undefined): AlertContext | undefined =>
    exchange === undefined ? ctx : { ...(ctx ?? emptyContext(values['no-context'] ? 'context not requested' : 'the inputs could not be read again (stdin)', windowMinutes * 60)), exchange };
  const contextOf = new Map(result.alerts.map((a, i) => [a, withExchange(contexts[i])]));
  const risk = summarizeRisk(riskEvents(result.alerts), policy);

  let text: string;
  switch (format) {
    case 'json':
      text = renderAlertsJson(result.alerts, contextOf, risk);
      break;
    case 'jsonl':
      text = renderAlertsJsonl(result.alerts, contextOf);
      break;
    case 'csv':
      text = renderAlertsCsv(result.alerts);
      break;
    case 'table':
      text = result.alerts.length === 0 ? '' : renderAlertsTable(result.runs, io.stdout.isTTY ? io.stdout.columns : undefined, contextOf) + renderRiskTable(risk, io.stdout.isTTY ? io.stdout.columns : undefined);
      break;
  }
  writeOutput(io, values.output, text);

  const alerting = result.runs.filter((r) => r.alerts.length > 0).length;
  const summary = summaryLine(
    result.read,
    `${ran} detection${ran === 1 ? '' : 's'} run, ${result.alerts.length} alert${result.alerts.length === 1 ? '' : 's'} from ${alerting}`,
    (performance.now() - started) / 1000,
  );
  if (values.report !== undefined) {
    const html = renderReport({
      generated: new Date().toISOString(),
      inputs: positionals,
      summary: summary.trim().replace(/^spelunk: /, ''),
      alerts: result.alerts.map((a) => ({ alert: a, ...(contextOf.get(a) ? { context: contextOf.get(a) as AlertContext } : {}) })),
      risk,
      ...(exchange
        ? {
            exchange: exchange.map((c) => ({
              title: `${c.id}: ${c.title}`,
              status: c.status,
              evidence: c.evidence.map((e) => `${e.file}${e.line !== undefined ? `:${e.line}` : ''} ${Object.entries(e.fields).map(([k, v]) => `${k}=${v}`).join(' ')}`),
            })),
          }
        : {}),
    });
    writeOutput(io, values.report, html);
  }
  if (!values.quiet) io.stderr.write(summary);
  if (contentFailed || inputFailed(result.read)) return EXIT.partial;
  return result.alerts.length > 0 ? EXIT.alerts : EXIT.ok;
}
