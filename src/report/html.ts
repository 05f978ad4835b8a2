/**
 * `hunt --report FILE`: one self-contained HTML file (no scripts, fonts or
 * images from the network) for a responder: alerts by host and risk, each
 * alert's process tree drawn as SVG, a timeline of the host around the alert,
 * file writes, Exchange log findings, and response guidance; readable on
 * screen and printed. Pure: data in, text out.
 */
import type { Alert, RiskSummary } from '../alerting/index.js';
import { scalarToString, valuesOf, type FieldValue } from '../spl/values.js';
import type { AlertContext, ProcessRef } from '../triage/index.js';

export interface ReportFinding {
  readonly title: string;
  readonly status: string;
  readonly evidence: readonly string[];
}

export interface ReportInput {
  readonly generated: string;
  readonly inputs: readonly string[];
  readonly summary: string;
  readonly alerts: readonly { readonly alert: Alert; readonly context?: AlertContext }[];
  readonly risk: readonly RiskSummary[];
  readonly exchange?: readonly ReportFinding[];
}

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

function text(v: FieldValue | undefined): string {
  return valuesOf(v).map(scalarToString).join(', ');
}

function cut(s: string, n: number): string {
  return s.length <= n ? s : s.slice(0, n - 1) + '…';
}

const CSS = `
:root { --fg:#1b1f23; --muted:#5b6570; --line:#d0d7de; --bg:#fff; --alert:#b42318; --warn:#b54708; --ok:#067647; --box:#f6f8fa; --hl:#fee4e2; }
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg); background: var(--bg); margin: 0 auto; max-width: 1200px; padding: 24px; }
h1 { font-size: 22px; margin: 0 0 4px; } h2 { font-size: 18px; margin: 28px 0 8px; border-bottom: 1px solid var(--line); padding-bottom: 4px; }
h3 { font-size: 15px; margin: 18px 0 6px; } .muted { color: var(--muted); }
table { border-collapse: collapse; width: 100%; margin: 6px 0 12px; font-size: 13px; }
th, td { border: 1px solid var(--line); padding: 4px 6px; text-align: left; vertical-align: top; word-break: break-word; }
th { background: var(--box); white-space: nowrap; }
.badge { display: inline-block; padding: 1px 8px; border-radius: 10px; font-size: 12px; font-weight: 600; color: #fff; background: var(--muted); }
.badge.ttp { background: var(--alert); } .badge.anomaly { background: var(--warn); } .badge.notable { background: var(--alert); } .badge.ok { background: var(--ok); }
.alert { border: 1px solid var(--line); border-left: 4px solid var(--alert); border-radius: 6px; padding: 10px 14px; margin: 12px 0; page-break-inside: avoid; }
.alert.anomaly { border-left-color: var(--warn); }
.kv { display: grid; grid-template-columns: 160px 1fr; gap: 2px 12px; font-size: 13px; } .kv div:nth-child(odd) { color: var(--muted); }
svg text { font: 12px system-ui, sans-serif; } svg .alertnode rect { fill: var(--hl); stroke: var(--alert); stroke-width: 2; }
svg .node rect { fill: var(--box); stroke: #8c959f; } svg .edge { stroke: #8c959f; fill: none; }
.flag { color: var(--alert); font-weight: 600; }
code { font: 12px ui-monospace, SFMono-Regular, Menlo, monospace; background: var(--box); padding: 0 3px; border-radius: 3px; }
ul { margin: 4px 0 8px 18px; padding: 0; }
@media print { body { max-width: none; padding: 0; font-size: 11px; } .alert { break-inside: avoid; } h2 { break-after: avoid; } a { color: inherit; text-decoration: none; } }
`;

/** The process tree as SVG: ancestors, the alerting process (highlighted), descendants, one row each. */
export function treeSvg(ctx: AlertContext): string {
  if (!ctx.process) return `<p class="muted">No process tree: ${esc(ctx.note ?? 'the start event is not in the inputs')}.</p>`;
  const rows: { p: ProcessRef; depth: number; alert: boolean; why: string }[] = [];
  const chain = [...ctx.ancestors].reverse();
  chain.forEach((a, i) => rows.push({ p: a.item, depth: i, alert: false, why: a.why }));
  const base = chain.length;
  rows.push({ p: ctx.process, depth: base, alert: true, why: 'the alerting process' });
  for (const d of ctx.descendants) rows.push({ p: d.item, depth: base + d.item.depth, alert: false, why: d.why });
  const rowH = 34;
  const indent = 26;
  const boxW = 560;
  const width = Math.max(...rows.map((r) => r.depth)) * indent + boxW + 20;
  const height = rows.length * rowH + 10;
  const parts: string[] = [];
  const lastAtDepth: number[] = [];
  rows.forEach((r, i) => {
    const x = 10 + r.depth * indent;
    const y = 5 + i * rowH;
    const parentRow = lastAtDepth[r.depth - 1];
    if (r.depth > 0 && parentRow !== undefined) {
      const px = 10 + (r.depth - 1) * indent + 10;
      const py = 5 + parentRow * rowH + 26;
      parts.push(`<path class="edge" d="M${px},${py} V${y + 13} H${x}"/>`);
    }
    lastAtDepth[r.depth] = i;
    lastAtDepth.length = r.depth + 1;
    const label = `${r.p.name} (pid ${r.p.pid})  ${r.p.time.replace('.000Z', 'Z')}`;
    const cmd = r.p.commandLine ? cut(r.p.commandLine, 80) : '';
    parts.push(
      `<g class="${r.alert ? 'alertnode' : 'node'}" data-name="${esc(r.p.name)}" data-pid="${esc(r.p.pid)}"><title>${esc(r.why)}: ${esc(r.p.image)}${r.p.commandLine ? `\n${esc(r.p.commandLine)}` : ''}</title>` +
        `<rect x="${x}" y="${y}" width="${boxW}" height="26" rx="4"/>` +
        `<text x="${x + 8}" y="${y + 12}">${esc(label)}</text>` +
        `<text x="${x + 8}" y="${y + 23}" class="muted" fill="#5b6570">${esc(cmd)}</text></g>`,
    );
  });
  return `<svg class="tree" role="img" aria-label="process tree" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" xmlns="http://www.w3.org/2000/svg">${parts.join('')}</svg>`;
}

/** Processes and file writes on the host around the alert, on a time axis. */
export function timelineSvg(ctx: AlertContext): string {
  const at = ctx.process ? Date.parse(ctx.process.time) : undefined;
  const items: { t: number; label: string; kind: 'alert' | 'proc' | 'file' }[] = [];
  if (ctx.process) items.push({ t: Date.parse(ctx.process.time), label: ctx.process.name, kind: 'alert' });
  for (const x of [...ctx.ancestors, ...ctx.descendants, ...ctx.siblings, ...ctx.nearby]) items.push({ t: Date.parse(x.item.time), label: x.item.name, kind: 'proc' });
  for (const f of ctx.fileWrites) items.push({ t: Date.parse(f.item.time), label: f.item.path.slice(f.item.path.lastIndexOf('\\') + 1), kind: 'file' });
  const window = ctx.windowSeconds * 1000;
  const center = at ?? (items[0]?.t ?? 0);
  const inWindow = items.filter((i) => Math.abs(i.t - center) <= window).sort((a, b) => a.t - b.t);
  if (inWindow.length === 0) return '<p class="muted">Nothing else on the host in the window.</p>';
  const MAX = 30;
  const shown = inWindow.slice(0, MAX);
  // Fit the axis to what happened (at least a minute), inside the ± window.
  const lo = Math.min(...shown.map((i) => i.t), center);
  const hi = Math.max(...shown.map((i) => i.t), center);
  const pad = Math.max(30_000, (hi - lo) * 0.08);
  const from = lo - pad;
  const to = hi + pad;
  const w = 1000;
  const h = 46 + shown.length * 16;
  const x = (t: number): number => 20 + ((t - from) / (to - from)) * (w - 260);
  const clock = (t: number): string => new Date(t).toISOString().slice(11, 19);
  const parts = [`<line x1="20" y1="26" x2="${w - 240}" y2="26" stroke="#8c959f"/>`];
  parts.push(`<text x="20" y="14" fill="#5b6570">${esc(clock(from))}</text>`);
  parts.push(`<text x="${w - 240}" y="14" text-anchor="end" fill="#5b6570">${esc(clock(to))} UTC</text>`);
  shown.forEach((i, n) => {
    const color = i.kind === 'alert' ? '#b42318' : i.kind === 'file' ? '#b54708' : '#57606a';
    const cx = x(i.t);
    const y = 44 + n * 16;
    parts.push(
      `<g class="tl-${i.kind}"><circle cx="${cx}" cy="26" r="${i.kind === 'alert' ? 6 : 4}" fill="${color}"/><line x1="${cx}" y1="30" x2="${cx}" y2="${y - 4}" stroke="${color}" stroke-dasharray="2,2" opacity="0.6"/>` +
        `<text x="${cx + 4}" y="${y}" fill="${color}"${i.kind === 'alert' ? ' font-weight="bold"' : ''}>${esc(clock(i.t))} ${esc(cut(i.label, 40))}</text></g>`,
    );
  });
  if (inWindow.length > MAX) parts.push(`<text x="20" y="${h - 4}" fill="#5b6570">… and ${inWindow.length - MAX} more in the ±${ctx.windowSeconds / 60} min window</text>`);
  return `<svg class="timeline" role="img" aria-label="host timeline" width="100%" viewBox="0 0 ${w} ${h}" xmlns="http://www.w3.org/2000/svg">${parts.join('')}</svg>`;
}

function alertSection(a: Alert, ctx: AlertContext | undefined, n: number): string {
  const type = a.detection.type.toLowerCase();
  const row = a.row;
  const fields = Object.keys(row).map((k) => `<div>${esc(k)}</div><div><code>${esc(text(row[k]))}</code></div>`).join('');
  const mitre = a.mitre.map((m) => `${esc(m.id)}${m.name ? ` ${esc(m.name)}` : ''}${m.tactics.length ? ` (${esc(m.tactics.join(', '))})` : ''}`).join('; ');
  const out = [
    `<section class="alert ${type}" id="alert-${n}" data-detection="${esc(a.detection.id)}" data-process="${esc(text(row['process_name']))}" data-pid="${esc(text(row['process_id']))}">`,
    `<h3>${esc(a.message)}</h3>`,
    `<p><span class="badge ${type}">${esc(a.detection.type)}</span> <strong>${esc(a.detection.name)}</strong> · risk <strong>${a.riskScore}</strong> on ${esc(a.riskObjects.map((o) => `${o.field}=${o.value ?? '(none)'}`).join(', '))} · ${esc(a.outputs.join(' + ') || 'no alert action')}</p>`,
    `<p class="muted">ATT&amp;CK ${mitre || '-'}${a.cves.length ? ` · ${esc(a.cves.join(', '))}` : ''}${a.analyticStories.length ? ` · ${esc(a.analyticStories.join(', '))}` : ''}</p>`,
  ];
  for (const e of a.enrichments ?? []) out.push(`<p class="flag">Note: ${esc(e.detail)}</p>`);
  out.push(`<details open><summary>Result row</summary><div class="kv">${fields}</div></details>`);
  if (ctx) {
    out.push('<h4>Process tree</h4>', treeSvg(ctx));
    if (ctx.siblings.length > 0) {
      out.push(`<p>Siblings under the same parent (${ctx.siblings.length}): ${esc(ctx.siblings.map((s) => `${s.item.name} (${s.item.pid})`).join(', '))}</p>`);
    }
    out.push('<h4>Host timeline</h4>', timelineSvg(ctx));
    if (ctx.fileWrites.length > 0) {
      out.push('<h4>File writes</h4><table class="files"><tr><th>time</th><th>action</th><th>path</th><th>process</th><th>why</th></tr>');
      for (const f of ctx.fileWrites) {
        out.push(`<tr${f.item.scriptInWebPath ? ' class="flag"' : ''}><td>${esc(f.item.time)}</td><td>${esc(f.item.action)}</td><td><code>${esc(f.item.path)}</code></td><td>${esc(f.item.process)}</td><td>${esc(f.why)}</td></tr>`);
      }
      out.push('</table>');
    }
    if (ctx.umErrors.length > 0) {
      out.push('<h4>Unified Messaging errors</h4><ul>' + ctx.umErrors.map((e) => `<li class="flag">${esc(e.item.time)}: ${esc(cut(e.item.message, 300))}</li>`).join('') + '</ul>');
    }
    if (ctx.werChildrenOfUm > 0) out.push(`<p>Windows Error Reporting children of the UM processes on this host: <strong>${ctx.werChildrenOfUm}</strong></p>`);
    if (ctx.nearby.length > 0) out.push(`<p class="muted">Other processes started on the host within ±${ctx.windowSeconds / 60} minutes: ${ctx.nearby.length} (on the timeline).</p>`);
  }
  if (a.guidance) {
    const list = (xs: readonly string[]): string => `<ul>${xs.map((x) => `<li>${esc(x)}</li>`).join('')}</ul>`;
    out.push(`<h4>Response</h4><div class="guidance"><strong>Contain</strong>${list(a.guidance.contain)}<strong>Patch</strong>${list(a.guidance.patch)}<strong>Monitor</strong>${list(a.guidance.monitor)}</div>`);
  }
  out.push('</section>');
  return out.join('\n');
}

export function renderReport(input: ReportInput): string {
  const byHost = new Map<string, { alert: Alert; context?: AlertContext }[]>();
  for (const x of input.alerts) {
    const host = x.alert.riskObjects.find((o) => o.type === 'system')?.value ?? text(x.alert.row['dest']) ?? '(no host)';
    const list = byHost.get(host) ?? [];
    list.push(x);
    byHost.set(host, list);
  }
  const hostRisk = (h: string): number => input.risk.find((r) => r.object === h)?.totalScore ?? 0;
  const hosts = [...byHost.keys()].sort((a, b) => hostRisk(b) - hostRisk(a) || (a < b ? -1 : 1));
  const riskRows = input.risk
    .map(
      (r) =>
        `<tr><td>${esc(r.object)}</td><td>${esc(r.objectType)}</td><td>${r.totalScore}</td><td>${r.peakWindowScore}</td><td>${r.riskEvents}</td><td>${esc(r.tactics.join(', '))}</td><td>${esc(r.detections.join(', '))}</td><td>${
          r.notableReasons.length ? `<span class="badge notable">risk notable</span> ${esc(r.notableReasons.join('; '))}` : '<span class="badge ok">below thresholds</span>'
        }</td></tr>`,
    )
    .join('');
  let n = 0;
  const sections = hosts
    .map((h) => {
      const list = byHost.get(h) ?? [];
      return `<h2 id="host-${esc(h)}">${esc(h)} <span class="muted">· ${list.length} alert${list.length === 1 ? '' : 's'} · risk ${hostRisk(h)}</span></h2>\n${list.map((x) => alertSection(x.alert, x.context, ++n)).join('\n')}`;
    })
    .join('\n');
  const exchange = input.exchange
    ? `<h2>Exchange log review</h2><table class="exchange"><tr><th>check</th><th>status</th><th>evidence</th></tr>${input.exchange
        .map((f) => `<tr><td>${esc(f.title)}</td><td>${esc(f.status)}</td><td>${f.evidence.length ? `<ul>${f.evidence.map((e) => `<li><code>${esc(e)}</code></li>`).join('')}</ul>` : '-'}</td></tr>`)
        .join('')}</table>`
    : '';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>spelunk report: ${input.alerts.length} alert${input.alerts.length === 1 ? '' : 's'}</title><style>${CSS}</style></head>
<body>
<h1>spelunk hunt report</h1>
<p class="muted">Generated ${esc(input.generated)} · inputs: ${esc(input.inputs.join(', '))}<br>${esc(input.summary)}</p>
<h2>Risk by object</h2>
${input.risk.length ? `<table class="risk"><tr><th>object</th><th>type</th><th>total</th><th>peak in window</th><th>risk events</th><th>tactics</th><th>detections</th><th>notable</th></tr>${riskRows}</table>` : '<p>No risk events.</p>'}
${input.alerts.length === 0 ? '<p>No alerts.</p>' : sections}
${exchange}
</body></html>
`;
}
