/**
 * The markdown format: ready to paste into a bug report. Toolchain versions,
 * the exact commands (shell-quoted for display), a findings table per unit,
 * and both sides' bpftool-format records of every involved entity (when the
 * pipeline filled UnitResult.types).
 */
import { type ClassifiedFinding, departsText, verdictSource } from '../findings/finding.js';
import { byCodeUnit } from '../lang.js';
import { groupByEntity, sortedFindings } from './order.js';
import type { RunResult, UnitResult } from './run-result.js';
import { placeholdersIn, shellLine } from './shell.js';
import { summaryLine } from './text.js';

/** Inline code that survives any content: fence longer than the longest backtick run inside. */
export function code(s: string): string {
  if (s === '') return '';
  const longest = Math.max(0, ...[...s.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  const pad = s.startsWith('`') || s.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${s}${pad}${fence}`;
}

/** A table cell: pipes escaped (also inside code spans, per GFM), no raw newlines. */
function cell(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\r?\n/g, '<br>');
}

/** A fenced block whose fence is longer than any backtick run in the body. */
function block(body: string, lang = ''): string {
  const longest = Math.max(2, ...[...body.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  return `${fence}${lang}\n${body}\n${fence}`;
}

function table(head: readonly string[], rows: readonly (readonly string[])[]): string[] {
  return [`| ${head.join(' | ')} |`, `|${head.map(() => ' --- ').join('|')}|`, ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`)];
}

function statusCell(f: ClassifiedFinding): string {
  const status = f.reason ? `${f.status} (${code(f.reason)})` : f.status;
  return f.verdict ? `${status}; ${departsText(f.verdict)} from ${verdictSource(f.verdict)}: ${code(f.verdict.dwarf)}` : status;
}

function findingRow(f: ClassifiedFinding): string[] {
  const ids = `${f.leftId ?? '-'} / ${f.rightId ?? '-'}`;
  return [code(f.entity), code(f.path), f.category, code(f.left), code(f.right), statusCell(f), ids];
}

function reproduce(u: UnitResult): string[] {
  if (u.commands.length === 0) return [];
  const vars = placeholdersIn(u.commands.map((c) => c.argv));
  const lines = vars.map((v) => (v === 'TMP' ? 'TMP=$(mktemp -d)' : `${v}=...  # set to the placeholder's directory`));
  // Steps write into per-unit subdirectories of the run's temp dir: create them first.
  const subdirs = new Set(u.commands.flatMap((c) => c.argv.flatMap((a) => [...a.matchAll(/\$TMP\/([^/\s"']+)\//g)].map((m) => m[1]))));
  for (const d of [...subdirs].sort()) lines.push(`mkdir -p "$TMP"/${d}`);
  for (const c of u.commands) lines.push(`${shellLine(c.argv)}${c.side === 'both' ? '' : `  # ${c.side}`}`);
  return ['Reproduce:', '', block(lines.join('\n'), 'sh'), ''];
}

function explanations(fs: readonly ClassifiedFinding[]): string[] {
  const seen = new Map<string, ClassifiedFinding>();
  for (const f of fs) if (f.status === 'known' && f.reason && !seen.has(f.reason)) seen.set(f.reason, f);
  if (seen.size === 0) return [];
  const out = ['Known divergences:', ''];
  for (const [id, f] of [...seen.entries()].sort(([a], [b]) => byCodeUnit(a, b))) {
    out.push(`- ${code(id)}: ${f.explanation ?? ''}${f.reference ? ` (${f.reference})` : ''}`);
  }
  return [...out, ''];
}

function involvedTypes(u: UnitResult, recipes: { left: string; right: string }): string[] {
  if (!u.types) return [];
  const out: string[] = [];
  for (const [entity] of groupByEntity(u.findings)) {
    const l = u.types.left[entity];
    const r = u.types.right[entity];
    if (l === undefined && r === undefined) continue;
    out.push(`#### ${code(entity)}`, '');
    out.push(`left (${recipes.left}):`, '', block(l ?? '(absent)'), '');
    out.push(`right (${recipes.right}):`, '', block(r ?? '(absent)'), '');
  }
  return out.length ? ['Involved types (bpftool format):', '', ...out] : [];
}

function unitSection(u: UnitResult, recipes: { left: string; right: string }): string[] {
  const out = [`### ${code(u.source)}`, ''];
  if (u.error) out.push(`**Toolchain error** at ${code(u.error.step)}: ${code(u.error.message)}`, '');
  out.push(...reproduce(u));
  if (u.findings.length === 0) out.push(u.error ? 'No findings (the unit did not build).' : 'No differences.', '');
  else out.push(...table(['entity', 'path', 'category', 'left', 'right', 'status', 'ids (left / right)'], sortedFindings(u.findings).map(findingRow)), '');
  out.push(...explanations(u.findings), ...involvedTypes(u, recipes));
  return out;
}

export function renderMarkdown(result: RunResult): string {
  const recipes = {
    left: result.recipes.find((r) => r.side === 'left')?.name ?? 'left',
    right: result.recipes.find((r) => r.side === 'right')?.name ?? 'right',
  };
  const out = ['# btfparity report', '', `**Summary:** ${summaryLine(result.summary)}`, ''];
  out.push(
    '## Toolchain',
    '',
    ...table(
      ['role', 'command', 'path', 'version'],
      result.toolchain.map((t) => [t.role, code(t.command), code(t.path ?? ''), t.version ?? '']),
    ),
    '',
  );
  out.push(
    '## Recipes',
    '',
    ...table(
      ['side', 'recipe', 'description'],
      result.recipes.map((r) => [r.side, code(r.name), r.description]),
    ),
    '',
  );
  out.push('## Units', '');
  for (const u of result.units) out.push(...unitSection(u, recipes));
  return `${out.join('\n').replace(/\n+$/, '')}\n`;
}
