/**
 * One unit, end to end: source → recipe steps → artifacts → decoded BTF →
 * findings. A unit never throws for toolchain or artifact trouble: the
 * failure becomes UnitResult.error and the run goes on with the next unit.
 *
 * Inputs are plain data (source, index, UnitEnv) and the unit works only
 * inside its own subdirectory (removed when the unit is done, so a kernel
 * run does not pile up objects), so units run concurrently in a pool.
 */
import { mkdirSync, rmSync } from 'node:fs';
import { basename, join } from 'node:path';
import { type ElfFile, findSection, parseElf, readSymbols, type ElfSymbol } from '../artifact/elf.js';
import type { LoadedBtf } from '../btf/load.js';
import { INPUT_LIMITS, readRegularFile } from '../io/regular-file.js';
import type { Rule } from '../findings/rules-schema.js';
import type { StepRecord, UnitResult } from '../report/run-result.js';
import { type BtfLocation, type CompareConfig, type PlannedStep, planUnit, recordArgv, type UnitPlan } from '../recipe/plan.js';
import type { ResolvedTool, ToolInfo } from '../recipe/tools.js';
import { fnv1a32 } from '../source/shard.js';
import type { UnitSource } from '../source/unit-source.js';
// The comparison, the DWARF reader and the verifier (compare.js's graph: ~46 modules) are
// imported where a unit needs them: a warm run serves every unit without loading them.
import type { Comparison } from './compare.js';
import type { ScannedComparison } from './comparison-text.js';
import { servedUnit } from './unit-spill.js';
import type { StoredComparison } from '../cache/store.js';
import { readDwarfText } from '../witness/dwarf.js';
import type { DwarfFacts } from '../verdict/dwarf-facts.js';
import type { ClassifiedFinding } from '../findings/finding.js';
import {
  btfBytes,
  type CacheLookup,
  comparisonKey,
  depFileArgs,
  loadObjectFacts,
  loadSymbols,
  lookUpUnit,
  type ObjectMeta,
  recordUnit,
  storeSymbols,
  type UnitCache,
} from './unit-cache.js';
import { decodeSide, readSide, type RunTools, runUnitSteps, sideFacts, stepTool, toolchainInfos, UnitFailure } from './unit-steps.js';

export interface UnitEnv {
  readonly config: CompareConfig;
  /** Resolved tools for every role the recipes use. */
  readonly tools: RunTools;
  readonly timeoutSeconds: number;
  /** The run's temp dir; recorded commands show it as `$TMP`. */
  readonly runDir: string;
  /** Known-divergence rules for classification; none when absent. */
  readonly rules?: readonly Rule[];
  /** Resolved compilers of units that name their own (`UnitSource.compiler`), by command. */
  readonly compilers?: ReadonlyMap<string, ResolvedTool>;
  /** The artifact cache; absent with `--no-cache`. */
  readonly cache?: UnitCache;
}

export async function checkUnit(source: UnitSource, index: number, env: UnitEnv): Promise<UnitResult> {
  const dir = makeUnitDir(env.runDir, source, index);
  const plan = planUnit(source, env.config, dir, sideFacts(env.tools));
  const commands: StepRecord[] = plan.steps.map((step) => ({ side: step.side, argv: recordArgv(step.argv, env.runDir) }));
  const toolFor = (step: PlannedStep): ResolvedTool => stepTool(step, source, env.tools, env.compilers);
  try {
    const tools = unitToolInfos(source, env);
    const objectBtf = (['left', 'right'] as const).filter((s) => plan.btf[s].from === 'object');
    // The key the comparison is stored under, once the artifacts have one (a hit's now, a miss's when recorded).
    const storedAs = (artifactKey: string | undefined) =>
      artifactKey !== undefined && env.cache?.comparisons !== undefined ? comparisonKey(env.cache.comparisons, artifactKey, tools, objectBtf) : undefined;
    const serve = (artifactKey: string): StoredComparison | undefined => {
      const at = storedAs(artifactKey);
      return at !== undefined ? env.cache?.store.comparison(at) : undefined;
    };
    const lookup: CacheLookup = env.cache ? await lookUpUnit(plan, dir, toolFor, env.cache, env.timeoutSeconds, serve) : { kind: 'off' };
    if (lookup.kind === 'served') return servedResult(source, commands, lookup.comparison);
    const hit = lookup.kind === 'hit' ? lookup.unit : undefined;
    let comparisonAt = lookup.kind === 'hit' ? storedAs(lookup.key) : undefined;
    let sides: {
      left: LoadedBtf;
      right: LoadedBtf;
      symbols: ElfSymbol[] | undefined;
      bytes: { left: Uint8Array; right: Uint8Array };
      object: ObjectMeta;
    };
    if (hit) {
      sides = {
        left: decodeSide('left', 'cache', hit.left),
        right: decodeSide('right', 'cache', hit.right),
        symbols: loadSymbols(hit.meta),
        bytes: { left: hit.left, right: hit.right },
        object: loadObjectFacts(hit.meta),
      };
    } else {
      const tmpDir = join(dir, 'tmp'); // the steps' TMPDIR: a killed compiler's leftovers go with the unit dir
      mkdirSync(tmpDir);
      await runUnitSteps(plan, toolFor, env.timeoutSeconds, commands, tmpDir, (step) => depFileArgs(lookup, step));
      const left = readSide('left', plan.btf.left);
      const right = readSide('right', plan.btf.right);
      sides = {
        left,
        right,
        symbols: objectSymbols(plan.symbolsFrom, [
          [plan.btf.left, left],
          [plan.btf.right, right],
        ]),
        bytes: { left: btfBytes(plan.btf.left.file), right: btfBytes(plan.btf.right.file) },
        object: await objectFacts(plan, env.timeoutSeconds),
      };
      if (env.cache) {
        const unit = { left: sides.bytes.left, right: sides.bytes.right, meta: storeSymbols(sides.symbols, sides.object) };
        comparisonAt = storedAs(await recordUnit(lookup, unit, plan, dir, toolFor, env.cache, env.timeoutSeconds));
      }
    }
    const { compareBtf } = await import('./compare.js');
    const comparison = compareBtf(
      sides.left.blobs[0],
      sides.right.blobs[0],
      {
        leftRecipe: env.config.left.recipe.name,
        rightRecipe: env.config.right.recipe.name,
        tools,
        symbols: sides.symbols,
        rules: env.rules,
      },
      // Each side's BTF is made from the unit's compile: checked against that object (symbols, sections), linted, judged by its DWARF.
      {
        ...sides.object,
        bytes: sides.bytes,
        ownObject: ['left', 'right'],
        objectBtf,
      },
    );
    if (comparisonAt !== undefined) env.cache?.store.putComparison(comparisonAt, comparison);
    return unitResult(source, commands, comparison);
  } catch (e) {
    if (e instanceof UnitFailure) {
      return { source: source.display, commands: e.ran ?? commands, findings: await truncatedSides(plan), error: { step: e.step, message: e.detail } };
    }
    throw e;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function unitResult(source: UnitSource, commands: StepRecord[], { findings, types }: Comparison): UnitResult {
  return { source: source.display, commands, findings, ...(types ? { types } : {}) };
}

/**
 * A served unit: from the stored text as scanComparison read it (its
 * findings and types parsed only when read), or from the parsed value where
 * the text was not one that pass reads.
 */
function servedResult(source: UnitSource, commands: StepRecord[], stored: StoredComparison): UnitResult {
  if ('value' in stored) return unitResult(source, commands, stored.value as Comparison);
  const { findings, types, counts } = stored.scanned as ScannedComparison;
  return servedUnit(source.display, commands, { findings, ...(types !== undefined ? { types } : {}) }, counts);
}

/** The tools rules see for this unit: each side's (toolchainInfos), the unit's own compiler for cc. */
function unitToolInfos(source: UnitSource, env: UnitEnv): ToolInfo[] {
  const own = source.compiler !== undefined ? env.compilers?.get(source.compiler) : undefined;
  return toolchainInfos(env.tools).map((t) => (own && t.role === 'cc' ? { ...own, ...(t.side ? { side: t.side } : {}) } : t));
}

/**
 * `21-multidim-array-1a2b3c4d`: readable when debugging, free of user path
 * separators, and a function of the unit's name alone (FNV-1a of how the
 * report names it), so the commands recorded for a unit are the same in a
 * full run and in any shard of it. The index only separates a unit given
 * twice in one run.
 */
function makeUnitDir(runDir: string, source: UnitSource, index: number): string {
  const stem = basename(source.arg)
    .replace(/\.[^.]*$/, '')
    .replace(/[^A-Za-z0-9_.-]/g, '_');
  const dir = join(runDir, `${stem}-${fnv1a32(source.display).toString(16).padStart(8, '0')}`);
  try {
    mkdirSync(dir);
    return dir;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    mkdirSync(`${dir}-${index + 1}`);
    return `${dir}-${index + 1}`;
  }
}

/** Symbols of the compiled object; undefined when it cannot be read (classification then does without). */
function objectSymbols(object: string, sides: ReadonlyArray<readonly [BtfLocation, LoadedBtf]>): ElfSymbol[] | undefined {
  // A side whose BTF came from the object has it parsed already (gcc -gbtf's side usually): no second read.
  for (const [where, loaded] of sides) if (where.from === 'object' && where.file === object && loaded.elf) return readSymbols(loaded.elf);
  try {
    return readSymbols(parseElf(readRegularFile(object, { maxBytes: INPUT_LIMITS.binary })));
  } catch {
    return undefined;
  }
}

/**
 * The compiled object's section names, and the DWARF facts of the same
 * compile: read from the first compile output that carries `.debug_info`
 * (the pahole side's `gcc -g` object by default; in single-compile mode the
 * one shared object). Without such an object, or when the in-process
 * reader declines and no llvm-dwarfdump is installed: no facts.
 */
async function objectFacts(plan: UnitPlan, timeoutSeconds: number): Promise<ObjectMeta> {
  const objects = [plan.symbolsFrom, ...plan.steps.filter((s) => s.name === 'compile').flatMap((s) => s.outputs)];
  let sections: Pick<ObjectMeta, 'sections' | 'sectionSizes'> = {};
  for (const object of [...new Set(objects)]) {
    let elf: ElfFile;
    try {
      elf = parseElf(readRegularFile(object, { maxBytes: INPUT_LIMITS.binary }));
    } catch {
      continue;
    }
    if (object === plan.symbolsFrom) {
      const named = elf.sections.filter((s) => s.name !== '');
      sections = { sections: named.map((s) => s.name), sectionSizes: Object.fromEntries(named.map((s) => [s.name, s.size])) };
    }
    if (!findSection(elf, '.debug_info')) continue;
    const dwarf = await dwarfOf(object, elf, timeoutSeconds);
    return { ...sections, ...(dwarf !== undefined ? { dwarf } : {}) };
  }
  return sections;
}

/** The object's DWARF facts: read in-process; where that reader declines, from llvm-dwarfdump's text (undefined without one). */
async function dwarfOf(object: string, elf: ElfFile, timeoutSeconds: number): Promise<DwarfFacts | undefined> {
  const [{ readDwarfDies }, { dwarfFacts, parseDwarfFacts }] = await Promise.all([import('../artifact/dwarf-info.js'), import('../verdict/dwarf-facts.js')]);
  const read = readDwarfDies(elf);
  if (read.kind === 'dies') return dwarfFacts(read.tree);
  const text = await readDwarfText(object, timeoutSeconds);
  return text !== undefined ? parseDwarfFacts(text) : undefined;
}

/**
 * After a failed unit: each side's BTF that was written but whose `.BTF`
 * lengths disagree with its bytes (a header claiming more type bytes than
 * the section holds), or whose header the kernel refuses, is that side's
 * own defect (`self-inconsistent`, `rejected`), whichever step then failed.
 */
async function truncatedSides(plan: UnitPlan): Promise<ClassifiedFinding[]> {
  const { lengthFinding, rejectedFindings } = await import('../verdict/own-defects.js');
  const out: ClassifiedFinding[] = [];
  for (const side of ['left', 'right'] as const) {
    let bytes: Uint8Array;
    try {
      bytes = btfBytes(plan.btf[side].file);
    } catch {
      continue;
    }
    const length = lengthFinding(side, bytes);
    // The verifier's header and section checks (overlaps, bounds): what a reader that gave up could not say.
    const magic = bytes.length >= 2 && ((bytes[0] === 0x9f && bytes[1] === 0xeb) || (bytes[0] === 0xeb && bytes[1] === 0x9f));
    const header = magic ? rejectedFindings(side, bytes, undefined).filter((f) => f.entity === 'btf header') : [];
    for (const f of [...(length ? [length] : []), ...header]) out.push({ ...f, status: 'unexplained' });
  }
  return out;
}
