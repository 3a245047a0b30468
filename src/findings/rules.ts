/**
 * Known-divergence rules: the data that turns a finding into status `known`.
 *
 * A rule is plain JSON (shipped in rules/known-divergences.json, users may
 * pass their own): an id, match conditions, an explanation and an optional
 * upstream reference. Matching is a conjunction of the conditions present;
 * inside one condition a list of patterns is a disjunction. Code here only
 * evaluates conditions — which divergences are known is decided by the data.
 *
 * Pure: `parseRules` validates already-parsed JSON; reading the file is done
 * by src/findings/rules-file.ts.
 */
import type { ElfSymbol } from '../artifact/elf.js';
import { type Btf, typeById } from '../btf/types.js';
import { InputError } from '../errors.js';
import type { ToolInfo } from '../recipe/tools.js';
import { CATEGORIES, type Category, type Finding } from './finding.js';

export const RULES_SCHEMA_VERSION = 1;

/** `{ "tool": "pahole", "version": "<1.25" }`: the tool with that role ran, and its version satisfies the comparison. */
export interface ToolCondition {
  /** ToolInfo.role: `cc`, `pahole`, `clang`, `bpftool`. */
  readonly tool: string;
  /** Operator (`<`, `<=`, `>`, `>=`, `=`; none means `=`) followed by a dotted number. */
  readonly version: string;
}

export type SymbolState = 'defined' | 'undefined' | 'absent';

/**
 * Conditions on the ELF symbol named like a `func X` / `var X` entity, in
 * the unit's compiled object. Never satisfied for other entities, nor when
 * the symbol table is unknown: a rule cannot be confirmed without its facts.
 */
export interface SymbolCondition {
  /** defined: st_shndx != 0; undefined: present with st_shndx 0 (extern); absent: no such symbol. */
  readonly state?: readonly SymbolState[];
  readonly binding?: readonly string[];
  /** Symbol type: notype, object, func, section, file, tls (or the number). */
  readonly type?: readonly string[];
  /** Globs on the defining section name; the symbol must be in one of them. */
  readonly section?: readonly string[];
  /** Globs on the defining section name; the symbol must be in none of them. */
  readonly notSection?: readonly string[];
}

/**
 * Conditions on the entity's own BTF record on one side (found by
 * Finding.leftId / rightId): facts the finding's text does not carry. Never
 * satisfied when the run did not hand the BTF graphs to the classifier, nor
 * when that side has no record.
 */
export interface RecordCondition {
  /** FUNC or VAR linkage: static, global, extern (or the number). Other kinds never satisfy it. */
  readonly linkage?: readonly string[];
  /** Globs on DATASEC names; some DATASEC with such a name must list the record. */
  readonly datasec?: readonly string[];
  /** Globs on DATASEC names; no DATASEC with such a name may list the record (`["*"]`: placed nowhere). */
  readonly notDatasec?: readonly string[];
}

export interface RuleMatch {
  readonly category?: readonly Category[];
  /** Globs (`*`, `?`) on Finding.entity. */
  readonly entity?: readonly string[];
  /** Globs on Finding.entity that must all fail: carves a case the other facts cannot tell apart out of a rule. */
  readonly notEntity?: readonly string[];
  /** Globs on Finding.path. */
  readonly path?: readonly string[];
  /** Globs on the left / right views (Finding.left / Finding.right). */
  readonly left?: readonly string[];
  readonly right?: readonly string[];
  /**
   * Globs on the recipe names the rule speaks about. When a run has the
   * two recipes the other way round, the finding is mirrored (left/right and
   * only-left/only-right swapped) before matching, so one rule covers both
   * orders.
   */
  readonly recipes?: { readonly left?: readonly string[]; readonly right?: readonly string[] };
  /** All must hold. */
  readonly tools?: readonly ToolCondition[];
  readonly symbol?: SymbolCondition;
  /** On the left / right side's record of the entity, in the rule's point of view (swapped with the finding when mirrored). */
  readonly leftRecord?: RecordCondition;
  readonly rightRecord?: RecordCondition;
}

export interface Rule {
  readonly id: string;
  readonly match: RuleMatch;
  /** What each side does, and why. */
  readonly explanation: string;
  /** Upstream file, commit or bug. */
  readonly reference?: string;
}

/** What rule conditions look at besides the finding. Structurally the classifier's context. */
export interface RuleContext {
  readonly leftRecipe: string;
  readonly rightRecipe: string;
  readonly tools: readonly ToolInfo[];
  readonly symbols?: readonly ElfSymbol[];
  /** The two decoded graphs the findings were diffed from; record conditions need them. */
  readonly btf?: { readonly left: Btf; readonly right: Btf };
}

// ---------------------------------------------------------------- parsing

type Obj = Record<string, unknown>;

function fail(where: string, what: string): never {
  throw new InputError(`rules: ${where}: ${what}`);
}

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function onlyKeys(o: Obj, allowed: readonly string[], where: string): void {
  for (const k of Object.keys(o)) if (!allowed.includes(k)) fail(where, `unknown field "${k}" (allowed: ${allowed.join(', ')})`);
}

/** A string or a non-empty list of strings, normalised to a list. */
function stringList(v: unknown, where: string): string[] {
  const list = typeof v === 'string' ? [v] : v;
  if (!Array.isArray(list) || list.length === 0 || !list.every((s) => typeof s === 'string')) {
    fail(where, 'must be a string or a non-empty list of strings');
  }
  return list as string[];
}

function oneOf<T extends string>(v: unknown, allowed: readonly T[], where: string): T[] {
  const list = stringList(v, where);
  for (const s of list) if (!allowed.includes(s as T)) fail(where, `"${s}" is not one of ${allowed.join(', ')}`);
  return list as T[];
}

const VERSION_RE = /^\s*(<=|>=|<|>|==|=)?\s*(\d+(?:\.\d+)*)\s*$/;

function parseTool(v: unknown, where: string): ToolCondition {
  if (!isObj(v)) fail(where, 'must be an object { tool, version }');
  onlyKeys(v, ['tool', 'version'], where);
  if (typeof v.tool !== 'string' || v.tool === '') fail(`${where}.tool`, 'must be a non-empty string');
  if (typeof v.version !== 'string' || !VERSION_RE.test(v.version)) fail(`${where}.version`, 'must look like "<1.25", ">=13" or "12.2"');
  return { tool: v.tool, version: v.version };
}

const SYMBOL_STATES: readonly SymbolState[] = ['defined', 'undefined', 'absent'];

function parseSymbol(v: unknown, where: string): SymbolCondition {
  if (!isObj(v)) fail(where, 'must be an object');
  onlyKeys(v, ['state', 'binding', 'type', 'section', 'notSection'], where);
  const out: { -readonly [K in keyof SymbolCondition]: SymbolCondition[K] } = {};
  if (v.state !== undefined) out.state = oneOf(v.state, SYMBOL_STATES, `${where}.state`);
  if (v.binding !== undefined) out.binding = stringList(v.binding, `${where}.binding`);
  if (v.type !== undefined) out.type = stringList(v.type, `${where}.type`);
  if (v.section !== undefined) out.section = stringList(v.section, `${where}.section`);
  if (v.notSection !== undefined) out.notSection = stringList(v.notSection, `${where}.notSection`);
  return out;
}

function parseRecord(v: unknown, where: string): RecordCondition {
  if (!isObj(v)) fail(where, 'must be an object');
  onlyKeys(v, ['linkage', 'datasec', 'notDatasec'], where);
  const out: { -readonly [K in keyof RecordCondition]: RecordCondition[K] } = {};
  if (v.linkage !== undefined) out.linkage = stringList(v.linkage, `${where}.linkage`);
  if (v.datasec !== undefined) out.datasec = stringList(v.datasec, `${where}.datasec`);
  if (v.notDatasec !== undefined) out.notDatasec = stringList(v.notDatasec, `${where}.notDatasec`);
  return out;
}

const MATCH_KEYS = ['category', 'entity', 'notEntity', 'path', 'left', 'right', 'recipes', 'tools', 'symbol', 'leftRecord', 'rightRecord'] as const;

function parseMatch(v: unknown, where: string): RuleMatch {
  if (!isObj(v)) fail(where, 'must be an object');
  onlyKeys(v, MATCH_KEYS, where);
  const m: { -readonly [K in keyof RuleMatch]: RuleMatch[K] } = {};
  if (v.category !== undefined) m.category = oneOf(v.category, CATEGORIES, `${where}.category`);
  for (const k of ['entity', 'notEntity', 'path', 'left', 'right'] as const) if (v[k] !== undefined) m[k] = stringList(v[k], `${where}.${k}`);
  if (v.recipes !== undefined) {
    const r = v.recipes;
    if (!isObj(r)) fail(`${where}.recipes`, 'must be an object { left, right }');
    onlyKeys(r, ['left', 'right'], `${where}.recipes`);
    m.recipes = {
      ...(r.left !== undefined ? { left: stringList(r.left, `${where}.recipes.left`) } : {}),
      ...(r.right !== undefined ? { right: stringList(r.right, `${where}.recipes.right`) } : {}),
    };
  }
  if (v.tools !== undefined) {
    if (!Array.isArray(v.tools)) fail(`${where}.tools`, 'must be a list');
    m.tools = v.tools.map((t, i) => parseTool(t, `${where}.tools[${i}]`));
  }
  if (v.symbol !== undefined) m.symbol = parseSymbol(v.symbol, `${where}.symbol`);
  if (v.leftRecord !== undefined) m.leftRecord = parseRecord(v.leftRecord, `${where}.leftRecord`);
  if (v.rightRecord !== undefined) m.rightRecord = parseRecord(v.rightRecord, `${where}.rightRecord`);
  return m;
}

function parseRule(v: unknown, i: number, seen: Set<string>): Rule {
  const where = `rule ${i}`;
  if (!isObj(v)) fail(where, 'must be an object');
  onlyKeys(v, ['id', 'match', 'explanation', 'reference'], where);
  if (typeof v.id !== 'string' || !/^[a-z0-9][a-z0-9.-]*$/.test(v.id)) fail(`${where}.id`, 'must be a lower-case id like "pahole-no-float"');
  if (seen.has(v.id)) fail(`${where}.id`, `duplicate id "${v.id}"`);
  seen.add(v.id);
  if (typeof v.explanation !== 'string' || v.explanation.trim() === '') fail(`${where}.explanation`, 'must be a non-empty string');
  if (v.reference !== undefined && typeof v.reference !== 'string') fail(`${where}.reference`, 'must be a string');
  const match = parseMatch(v.match, `${where}.match`);
  return { id: v.id, match, explanation: v.explanation, ...(v.reference !== undefined ? { reference: v.reference as string } : {}) };
}

/**
 * Validate a parsed rules document: `{ "schemaVersion": 1, "rules": [...] }`
 * (a bare list of rules is accepted too). Errors name the rule index and field.
 */
export function parseRules(json: unknown): Rule[] {
  let list: unknown = json;
  if (isObj(json)) {
    onlyKeys(json, ['$schema', '$comment', 'schemaVersion', 'rules'], 'document');
    if (json.schemaVersion !== undefined && json.schemaVersion !== RULES_SCHEMA_VERSION) {
      fail('document.schemaVersion', `unsupported version ${String(json.schemaVersion)} (expected ${RULES_SCHEMA_VERSION})`);
    }
    list = json.rules;
  }
  if (!Array.isArray(list)) fail('document', 'expected { "rules": [...] } or a list of rules');
  const seen = new Set<string>();
  return list.map((r, i) => parseRule(r, i, seen));
}

// --------------------------------------------------------------- matching

/**
 * Rule patterns match finding text, not paths: `*` is any run of characters
 * (slashes and spaces included), `?` one character, the rest literal; the
 * whole string must match. (Path globs with `**` are src/source/path-glob.ts.)
 */
export function textPatternToRegExp(glob: string): RegExp {
  let re = '';
  for (const ch of glob) {
    if (ch === '*') re += '.*';
    else if (ch === '?') re += '.';
    else re += ch.replace(/[.+^${}()|[\]\\/-]/g, '\\$&');
  }
  return new RegExp(`^${re}$`, 's');
}

const globCache = new Map<string, RegExp>();
function globMatch(pattern: string, text: string): boolean {
  let re = globCache.get(pattern);
  if (!re) {
    re = textPatternToRegExp(pattern);
    globCache.set(pattern, re);
  }
  return re.test(text);
}

function anyGlob(patterns: readonly string[] | undefined, text: string): boolean {
  return patterns === undefined || patterns.some((p) => globMatch(p, text));
}

/** The first dotted number in a version string: `gcc (Debian 12.2.0-14) 12.2.0` → [12,2,0], `v1.24` → [1,24]. */
export function firstDottedNumber(version: string): number[] | undefined {
  const m = /\d+(?:\.\d+)*/.exec(version);
  return m ? m[0].split('.').map(Number) : undefined;
}

/** Numeric, component-wise; missing components count as 0 (1.24 == 1.24.0). */
export function compareVersions(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d < 0 ? -1 : 1;
  }
  return 0;
}

/** Does `version` (a tool's --version line) satisfy `condition` (e.g. `<1.25`)? False when no number is found. */
export function versionSatisfies(version: string, condition: string): boolean {
  const m = VERSION_RE.exec(condition);
  const have = firstDottedNumber(version);
  if (!m || !have) return false;
  const c = compareVersions(have, m[2].split('.').map(Number));
  switch (m[1]) {
    case '<':
      return c < 0;
    case '<=':
      return c <= 0;
    case '>':
      return c > 0;
    case '>=':
      return c >= 0;
    default:
      return c === 0;
  }
}

function toolsHold(conds: readonly ToolCondition[] | undefined, tools: readonly ToolInfo[]): boolean {
  if (!conds) return true;
  return conds.every((c) => {
    const t = tools.find((x) => x.role === c.tool);
    return t?.version !== undefined && versionSatisfies(t.version, c.version);
  });
}

/** `func foo` / `var bar` → the symbol name; other entities have none. */
export function symbolNameOf(entity: string): string | undefined {
  const m = /^(?:func|var) (.+)$/.exec(entity);
  return m ? m[1] : undefined;
}

const SYMBOL_TYPE_NAMES: Record<number, string> = { 6: 'tls' };

function symbolHolds(cond: SymbolCondition | undefined, entity: string, symbols: readonly ElfSymbol[] | undefined): boolean {
  if (!cond) return true;
  const name = symbolNameOf(entity);
  if (name === undefined || symbols === undefined) return false;
  const sym = symbolIndex(symbols).get(name);
  const state: SymbolState = !sym ? 'absent' : sym.shndx === 0 ? 'undefined' : 'defined';
  if (cond.state && !cond.state.includes(state)) return false;
  if (!sym) return cond.binding === undefined && cond.type === undefined && cond.section === undefined && cond.notSection === undefined;
  if (cond.binding && !cond.binding.includes(String(sym.binding))) return false;
  const type = typeof sym.type === 'number' ? (SYMBOL_TYPE_NAMES[sym.type] ?? String(sym.type)) : sym.type;
  if (cond.type && !cond.type.includes(type)) return false;
  if (cond.section && !anyGlob(cond.section, sym.section)) return false;
  if (cond.notSection?.some((p) => globMatch(p, sym.section))) return false;
  return true;
}

/** The symbol each name stands for, per symbol table; built once per table (a kernel unit's has thousands, asked per finding and rule). */
const symbolIndexes = new WeakMap<readonly ElfSymbol[], Map<string, ElfSymbol>>();

/**
 * Name → its symbol: the first defining one, else the first. Section and
 * file symbols share names with nothing we care about and are skipped;
 * the defining symbol is preferred when both a definition and a reference exist.
 */
function symbolIndex(symbols: readonly ElfSymbol[]): Map<string, ElfSymbol> {
  let index = symbolIndexes.get(symbols);
  if (!index) {
    index = new Map();
    for (const s of symbols) {
      if (s.type === 'section' || s.type === 'file') continue;
      const first = index.get(s.name);
      if (first === undefined || (first.shndx === 0 && s.shndx !== 0)) index.set(s.name, s);
    }
    symbolIndexes.set(symbols, index);
  }
  return index;
}

/** DATASEC names listing each type id, per graph (own types and base chain); built once per graph. */
const datasecIndex = new WeakMap<Btf, Map<number, string[]>>();

function datasecsListing(btf: Btf, id: number): readonly string[] {
  let index = datasecIndex.get(btf);
  if (!index) {
    index = new Map();
    for (let g: Btf | undefined = btf; g; g = g.base) {
      for (const t of g.types) {
        if (t.kind !== 'DATASEC') continue;
        for (const v of t.vars) {
          const names = index.get(v.type) ?? [];
          names.push(t.name);
          index.set(v.type, names);
        }
      }
    }
    datasecIndex.set(btf, index);
  }
  return index.get(id) ?? [];
}

function recordHolds(cond: RecordCondition | undefined, btf: Btf | undefined, id: number | undefined): boolean {
  if (!cond) return true;
  if (!btf || id === undefined) return false;
  const t = typeById(btf, id);
  if (!t) return false;
  if (cond.linkage) {
    if (t.kind !== 'VAR' && t.kind !== 'FUNC') return false;
    if (!cond.linkage.includes(String(t.linkage))) return false;
  }
  const secs = datasecsListing(btf, id);
  if (cond.datasec && !secs.some((s) => anyGlob(cond.datasec, s))) return false;
  if (cond.notDatasec && secs.some((s) => anyGlob(cond.notDatasec, s))) return false;
  return true;
}

/** Record conditions of `m` on finding `f`, whose left/right graphs are `left`/`right`. */
function recordsHold(m: RuleMatch, f: Finding, left: Btf | undefined, right: Btf | undefined): boolean {
  return recordHolds(m.leftRecord, left, f.leftId) && recordHolds(m.rightRecord, right, f.rightId);
}

const MIRRORED: Partial<Record<Category, Category>> = { 'only-left': 'only-right', 'only-right': 'only-left' };

/** The same difference described from the other side. */
export function mirrorFinding(f: Finding): Finding {
  return { ...f, category: MIRRORED[f.category] ?? f.category, left: f.right, right: f.left, leftId: f.rightId, rightId: f.leftId };
}

function findingHolds(m: RuleMatch, f: Finding): boolean {
  return (
    (m.category === undefined || m.category.includes(f.category)) &&
    anyGlob(m.entity, f.entity) &&
    !m.notEntity?.some((p) => globMatch(p, f.entity)) &&
    anyGlob(m.path, f.path) &&
    anyGlob(m.left, f.left) &&
    anyGlob(m.right, f.right)
  );
}

interface RecipeFit {
  readonly left: string;
  readonly right: string;
  /** The rule's recipes are the run's as they are. */
  readonly direct: boolean;
  /** ... or the other way round (the finding is then read mirrored). */
  readonly swapped: boolean;
}

/** The last answer per rule: a run asks the same recipes for every finding. */
const recipeFits = new WeakMap<RuleMatch, RecipeFit>();

function recipesHold(m: RuleMatch, left: string, right: string): RecipeFit {
  const known = recipeFits.get(m);
  if (known && known.left === left && known.right === right) return known;
  const r = m.recipes;
  const fit = {
    left,
    right,
    direct: !r || (anyGlob(r.left, left) && anyGlob(r.right, right)),
    swapped: r !== undefined && anyGlob(r.left, right) && anyGlob(r.right, left),
  };
  recipeFits.set(m, fit);
  return fit;
}

/** Does `rule` explain `finding` in this context? */
export function ruleMatches(rule: Rule, finding: Finding, ctx: RuleContext): boolean {
  const m = rule.match;
  // All conditions are pure, so the cheap ones on the finding go first:
  // most rules fail on category or entity, before any symbol lookup.
  return describedBy(m, finding, ctx) && toolsHold(m.tools, ctx.tools) && symbolHolds(m.symbol, finding.entity, ctx.symbols);
}

/** The finding, as it is or mirrored when the rule's recipes are the other way round, meets the rule's finding and record conditions. */
function describedBy(m: RuleMatch, finding: Finding, ctx: RuleContext): boolean {
  const { direct, swapped } = recipesHold(m, ctx.leftRecipe, ctx.rightRecipe);
  if (direct && findingHolds(m, finding) && recordsHold(m, finding, ctx.btf?.left, ctx.btf?.right)) return true;
  if (!swapped) return false;
  const mirrored = mirrorFinding(finding);
  return findingHolds(m, mirrored) && recordsHold(m, mirrored, ctx.btf?.right, ctx.btf?.left);
}

/** The first rule (file order) that explains the finding. */
export function firstMatchingRule(rules: readonly Rule[], finding: Finding, ctx: RuleContext): Rule | undefined {
  return rules.find((r) => ruleMatches(r, finding, ctx));
}
