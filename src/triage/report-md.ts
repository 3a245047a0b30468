/**
 * report.md of `btfparity triage`: what a maintainer reads first. Summary
 * and classification, toolchain versions, the exact commands, each
 * reproducer with the commands that show it, and every entity with
 * findings as both sides encode it, side by side, with DWARF's verdict
 * where it settles the question. Pure.
 */
import { code, toolRoleLabel } from '../report/markdown.js';
import { shellLine } from '../report/shell.js';
import { verdictSentence } from './dwarf.js';
import type { SideView } from './layout.js';
import type { TriageEntity, TriageReport, TriageReproducer } from './triage-data.js';

export function renderTriageMarkdown(r: TriageReport): string {
  const out: string[] = ['# btfparity triage report', ''];
  const s = r.run.summary;
  out.push('## Summary', '');
  out.push(`${s.units} unit(s), ${s.failedUnits} failed; ${s.findings} finding(s).`, '');
  out.push(
    ...table(
      ['status', 'findings'],
      Object.entries(s.byStatus)
        .sort()
        .map(([k, v]) => [k, String(v)]),
    ),
    '',
  );
  out.push(
    ...table(
      ['category', 'findings'],
      Object.entries(s.byCategory)
        .sort()
        .map(([k, v]) => [k, String(v)]),
    ),
    '',
  );
  out.push('## Toolchain', '');
  for (const t of r.run.toolchain) out.push(`- ${toolRoleLabel(t)}: ${code(t.path ?? t.command)} — ${t.version ?? 'version unknown'}`);
  for (const rec of r.run.recipes) out.push(`- ${rec.side}: recipe ${code(rec.name)} — ${rec.description}`);
  out.push(`- DWARF read with: ${r.dwarf.argv ? code(r.dwarf.argv.join(' ')) : (r.dwarf.note ?? 'not read')}`, '');
  out.push('## Commands', '');
  for (const u of r.run.units) {
    out.push(`${code(u.source)}${u.error ? ` — failed at ${u.error.step}: ${u.error.message}` : ''}`, '');
    out.push(block(u.commands.map((c) => shellLine(c.argv)).join('\n'), 'sh'), '');
  }
  out.push('## Reproducers', '');
  out.push(`Each distinct (entity, category) among unexplained findings, then known ones, is reduced; at most ${r.maxReduce} (\`--max-reduce\`).`, '');
  if (r.reproducers.length === 0) out.push('None reduced.', '');
  for (const p of r.reproducers) out.push(...reproducer(p));
  if (r.notReduced.length > 0) {
    out.push('Not reduced:', '');
    for (const n of r.notReduced) out.push(`- ${n.target.category} ${code(n.target.entity)} in ${code(n.unit)}: ${n.why}`);
    out.push('');
  }
  out.push('## Findings by entity', '');
  for (const e of r.entities) out.push(...entity(e));
  return `${out.join('\n').trimEnd()}\n`;
}

function reproducer(p: TriageReproducer): string[] {
  const st = p.stats;
  return [
    `### ${p.target.category} ${code(p.target.entity)} — ${code(p.file)}`,
    '',
    `From ${code(p.unit)}: ${st.originalLines} lines (${st.preprocessedLines} preprocessed) → ${st.finalLines} lines; ${st.toolchainRuns} candidate checks, ${st.seconds.toFixed(1)} s.`,
    '',
    block(p.text.trimEnd(), 'c'),
    '',
    'Commands that show it (also in the `.sh` beside the file):',
    '',
    block(p.commands.join('\n'), 'sh'),
    '',
  ];
}

function entity(e: TriageEntity): string[] {
  const out = [`### ${code(e.entity)} (${code(e.unit)})`, ''];
  out.push(
    ...table(
      ['status', 'category', 'path', 'left', 'right', 'reason'],
      e.findings.map(({ finding: f }) => [
        f.status,
        f.category,
        f.path === '' ? '' : code(f.path),
        code(f.left),
        code(f.right),
        f.reason ? code(f.reason) : '',
      ]),
    ),
    '',
  );
  for (const t of e.findings)
    if (t.dwarf) out.push(`- ${t.finding.category}${t.finding.path ? ` at ${code(t.finding.path)}` : ''}: ${verdictSentence(t.dwarf)}.`);
  if (e.findings.some((t) => t.dwarf)) out.push('');
  if (e.left || e.right) {
    out.push('| left | right |', '| --- | --- |', `| ${sideCell(e.left)} | ${sideCell(e.right)} |`, '');
  }
  return out;
}

/** A side's records and layout in one table cell (pre-formatted text as HTML, since a cell cannot hold a fence). */
function sideCell(v: SideView | undefined): string {
  if (!v) return '*absent*';
  const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\|/g, '&#124;');
  const lines = v.records.split('\n');
  if (v.rows) {
    lines.push('', v.title ?? '');
    for (const row of v.rows) lines.push(`${row.offset.padStart(10)}  ${row.size.padStart(8)}  ${row.name}: ${row.type}`);
  }
  return `<pre>${lines.map(esc).join('<br>')}</pre>`;
}

function block(body: string, lang = ''): string {
  const longest = Math.max(2, ...[...body.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  return `${fence}${lang}\n${body}\n${fence}`;
}

function table(head: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const cell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\r?\n/g, '<br>');
  return [`| ${head.join(' | ')} |`, `|${head.map(() => ' --- ').join('|')}|`, ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`)];
}
