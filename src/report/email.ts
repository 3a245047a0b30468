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
import { type Digest, digest, type Fold, type ListingOptions, unitsWith } from './digest.js';
import { asciiEscape, asciiProse, escapeControls } from './escape.js';
import type { RunResult, StepRecord, UnitResult } from './run-result.js';
import { reproduceLines, shellQuote } from './shell.js';
import { summaryHead, summaryRows } from './text.js';
import { type BreakAt, columns, wrap } from './wrap.js';
import type { TextWriter } from './writer.js';

/** Mail clients and list archives reflow or cut past this. */
export const EMAIL_WIDTH = 78;

/** Indent of a code block (markdown's and mail's convention). */
const BLOCK = '    ';

/** Data in ASCII: controls escaped as everywhere, then anything outside ASCII. */
const d = (s: string): string => asciiEscape(escapeControls(s));
const p = (s: string): string => asciiProse(escapeControls(s));

function lines(w: TextWriter, text: string, first: string, indent: string, breakAt: BreakAt = 'words'): void {
  for (const l of wrap(text, { width: EMAIL_WIDTH, first, indent, breakAt, hard: true })) w.line(l);
}

function heading(w: TextWriter, title: string): void {
  w.line('');
  w.line(title);
  w.line('-'.repeat(Math.min(EMAIL_WIDTH, columns(title))));
}

/** Atoms of an argument that may not be split: `$TMP`-style placeholders, else single code points. */
function atoms(arg: string): string[] {
  return arg.match(/\$[A-Z_][A-Z0-9_]*|[\s\S]/gu) ?? [];
}

/**
 * One argument as quoted pieces of at most `room` columns each (with room
 * for a trailing backslash). In sh, adjacent quoted pieces are one word and
 * a backslash-newline outside quotes disappears, so the pieces, each
 * continued at the block's indent, still spell the argument.
 */
function splitArg(arg: string, room: number): string[] {
  const whole = shellQuote(arg);
  if (columns(whole) <= room) return [whole];
  const out: string[] = [];
  let acc = '';
  for (const a of atoms(arg)) {
    if (acc !== '' && columns(shellQuote(acc + a)) + 1 > room) {
      out.push(shellQuote(acc));
      acc = '';
    }
    acc += a;
  }
  if (acc !== '') out.push(shellQuote(acc));
  return out;
}

/** A command as code-block lines: words joined up to the width, ` \` between lines, a cut word continued at column 0 of the block. */
function commandLines(argv: readonly string[], comment: string): string[] {
  const room = EMAIL_WIDTH - BLOCK.length;
  const cont = '    '; // continuation lines of one command: indented within the block
  const out: string[] = [];
  let cur = '';
  for (const arg of argv.map(d)) {
    const pieces = splitArg(arg, room - cont.length - 2);
    const word = pieces[0];
    if (cur !== '' && columns(cur) + 1 + columns(word) + 2 > room) {
      out.push(`${cur} \\`);
      cur = cont + word;
    } else cur = cur === '' ? word : `${cur} ${word}`;
    for (const piece of pieces.slice(1)) {
      out.push(`${cur}\\`);
      cur = piece; // no indent: the line continues the word
    }
  }
  if (comment !== '' && columns(cur) + columns(comment) <= room) return [...out, cur + comment];
  return comment === '' ? [...out, cur] : [comment.trim(), ...out, cur];
}

function writeCommands(w: TextWriter, u: UnitResult): void {
  // The placeholder lines (TMP=..., mkdir) come from the shared reproducer; each step is then laid out to the width.
  const steps = u.commands as readonly StepRecord[];
  const setup = reproduceLines(steps).slice(0, -steps.length);
  w.line('');
  lines(w, `${d(u.source)}:`, '', '  ');
  w.line('');
  for (const l of setup) w.line(BLOCK + d(l));
  for (const c of steps) for (const l of commandLines(c.argv, c.side === 'both' ? '' : `  # ${c.side}`)) w.line(BLOCK + l);
}

function writeHeader(w: TextWriter, result: RunResult, dg: Digest): void {
  w.line('btfparity report');
  heading(w, 'Tools');
  if (result.toolchain.length === 0) w.line('  (none: the run compared files)');
  for (const t of result.toolchain) {
    lines(w, `${d(t.role)}: ${d(t.command)}${t.path ? ` (${d(t.path)})` : ''}`, '  ', '      ');
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
  if (f.affected?.length && verbose) lines(w, `affects ${d([...f.affected].sort().join(', '))}`, '      ', '        ');
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

export function writeEmail(result: RunResult, options: ListingOptions, w: TextWriter): void {
  const dg = digest(result, options);
  writeHeader(w, result, dg);
  heading(w, 'Summary');
  lines(w, summaryHead(result.summary), '', '  ');
  for (const [label, text] of summaryRows(result, dg, options, d)) lines(w, text, label === '' ? '      ' : `  ${label}: `, '      ');
  for (const status of dg.listed) {
    const n = dg.byStatus[status];
    const full = dg.full.has(status);
    heading(w, title(status, n, full));
    if (n === 0) continue;
    if (full) writeFull(w, result, status, options.verbose === true);
    else writeFolds(w, status === 'known' ? dg.rules : dg.normalisations);
  }
}
