/**
 * report.md of `btfparity triage`: what a maintainer reads first. Summary
 * and classification, toolchain versions, the exact commands, each
 * reproducer with the commands that show it, and every entity with
 * findings as both sides encode it, one side after the other, with DWARF's
 * verdict where it settles the question. Mail-ready markdown: no inline
 * HTML, no tabs, prose wrapped at 100 columns, code in fenced blocks
 * (report.html has the side-by-side view). Pure.
 */
import { escapeControls } from '../report/escape.js';
import { code, toolRoleLabel } from '../report/markdown.js';
import { shellLine } from '../report/shell.js';
import { expandTabs, wrap } from '../report/wrap.js';
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
  for (const t of r.run.toolchain) out.push(...item(`${e(toolRoleLabel(t))}: ${code(t.path ?? t.command)} — ${e(t.version ?? 'version unknown')}`));
  for (const rec of r.run.recipes) out.push(...item(`${e(rec.side)}: recipe ${code(rec.name)} — ${e(rec.description)}`));
  out.push(...item(`DWARF read with: ${r.dwarf.argv ? code(r.dwarf.argv.join(' ')) : e(r.dwarf.note ?? 'not read')}`), '');
  out.push('## Commands', '');
  for (const u of r.run.units) {
    out.push(...para(`${code(u.source)}${u.error ? ` — failed at ${e(u.error.step)}: ${code(u.error.message)}` : ''}`), '');
    out.push(block(u.commands.map((c) => shellLine(c.argv)).join('\n'), 'sh'), '');
  }
  out.push('## Reproducers', '');
  out.push(...para(`Each distinct (entity, category) among unexplained findings, then known ones, is reduced; at most ${r.maxReduce} (\`--max-reduce\`).`), '');
  if (r.reproducers.length === 0) out.push('None reduced.', '');
  for (const p of r.reproducers) out.push(...reproducer(p));
  if (r.notReduced.length > 0) {
    out.push('Not reduced:', '');
    for (const n of r.notReduced) out.push(...item(`${e(n.target.category)} ${code(n.target.entity)} in ${code(n.unit)}: ${e(n.why)}`));
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
    ...para(
      `From ${code(p.unit)}: ${st.originalLines} lines (${st.preprocessedLines} preprocessed) → ${st.finalLines} lines; ${st.toolchainRuns} candidate checks, ${st.seconds.toFixed(1)} s.`,
    ),
    '',
    block(p.text.trimEnd(), 'c'),
    '',
    'Commands that show it (also in the `.sh` beside the file):',
    '',
    block(p.commands.join('\n'), 'sh'),
    '',
  ];
}

function entity(en: TriageEntity): string[] {
  const out = [`### ${code(en.entity)} (${code(en.unit)})`, ''];
  // One list item per finding (a table row cannot wrap, and views are long).
  for (const t of en.findings) {
    const f = t.finding;
    const at = f.path === '' ? '' : ` at ${code(f.path)}`;
    const reason = f.reason ? ` (${code(f.reason)})` : '';
    out.push(...item(`${f.status} ${e(f.category)}${at}${reason}: ${code(f.left)} → ${code(f.right)}`));
    if (t.dwarf) out.push(...para(`${e(verdictSentence(t.dwarf))}.`, '  ', '  '));
  }
  out.push('');
  for (const [side, v] of [
    ['left', en.left],
    ['right', en.right],
  ] as const) {
    if (!en.left && !en.right) break;
    out.push(`${side}:`, '', v ? block(sideText(v)) : '*absent*', '');
  }
  return out;
}

/** A side's records and its layout table, as the body of a code block. */
function sideText(v: SideView): string {
  // bpftool's member indent is a tab (layout, expanded); the rest is data: control characters escaped.
  const lines = v.records.split('\n').map((l) => e(expandTabs(l)));
  if (v.rows) {
    lines.push('', v.title ?? '');
    for (const row of v.rows) lines.push(e(`${row.offset.padStart(10)}  ${row.size.padStart(8)}  ${row.name}: ${row.type}`));
  }
  return lines.join('\n');
}

const e = escapeControls;

/** Prose lines wrapped at 100 columns (never before a word that would start a markdown block). */
function para(text: string, first = '', indent = ''): string[] {
  const lines = wrap(text, { width: 100, first, indent, breakAt: 'words' });
  const out: string[] = [];
  for (const l of lines) {
    // A continuation starting `#`, `-`, `>`, `1.` ... would become a heading, a list or a quote: keep it on the line before.
    if (out.length > 0 && /^\s*([#>*+=-]|\d+[.)])/.test(l.slice(indent.length))) out[out.length - 1] += ` ${l.slice(indent.length)}`;
    else out.push(l);
  }
  return out;
}

/** A list item, wrapped with its continuation lines indented under the text. */
function item(text: string): string[] {
  return para(text, '- ', '  ');
}

/** A fenced block, its fence longer than any backtick run inside; tabs expanded (mail-ready: no tabs). */
function block(raw: string, lang = ''): string {
  const body = raw
    .split('\n')
    .map((l) => expandTabs(l))
    .join('\n');
  let longest = 2;
  for (const m of body.matchAll(/`+/g)) if (m[0].length > longest) longest = m[0].length;
  const fence = '`'.repeat(longest + 1);
  return `${fence}${lang}\n${body}\n${fence}`;
}

function table(head: readonly string[], rows: readonly (readonly string[])[]): string[] {
  // Cells are counts and closed-set words here: no newline to carry, so no HTML.
  const cell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
  return [`| ${head.join(' | ')} |`, `|${head.map(() => ' --- ').join('|')}|`, ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`)];
}
