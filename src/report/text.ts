/**
 * The text format: for people at a terminal. Grouped by unit, then entity;
 * one line per finding: `path  category  left → right  [status reason]  #leftId/#rightId`.
 * Equivalent findings are counted, and listed only with `verbose` (they are
 * never dropped silently: the unit says how many were folded, the summary
 * counts them by normalisation).
 */
import { Chalk, type ChalkInstance } from 'chalk';
import type { ClassifiedFinding } from '../findings/finding.js';
import { groupByEntity, sortedRecord } from './order.js';
import type { RunResult, RunSummary, UnitResult } from './run-result.js';

export interface TextOptions {
  readonly color?: boolean;
  readonly verbose?: boolean;
}

function painter(color: boolean | undefined): ChalkInstance {
  // A local instance: the global chalk guesses from the environment, the CLI decides here.
  return new Chalk({ level: color ? 1 : 0 });
}

function statusText(c: ChalkInstance, f: ClassifiedFinding): string {
  const tag = f.reason ? `${f.status} ${f.reason}` : f.status;
  if (f.status === 'unexplained') return c.red(`[${tag}]`);
  if (f.status === 'known') return c.yellow(`[${tag}]`);
  return c.green(`[${tag}]`);
}

function ids(f: ClassifiedFinding): string {
  const l = f.leftId !== undefined ? `#${f.leftId}` : '-';
  const r = f.rightId !== undefined ? `#${f.rightId}` : '-';
  return `ids ${l}/${r}`;
}

function findingLine(c: ChalkInstance, f: ClassifiedFinding, verbose: boolean): string[] {
  const path = f.path === '' ? '.' : f.path;
  const lines = [`    ${path}  ${c.bold(f.category)}  ${f.left} → ${f.right}  ${statusText(c, f)}  ${c.dim(ids(f))}`];
  if (f.explanation && verbose) lines.push(`      ${c.dim(f.explanation)}`);
  if (f.reference && verbose) lines.push(`      ${c.dim(`see ${f.reference}`)}`);
  if (f.affected?.length && verbose) lines.push(`      ${c.dim(`affects ${[...f.affected].sort().join(', ')}`)}`);
  return lines;
}

function unitLines(c: ChalkInstance, u: UnitResult, verbose: boolean): string[] {
  const lines = [c.bold.underline(u.source)];
  if (u.error) lines.push(`  ${c.red('error')} at ${u.error.step}: ${u.error.message}`);
  const shown = verbose ? u.findings : u.findings.filter((f) => f.status !== 'equivalent');
  const folded = u.findings.length - shown.length;
  if (u.findings.length === 0 && !u.error) lines.push(`  ${c.green('no differences')}`);
  for (const [entity, fs] of groupByEntity(shown)) {
    lines.push(`  ${entity}`);
    for (const f of fs) lines.push(...findingLine(c, f, verbose));
  }
  if (folded > 0) lines.push(`  ${c.dim(`(${folded} equivalent finding${folded === 1 ? '' : 's'} not shown; --verbose lists them)`)}`);
  return lines;
}

function counts(r: Readonly<Record<string, number>>): string {
  return Object.entries(sortedRecord(r))
    .map(([k, n]) => `${n} ${k}`)
    .join(', ');
}

export function summaryLine(s: RunSummary): string {
  const status = (['unexplained', 'known', 'equivalent'] as const).map((k) => `${s.byStatus[k] ?? 0} ${k}`).join(', ');
  const norm = Object.keys(s.normalisations).length ? `; normalisations: ${counts(s.normalisations)}` : '';
  return `${s.units} unit${s.units === 1 ? '' : 's'} (${s.failedUnits} failed), ${s.findings} finding${s.findings === 1 ? '' : 's'}: ${status}${norm}`;
}

export function renderText(result: RunResult, options: TextOptions = {}): string {
  const c = painter(options.color);
  const verbose = options.verbose ?? false;
  const out: string[] = [];
  for (const u of result.units) out.push(...unitLines(c, u, verbose), '');
  out.push(c.bold(summaryLine(result.summary)));
  return `${out.join('\n')}\n`;
}
