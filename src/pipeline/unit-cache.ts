/**
 * The artifact cache as the pipeline uses it: which facts make a unit's key,
 * what is stored (each side's BTF bytes, the object's symbol table and
 * section names, the same compile's DWARF facts:
 * everything compareBtf and the classifier need), and how it comes back.
 * A hit skips every toolchain step.
 *
 * The comparison of a unit (its findings and involved-type text) is a
 * second entry, keyed by the artifacts' key and everything else the
 * comparison reads: the rules in force (their content, in order), the
 * recipes' names, the tools rules see, which sides' BTF is an object's,
 * and a digest of btfparity's own code (cache/code-digest.ts). So changed
 * rules, another tool or a newer btfparity never serve stale findings: they
 * make another key, and the comparison is redone. `reuseComparisons:
 * false` (`check --recompare`) redoes it on every hit regardless.
 * When a hit's comparison is there, the artifacts are not read at all: a
 * damaged artifact entry is found (and rebuilt) by the first run that needs
 * it, one that recompares.
 */
import { findSection, isElf, parseElf, type ElfSymbol } from '../artifact/elf.js';
import { join } from 'node:path';
import {
  candidateDirs,
  DIRECT_ENV,
  DIRECT_FORMAT,
  directBaseKey,
  directRefusal,
  entryKey,
  explicitSearchDirs,
  type ManifestEntry,
  parseDepFile,
  parseSearchList,
  heldDigest,
  heldPlace,
  withEntry,
} from '../cache/direct.js';
import { nowNs, RECENT_NS, type TreeFacts } from '../cache/file-state.js';
import { sha256, type ToolDigest, unitCacheKey } from '../cache/key.js';
import { captureStderr, digestStdout, preprocessArgv, searchListArgv } from '../cache/preprocess.js';
import type { ArtifactCache, CachedUnit, StoredComparison } from '../cache/store.js';
import type { ToolDigestBook } from '../cache/tool-digest.js';
import { assertNever, byCodeUnit, pushAll } from '../lang.js';
import { type PlannedStep, recordArgv, type UnitPlan } from '../recipe/plan.js';
import type { ResolvedTool, ToolInfo } from '../recipe/tools.js';
import type { Rule } from '../findings/rules-schema.js';
import type { Comparison } from './compare.js';
import { toolCommand, toolKey } from '../toolchain/exec.js';
import { identifyTool } from '../toolchain/identity.js';
import { INPUT_LIMITS, readRegularFile, readTextFile } from '../io/regular-file.js';
import type { DwarfFacts } from '../verdict/dwarf-facts.js';

export interface UnitCache {
  readonly store: ArtifactCache;
  /** Content digest of every tool the run may execute, by resolved path. */
  readonly tools: ReadonlyMap<string, ToolDigest>;
  /** The run's view of the source tree, for direct-mode keys (cache/direct.ts); absent: preprocessor-mode keys only. */
  readonly tree?: TreeFacts;
  /** Include search lists by tool and flags, for the run (direct-mode misses ask once). */
  readonly searchLists?: Map<string, Promise<string[] | undefined>>;
  /** comparisonContext of the run; absent: comparisons are redone on every hit and not stored. */
  readonly comparisons?: string;
}

/** Version of what a comparison key covers and of the stored comparison's shape. */
const COMPARISON_FORMAT = 1;

/** What every unit's comparison of a run reads besides its own artifacts and tools. */
export interface ComparisonFacts {
  /** cache/code-digest.ts codeDigest. */
  readonly code: string;
  readonly rules: readonly Rule[];
  readonly leftRecipe: string;
  readonly rightRecipe: string;
}

/** One digest of the run's ComparisonFacts (rules as their JSON, bigint bounds as decimal text). */
export function comparisonContext(facts: ComparisonFacts): string {
  const rules = JSON.stringify(facts.rules, (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v));
  return sha256(JSON.stringify([COMPARISON_FORMAT, facts.code, facts.leftRecipe, facts.rightRecipe, rules]));
}

/** The key of a unit's stored comparison: the run's context, the artifacts' key, what varies by unit. */
export function comparisonKey(context: string, artifactKey: string, tools: readonly ToolInfo[], objectBtf: readonly string[]): string {
  const seen = tools.map((t) => [t.role, t.command, t.path ?? null, t.version ?? null, t.side ?? null]);
  return sha256(JSON.stringify([context, artifactKey, seen, objectBtf]));
}

/** What is wrong with a stored comparison read back, or undefined when it has a Comparison's shape. */
export function checkCachedComparison(value: unknown): string | undefined {
  const c = value as Partial<Comparison> | null;
  if (typeof c !== 'object' || c === null || !Array.isArray(c.findings)) return 'expected an object with findings';
  if (!c.findings.every((f) => typeof f === 'object' && f !== null && typeof f.entity === 'string' && typeof f.status === 'string'))
    return 'findings must be objects with an entity and a status';
  if (c.types === undefined) return c.findings.length === 0 ? undefined : 'findings without their types';
  if (typeof c.types !== 'object' || c.types === null) return 'types must hold text by entity for each side';
  const t = c.types as { left?: unknown; right?: unknown };
  const texts = (x: unknown) => typeof x === 'object' && x !== null && Object.values(x).every((v) => typeof v === 'string');
  return texts(t.left) && texts(t.right) ? undefined : 'types must hold text by entity for each side';
}

/**
 * Digest each tool once per run (src/toolchain/identity.ts says what a
 * digest covers: for gcc its `cc1` too). A tool that cannot be digested is
 * left out, and units that use it are not cached. `book` keeps digests
 * across runs (cache/tool-digest.ts).
 */
export async function digestRunTools(tools: readonly ResolvedTool[], timeoutSeconds: number, book?: ToolDigestBook): Promise<Map<string, ToolDigest>> {
  const out = new Map<string, ToolDigest>();
  for (const t of tools) {
    if (out.has(toolKey(t))) continue;
    const d = await identifyTool(t, timeoutSeconds, book);
    if (d) out.set(toolKey(t), d);
  }
  return out;
}

/**
 * The unit's preprocessor-mode key, or undefined when a fact cannot be had
 * (the preprocessor fails: the real compile will then report why).
 */
async function preprocessedKey(
  plan: UnitPlan,
  dir: string,
  toolFor: (step: PlannedStep) => ResolvedTool,
  tools: ToolDigest[],
  timeoutSeconds: number,
): Promise<string | undefined> {
  const preprocessed: string[] = [];
  const seen = new Map<string, string>();
  for (const step of plan.steps) {
    if (step.name !== 'compile') continue;
    const args = preprocessArgv(step.argv.slice(1));
    const memo = `${toolKey(toolFor(step))}\0${args.join('\0')}`;
    let d = seen.get(memo);
    if (d === undefined) {
      const run = toolCommand(toolFor(step), { args, cwd: plan.source.cwd, timeoutSeconds, step: 'preprocess' });
      d = await digestStdout(run.executable, run.args, run.cwd, timeoutSeconds);
      if (d === undefined) return undefined;
      seen.set(memo, d);
    }
    preprocessed.push(d);
  }
  // The unit dir (it carries the unit's index) is `$TMP` here, so a unit keeps its key whatever else the run selects.
  return unitCacheKey({ preprocessed, steps: plan.steps.map((s) => recordArgv(s.argv, dir)), tools });
}

/** The digests of the tools the unit's steps run, or undefined when one was not digested (never guess). */
function stepTools(plan: UnitPlan, toolFor: (step: PlannedStep) => ResolvedTool, cache: UnitCache): ToolDigest[] | undefined {
  const tools: ToolDigest[] = [];
  for (const step of plan.steps) {
    const t = cache.tools.get(toolKey(toolFor(step)));
    if (!t) return undefined;
    if (!tools.includes(t)) tools.push(t);
  }
  return tools;
}

/** What looking a unit up found, and what storing its artifacts after a build needs. */
export type CacheLookup =
  /** Not cacheable (a tool without digest, a failing preprocessor). */
  | { readonly kind: 'off' }
  /** `key`: the key the artifacts are stored under (comparisons are keyed by it). */
  | { readonly kind: 'hit'; readonly unit: CachedUnit; readonly key: string }
  /** A hit whose comparison `serve` gave: the artifacts were not read (nothing needs them). */
  | { readonly kind: 'served'; readonly key: string; readonly comparison: StoredComparison }
  /** Preprocessor mode: store under `key`. */
  | { readonly kind: 'miss'; readonly key: string }
  /** Direct mode: compile with a dependency file per compile step, then record a manifest entry (recordUnit). */
  | {
      readonly kind: 'direct-miss';
      readonly base: string;
      readonly source: string;
      readonly tools: ToolDigest[];
      readonly depFiles: ReadonlyMap<PlannedStep, string>;
      /** When the build started (ns): files changed since are not trusted for the entry. */
      readonly startNs: bigint;
    };

/** What the unit's direct-mode base key is made of; undefined when the unit must use preprocessor mode. */
function directBase(plan: UnitPlan, dir: string, toolFor: (step: PlannedStep) => ResolvedTool, cache: UnitCache, tools: ToolDigest[]) {
  if (!cache.tree) return undefined;
  for (const step of plan.steps) {
    if (step.name !== 'compile') continue;
    const tool = toolFor(step);
    if (tool.root || cache.tools.get(toolKey(tool))?.hostFiles === false || directRefusal(step.argv.slice(1)) !== undefined) return undefined;
  }
  const source = cache.tree.content(plan.source.cwd, plan.source.arg);
  if (source === undefined || source.unsafe !== undefined) return undefined;
  const env = DIRECT_ENV.flatMap((name): [string, string][] => (process.env[name] !== undefined ? [[name, process.env[name] ?? '']] : []));
  const steps = plan.steps.map((s) => recordArgv(s.argv, dir));
  return { base: directBaseKey({ source: source.sha256, steps, tools, env }), source: source.sha256, tree: cache.tree };
}

/** The entry still describes the tree: every file has its digest, every candidate place holds what it held. */
function entryHolds(entry: ManifestEntry, source: string, cwd: string, tree: TreeFacts): boolean {
  const probes = [...(tree.content(cwd, source)?.probes ?? [])];
  for (const [path, digest] of entry.files) {
    const c = tree.content(cwd, path);
    if (c?.sha256 !== digest) return false;
    pushAll(probes, c.probes);
  }
  const held = tree.heldPlaces(
    cwd,
    entry.files.map(([p]) => p),
    entry.dirs,
    probes,
  );
  return heldDigest(held) === entry.shadow;
}

/**
 * Look the unit up: direct mode when it can be used (no process at all on
 * a hit), else the preprocessor-mode key. Counts one hit or one miss.
 */
export async function lookUpUnit(
  plan: UnitPlan,
  dir: string,
  toolFor: (step: PlannedStep) => ResolvedTool,
  cache: UnitCache,
  timeoutSeconds: number,
  serve: (key: string) => StoredComparison | undefined = () => undefined,
): Promise<CacheLookup> {
  const tools = stepTools(plan, toolFor, cache);
  // A stored comparison is all a hit needs: then the artifacts (BTF bytes, symbols, DWARF facts) are not read or verified.
  const served = (key: string): CacheLookup | undefined => {
    const comparison = serve(key);
    if (comparison === undefined) return undefined;
    cache.store.countHit();
    return { kind: 'served', key, comparison };
  };
  if (!tools) return { kind: 'off' };
  const direct = directBase(plan, dir, toolFor, cache, tools);
  const manifest = direct ? cache.store.manifest(direct.base) : undefined;
  if (direct && manifest?.preprocess === undefined) {
    const entry = manifest?.entries.find((e) => entryHolds(e, plan.source.arg, plan.source.cwd, direct.tree));
    const key = entry ? entryKey(direct.base, entry) : undefined;
    const reused = key !== undefined ? served(key) : undefined;
    if (reused) return reused;
    const unit = key !== undefined ? cache.store.get(key) : undefined; // get counts the hit or the miss
    if (unit && key !== undefined) return { kind: 'hit', unit, key };
    if (!entry) cache.store.countMiss();
    const compiles = plan.steps.filter((s) => s.name === 'compile');
    const depFiles = new Map(compiles.map((s, i) => [s, join(dir, `deps-${i}.d`)]));
    return { kind: 'direct-miss', base: direct.base, source: direct.source, tools, depFiles, startNs: nowNs() };
  }
  const key = await preprocessedKey(plan, dir, toolFor, tools, timeoutSeconds);
  if (key === undefined) return { kind: 'off' };
  const reused = served(key);
  if (reused) return reused;
  const unit = cache.store.get(key);
  return unit ? { kind: 'hit', unit, key } : { kind: 'miss', key };
}

/** The arguments a compile step gets on top of its planned argv: the dependency file of a direct-mode miss. */
export function depFileArgs(lookup: CacheLookup, step: PlannedStep): string[] {
  const file = lookup.kind === 'direct-miss' ? lookup.depFiles.get(step) : undefined;
  return file === undefined ? [] : ['-MD', '-MF', file];
}

/**
 * Store a built unit: under its preprocessor-mode key, or (direct mode)
 * under its manifest entry's key, the entry added to the manifest. A
 * direct-mode unit whose files hold an UNSAFE_TOKENS word gets a manifest
 * that sends it to preprocessor mode, and is stored under that key now.
 * When the entry cannot be trusted (a file changed during the build, a
 * dependency list that cannot be read) nothing is stored. Returns the key
 * the unit was stored under (its comparison goes under it too), undefined
 * when none.
 */
export async function recordUnit(
  lookup: CacheLookup,
  unit: CachedUnit,
  plan: UnitPlan,
  dir: string,
  toolFor: (step: PlannedStep) => ResolvedTool,
  cache: UnitCache,
  timeoutSeconds: number,
): Promise<string | undefined> {
  switch (lookup.kind) {
    case 'off':
      return undefined;
    case 'hit':
    case 'served':
      return lookup.key;
    case 'miss':
      cache.store.put(lookup.key, unit);
      return lookup.key;
    case 'direct-miss': {
      const made = await manifestEntry(lookup, plan, toolFor, cache, timeoutSeconds);
      if (made === undefined) return undefined;
      if ('preprocess' in made) {
        cache.store.putManifest(lookup.base, { format: DIRECT_FORMAT, preprocess: made.preprocess, entries: [] });
        const key = await preprocessedKey(plan, dir, toolFor, lookup.tools, timeoutSeconds);
        if (key !== undefined) cache.store.put(key, unit);
        return key;
      }
      const key = entryKey(lookup.base, made);
      cache.store.put(key, unit);
      cache.store.putManifest(lookup.base, withEntry(cache.store.manifest(lookup.base), lookup.base, made));
      return key;
    }
    default:
      assertNever(lookup);
  }
}

/** The include search list of a compile step's tool and flags, once per run. */
function searchList(step: PlannedStep, source: string, cwd: string, toolFor: (step: PlannedStep) => ResolvedTool, cache: UnitCache, timeoutSeconds: number) {
  const tool = toolFor(step);
  const args = searchListArgv(step.argv.slice(1), source);
  const memo = `${toolKey(tool)}\0${cwd}\0${args.join('\0')}`;
  let got = cache.searchLists?.get(memo);
  if (got === undefined) {
    got = captureStderr(tool.path, args, cwd, timeoutSeconds).then((text) => (text === undefined ? undefined : parseSearchList(text)));
    cache.searchLists?.set(memo, got);
  }
  return got;
}

/** The manifest entry of a direct-mode build, `{preprocess}` when a file rules direct mode out, undefined when untrustworthy. */
async function manifestEntry(
  lookup: Extract<CacheLookup, { kind: 'direct-miss' }>,
  plan: UnitPlan,
  toolFor: (step: PlannedStep) => ResolvedTool,
  cache: UnitCache,
  timeoutSeconds: number,
): Promise<ManifestEntry | { preprocess: string } | undefined> {
  const { cwd, arg } = plan.source;
  const tree = cache.tree;
  if (!tree) return undefined;
  const files = new Set<string>();
  const searched: string[] = [];
  for (const [step, depFile] of lookup.depFiles) {
    let deps: string[] | undefined;
    try {
      deps = parseDepFile(readTextFile(depFile, { maxBytes: INPUT_LIMITS.json }));
    } catch {
      return undefined;
    }
    const list = deps && (await searchList(step, arg, cwd, toolFor, cache, timeoutSeconds));
    if (!deps || !list) return undefined;
    for (const d of deps) if (d !== arg) files.add(d);
    pushAll(searched, explicitSearchDirs(step.argv.slice(1)));
    pushAll(searched, list);
  }
  const trusted = (changedNs: bigint | undefined) => changedNs !== undefined && changedNs < lookup.startNs - RECENT_NS;
  const source = tree.content(cwd, arg);
  if (source?.sha256 !== lookup.source || !trusted(source.changedNs)) return undefined;
  const paths = [...files].sort(byCodeUnit);
  const digests: [string, string][] = [];
  const probes = [...source.probes];
  for (const f of paths) {
    const c = tree.content(cwd, f);
    if (c?.unsafe !== undefined) return { preprocess: `${c.unsafe} in ${f}` };
    if (c === undefined || !trusted(c.changedNs)) return undefined;
    digests.push([f, c.sha256]);
    pushAll(probes, c.probes);
  }
  const dirs = candidateDirs({ searched, files: paths, source: arg });
  const held = tree.heldPlaces(cwd, paths, dirs, probes);
  // A place that holds something now must have held it since before the build: else the compile may have seen another state.
  for (const line of held) if (!trusted(tree.changedNs(cwd, heldPlace(line)))) return undefined;
  return { files: digests, dirs, shadow: heldDigest(held) };
}

/** The BTF bytes a side's location holds: a raw file as is, an object's `.BTF` section only (not its DWARF). */
export function btfBytes(file: string): Uint8Array {
  const bytes = readRegularFile(file, { maxBytes: INPUT_LIMITS.binary });
  if (!isElf(bytes)) return bytes;
  const sec = findSection(parseElf(bytes), '.BTF');
  return sec ? sec.data : bytes;
}

/** JSON-safe symbols (bigint fields as decimal strings). */
export interface StoredSymbol extends Omit<ElfSymbol, 'value' | 'size'> {
  readonly value: string;
  readonly size: string;
}

export interface CachedMeta {
  /** The object's symbol table; null when it could not be read. */
  readonly symbols: StoredSymbol[] | null;
  /** The object's section names and sizes; null when it could not be read. */
  readonly sections?: string[] | null;
  readonly sectionSizes?: Record<string, number> | null;
  /** The same compile's DWARF facts (src/verdict/dwarf-facts.ts); null when no object carried DWARF or no reader ran. */
  readonly dwarf?: DwarfFacts | null;
}

/** What a unit keeps of its object besides the symbols. */
export interface ObjectMeta {
  readonly sections?: string[];
  readonly sectionSizes?: Record<string, number>;
  readonly dwarf?: DwarfFacts;
}

export function storeSymbols(symbols: readonly ElfSymbol[] | undefined, extra: ObjectMeta = {}): CachedMeta {
  return {
    symbols: symbols ? symbols.map((s) => ({ ...s, value: s.value.toString(), size: s.size.toString() })) : null,
    sections: extra.sections ? [...extra.sections] : null,
    sectionSizes: extra.sectionSizes ?? null,
    dwarf: extra.dwarf ?? null,
  };
}

/** The section names and DWARF facts stored with a unit. */
export function loadObjectFacts(meta: unknown): ObjectMeta {
  const m = meta as CachedMeta | null;
  return {
    ...(m && Array.isArray(m.sections) ? { sections: m.sections } : {}),
    ...(m?.sectionSizes && typeof m.sectionSizes === 'object' ? { sectionSizes: m.sectionSizes } : {}),
    ...(m?.dwarf && typeof m.dwarf === 'object' ? { dwarf: m.dwarf } : {}),
  };
}

const BINDINGS = new Set(['local', 'global', 'weak']);
const SYMTYPES = new Set(['notype', 'object', 'func', 'section', 'file']);
const DECIMAL = /^(0|[1-9][0-9]*)$/;

/** What is wrong with cached facts, or undefined when they are a CachedMeta (the store calls this on every read). */
export function checkCachedMeta(meta: unknown): string | undefined {
  const m = meta as { symbols?: unknown } | null;
  if (typeof m !== 'object' || m === null || !('symbols' in m)) return 'expected an object with symbols';
  if (m.symbols === null) return undefined;
  if (!Array.isArray(m.symbols)) return 'symbols must be a list or null';
  for (let i = 0; i < m.symbols.length; i++) {
    const s = m.symbols[i] as Record<string, unknown> | null;
    const bad = (what: string) => `symbols[${i}]: ${what}`;
    if (typeof s !== 'object' || s === null) return bad('not an object');
    if (typeof s.name !== 'string' || typeof s.section !== 'string') return bad('name and section must be strings');
    if (typeof s.value !== 'string' || !DECIMAL.test(s.value) || typeof s.size !== 'string' || !DECIMAL.test(s.size))
      return bad('value and size must be decimal strings');
    if (!Number.isInteger(s.shndx)) return bad('shndx must be an integer');
    if (!(BINDINGS.has(s.binding as string) || Number.isInteger(s.binding))) return bad('unknown binding');
    if (!(SYMTYPES.has(s.type as string) || Number.isInteger(s.type))) return bad('unknown type');
  }
  return undefined;
}

/** The symbols of facts that passed checkCachedMeta (null: the object's table could not be read). */
export function loadSymbols(meta: unknown): ElfSymbol[] | undefined {
  const m = meta as CachedMeta;
  if (m.symbols === null) return undefined;
  return m.symbols.map((s) => ({
    name: s.name,
    value: BigInt(s.value),
    size: BigInt(s.size),
    binding: s.binding,
    type: s.type,
    shndx: s.shndx,
    section: s.section,
  }));
}
