import { findSection, isElf, parseElf, readSymbols } from '../artifact/elf.js';
import { btfBlobs, lintBlob, type LintResult } from '../lint/index.js';
import type { Btf } from '../btf/types.js';
import type { LoadedBtf } from '../btf/load.js';
import { compareBinary, recordOrigins } from '../pipeline/binary-compare.js';
import { compareBtf } from '../pipeline/compare.js';
import { buildSummary } from '../report/render.js';
import { REPORT_SCHEMA_VERSION, type RunResult, type UnitResult } from '../report/run-result.js';
import { loadBtfFile, type ReadInput, readEachOnce } from './input.js';
import { stderrLine } from './output.js';
import { loadRightSide } from './union.js';
import { commentTools, parseToolOption, sideTools } from './recorded-tools.js';
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
  /** `ROLE=VERSION` records of the tools that made each side (cli/recorded-tools.ts). */
  leftTool?: string[];
  rightTool?: string[];
}

export function runDiffCommand(a: string, bs: string[], opts: DiffOptions): void {
  const rules = resolveRules(opts);
  const gate = prepareGate(opts);
  const rulesFiles = Array.isArray(opts.rules) ? opts.rules : [];
  const inputs = [a, ...bs, opts.baseLeft, opts.baseRight, ...rulesFiles, opts.baseline];
  refuseToOverwriteInputs('--output', opts.output, inputs);
  refuseToOverwriteInputs('--update-baseline', opts.updateBaseline, inputs.slice(0, -1));
  const leftOptions = (opts.leftTool ?? []).map((v) => parseToolOption(v, 'left'));
  const rightOptions = (opts.rightTool ?? []).map((v) => parseToolOption(v, 'right'));
  // Each side's blob through the kernel's verifier before either graph is decoded: its garbage is
  // then not on top of two vmlinux-size graphs (diff's peak RSS). Not for split or merged BTF.
  // Each input is read once for the verifier, the decoder and the ELF type (a --union-right's many files are read as they are merged, and not kept).
  const read = readEachOnce();
  const verified =
    opts.unionRight === true ? {} : { left: verify(a, opts.baseLeft, read), right: bs.length !== 1 ? undefined : verify(bs[0], opts.baseRight, read) };
  const left = loadBtfFile(a, opts.baseLeft, read);
  const right = opts.unionRight === true ? loadRightSide(bs, true, opts.baseRight, onlyBlob) : loadRightSide(bs, false, opts.baseRight, onlyBlob, read);
  const b = right.name;
  const tools = [...sideTools(leftOptions, commentTools(left.elf ? [left.elf] : [], 'left')), ...sideTools(rightOptions, right.comments)];
  const leftSymbols = left.elf ? readSymbols(left.elf) : [];
  // Whole binary: the objects' symbols say which of them defines what; the left's (a linked ELF) comes first.
  const symbols = opts.unionRight === true ? [...leftSymbols, ...right.symbols] : left.elf ? leftSymbols : undefined;
  const ctx = {
    leftRecipe: opts.leftRecipe,
    rightRecipe: opts.rightRecipe,
    tools,
    ...(symbols !== undefined && (left.elf || right.symbols.length > 0) ? { symbols } : {}),
    rules,
  };
  // Whole binary: compared as `binary` compares one (which object each record came from, the
  // definition's FUNC paired, DATASECs by variable over every object, surplus copies once per name).
  const { findings, types } =
    opts.unionRight === true
      ? compareBinary(onlyBlob(a, left), right.btf, recordOrigins(right.btf, right.objects), ctx, 'the union')
      : compareBtf(
          onlyBlob(a, left),
          right.btf,
          ctx,
          // Each side's blob through the kernel's verifier: `rejected` findings (not for split or merged BTF).
          {
            bytes: { left: verified.left?.bytes, right: verified.right?.bytes },
            verified: { left: verified.left?.result, right: verified.right?.result },
            ...relocatable(a, bs, read),
          },
        );
  const units: UnitResult[] = [{ source: `${a} vs ${b}`, commands: [], findings, ...(types ? { types } : {}) }];
  const result: RunResult = {
    schemaVersion: REPORT_SCHEMA_VERSION,
    toolchain: tools,
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

/**
 * Which sides are relocatable objects' `.BTF` (libbpf fixes those up before the kernel sees
 * them: a DATASEC's size comes from its section), and the object's section names.
 */
function relocatable(a: string, bs: readonly string[], read: ReadInput): { objectBtf?: ('left' | 'right')[]; sections?: string[] } {
  const sectionsOf = (file: string | undefined): string[] | undefined => {
    if (file === undefined) return undefined;
    try {
      const bytes = read(file);
      if (!isElf(bytes)) return undefined;
      const elf = parseElf(bytes);
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

/** The one BTF blob of a file, as the kernel would be handed it; undefined for split BTF, archives or unreadable input (the reader reports those). */
function lintBytes(file: string, base: string | undefined, read: ReadInput): Uint8Array | undefined {
  if (base !== undefined) return undefined;
  try {
    // Read as the loader reads it (a regular file under the size limit): its errors are the loader's to report.
    const bytes = read(file);
    // A module's .BTF over its distilled base (.BTF.base) is split BTF: not what BPF_BTF_LOAD takes.
    if (isElf(bytes) && findSection(parseElf(bytes), '.BTF.base')) return undefined;
    const blobs = btfBlobs(bytes);
    return blobs.length === 1 ? blobs[0].bytes : undefined;
  } catch {
    return undefined;
  }
}

/** A side's blob and the verifier's result for it; undefined where lintBytes gives no blob. */
function verify(file: string, base: string | undefined, read: ReadInput): { bytes: Uint8Array; result: LintResult } | undefined {
  const bytes = lintBytes(file, base, read);
  return bytes === undefined ? undefined : { bytes, result: lintBlob(bytes) };
}
