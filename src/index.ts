/**
 * The btfparity library API (the package root). Pure functions only: bytes
 * in, decoded graphs, findings and text out. The CLI in src/cli/ is built
 * on these; running the toolchain stays in the CLI.
 */
// Reader: ELF and BTF decoding.
export { parseElf, readSymbols, findSection, isElf } from './artifact/elf.js';
export type { ElfFile, ElfSection, ElfSymbol } from './artifact/elf.js';
export { decodeBtf, decodeBtfLazy, decodeHeader, LazyBtf } from './btf/decode.js';
export type { DecodeOptions } from './btf/decode.js';
export { loadBtf, loadBtfLazy } from './btf/load.js';
export { BtfIndex } from './btf/btf-index.js';
export type { Adjacency } from './btf/btf-index.js';
export type { LoadedBtf, LoadOptions } from './btf/load.js';
export * from './btf/types.js';
// Writers: dumps and the encoder.
export { dumpBpftool, bpftoolLine, writeBpftool, writeBpftoolLazy } from './btf/dump-bpftool.js';
export { dumpBpftoolJson } from './btf/dump-bpftool-json.js';
export { dumpJson, graphTypes, typeJson, writeDumpJson, DUMP_JSON_VERSION } from './btf/dump-json.js';
export type { DumpJsonSource, JsonTypes } from './btf/dump-json.js';
export { encodeBtf, stringSpaceEnd } from './btf/encode.js';
export type { EncodeOptions, EncodableBtf } from './btf/encode.js';
export { mergeBtfs } from './btf/merge.js';
// Canonical form and the structural diff.
export { canonicalize, dumpCanonical, canonicalId, sameClass } from './canonical/graph.js';
export type { CanonicalGraph } from './canonical/graph.js';
export { renderCType } from './canonical/render.js';
export { diffBtf } from './findings/diff.js';
export type { DiffOptions } from './findings/diff.js';
export { CATEGORIES, STATUSES, findingKey } from './findings/finding.js';
export type { Category, ClassifiedFinding, Finding, Status } from './findings/finding.js';
// Classification, reports and the baseline gate.
export { classifyFindings } from './findings/classify.js';
export type { ClassifyContext } from './findings/classify.js';
export { parseRules } from './findings/rules-parse.js';
export type { Rule } from './findings/rules-schema.js';
export { compareBtf } from './pipeline/compare.js';
export { REPORT_FORMATS, buildSummary, renderReport } from './report/render.js';
export type { ReportFormat, RenderOptions } from './report/render.js';
export { REPORT_SCHEMA_VERSION } from './report/run-result.js';
export type { RunResult, UnitResult, RunSummary, StepRecord } from './report/run-result.js';
export { MATRIX_SCHEMA_VERSION, buildMatrix } from './report/matrix.js';
export type { Matrix, MatrixCell, MatrixClass, MatrixRow, PairRun } from './report/matrix.js';
export { renderMatrix } from './report/matrix-render.js';
export type { ToolInfo } from './recipe/tools.js';
export { baselineFrom, compareToBaseline, parseBaseline, renderBaseline } from './report/baseline.js';
export type { Baseline, BaselineComparison, FailOn } from './report/baseline.js';
// Compile databases.
export { parseCompileCommands } from './source/compile-commands.js';
export { shardUnits, parseShard } from './source/shard.js';
export type { CompileUnit } from './source/compile-unit.js';
// Errors every entry point may throw.
export { InputError, ToolchainError, EXIT } from './errors.js';
// The kernel's verdict: BTF checked as BPF_BTF_LOAD checks it (the kernel witness itself runs in the CLI).
export { ALL_RULES as LINT_RULES, btfBlobs, lintBlob, lintFile, reasonAgrees } from './lint/index.js';
export type { LintOptions, LintRejection, LintResult, LintRule, LintRuleId } from './lint/index.js';
