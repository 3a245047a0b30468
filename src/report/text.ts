/**
 * The text format: for people at a terminal, signal first. The summary
 * comes first (units, failed units by the path a caller opens, counts by
 * status and category, the top rules); then the unexplained findings in
 * full, grouped by unit and entity, one line per finding:
 * `path  category  left → right  [status reason]  ids #leftId/#rightId`;
 * then the known findings folded one line per rule (count and one
 * example), and the equivalent ones one line per normalisation, unless
 * `all`/`verbose` lists them in full. `only` restricts what is listed (the
 * summary still counts everything and says it is filtered), `summaryOnly`
 * prints the summary alone. Lines fit 100 columns where content allows:
 * verdicts and explanations wrap at clause or word boundaries, a type name
 * or a command is never cut. `ascii` spells the report's arrows and
 * dashes in ASCII and escapes non-ASCII data as `\uNNNN`. Every datum is
 * written through escapeControls: a name's newline or ESC shows as `\n`,
 * `\x1b`.
 */
import { Chalk, type ChalkInstance } from 'chalk';
import { type ClassifiedFinding, type Status, verdictText } from '../findings/finding.js';
import { assertNever, byCodeUnit } from '../lang.js';
import { type Digest, digest, type Fold, type ListingOptions, plural, unitPath, unitsWith } from './digest.js';
import { asciiEscape, asciiProse, escapeControls } from './escape.js';
import { sortedRecord } from './order.js';
import type { RunResult, RunSummary } from './run-result.js';
import { type BreakAt, columns, wrap } from './wrap.js';
import { collect, type TextWriter } from './writer.js';

export interface TextOptions extends ListingOptions {
  readonly color?: boolean;
  /** ASCII only: `->` for `→`, `-` for dashes, other non-ASCII data as `\uNNNN`. */
  readonly ascii?: boolean;
}

/** Lines are fitted to this many columns where their content allows. */
export const TEXT_WIDTH = 100;

/** How many rules the summary names (the known section lists them all). */
const TOP_RULES = 5;

/** What differs between UTF-8 and ASCII output: the report's own glyphs and the escaping of data and prose. */
interface Style {
  readonly c: ChalkInstance;
  readonly arrow: string;
  /** Data (names, types, messages). */
  readonly d: (s: string) => string;
  /** Prose (rule explanations): punctuation may be respelled. */
  readonly p: (s: string) => string;
}

function style(o: TextOptions): Style {
  // A local chalk instance: the global one guesses from the environment, the CLI decides here.
  const c = new Chalk({ level: o.color ? 1 : 0 });
  if (o.ascii) return { c, arrow: '->', d: (s) => asciiEscape(escapeControls(s)), p: (s) => asciiProse(escapeControls(s)) };
  return { c, arrow: '→', d: escapeControls, p: escapeControls };
}

function statusText(st: Style, f: ClassifiedFinding): string {
  const tag = `[${f.reason ? `${f.status} ${st.d(f.reason)}` : f.status}]`;
  switch (f.status) {
    case 'unexplained':
      return st.c.red(tag);
    case 'known':
      return st.c.yellow(tag);
    case 'equivalent':
      return st.c.green(tag);
    default:
      return assertNever(f.status);
  }
}

function ids(f: ClassifiedFinding): string {
  const l = f.leftId !== undefined ? `#${f.leftId}` : '-';
  const r = f.rightId !== undefined ? `#${f.rightId}` : '-';
  return `ids ${l}/${r}`;
}

/**
 * The finding's line: whole when it fits; else wrapped at the clauses of a
 * view that is a message (`DATASEC .bss lists v: ...`); else status and ids
 * on a line of their own. A type is never cut.
 */
function findingLines(what: string, tail: string): string[] {
  const one = `${what}  ${tail}`;
  if (columns(one) <= TEXT_WIDTH) return [one];
  const wrapped = wrap(one, { width: TEXT_WIDTH, first: '', indent: '        ', breakAt: 'clauses' });
  if (wrapped.every((l) => columns(l) <= TEXT_WIDTH)) return wrapped;
  return [...wrap(what, { width: TEXT_WIDTH, first: '', indent: '        ', breakAt: 'clauses' }), `      ${tail}`];
}

/** A detail line under a finding, wrapped at `breakAt` boundaries. */
function detail(w: TextWriter, text: string, breakAt: BreakAt, dim: (s: string) => string): void {
  for (const l of wrap(text, { width: TEXT_WIDTH, first: '      ', indent: '        ', breakAt })) w.line(dim(l));
}

function writeFinding(w: TextWriter, st: Style, f: ClassifiedFinding, verbose: boolean): void {
  const path = f.path === '' ? '.' : st.d(f.path);
  const what = `    ${path}  ${st.c.bold(f.category)}  ${st.d(f.left)} ${st.arrow} ${st.d(f.right)}`;
  const tail = `${statusText(st, f)}  ${st.c.dim(ids(f))}`;
  // Too wide: status and ids go on their own line rather than cutting a type.
  for (const l of findingLines(what, tail)) w.line(l);
  const dim = (s: string): string => st.c.dim(s);
  if (f.verdict) detail(w, st.d(verdictText(f.verdict)), 'clauses', (s) => s);
  if (f.rightObjects?.length) detail(w, `right from ${st.d(objectsText(f.rightObjects))}`, 'clauses', dim);
  if (f.explanation && verbose) detail(w, st.p(f.explanation), 'words', dim);
  if (f.reference && verbose) detail(w, `see ${st.d(f.reference)}`, 'words', dim);
  if (f.affected?.length && verbose) detail(w, `affects ${st.d([...f.affected].sort(byCodeUnit).join(', '))}`, 'clauses', dim);
}

/** Object names of a whole-binary finding: the first few, then a count. */
function objectsText(objects: readonly string[]): string {
  const shown = objects.slice(0, 4).join(', ');
  return objects.length > 4 ? `${shown} and ${objects.length - 4} more` : shown;
}

function counts(r: Readonly<Record<string, number>>): string {
  return Object.entries(sortedRecord(r))
    .map(([k, n]) => `${n} ${k}`)
    .join(', ');
}

/** `54 units (1 failed), 377 findings: 60 unexplained, 297 known, 20 equivalent` */
export function summaryHead(s: RunSummary): string {
  const status = (['unexplained', 'known', 'equivalent'] as const).map((k) => `${s.byStatus[k] ?? 0} ${k}`).join(', ');
  return escapeControls(`${plural(s.units, 'unit')} (${s.failedUnits} failed), ${plural(s.findings, 'finding')}: ${status}`);
}

/** The one-line summary (the markdown report's): the head and the normalisations. */
export function summaryLine(s: RunSummary): string {
  const norm = Object.keys(s.normalisations).length ? `; normalisations: ${counts(s.normalisations)}` : '';
  return summaryHead(s) + escapeControls(norm);
}

/** The summary rows after the head line, as [label, text] (text and email lay them out to their widths). */
export function summaryRows(result: RunResult, dg: Digest, o: ListingOptions, d: (s: string) => string): [string, string][] {
  const rows: [string, string][] = [];
  const s = result.summary;
  if (Object.keys(s.normalisations).length) rows.push(['normalised', d(counts(s.normalisations))]);
  if (dg.categories.length) rows.push(['categories', d(dg.categories.map(([k, n]) => `${n} ${k}`).join(', '))]);
  if (dg.rules.length) {
    const more = dg.rules.length > TOP_RULES ? `, and ${plural(dg.rules.length - TOP_RULES, 'more rule')}` : '';
    rows.push([
      'top rules',
      d(
        dg.rules
          .slice(0, TOP_RULES)
          .map((r) => `${r.count} ${r.id}`)
          .join(', '),
      ) + more,
    ]);
  }
  // The path on its own row, so it is never wrapped away from the label; the step and message under it.
  for (const u of dg.failed) rows.push(['failed', d(unitPath(u, o))], ['', d(`${u.error?.step}: ${u.error?.message}`)]);
  if (!o.summaryOnly && s.findings > 0) rows.push(['listed', listedText(dg)]);
  if (o.only !== undefined) rows.push(['filtered', `--only ${o.only.join(',')}: the counts above are of every finding`]);
  return rows;
}

function listedText(dg: Digest): string {
  if (dg.listed.length === 0) return 'nothing of that status (--only)';
  return dg.listed
    .map((s) => {
      if (dg.full.has(s)) return `${s} in full`;
      return `${s} one line per ${s === 'known' ? 'rule' : 'normalisation'} (--all lists them)`;
    })
    .join('; ');
}

function writeSummary(w: TextWriter, st: Style, result: RunResult, dg: Digest, o: TextOptions): void {
  w.line(st.c.bold(summaryHead(result.summary)));
  for (const [label, text] of summaryRows(result, dg, o, st.d)) {
    const first = label === '' ? ' '.repeat(16) : `  ${label.padEnd(11)} `;
    // The failed unit's message is data: wrapped at clauses like a verdict, never inside a path.
    for (const l of wrap(text, { width: TEXT_WIDTH, first, indent: ' '.repeat(16), breakAt: 'clauses' })) w.line(l);
  }
}

function sectionTitle(status: Status, n: number, full: boolean): string {
  const title = `${status[0].toUpperCase()}${status.slice(1)} findings (${n})`;
  if (full) return title;
  return `${title}, one line per ${status === 'known' ? 'rule' : 'normalisation'}; --all lists them`;
}

function writeFull(w: TextWriter, st: Style, result: RunResult, status: Status, verbose: boolean): void {
  for (const [u, groups] of unitsWith(result, status)) {
    w.line('');
    w.line(st.c.bold.underline(st.d(u.source)));
    for (const [entity, fs] of groups) {
      w.line(`  ${st.d(entity)}`);
      for (const f of fs) writeFinding(w, st, f, verbose);
    }
  }
}

function writeFolds(w: TextWriter, st: Style, fs: readonly Fold[]): void {
  const idWidth = fs.reduce((m, f) => Math.max(m, columns(st.d(f.id))), 0);
  const nWidth = fs.reduce((m, f) => Math.max(m, String(f.count).length), 0);
  w.line('');
  for (const f of fs) {
    const head = `  ${st.d(f.id).padEnd(idWidth)}  ${String(f.count).padStart(nWidth)}  `;
    w.line(`${head}e.g. ${st.d(`${f.example.unit}: ${f.example.entity}`)}`);
  }
}

/** Stream the text report: the summary, then each listed status's findings. */
export function writeText(result: RunResult, options: TextOptions, w: TextWriter): void {
  const st = style(options);
  const dg = digest(result, options);
  writeSummary(w, st, result, dg, options);
  for (const status of dg.listed) {
    const n = dg.byStatus[status];
    const full = dg.full.has(status);
    w.line('');
    w.line(st.c.bold(sectionTitle(status, n, full)));
    if (n === 0) continue;
    if (full) writeFull(w, st, result, status, options.verbose === true);
    else writeFolds(w, st, status === 'known' ? dg.rules : dg.normalisations);
  }
}

export function renderText(result: RunResult, options: TextOptions = {}): string {
  return collect((w) => writeText(result, options, w));
}

/** The summary alone (`--summary`, `--update-baseline`). */
export function renderTextSummary(result: RunResult, options: TextOptions = {}): string {
  return renderText(result, { ...options, summaryOnly: true });
}
