/**
 * report.txt of `btfparity triage`: the run's email report (plain ASCII, at
 * most 78 columns, commands and versions first; src/report/email.ts) with
 * the reduced reproducers as indented code blocks after the unexplained
 * findings: what can be pasted into a mail to a kernel or toolchain list. Pure.
 */
import { type EmailReproducer, renderEmail } from '../report/email.js';
import type { TriageReport } from './triage-data.js';

export function renderTriageEmail(r: TriageReport): string {
  const reproducers: EmailReproducer[] = r.reproducers.map((p) => ({
    title: `${p.target.category} ${p.target.entity} - ${p.file}`,
    note: `From ${p.unit}: ${p.stats.originalLines} lines (${p.stats.preprocessedLines} preprocessed) reduced to ${p.stats.finalLines}; the commands are also in the .sh beside ${p.file}.`,
    source: p.text,
    commands: p.commands,
  }));
  return renderEmail(r.run, {}, reproducers);
}
