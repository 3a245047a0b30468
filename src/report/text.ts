/**
 * The text format: for people at a terminal. Grouped by unit, then entity;
 * one line per finding: `path  category  left → right  [status reason]  #leftId/#rightId`.
 * Equivalent findings are counted, and listed only with `verbose` (they are
 * never dropped silently: the unit says how many were folded, the summary
 * counts them by normalisation). Every datum is written through
 * escapeControls: a name's newline or ESC shows as `\n`, `\x1b`.
 */
import { Chalk, type ChalkInstance } from 'chalk';
import { type ClassifiedFinding, verdictText } from '../findings/finding.js';
import { escapeControls as e } from './escape.js';
import { groupByEntity, sortedRecord } from './order.js';
import type { RunResult, RunSummary, UnitResult } from './run-result.js';
import { collect, type TextWriter } from './writer.js';

export interface TextOptions {
  readonly color?: boolean;
  readonly verbose?: boolean;
}

function painter(color: boolean | undefined): ChalkInstance {
  // A local instance: the global chalk guesses from the environment, the CLI decides here.
  return new Chalk({ level: color ? 1 : 0 });
}

function statusText(c: ChalkInstance, f: ClassifiedFinding): string {
  const tag = f.reason ? `${f.status} ${e(f.reason)}` : f.status;
  if (f.status === 'unexplained') return c.red(`[${tag}]`);
  if (f.status === 'known') return c.yellow(`[${tag}]`);
  return c.green(`[${tag}]`);
}

function ids(f: ClassifiedFinding): string {
  const l = f.leftId !== undefined ? `#${f.leftId}` : '-';
  const r = f.rightId !== undefined ? `#${f.rightId}` : '-';
  return `ids ${l}/${r}`;
}

function writeFinding(w: TextWriter, c: ChalkInstance, f: ClassifiedFinding, verbose: boolean): void {
  const path = f.path === '' ? '.' : e(f.path);
  w.line(`    ${path}  ${c.bold(f.category)}  ${e(f.left)} → ${e(f.right)}  ${statusText(c, f)}  ${c.dim(ids(f))}`);
  if (f.verdict) w.line(`      ${e(verdictText(f.verdict))}`);
  if (f.rightObjects?.length) w.line(`      ${c.dim(`right from ${e(objectsText(f.rightObjects))}`)}`);
  if (f.explanation && verbose) w.line(`      ${c.dim(e(f.explanation))}`);
  if (f.reference && verbose) w.line(`      ${c.dim(`see ${e(f.reference)}`)}`);
  if (f.affected?.length && verbose) w.line(`      ${c.dim(`affects ${e([...f.affected].sort().join(', '))}`)}`);
}

/** Object names of a whole-binary finding: the first few, then a count. */
function objectsText(objects: readonly string[]): string {
  const shown = objects.slice(0, 4).join(', ');
  return objects.length > 4 ? `${shown} and ${objects.length - 4} more` : shown;
}

function writeUnit(w: TextWriter, c: ChalkInstance, u: UnitResult, verbose: boolean): void {
  w.line(c.bold.underline(e(u.source)));
  if (u.error) w.line(`  ${c.red('error')} at ${e(u.error.step)}: ${e(u.error.message)}`);
  const shown = verbose ? u.findings : u.findings.filter((f) => f.status !== 'equivalent');
  const folded = u.findings.length - shown.length;
  if (u.findings.length === 0 && !u.error) w.line(`  ${c.green('no differences')}`);
  for (const [entity, fs] of groupByEntity(shown)) {
    w.line(`  ${e(entity)}`);
    for (const f of fs) writeFinding(w, c, f, verbose);
  }
  if (folded > 0) w.line(`  ${c.dim(`(${folded} equivalent finding${folded === 1 ? '' : 's'} not shown; --verbose lists them)`)}`);
}

function counts(r: Readonly<Record<string, number>>): string {
  return Object.entries(sortedRecord(r))
    .map(([k, n]) => `${n} ${k}`)
    .join(', ');
}

export function summaryLine(s: RunSummary): string {
  const status = (['unexplained', 'known', 'equivalent'] as const).map((k) => `${s.byStatus[k] ?? 0} ${k}`).join(', ');
  const norm = Object.keys(s.normalisations).length ? `; normalisations: ${counts(s.normalisations)}` : '';
  return e(`${s.units} unit${s.units === 1 ? '' : 's'} (${s.failedUnits} failed), ${s.findings} finding${s.findings === 1 ? '' : 's'}: ${status}${norm}`);
}

/** Stream the text report: one unit after the other, then the summary line. */
export function writeText(result: RunResult, options: TextOptions, w: TextWriter): void {
  const c = painter(options.color);
  const verbose = options.verbose ?? false;
  for (const u of result.units) {
    writeUnit(w, c, u, verbose);
    w.line('');
  }
  w.line(c.bold(summaryLine(result.summary)));
}

export function renderText(result: RunResult, options: TextOptions = {}): string {
  return collect((w) => writeText(result, options, w));
}
