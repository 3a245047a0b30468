/**
 * `btfparity binary`: a set of units end to end through the archive
 * avenue (src/recipe/archive.ts). Compile every unit once with its own
 * flags and `-g -gbtf` (a `-j` pool), link the objects with `ld -r`,
 * encode the linked DWARF with pahole (left), deduplicate the linked
 * `.BTF` archive with libbpf (right, through the btf-dedup helper), and
 * compare the two as one binary (binary-compare.ts).
 *
 * A unit that fails to compile is reported as a failed unit and left out
 * of the link (the binary is then incomplete, and the run says so with
 * exit 3 like `check`); a failed link, encode or dedup fails the binary.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { parseElf, readSymbols } from '../artifact/elf.js';
import { loadBtf } from '../btf/load.js';
import type { Btf } from '../btf/types.js';
import { ToolchainError } from '../errors.js';
import type { BlockerReport } from '../findings/dedup-blockers.js';
import type { Rule } from '../findings/rules-schema.js';
import { ARCHIVE_RECIPES, ARCHIVE_STEPS, expandArchiveStep } from '../recipe/archive.js';
import { makeRunDir, removeRunDir } from '../recipe/cleanup.js';
import { type CompareConfig, planUnit, recordArgv } from '../recipe/plan.js';
import { firstErrorLine, runCommand } from '../recipe/run-step.js';
import { detectTool, type ResolvedTool, resolveExecutable } from '../recipe/tools.js';
import { buildSummary } from '../report/render.js';
import { REPORT_SCHEMA_VERSION, type RunResult, type StepRecord, type UnitResult } from '../report/run-result.js';
import type { UnitSource } from '../source/unit-source.js';
import { type BinaryObject, compareBinary, recordOrigins } from './binary-compare.js';
import { runPool } from './pool.js';
import { stepTool, UnitFailure, runUnitSteps } from './unit-steps.js';

export interface BinaryRun {
  readonly sources: readonly UnitSource[];
  /** The check configuration; its cc, cflags and pahole flags are used (recipes are the archive family's). */
  readonly config: CompareConfig;
  readonly timeoutSeconds: number;
  readonly rules: readonly Rule[];
  readonly jobs?: number;
  /** The btf-dedup helper (src/recipe/archive.ts defaultDedupHelper). */
  readonly dedupHelper: string;
  /** The linker (`ld`). */
  readonly ld: string;
  /** How the report names the binary. */
  readonly name: string;
  readonly onUnit?: (result: UnitResult) => void;
}

export interface BinaryOutcome {
  readonly result: RunResult;
  /** Type counts (void excluded): blobs and types into the dedup, types out; pahole's count. */
  readonly counts?: { readonly blobs: number; readonly typesIn: number; readonly typesOut: number; readonly left: number };
  /** Entities whose right records remain duplicated after dedup, with the copy count. */
  readonly duplicated?: ReadonlyMap<string, number>;
  /** Why copies survive the dedup (src/findings/dedup-blockers.ts). */
  readonly blockers?: BlockerReport;
}

interface Compiled {
  readonly result: UnitResult;
  readonly object?: string;
}

export async function runBinary(run: BinaryRun): Promise<BinaryOutcome> {
  // One compile and one pahole for the whole binary: the left side's (binary's pair is fixed, no per-side tools).
  const cc = await detectTool('cc', run.config.left.tools.cc, run.timeoutSeconds);
  const pahole = await detectTool('pahole', run.config.left.tools.pahole, run.timeoutSeconds);
  const ld = resolveExecutable(run.ld);
  if (ld === undefined) throw new ToolchainError('link', `linker '${run.ld}' not found on PATH`);
  if (!existsSync(run.dedupHelper))
    throw new ToolchainError('dedup', `btf-dedup helper ${run.dedupHelper} is missing (run scripts/setup, which builds it against libbpf-dev)`);
  // One compile per unit that keeps DWARF and .BTF: the pahole vs gcc-btf single-compile plan.
  const config: CompareConfig = { ...run.config, singleCompile: true };
  const runDir = makeRunDir();
  try {
    const compiled = await runPool(
      run.sources,
      run.jobs ?? 1,
      (source, i) => compileUnit(source, i, config, cc, run, runDir),
      (c) => run.onUnit?.(c.result),
    );
    const units = compiled.map((c) => c.result);
    const good = compiled.filter((c): c is Compiled & { object: string } => c.object !== undefined);
    const toolchain = [cc, pahole, { role: 'ld', command: run.ld, path: ld }, { role: 'btf-dedup', command: run.dedupHelper, path: run.dedupHelper }];
    const recipes = [
      { side: 'left' as const, ...ARCHIVE_RECIPES.left },
      { side: 'right' as const, ...ARCHIVE_RECIPES.right },
    ];
    const finish = (binary: UnitResult, extra: Omit<BinaryOutcome, 'result'> = {}): BinaryOutcome => {
      const all = [binary, ...units];
      return { result: { schemaVersion: REPORT_SCHEMA_VERSION, toolchain, recipes, units: all, summary: buildSummary(all) }, ...extra };
    };
    if (good.length === 0) return finish({ source: run.name, commands: [], findings: [], error: { step: 'link', message: 'no unit compiled' } });
    const linked = join(runDir, 'linked.o');
    const leftBtf = join(runDir, 'left.btf');
    const rightBtf = join(runDir, 'right.btf');
    const values = { $LD: ld, $PAHOLE: pahole.path, $DEDUP: run.dedupHelper, $LINKED: linked, $LEFT_BTF: leftBtf, $RIGHT_BTF: rightBtf };
    const lists = { $OBJS: good.map((c) => c.object), $PAHOLE_FLAGS: config.paholeFlags };
    const commands: StepRecord[] = [];
    let dedupOut = '';
    for (const step of ARCHIVE_STEPS) {
      const argv = expandArchiveStep(step, values, lists);
      commands.push({ side: step.side, argv: recordArgv(argv, runDir) });
      try {
        const out = await runCommand({
          executable: argv[0],
          args: argv.slice(1),
          cwd: runDir,
          timeoutSeconds: run.timeoutSeconds * Math.max(1, Math.ceil(good.length / 50)),
          step: `${step.side} ${step.name} (${basename(argv[0])})`,
          outputs: [step.name === 'link' ? linked : step.name === 'encode' ? leftBtf : rightBtf],
        });
        if (step.name === 'dedup') dedupOut = out.stdout;
      } catch (e) {
        if (!(e instanceof ToolchainError)) throw e;
        const line = firstErrorLine(e.stderr);
        return finish({ source: run.name, commands, findings: [], error: { step: e.step, message: line ? `${e.reason}: ${line}` : e.reason } });
      }
    }
    const left = loadBtf(readFileSync(leftBtf)).blobs[0];
    const right = loadBtf(readFileSync(rightBtf)).blobs[0];
    const linkedElf = parseElf(readFileSync(linked));
    // One object's blob at a time: read, taken into the origin index, dropped.
    const origins = recordOrigins(right, objectsOf(good));
    const cmp = compareBinary(left, right, origins, {
      leftRecipe: ARCHIVE_RECIPES.left.name,
      // Rules see the avenue that emitted the records: every archive record is
      // gcc -gbtf's (libbpf's dedup merges records, it never re-encodes one).
      rightRecipe: ARCHIVE_RECIPES.right.rulesAs,
      tools: [cc, pahole],
      symbols: readSymbols(linkedElf),
      rules: run.rules,
    });
    const binary: UnitResult = { source: run.name, commands, findings: cmp.findings, ...(cmp.types ? { types: cmp.types } : {}) };
    const m = /blobs=(\d+) types_in=(\d+) types_out=(\d+)/.exec(dedupOut);
    const counts = m ? { blobs: Number(m[1]), typesIn: Number(m[2]), typesOut: Number(m[3]), left: left.types.length } : undefined;
    // Unit results carry no findings (the binary is compared as a whole): only their commands and failures.
    return finish(binary, { ...(counts ? { counts } : {}), duplicated: cmp.duplicated, blockers: cmp.blockers });
  } finally {
    removeRunDir(runDir);
  }
}

async function compileUnit(source: UnitSource, index: number, config: CompareConfig, cc: ResolvedTool, run: BinaryRun, runDir: string): Promise<Compiled> {
  const dir = join(runDir, `u${index}`);
  mkdirSync(dir);
  const plan = planUnit(source, config, dir);
  const compileOnly = { ...plan, steps: plan.steps.filter((s) => s.name === 'compile') };
  const commands: StepRecord[] = compileOnly.steps.map((s) => ({ side: s.side, argv: recordArgv(s.argv, runDir) }));
  try {
    await runUnitSteps(compileOnly, (step) => stepTool(step, source, { left: { cc }, right: { cc } }, undefined), run.timeoutSeconds, commands);
    return { result: { source: source.display, commands, findings: [] }, object: plan.symbolsFrom };
  } catch (e) {
    if (e instanceof UnitFailure) return { result: { source: source.display, commands, findings: [], error: { step: e.step, message: e.detail } } };
    throw e;
  }
}

/** Each compiled object's blob and symbols, read only when the consumer asks for it. */
function* objectsOf(compiled: readonly Compiled[]): Generator<BinaryObject> {
  for (const c of compiled) if (c.object !== undefined) yield readObject(c.object, c.result.source);
}

/** An object's own blob and symbols (which object a record came from, which defines a function). */
function readObject(path: string, name: string): BinaryObject {
  const loaded = loadBtf(readFileSync(path));
  const btf: Btf = loaded.blobs[0];
  return { name: objectName(name), btf, symbols: loaded.elf ? readSymbols(loaded.elf) : undefined };
}

/** `fs/ext4/inode.c` → `fs/ext4/inode.o`: how findings name the object a record came from. */
function objectName(display: string): string {
  return relative('.', display).replace(/\.c$/, '.o');
}
