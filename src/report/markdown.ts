/**
 * The markdown format: ready to paste into a bug report. Toolchain versions,
 * the exact commands (shell-quoted for display), a findings table per unit,
 * and both sides' bpftool-format records of every involved entity (when the
 * pipeline filled UnitResult.types). Data is written through escapeControls
 * (code spans and blocks escape their content): a name's control characters
 * show as `\n`, `\x1b` instead of breaking the table or reaching a terminal.
 */
import { type ClassifiedFinding, departsText, verdictSource } from '../findings/finding.js';
import { byCodeUnit } from '../lang.js';
import { escapeControls as e, escapeLines } from './escape.js';
import { groupByEntity, sortedFindings } from './order.js';
import type { RunResult, ToolInfo, UnitResult } from './run-result.js';
import { placeholdersIn, shellLine } from './shell.js';
import { summaryLine } from './text.js';
import { collect, type TextWriter, TrimmedLines } from './writer.js';

/** Length of the longest run of backticks in `s` (a loop: a spread of every run overflows the stack on hostile names). */
function longestBacktickRun(s: string): number {
  let longest = 0;
  for (const m of s.matchAll(/`+/g)) if (m[0].length > longest) longest = m[0].length;
  return longest;
}

/** Inline code that survives any content: control characters escaped, fence longer than the longest backtick run inside. */
export function code(raw: string): string {
  if (raw === '') return '';
  const s = e(raw);
  const longest = longestBacktickRun(s);
  const fence = '`'.repeat(longest + 1);
  const pad = s.startsWith('`') || s.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${s}${pad}${fence}`;
}

/** A table cell: pipes escaped (also inside code spans, per GFM), no raw newlines. */
function cell(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\r?\n/g, '<br>');
}

/** A fenced block whose fence is longer than any backtick run in the body; each line's control characters escaped. */
function block(raw: string, lang = ''): string {
  const body = escapeLines(raw);
  const longest = Math.max(2, longestBacktickRun(body));
  const fence = '`'.repeat(longest + 1);
  return `${fence}${lang}\n${body}\n${fence}`;
}

function* table(head: readonly string[], rows: Iterable<readonly string[]>): Generator<string> {
  yield `| ${head.join(' | ')} |`;
  yield `|${head.map(() => ' --- ').join('|')}|`;
  for (const r of rows) yield `| ${r.map(cell).join(' | ')} |`;
}

function* mapped<T, U>(items: Iterable<T>, f: (t: T) => U): Generator<U> {
  for (const t of items) yield f(t);
}

function statusCell(f: ClassifiedFinding): string {
  const status = f.reason ? `${f.status} (${code(f.reason)})` : f.status;
  return f.verdict ? `${status}; ${departsText(f.verdict)} from ${verdictSource(f.verdict)}: ${code(f.verdict.dwarf)}` : status;
}

function findingRow(f: ClassifiedFinding): string[] {
  const ids = `${f.leftId ?? '-'} / ${f.rightId ?? '-'}`;
  return [code(f.entity), code(f.path), e(f.category), code(f.left), code(f.right), statusCell(f), ids];
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
    out.push(`- ${code(id)}: ${e(f.explanation ?? '')}${f.reference ? ` (${e(f.reference)})` : ''}`);
  }
  return [...out, ''];
}

function* involvedTypes(u: UnitResult, recipes: { left: string; right: string }): Generator<string> {
  if (!u.types) return;
  let first = true;
  for (const [entity] of groupByEntity(u.findings)) {
    // Own properties only: an entity may be named `toString` or `__proto__`.
    const l = Object.hasOwn(u.types.left, entity) ? u.types.left[entity] : undefined;
    const r = Object.hasOwn(u.types.right, entity) ? u.types.right[entity] : undefined;
    if (l === undefined && r === undefined) continue;
    if (first) yield* ['Involved types (bpftool format):', ''];
    first = false;
    yield* [`#### ${code(entity)}`, ''];
    yield* [`left (${e(recipes.left)}):`, '', block(l ?? '(absent)'), ''];
    yield* [`right (${e(recipes.right)}):`, '', block(r ?? '(absent)'), ''];
  }
}

function writeUnit(out: TrimmedLines, u: UnitResult, recipes: { left: string; right: string }): void {
  out.lines([`### ${code(u.source)}`, '']);
  if (u.error) out.lines([`**Toolchain error** at ${code(u.error.step)}: ${code(u.error.message)}`, '']);
  out.lines(reproduce(u));
  if (u.findings.length === 0) out.lines([u.error ? 'No findings (the unit did not build).' : 'No differences.', '']);
  else {
    out.lines(table(['entity', 'path', 'category', 'left', 'right', 'status', 'ids (left / right)'], mapped(sortedFindings(u.findings), findingRow)));
    out.line('');
  }
  out.lines(explanations(u.findings));
  out.lines(involvedTypes(u, recipes));
}

/** Stream the markdown report, unit by unit (no trailing blank lines). */
/** How reports name a tool's role: `cc`, or `cc (left)` when the sides ran different tools in that role. */
export function toolRoleLabel(t: ToolInfo): string {
  return t.side ? `${t.role} (${t.side})` : t.role;
}

export function writeMarkdown(result: RunResult, w: TextWriter): void {
  const recipes = {
    left: result.recipes.find((r) => r.side === 'left')?.name ?? 'left',
    right: result.recipes.find((r) => r.side === 'right')?.name ?? 'right',
  };
  const out = new TrimmedLines(w);
  out.lines(['# btfparity report', '', `**Summary:** ${summaryLine(result.summary)}`, '']);
  out.lines(['## Toolchain', '']);
  out.lines(
    table(
      ['role', 'command', 'path', 'version'],
      result.toolchain.map((t) => [e(toolRoleLabel(t)), code(t.command), code(t.path ?? ''), e(t.version ?? '')]),
    ),
  );
  out.lines(['', '## Recipes', '']);
  out.lines(
    table(
      ['side', 'recipe', 'description'],
      result.recipes.map((r) => [e(r.side), code(r.name), e(r.description)]),
    ),
  );
  out.lines(['', '## Units', '']);
  for (const u of result.units) writeUnit(out, u, recipes);
}

export function renderMarkdown(result: RunResult): string {
  return collect((w) => writeMarkdown(result, w));
}
