/** `btfparity triage SRC... --output DIR`: report.md, report.html and reduced reproducers a maintainer can act on. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { InputError } from '../errors.js';
import { sourcesFromArgs } from '../source/files.js';
import { renderTriageHtml } from '../triage/report-html.js';
import { renderTriageMarkdown } from '../triage/report-md.js';
import { renderTriageEmail } from '../triage/report-txt.js';
import { runTriage } from '../triage/triage.js';
import { runExitStatus } from './exit-status.js';
import { errLine, stderrLine } from './output.js';
import { addRulesOptions, addToolchainOptions, resolveCheckSettings, resolveRules, type RulesOption, type ToolchainOptions } from './settings.js';

interface TriageOptions extends ToolchainOptions, RulesOption {
  output: string;
  maxReduce: string;
  jobs: string;
  quiet?: boolean;
}

export function registerTriage(program: Command): void {
  const cmd = program
    .command('triage')
    .description('check C sources and write a report for maintainers: report.md, report.html and minimal reproducers')
    .argument('<src...>', 'C sources')
    .requiredOption('--output <dir>', 'directory for report.md, report.txt, report.html, repro-N.c and repro-N.sh (created if missing)')
    .option('--max-reduce <n>', 'reduce at most N distinct (entity, category) findings: unexplained first, then known; 0 = none', '3')
    .option('-j, --jobs <n>', 'candidate checks run concurrently while reducing', '2')
    .option('-q, --quiet', 'no progress lines on stderr');
  addToolchainOptions(cmd);
  addRulesOptions(cmd);
  cmd.addHelpText(
    'after',
    `
report.md: summary and classification, toolchain versions, the exact commands,
each reproducer with the commands that show it, every entity with findings as
both sides encode it (bpftool-style records and a layout), and, where the
compiler's DWARF settles it (array shape, enum signedness, enumerators), which
side departs from DWARF. Mail-ready markdown: no HTML, no tabs, prose within
100 columns, code in fenced blocks.
report.txt: the same run as --format email (plain ASCII, at most 78 columns,
tools and commands first) with the reproducers as indented code blocks: for a
mailing list.
report.html: the same findings with side-by-side layouts, differing cells
highlighted, filterable by status and category (also via the URL hash,
e.g. report.html#status=unexplained&category=array). No network access needed.

Exit status: as for check without --baseline (0 no unexplained findings, 1 unexplained
findings, 2 bad input, 3 toolchain failure).`,
  );
  cmd.action((srcs: string[], opts: TriageOptions) => runTriageCommand(srcs, opts));
}

async function runTriageCommand(srcs: string[], opts: TriageOptions): Promise<void> {
  const settings = resolveCheckSettings(opts);
  const rules = resolveRules(opts);
  const sources = sourcesFromArgs(srcs);
  const maxReduce = count('--max-reduce', opts.maxReduce, 0);
  const jobs = count('--jobs', opts.jobs, 1);
  try {
    mkdirSync(opts.output, { recursive: true });
  } catch (e) {
    throw new InputError(`cannot create output directory (${(e as NodeJS.ErrnoException).code ?? 'error'})`, { file: opts.output }, { cause: e });
  }
  const say = opts.quiet ? undefined : (m: string) => errLine(`btfparity triage: ${m}`);
  const report = await runTriage({
    sources,
    config: settings.config,
    timeoutSeconds: settings.timeoutSeconds,
    rules,
    maxReduce,
    jobs,
    ...(say ? { onProgress: say } : {}),
  });
  write(join(opts.output, 'report.md'), renderTriageMarkdown(report));
  write(join(opts.output, 'report.txt'), renderTriageEmail(report));
  write(join(opts.output, 'report.html'), renderTriageHtml(report));
  for (const p of report.reproducers) {
    write(join(opts.output, p.file), p.text);
    write(
      join(opts.output, p.file.replace(/\.c$/, '.sh')),
      `#!/bin/sh\n# Shows: ${p.target.category} ${p.target.entity}\nset -ex\ncd "$(dirname "$0")"\n${p.commands.join('\n')}\n`,
    );
  }
  say?.(`wrote ${join(opts.output, 'report.md')}, report.txt, report.html and ${report.reproducers.length} reproducer(s)`);
  for (const u of report.run.units) if (u.error) stderrLine(`${u.source}: ${u.error.step}: ${u.error.message}`);
  process.exitCode = runExitStatus(report.run);
}

function count(option: string, text: string, min: number): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < min) throw new InputError(`expected an integer >= ${min}, got '${text}'`, { option });
  return n;
}

function write(path: string, text: string): void {
  try {
    writeFileSync(path, text);
  } catch (e) {
    throw new InputError(`cannot write (${(e as NodeJS.ErrnoException).code ?? 'error'})`, { file: path }, { cause: e });
  }
}
