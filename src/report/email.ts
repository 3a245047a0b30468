/**
 * The email format: what a kernel mailing list accepts. Plain ASCII (names
 * and messages escaped C-style, other non-ASCII as `\uNNNN`), no tabs, no
 * HTML, no line over 78 columns (a long type name is cut, a long command
 * continued with ` \`), in the order a maintainer reads a report: the
 * tools and their versions, the recipes and the commands that reproduce
 * each listed unit (indented code blocks, 4 spaces), the summary, then
 * the unexplained findings in full and the known ones folded one line per
 * rule. Lists what the text format lists (ListingOptions); streamed.
 */
import { type ClassifiedFinding, type Status, verdictText } from '../findings/finding.js';
import { byCodeUnit } from '../lang.js';
import { type Digest, digest, type Fold, type ListingOptions, unitsWith } from './digest.js';
import { asciiEscape, asciiProse, escapeControls } from './escape.js';
import type { RunResult, UnitResult } from './run-result.js';
import { toolRoleLabel } from './markdown.js';
import { reproduceSetup, shellQuote } from './shell.js';
import { summaryHead, summaryRows } from './text.js';
import { type BreakAt, columns, expandTabs, wrap } from './wrap.js';
import { collect, type TextWriter } from './writer.js';

/** Mail clients and list archives reflow or cut past this. */
export const EMAIL_WIDTH = 78;

/** Indent of a code block (markdown's and mail's convention). */
const BLOCK = '    ';

/** Data in ASCII: controls escaped as everywhere, then anything outside ASCII. */
const d = (s: string): string => asciiEscape(escapeControls(s));
const p = (s: string): string => asciiProse(escapeControls(s));

/**
 * Code (commands, C) as it is when it is printable ASCII, so it can be
 * pasted; otherwise escaped like data (a backslash then reads doubled).
 */
const codeText = (s: string): string => (/^[\x20-\x7e]*$/.test(s) ? s : d(s));

function lines(w: TextWriter, text: string, first: string, indent: string, breakAt: BreakAt = 'words'): void {
  for (const l of wrap(text, { width: EMAIL_WIDTH, first, indent, breakAt, hard: true })) w.line(l);
}

function heading(w: TextWriter, title: string): void {
  w.line('');
  w.line(title);
  w.line('-'.repeat(Math.min(EMAIL_WIDTH, columns(title))));
}

/** The columns a code block line may use. */
const ROOM = EMAIL_WIDTH - BLOCK.length;

/** Quote state after each character of a shell line: what a cut there must close and reopen. */
type Quote = 'none' | 'single' | 'double';

function quoteStates(line: string): Quote[] {
  const out: Quote[] = [];
  let q: Quote = 'none';
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (q === 'single') q = c === "'" ? 'none' : 'single';
    else if (c === '\\' && i + 1 < line.length) {
      out.push(q);
      i++; // an escaped character never ends a quote
    } else if (q === 'double') q = c === '"' ? 'none' : 'double';
    else if (c === "'") q = 'single';
    else if (c === '"') q = 'double';
    out.push(q);
  }
  return out;
}

/**
 * A word too wide for a line, cut into lines that still spell it: in sh a
 * backslash-newline outside single quotes disappears (inside them the
 * quote is closed before the cut and reopened after), in C it always
 * does. The pieces after the first start at column 0 of the block.
 */
function cutWord(word: string, states: readonly Quote[], room: number, lang: 'sh' | 'c'): string[] {
  const out: string[] = [];
  let start = 0;
  let reopen = '';
  while (columns(reopen) + columns(word.slice(start)) > room) {
    let end = start + Math.max(1, room - 2 - reopen.length);
    // Never cut right after a backslash: the continuation's backslash would be what it escapes.
    while (end > start + 1 && word[end - 1] === '\\') end--;
    const single = lang === 'sh' && states[end - 1] === 'single';
    out.push(`${reopen}${word.slice(start, end)}${single ? "'\\" : '\\'}`);
    reopen = single ? "'" : '';
    start = end;
  }
  out.push(reopen + word.slice(start));
  return out;
}

/**
 * One shell line as code-block lines of at most ROOM columns: broken at
 * unquoted spaces with ` \` (continuation lines indented), a word wider
 * than a line cut by cutWord.
 */
export function shellBlockLines(line: string): string[] {
  const states = quoteStates(line);
  const words: { text: string; states: Quote[] }[] = [];
  let from = 0;
  for (let i = 0; i <= line.length; i++) {
    if (i === line.length || (line[i] === ' ' && (i === 0 || states[i - 1] === 'none'))) {
      if (i > from) words.push({ text: line.slice(from, i), states: states.slice(from, i) });
      from = i + 1;
    }
  }
  const out: string[] = [];
  const cont = '    ';
  let cur = '';
  for (const w of words) {
    if (cur !== '' && columns(cur) + 1 + columns(w.text) + 2 <= ROOM) {
      cur = `${cur} ${w.text}`;
      continue;
    }
    if (cur !== '') out.push(`${cur} \\`);
    const head = cur === '' ? '' : cont;
    const pieces = cutWord(w.text, w.states, ROOM - head.length - 2, 'sh');
    cur = head + pieces[0];
    for (const piece of pieces.slice(1)) {
      out.push(cur);
      cur = piece;
    }
  }
  return [...out, cur];
}

/** A C source as code-block lines of at most ROOM columns (tabs expanded; an over-long line continued with a backslash). */
export function cBlockLines(source: string): string[] {
  return source.split('\n').flatMap((l) => cutWord(codeText(expandTabs(l)), [], ROOM, 'c'));
}

/** A command as code-block lines, a trailing comment (`  # left`) kept off the continued lines. */
function commandLines(argv: readonly string[], comment: string): string[] {
  const ls = shellBlockLines(argv.map((a) => shellQuote(codeText(a))).join(' '));
  if (comment === '') return ls;
  if (ls.length === 1 && columns(ls[0]) + columns(comment) <= ROOM) return [ls[0] + comment];
  return [comment.trim(), ...ls];
}

function writeCommands(w: TextWriter, u: UnitResult): void {
  // The setup (TMP=..., mkdir) as markdown's reproducer has it; each step then laid out to the width.
  w.line('');
  lines(w, `${d(u.source)}:`, '', '  ');
  w.line('');
  for (const l of reproduceSetup(u.commands)) w.line(BLOCK + codeText(l));
  for (const c of u.commands) for (const l of commandLines(c.argv, c.side === 'both' ? '' : `  # ${c.side}`)) w.line(BLOCK + l);
}

function writeHeader(w: TextWriter, result: RunResult, dg: Digest): void {
  w.line('btfparity report');
  heading(w, 'Tools');
  if (result.toolchain.length === 0) w.line('  (none: the run compared files)');
  for (const t of result.toolchain) {
    lines(w, `${d(toolRoleLabel(t))}: ${d(t.command)}${t.path ? ` (${d(t.path)})` : ''}`, '  ', '      ');
    if (t.version) lines(w, d(t.version), '      ', '      ');
  }
  heading(w, 'Recipes');
  for (const r of result.recipes) lines(w, `${d(r.side)}: ${d(r.name)} - ${p(r.description)}`, '  ', '      ');
  const listed = result.units.filter((u) => u.commands.length > 0 && (u.error || u.findings.some((f) => dg.full.has(f.status))));
  if (listed.length === 0) return;
  heading(w, 'Commands');
  lines(w, 'Each unit listed below (its findings or its failure), as run:', '', '');
  for (const u of listed) writeCommands(w, u);
}

function writeFinding(w: TextWriter, f: ClassifiedFinding, verbose: boolean): void {
  const path = f.path === '' ? '.' : d(f.path);
  const ids = `ids ${f.leftId !== undefined ? `#${f.leftId}` : '-'}/${f.rightId !== undefined ? `#${f.rightId}` : '-'}`;
  lines(w, `${path}: ${f.category} [${f.reason ? `${f.status} ${d(f.reason)}` : f.status}] ${ids}`, '    ', '        ');
  lines(w, d(f.left), '      left:  ', '             ');
  lines(w, d(f.right), '      right: ', '             ');
  if (f.verdict) lines(w, d(verdictText(f.verdict)), '      ', '        ', 'clauses');
  if (f.rightObjects?.length) lines(w, `right from ${d(f.rightObjects.join(', '))}`, '      ', '        ');
  if (f.explanation && verbose) lines(w, p(f.explanation), '      ', '      ');
  if (f.reference && verbose) lines(w, `see ${d(f.reference)}`, '      ', '        ');
  if (f.affected?.length && verbose) lines(w, `affects ${d([...f.affected].sort(byCodeUnit).join(', '))}`, '      ', '        ');
}

function writeFull(w: TextWriter, result: RunResult, status: Status, verbose: boolean): void {
  for (const [u, groups] of unitsWith(result, status)) {
    w.line('');
    lines(w, d(u.source), '', '  ');
    for (const [entity, fs] of groups) {
      lines(w, d(entity), '  ', '    ');
      for (const f of fs) writeFinding(w, f, verbose);
    }
  }
}

function writeFolds(w: TextWriter, fs: readonly Fold[]): void {
  w.line('');
  for (const f of fs) lines(w, `${d(f.id)}: ${f.count}, e.g. ${d(`${f.example.unit}: ${f.example.entity}`)}`, '  ', '      ');
}

function title(status: Status, n: number, full: boolean): string {
  const t = `${status[0].toUpperCase()}${status.slice(1)} findings (${n})`;
  return full ? t : `${t}, one line per ${status === 'known' ? 'rule' : 'normalisation'}`;
}

/** A reduced reproducer (triage): its C source and the commands that show the finding. */
export interface EmailReproducer {
  readonly title: string;
  /** One sentence: where it came from, how much it shrank. */
  readonly note: string;
  readonly source: string;
  /** Shell lines. */
  readonly commands: readonly string[];
}

function writeReproducers(w: TextWriter, rs: readonly EmailReproducer[]): void {
  if (rs.length === 0) return;
  heading(w, `Reproducers (${rs.length})`);
  for (const r of rs) {
    w.line('');
    lines(w, d(r.title), '', '  ');
    lines(w, p(r.note), '', '');
    w.line('');
    for (const l of cBlockLines(r.source.trimEnd())) w.line(BLOCK + l);
    w.line('');
    lines(w, 'Commands that show it:', '', '');
    w.line('');
    for (const c of r.commands) for (const l of shellBlockLines(codeText(c))) w.line(BLOCK + l);
  }
}

/** Stream the email report; `reproducers` (triage) follow the unexplained findings. */
export function writeEmail(result: RunResult, options: ListingOptions, w: TextWriter, reproducers: readonly EmailReproducer[] = []): void {
  const dg = digest(result, options);
  writeHeader(w, result, dg);
  heading(w, 'Summary');
  lines(w, summaryHead(result.summary), '', '  ');
  for (const [label, text] of summaryRows(result, dg, options, d)) lines(w, text, label === '' ? '      ' : `  ${label}: `, '      ');
  let reproduced = false;
  for (const status of dg.listed) {
    if (status !== 'unexplained' && !reproduced) {
      writeReproducers(w, reproducers);
      reproduced = true;
    }
    const n = dg.byStatus[status];
    const full = dg.full.has(status);
    heading(w, title(status, n, full));
    if (n === 0) continue;
    if (full) writeFull(w, result, status, options.verbose === true);
    else writeFolds(w, status === 'known' ? dg.rules : dg.normalisations);
  }
  if (!reproduced) writeReproducers(w, reproducers);
}

/** The email report as one string (triage's report.txt, tests). */
export function renderEmail(result: RunResult, options: ListingOptions = {}, reproducers: readonly EmailReproducer[] = []): string {
  return collect((w) => writeEmail(result, options, w, reproducers));
}
