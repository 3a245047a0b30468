/** `btfparity triage SRC... --output DIR`: report.md, report.html and reduced reproducers a maintainer can act on. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../errors.js';
import { sourcesFromArgs } from '../source/files.js';
import { renderTriageHtml } from '../triage/report-html.js';
import { renderTriageMarkdown } from '../triage/report-md.js';
import { renderTriageEmail } from '../triage/report-txt.js';
import { runTriage } from '../triage/triage.js';
import { runExitStatus } from './exit-status.js';
import { errLine, stderrLine } from './output.js';
import { resolveCheckSettings, resolveRules, type RulesOption, type ToolchainOptions } from './settings.js';

export interface TriageOptions extends ToolchainOptions, RulesOption {
  output: string;
  maxReduce: string;
  jobs: string;
  quiet?: boolean;
}

export async function runTriageCommand(srcs: string[], opts: TriageOptions): Promise<void> {
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
