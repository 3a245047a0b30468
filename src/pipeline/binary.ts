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
import { type ElfSymbol, findSection, readSymbols } from '../artifact/elf.js';
import { loadBtf, loadBtfLazy } from '../btf/load.js';
import type { Btf } from '../btf/types.js';
import { ToolchainError } from '../errors.js';
import type { RecordOrigins } from '../findings/binary-origins.js';
import type { BlockerReport } from '../findings/dedup-blockers.js';
import { ConcatenationCheck, type LinkerBtf } from '../findings/linker-btf.js';
import type { Rule } from '../findings/rules-schema.js';
import { ARCHIVE_RECIPES, ARCHIVE_STEPS, expandArchiveStep } from '../recipe/archive.js';
import { makeRunDir, removeRunDir } from '../recipe/cleanup.js';
import { type CompareConfig, planUnit, recordArgv } from '../recipe/plan.js';
import { firstErrorLine, runCommand } from '../recipe/run-step.js';
import { detectTool, firstOutputLine, type ResolvedTool, resolveExecutable, type ToolInfo } from '../recipe/tools.js';
import { buildSummary } from '../report/render.js';
import { REPORT_SCHEMA_VERSION, type RunResult, type StepRecord, type UnitResult } from '../report/run-result.js';
import type { UnitSource } from '../source/unit-source.js';
import { type RunnableTool, toolCommand } from '../toolchain/exec.js';
import { findInRoot, parseToolRef, rootOf, rootVersionLine } from '../toolchain/tool-ref.js';
import { type BinaryObject, compareBinary, recordOrigins } from './binary-compare.js';
import { readElfParts } from './elf-parts.js';
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
  /** The linker (`ld`, or `ROOT:ld` of a toolchain root). */
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
  /** What the linker made of the objects' `.BTF` (src/findings/linker-btf.ts). */
  readonly linker?: LinkerBtf;
}

interface Compiled {
  readonly result: UnitResult;
  readonly object?: string;
}

/** A compiled object of the binary: its path, and the unit's display name (reports name the object after it). */
export interface ObjectFile {
  readonly path: string;
  readonly source: string;
}

export async function runBinary(run: BinaryRun): Promise<BinaryOutcome> {
  // One compile and one pahole for the whole binary: the left side's (binary's pair is fixed, no per-side tools).
  const cc = await detectTool('cc', run.config.left.tools.cc, run.timeoutSeconds);
  const pahole = await detectTool('pahole', run.config.left.tools.pahole, run.timeoutSeconds);
  const ld = await resolveLinker(run.ld, run.timeoutSeconds);
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
    const objects = good.map((c): ObjectFile => ({ path: c.object, source: c.result.source }));
    const toolchain: ToolInfo[] = [cc, pahole, ld.info, { role: 'btf-dedup', command: run.dedupHelper, path: run.dedupHelper }];
    const recipes = [
      { side: 'left' as const, ...ARCHIVE_RECIPES.left },
      { side: 'right' as const, ...ARCHIVE_RECIPES.right },
    ];
    const finish = (binary: UnitResult, extra: Omit<BinaryOutcome, 'result'> = {}, more: readonly UnitResult[] = []): BinaryOutcome => {
      const all = [binary, ...more, ...units];
      return { result: { schemaVersion: REPORT_SCHEMA_VERSION, toolchain, recipes, units: all, summary: buildSummary(all) }, ...extra };
    };
    if (good.length === 0) return finish({ source: run.name, commands: [], findings: [], error: { step: 'link', message: 'no unit compiled' } });
    const linked = join(runDir, 'linked.o');
    const leftBtf = join(runDir, 'left.btf');
    const rightBtf = join(runDir, 'right.btf');
    const values = { $LD: ld.tool.path, $PAHOLE: pahole.path, $DEDUP: run.dedupHelper, $LINKED: linked, $LEFT_BTF: leftBtf, $RIGHT_BTF: rightBtf };
    const lists = { $OBJS: good.map((c) => c.object), $PAHOLE_FLAGS: config.paholeFlags };
    const commands: StepRecord[] = [];
    let dedupOut = '';
    for (const step of ARCHIVE_STEPS) {
      const argv = expandArchiveStep(step, values, lists);
      commands.push({ side: step.side, argv: recordArgv(argv, runDir) });
      try {
        // Only the linker may come from a toolchain root; it writes the run directory.
        const tool: RunnableTool = step.name === 'link' ? ld.tool : { path: argv[0] };
        const out = await runCommand(
          toolCommand(
            tool,
            {
              args: argv.slice(1),
              cwd: runDir,
              timeoutSeconds: run.timeoutSeconds * Math.max(1, Math.ceil(good.length / 50)),
              step: `${step.side} ${step.name} (${basename(argv[0])})`,
              outputs: [step.name === 'link' ? linked : step.name === 'encode' ? leftBtf : rightBtf],
            },
            step.name === 'link' ? [runDir] : [],
          ),
        );
        if (step.name === 'dedup') dedupOut = out.stdout;
      } catch (e) {
        if (!(e instanceof ToolchainError)) throw e;
        const line = firstErrorLine(e.stderr);
        return finish({ source: run.name, commands, findings: [], error: { step: e.step, message: line ? `${e.reason}: ${line}` : e.reason } });
      }
    }
    const left = loadBtf(readFileSync(leftBtf)).blobs[0];
    const right = loadBtf(readFileSync(rightBtf)).blobs[0];
    const { origins, symbols, linker, linkerBtf } = readLinked(linked, right, objects);
    const ctx = {
      leftRecipe: ARCHIVE_RECIPES.left.name,
      // Rules see the avenue that emitted the records: every archive record is
      // gcc -gbtf's (libbpf's dedup merges records, it never re-encodes one).
      rightRecipe: ARCHIVE_RECIPES.right.rulesAs,
      tools: [cc, pahole],
      symbols,
      rules: run.rules,
    };
    const cmp = compareBinary(left, right, origins, ctx);
    const binary: UnitResult = { source: run.name, commands, findings: cmp.findings, ...(cmp.types ? { types: cmp.types } : {}) };
    // A linker that deduplicates BTF itself: its one blob is a third side, against the same pahole BTF.
    const third = linkerBtf ? [linkerUnit(run.name, left, linkerBtf, objects, ctx)] : [];
    const m = /blobs=(\d+) types_in=(\d+) types_out=(\d+)/.exec(dedupOut);
    const counts = m ? { blobs: Number(m[1]), typesIn: Number(m[2]), typesOut: Number(m[3]), left: left.types.length } : undefined;
    // Unit results carry no findings (the binary is compared as a whole): only their commands and failures.
    return finish(binary, { ...(counts ? { counts } : {}), duplicated: cmp.duplicated, blockers: cmp.blockers, linker }, third);
  } finally {
    removeRunDir(runDir);
  }
}

/**
 * What the comparison needs of the linked object and the objects: the origin index, the linked
 * symbols, and what the linker did with `.BTF`. Its own function so that the linked section and
 * the ELF parts are garbage once it returns: the concatenation's blobs are only counted (a lazy
 * decode, same checks), not made into objects — for 555 objects that was 1.2 million decoded
 * types held through the comparison. Only a linker that deduplicated (one blob) has its blob decoded.
 */
export function readLinked(
  linked: string,
  right: Btf,
  objects: readonly ObjectFile[],
): { origins: RecordOrigins; symbols: ElfSymbol[]; linker: LinkerBtf; linkerBtf?: Btf } {
  // Only the symbol table and .BTF of the linked object: the rest (DWARF, relocations) is most of its bytes.
  const linkedElf = readElfParts(linked, ['.BTF']);
  const section = findSection(linkedElf, '.BTF')?.data ?? new Uint8Array(0);
  const concatenation = new ConcatenationCheck(section);
  // One object's blob at a time: read, taken into the origin index, dropped.
  const origins = recordOrigins(
    right,
    objectsOf(objects, (s) => concatenation.add(s)),
  );
  const linker = concatenation.verdict(section.length === 0 ? 0 : loadBtfLazy(section).blobs.length);
  const symbols = readSymbols(linkedElf);
  return linker.kind === 'single-blob' ? { origins, symbols, linker, linkerBtf: loadBtf(section).blobs[0] } : { origins, symbols, linker };
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

/** Each compiled object's blob and symbols, read only when the consumer asks for it; `onSection` sees its raw `.BTF`. */
function* objectsOf(objects: readonly ObjectFile[], onSection: (section: Uint8Array) => void = () => {}): Generator<BinaryObject> {
  for (const o of objects) yield readObject(o.path, o.source, onSection);
}

/** An object's own blob and symbols (which object a record came from, which defines a function). */
function readObject(path: string, name: string, onSection: (section: Uint8Array) => void): BinaryObject {
  const loaded = loadBtf(readFileSync(path));
  if (loaded.elf) onSection(findSection(loaded.elf, '.BTF')?.data ?? new Uint8Array(0));
  const btf: Btf = loaded.blobs[0];
  return { name: objectName(name), btf, symbols: loaded.elf ? readSymbols(loaded.elf) : undefined };
}

/** The linker's own BTF (one blob, not the concatenation) against pahole's: the `linker` side, as its own unit. */
function linkerUnit(name: string, left: Btf, linkerBtf: Btf, objects: readonly ObjectFile[], ctx: Parameters<typeof compareBinary>[3]): UnitResult {
  const cmp = compareBinary(left, linkerBtf, recordOrigins(linkerBtf, objectsOf(objects)), { ...ctx, rightRecipe: 'linker' });
  return { source: `${name} (linker side: pahole vs the linked .BTF)`, commands: [], findings: cmp.findings, ...(cmp.types ? { types: cmp.types } : {}) };
}

/** `ld` on the host or `ROOT:ld` in a toolchain root, with its version line. */
async function resolveLinker(command: string, timeoutSeconds: number): Promise<{ tool: RunnableTool; info: ToolInfo }> {
  const ref = parseToolRef(command);
  if (ref) {
    const what = `ld '${command}'`;
    const root = rootOf(ref, what);
    const path = findInRoot(root.fs, ref.tool);
    if (path === undefined) throw new ToolchainError(what, `'${ref.tool}' is not in root '${root.name}'`);
    const where = { name: root.name, fs: root.fs };
    const version = await rootVersionLine(where, path, timeoutSeconds);
    return { tool: { path, root: where }, info: { role: 'ld', command, path, ...(version ? { version } : {}) } };
  }
  const path = resolveExecutable(command);
  if (path === undefined) throw new ToolchainError('link', `linker '${command}' not found on PATH`);
  const version = await runCommand({ executable: path, args: ['--version'], cwd: process.cwd(), timeoutSeconds, step: `${path} --version` }).then(
    firstOutputLine,
    () => undefined,
  );
  return { tool: { path }, info: { role: 'ld', command, path, ...(version ? { version } : {}) } };
}

/** `fs/ext4/inode.c` → `fs/ext4/inode.o`: how findings name the object a record came from. */
function objectName(display: string): string {
  return relative('.', display).replace(/\.c$/, '.o');
}
