/** `btfparity reduce SRC --entity E [--category C] | --finding KEY`: a minimal reproducer of one divergence. */
import { writeFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { type Command, Option } from 'commander';
import { EXIT, InputError } from '../errors.js';
import { CATEGORIES, type Category } from '../findings/finding.js';
import type { Rule } from '../findings/rules-schema.js';
import { runCheck } from '../pipeline/run-check.js';
import type { CompareConfig } from '../recipe/plan.js';
import type { UnitSource } from '../source/unit-source.js';
import { checkEntryPaths, readCompileDb } from '../source/compile-db.js';
import type { CompileUnit } from '../source/compile-unit.js';
import { sourcesFromArgs } from '../source/files.js';
import { selectUnits } from '../source/select.js';
import type { Target } from '../triage/candidate.js';
import { parseFindingKey } from '../findings/finding.js';
import { candidateList } from '../triage/reduce.js';
import { reduceSource, reproduceCommands } from '../triage/reduce-source.js';
import { addRulesOptions, addToolchainOptions, resolveCheckSettings, resolveRules, type RulesOption, type ToolchainOptions } from './settings.js';
import { errLine, writeOut } from './output.js';

interface ReduceOptions extends ToolchainOptions, RulesOption {
  entity?: string;
  category?: string;
  finding?: string;
  output?: string;
  jobs: string;
  quiet?: boolean;
  compileCommands?: string;
}

export function registerReduce(program: Command): void {
  const cmd = program
    .command('reduce')
    .description('reduce a C source to a minimal file that still shows one divergence (delta debugging with the real toolchain)')
    .argument('<src>', 'C source that shows the divergence')
    .option('--entity <entity>', "the finding's entity, as reports name it: 'struct foo', 'enum e', 'func f', 'var v'")
    .addOption(
      new Option('--category <category>', 'the finding category to keep (default: the first non-equivalent finding of the entity)').choices([...CATEGORIES]),
    )
    .option('--finding <key>', 'a finding key as in a baseline (unit | entity | path | category | left | right); sets --entity and --category')
    .option('--output <file>', 'write the reproducer to FILE and the commands to FILE without .c plus .sh')
    .option('-j, --jobs <n>', 'candidate checks run concurrently', '2')
    .option('-q, --quiet', 'no progress lines on stderr')
    .option('--compile-commands <file>', "take SRC's flags and directory from this compile_commands.json (SRC as the database names it, e.g. kernel/async.c)");
  addToolchainOptions(cmd);
  addRulesOptions(cmd, 'known-divergence rules (classification only; any status can be reduced)');
  cmd.addHelpText(
    'after',
    `
How: the unit is preprocessed ($CC -E -P with its flags), sliced to the
top-level declarations the entity transitively needs (kept only if the
slice still shows the finding; a 'func F' or 'var V' slice also gets a
synthetic user, btfparity_anchor_user, since both compilers describe only
what something uses, and F's or V's own definition is never removed), then
delta-debugged: top-level
declarations, then struct/union members, enumerators, parameters and
statements. Every accepted candidate compiles through both avenues and a
fresh check still reports the same entity and category.

Exit status: 0 reproducer written; 2 bad usage or the finding is not in the
unit; 3 toolchain failure.`,
  );
  cmd.action((src: string, opts: ReduceOptions) => runReduceCommand(src, opts));
}

async function runReduceCommand(src: string, opts: ReduceOptions): Promise<void> {
  const settings = resolveCheckSettings(opts);
  const rules = resolveRules(opts);
  const source = opts.compileCommands !== undefined ? sourceFromDb(opts.compileCommands, src) : sourcesFromArgs([src])[0];
  const jobs = parseJobs(opts.jobs);
  const target = await resolveTarget(opts, source, settings.config, settings.timeoutSeconds, rules);
  const say = opts.quiet ? undefined : (m: string) => errLine(`btfparity reduce: ${m}`);
  const reduced = await reduceSource({
    source,
    target,
    config: settings.config,
    timeoutSeconds: settings.timeoutSeconds,
    rules,
    jobs,
    ...(say ? { onProgress: say } : {}),
  });
  const file = opts.output ?? 'repro.c';
  const commands = reproduceCommands(basename(file), reduced.config, target);
  const s = reduced.stats;
  const summary = `${s.originalLines} source lines (${s.preprocessedLines} preprocessed) → ${s.finalLines} lines in ${s.seconds.toFixed(1)}s, ${s.toolchainRuns} candidate checks (${s.cacheHits} cached)`;
  if (opts.output !== undefined) {
    writeFile(opts.output, reduced.text);
    const script = join(dirname(opts.output), `${basename(opts.output).replace(/\.c$/, '')}.sh`);
    writeFile(script, `#!/bin/sh\n# Shows: ${target.category} ${target.entity}\nset -ex\ncd "$(dirname "$0")"\n${commands.join('\n')}\n`);
    errLine(`btfparity reduce: ${summary}`);
    errLine(`wrote ${opts.output} and ${script}`);
    writeOut(`${commands.join('\n')}\n`);
  } else {
    writeOut(`${reduced.text}\n/* Reproduce (save as repro.c):\n${commands.map((c) => ` *   ${c.replace(/\*\//g, '*\\/')}`).join('\n')}\n */\n`);
    errLine(`btfparity reduce: ${summary}`);
  }
  process.exitCode = EXIT.OK;
}

/** The target from --finding or --entity/--category; a missing category is read from a check of the unit. */
async function resolveTarget(opts: ReduceOptions, source: UnitSource, config: CompareConfig, timeoutSeconds: number, rules: readonly Rule[]): Promise<Target> {
  if (opts.finding !== undefined) {
    if (opts.entity !== undefined || opts.category !== undefined)
      throw new InputError('--finding sets the entity and category; do not combine it with --entity/--category');
    let k: ReturnType<typeof parseFindingKey>;
    try {
      k = parseFindingKey(opts.finding);
    } catch (e) {
      throw e instanceof InputError ? e.inOption('--finding') : e;
    }
    return { entity: k.entity, category: k.category };
  }
  if (opts.entity === undefined) throw new InputError('reduce needs --entity (with optional --category) or --finding');
  if (opts.category !== undefined) return { entity: opts.entity, category: opts.category as Category };
  const result = await runCheck({ sources: [source], config, timeoutSeconds, rules });
  const unit = result.units[0];
  if (unit.error) throw new InputError(`does not build through both avenues: ${unit.error.step}: ${unit.error.message}`, { file: source.display });
  const mine = unit.findings.filter((f) => f.entity === opts.entity);
  const pick = mine.find((f) => f.status !== 'equivalent') ?? mine[0];
  if (!pick) throw new InputError(`no finding for '${opts.entity}'; ${candidateList(unit.findings)}`, { file: source.display });
  return { entity: opts.entity, category: pick.category };
}

/** The units `src` selects as a `--select` glob; none when it is no valid glob (it may still be a path). */
function unitsNamed(units: readonly CompileUnit[], src: string, root: string): CompileUnit[] {
  try {
    return selectUnits(units, [src], root);
  } catch (e) {
    if (e instanceof InputError) return [];
    throw e;
  }
}

/** The one unit of the database whose name (as `check --select` matches it) or path is `src`. */
function sourceFromDb(db: string, src: string): UnitSource {
  const { units, root } = readCompileDb(db);
  const byName = unitsNamed(units, src, root);
  const unit = byName.length > 0 ? byName : units.filter((u) => u.file === resolve(src));
  if (unit.length !== 1) throw new InputError(unit.length === 0 ? `no unit named '${src}'` : `${unit.length} units match '${src}'`, { file: db });
  checkEntryPaths(unit, units, db);
  const u = unit[0];
  return { display: relative(root, u.file), arg: u.file, cwd: u.directory, flags: u.flags };
}

function parseJobs(text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new InputError(`expected a positive integer, got '${text}'`, { option: '--jobs' });
  return n;
}

function writeFile(path: string, text: string): void {
  try {
    writeFileSync(path, text);
  } catch (e) {
    throw new InputError(`cannot write (${(e as NodeJS.ErrnoException).code ?? 'error'})`, { file: path }, { cause: e });
  }
}
