import { readFileSync } from 'node:fs';
import { findSection, isElf, parseElf, readSymbols } from '../artifact/elf.js';
import { btfBlobs } from '../lint/index.js';
import type { Btf } from '../btf/types.js';
import type { LoadedBtf } from '../btf/load.js';
import { compareBtf } from '../pipeline/compare.js';
import { buildSummary } from '../report/render.js';
import { REPORT_SCHEMA_VERSION, type RunResult, type UnitResult } from '../report/run-result.js';
import { loadBtfFile } from './input.js';
import { stderrLine } from './output.js';
import { loadRightSide } from './union.js';
import { emitReport, type ReportOptions, renderOptions, refuseToOverwriteInputs } from './report-output.js';
import { resolveRules } from './settings.js';
import { type GateOptions, gateExitStatus, prepareGate, reportOnStdoutWanted } from './gate.js';
import { renderTextSummary } from '../report/text.js';
import { writeOut } from './output.js';

export interface DiffOptions extends ReportOptions, GateOptions {
  baseLeft?: string;
  baseRight?: string;
  leftRecipe: string;
  rightRecipe: string;
  unionRight?: boolean;
}

export function runDiffCommand(a: string, bs: string[], opts: DiffOptions): void {
  const rules = resolveRules(opts);
  const gate = prepareGate(opts);
  const rulesFiles = Array.isArray(opts.rules) ? opts.rules : [];
  const inputs = [a, ...bs, opts.baseLeft, opts.baseRight, ...rulesFiles, opts.baseline];
  refuseToOverwriteInputs('--output', opts.output, inputs);
  refuseToOverwriteInputs('--update-baseline', opts.updateBaseline, inputs.slice(0, -1));
  const left = loadBtfFile(a, opts.baseLeft);
  const right = loadRightSide(bs, opts.unionRight === true, opts.baseRight, onlyBlob);
  const b = right.name;
  const { findings, types } = compareBtf(
    onlyBlob(a, left),
    right.btf,
    {
      leftRecipe: opts.leftRecipe,
      rightRecipe: opts.rightRecipe,
      tools: [],
      symbols: left.elf ? readSymbols(left.elf) : undefined,
      rules,
    },
    // Each side's blob through the kernel's verifier: `rejected` findings (not for split or merged BTF).
    {
      bytes: { left: lintBytes(a, opts.baseLeft), right: opts.unionRight === true || bs.length !== 1 ? undefined : lintBytes(bs[0], opts.baseRight) },
      ...relocatable(a, bs),
    },
  );
  const units: UnitResult[] = [{ source: `${a} vs ${b}`, commands: [], findings, ...(types ? { types } : {}) }];
  const result: RunResult = {
    schemaVersion: REPORT_SCHEMA_VERSION,
    toolchain: [],
    recipes: [
      { side: 'left', name: opts.leftRecipe, description: a },
      { side: 'right', name: opts.rightRecipe, description: b },
    ],
    units,
    summary: buildSummary(units),
  };
  if (reportOnStdoutWanted(opts)) emitReport(result, opts, gate);
  else writeOut(renderTextSummary(result, renderOptions(opts)));
  process.exitCode = gateExitStatus(result, gate);
}

/** The first blob; for a BTF archive say on stderr that only it is compared. */
function onlyBlob(file: string, loaded: LoadedBtf): Btf {
  if (loaded.blobs.length > 1) stderrLine(`${file}: BTF archive with ${loaded.blobs.length} blobs; comparing the first`);
  return loaded.blobs[0];
}

/** The one BTF blob of a file, as the kernel would be handed it; undefined for split BTF, archives or unreadable input (the reader reports those). */
/**
 * Which sides are relocatable objects' `.BTF` (libbpf fixes those up before the kernel sees
 * them: a DATASEC's size comes from its section), and the object's section names.
 */
function relocatable(a: string, bs: readonly string[]): { objectBtf?: ('left' | 'right')[]; sections?: string[] } {
  const sectionsOf = (file: string | undefined): string[] | undefined => {
    if (file === undefined) return undefined;
    try {
      const elf = parseElf(new Uint8Array(readFileSync(file)));
      return elf.type === ET_REL ? elf.sections.map((s) => s.name).filter((n) => n !== '') : undefined;
    } catch {
      return undefined;
    }
  };
  const left = sectionsOf(a);
  const right = bs.length === 1 ? sectionsOf(bs[0]) : undefined;
  const objectBtf = [...(left ? (['left'] as const) : []), ...(right ? (['right'] as const) : [])];
  return objectBtf.length === 0 ? {} : { objectBtf, sections: [...new Set([...(left ?? []), ...(right ?? [])])] };
}

/** ELF e_type of a relocatable object. */
const ET_REL = 1;

function lintBytes(file: string, base: string | undefined): Uint8Array | undefined {
  if (base !== undefined) return undefined;
  try {
    const bytes = new Uint8Array(readFileSync(file));
    // A module's .BTF over its distilled base (.BTF.base) is split BTF: not what BPF_BTF_LOAD takes.
    if (isElf(bytes) && findSection(parseElf(bytes), '.BTF.base')) return undefined;
    const blobs = btfBlobs(bytes);
    return blobs.length === 1 ? blobs[0].bytes : undefined;
  } catch {
    return undefined;
  }
}
