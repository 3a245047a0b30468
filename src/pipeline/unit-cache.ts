/**
 * The artifact cache as the pipeline uses it: which facts make a unit's key,
 * what is stored (each side's BTF bytes, the object's symbol table and
 * section names, the same compile's DWARF facts:
 * everything compareBtf and the classifier need), and how it comes back.
 * A hit skips every toolchain step; the comparison itself always reruns, so
 * changed rules or a newer diff never serve stale findings.
 */
import { findSection, isElf, parseElf, type ElfSymbol } from '../artifact/elf.js';
import { type ToolDigest, unitCacheKey } from '../cache/key.js';
import { digestStdout, preprocessArgv } from '../cache/preprocess.js';
import type { ArtifactCache } from '../cache/store.js';
import { type PlannedStep, recordArgv, type UnitPlan } from '../recipe/plan.js';
import type { ResolvedTool } from '../recipe/tools.js';
import { toolCommand, toolKey } from '../toolchain/exec.js';
import { identifyTool } from '../toolchain/identity.js';
import { INPUT_LIMITS, readRegularFile } from '../io/regular-file.js';
import type { DwarfFacts } from '../verdict/dwarf-facts.js';

export interface UnitCache {
  readonly store: ArtifactCache;
  /** Content digest of every tool the run may execute, by resolved path. */
  readonly tools: ReadonlyMap<string, ToolDigest>;
}

/**
 * Digest each tool once per run (src/toolchain/identity.ts says what a
 * digest covers: for gcc its `cc1` too). A tool that cannot be digested is
 * left out, and units that use it are not cached.
 */
export async function digestRunTools(tools: readonly ResolvedTool[], timeoutSeconds: number): Promise<Map<string, ToolDigest>> {
  const out = new Map<string, ToolDigest>();
  for (const t of tools) {
    if (out.has(toolKey(t))) continue;
    const d = await identifyTool(t, timeoutSeconds);
    if (d) out.set(toolKey(t), d);
  }
  return out;
}

/**
 * The unit's cache key, or undefined when a fact cannot be had (the
 * preprocessor fails: the real compile will then report why).
 */
export async function unitKey(
  plan: UnitPlan,
  dir: string,
  toolFor: (step: PlannedStep) => ResolvedTool,
  cache: UnitCache,
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
  const tools: ToolDigest[] = [];
  for (const step of plan.steps) {
    const t = cache.tools.get(toolKey(toolFor(step)));
    if (!t) return undefined; // not digested: never guess
    if (!tools.includes(t)) tools.push(t);
  }
  // The unit dir (it carries the unit's index) is `$TMP` here, so a unit keeps its key whatever else the run selects.
  return unitCacheKey({ preprocessed, steps: plan.steps.map((s) => recordArgv(s.argv, dir)), tools });
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
