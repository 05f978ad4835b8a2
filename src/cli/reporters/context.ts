/** Alert context as text under an alert: the process tree, then what else is worth a look. */
import type { AlertContext, ProcessRef } from '../../triage/index.js';

function proc(p: ProcessRef): string {
  return `${p.name} (pid ${p.pid}, ${p.time.replace('.000Z', 'Z')})${p.commandLine ? `  ${p.commandLine.length > 100 ? p.commandLine.slice(0, 99) + '…' : p.commandLine}` : ''}`;
}

export function renderContextText(ctx: AlertContext, indent = '    '): string {
  const out: string[] = [];
  if (!ctx.process) {
    out.push(`${indent}(no process tree: ${ctx.note ?? 'not found'})`);
  } else {
    const chain = [...ctx.ancestors].reverse();
    chain.forEach((a, i) => out.push(`${indent}${'  '.repeat(i)}${proc(a.item)}`));
    const d0 = chain.length;
    out.push(`${indent}${'  '.repeat(d0)}> ${proc(ctx.process)}   <- alert`);
    for (const d of ctx.descendants) out.push(`${indent}${'  '.repeat(d0 + d.item.depth)}${proc(d.item)}`);
    if (ctx.siblings.length > 0) {
      const names = new Map<string, number>();
      for (const s of ctx.siblings) names.set(s.item.name, (names.get(s.item.name) ?? 0) + 1);
      out.push(`${indent}siblings: ${[...names].map(([n, c]) => (c > 1 ? `${n} ×${c}` : n)).join(', ')}`);
    }
  }
  if (ctx.nearby.length > 0) out.push(`${indent}other processes on the host within ±${ctx.windowSeconds / 60} min: ${ctx.nearby.length}`);
  for (const f of ctx.fileWrites) out.push(`${indent}${f.item.scriptInWebPath ? '!! ' : ''}file ${f.item.action}: ${f.item.path} by ${f.item.process} (${f.why})`);
  for (const e of ctx.umErrors) out.push(`${indent}!! ${e.item.time} ${e.item.provider}: ${e.item.message.slice(0, 120)}`);
  if (ctx.werChildrenOfUm > 0) out.push(`${indent}WER children of UM processes on the host: ${ctx.werChildrenOfUm}`);
  for (const c of ctx.exchange ?? []) {
    if (c.status !== 'found') continue;
    const first = c.evidence[0];
    out.push(`${indent}!! Exchange logs, ${c.id} (${c.title}): ${c.evidenceCount} finding${c.evidenceCount === 1 ? '' : 's'}${first ? `, first ${first.file}${first.line !== undefined ? `:${first.line}` : ''}` : ''}`);
  }
  return out.join('\n') + '\n';
}
