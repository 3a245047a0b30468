/**
 * Validating a parsed rules document (rules-schema.ts) into Rules. Every
 * problem is collected, each with the path of the value at fault (`rule
 * 3.match.tools[0].version`), and all of them are reported in one
 * InputError, so a rules file is fixed in one round.
 *
 * Pure: takes already-parsed JSON; reading the file is rules-file.ts.
 */
import { InputError } from '../errors.js';
import { type Category, RULE_CATEGORIES } from './finding.js';
import {
  DOCUMENT_KEYS,
  MATCH_KEYS,
  MATCH_PATTERN_KEYS,
  RECIPES_KEYS,
  RECORD_KEYS,
  RULE_ID,
  RULE_KEYS,
  RULES_SCHEMA_VERSION,
  type RecordCondition,
  type Rule,
  type RuleMatch,
  SYMBOL_KEYS,
  SYMBOL_STATES,
  type SymbolCondition,
  type SymbolState,
  TOOL_KEYS,
  type ToolCondition,
} from './rules-schema.js';
import { VERSION_CONDITION } from './version.js';

/** One thing wrong with a rules document. */
export interface RuleProblem {
  /** Where: `document.schemaVersion`, `rule 1.match.category`, `rule 0.match.tools[0].version`. */
  readonly path: string;
  readonly message: string;
}

export interface RulesValidation {
  /** The rules that are well formed, in file order. */
  readonly rules: Rule[];
  /** Every problem found, in file order; empty when the document is valid. */
  readonly problems: readonly RuleProblem[];
}

type Obj = Record<string, unknown>;
type Mutable<T> = { -readonly [K in keyof T]: T[K] };

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Collects problems while the validator walks the document. */
class Checker {
  readonly problems: RuleProblem[] = [];

  fail(path: string, message: string): undefined {
    this.problems.push({ path, message });
    return undefined;
  }

  /** `v` is an object (else a problem saying `what`) whose keys are all allowed (else one problem per unknown key). */
  object(v: unknown, allowed: readonly string[], path: string, what = 'must be an object'): Obj | undefined {
    if (!isObj(v)) return this.fail(path, what);
    for (const k of Object.keys(v)) if (!allowed.includes(k)) this.fail(path, `unknown field "${k}" (allowed: ${allowed.join(', ')})`);
    return v;
  }

  /** A string or a non-empty list of strings, normalised to a list. */
  stringList(v: unknown, path: string): string[] | undefined {
    const list = typeof v === 'string' ? [v] : v;
    if (!Array.isArray(list) || list.length === 0 || !list.every((s) => typeof s === 'string')) {
      return this.fail(path, 'must be a string or a non-empty list of strings');
    }
    return list as string[];
  }

  /** A string list whose every item is one of `allowed` (one problem per other item). */
  oneOf<T extends string>(v: unknown, allowed: readonly T[], path: string): T[] | undefined {
    const list = this.stringList(v, path);
    if (!list) return undefined;
    const bad = list.filter((s) => !allowed.includes(s as T));
    for (const s of bad) this.fail(path, `"${s}" is not one of ${allowed.join(', ')}`);
    return bad.length === 0 ? (list as T[]) : undefined;
  }
}

/** Set `out[key]` to `value` as `read` validates it, when present and valid. */
function optional<T extends object, K extends keyof T>(out: T, key: K, value: unknown, read: (v: unknown) => T[K] | undefined): void {
  if (value === undefined) return;
  const r = read(value);
  if (r !== undefined) out[key] = r;
}

function parseTool(c: Checker, v: unknown, path: string): ToolCondition | undefined {
  const o = c.object(v, TOOL_KEYS, path, 'must be an object { tool, version }');
  if (!o) return undefined;
  const tool = typeof o.tool === 'string' && o.tool !== '' ? o.tool : c.fail(`${path}.tool`, 'must be a non-empty string');
  const version =
    typeof o.version === 'string' && VERSION_CONDITION.test(o.version) ? o.version : c.fail(`${path}.version`, 'must look like "<1.25", ">=13" or "12.2"');
  return tool !== undefined && version !== undefined ? { tool, version } : undefined;
}

function parseSymbol(c: Checker, v: unknown, path: string): SymbolCondition | undefined {
  const o = c.object(v, SYMBOL_KEYS, path);
  if (!o) return undefined;
  const out: Mutable<SymbolCondition> = {};
  optional(out, 'state', o.state, (x) => c.oneOf<SymbolState>(x, SYMBOL_STATES, `${path}.state`));
  for (const k of ['binding', 'type', 'section', 'notSection'] as const) optional(out, k, o[k], (x) => c.stringList(x, `${path}.${k}`));
  return out;
}

function parseRecord(c: Checker, v: unknown, path: string): RecordCondition | undefined {
  const o = c.object(v, RECORD_KEYS, path);
  if (!o) return undefined;
  const out: Mutable<RecordCondition> = {};
  for (const k of ['linkage', 'datasec', 'notDatasec'] as const) optional(out, k, o[k], (x) => c.stringList(x, `${path}.${k}`));
  optional(out, 'entries', o.entries, (x) => c.oneOf<SymbolState>(x, SYMBOL_STATES, `${path}.entries`));
  return out;
}

function parseRecipes(c: Checker, v: unknown, path: string): RuleMatch['recipes'] {
  const o = c.object(v, RECIPES_KEYS, path, 'must be an object { left, right }');
  if (!o) return undefined;
  const out: Mutable<NonNullable<RuleMatch['recipes']>> = {};
  for (const k of RECIPES_KEYS) optional(out, k, o[k], (x) => c.stringList(x, `${path}.${k}`));
  return out;
}

function parseTools(c: Checker, v: unknown, path: string): ToolCondition[] | undefined {
  if (!Array.isArray(v)) return c.fail(path, 'must be a list');
  const tools = v.map((t, i) => parseTool(c, t, `${path}[${i}]`));
  return tools.every((t) => t !== undefined) ? (tools as ToolCondition[]) : undefined;
}

function parseMatch(c: Checker, v: unknown, path: string): RuleMatch | undefined {
  const o = c.object(v, MATCH_KEYS, path);
  if (!o) return undefined;
  const m: Mutable<RuleMatch> = {};
  optional(m, 'category', o.category, (x) => c.oneOf<Category>(x, RULE_CATEGORIES, `${path}.category`));
  for (const k of MATCH_PATTERN_KEYS) optional(m, k, o[k], (x) => c.stringList(x, `${path}.${k}`));
  optional(m, 'recipes', o.recipes, (x) => parseRecipes(c, x, `${path}.recipes`));
  optional(m, 'tools', o.tools, (x) => parseTools(c, x, `${path}.tools`));
  optional(m, 'symbol', o.symbol, (x) => parseSymbol(c, x, `${path}.symbol`));
  optional(m, 'leftRecord', o.leftRecord, (x) => parseRecord(c, x, `${path}.leftRecord`));
  optional(m, 'rightRecord', o.rightRecord, (x) => parseRecord(c, x, `${path}.rightRecord`));
  for (const k of ['leftValueOutside', 'rightValueOutside'] as const) optional(m, k, o[k], (x) => parseRange(c, x, `${path}.${k}`));
  return m;
}

function parseRange(c: Checker, v: unknown, path: string): readonly [bigint, bigint] | undefined {
  const ok = Array.isArray(v) && v.length === 2 && v.every((x) => typeof x === 'string' && /^-?\d+$/.test(x));
  if (!ok) return c.fail(path, 'must be [min, max], two decimal integers as strings');
  const [lo, hi] = (v as string[]).map((x) => BigInt(x));
  if (lo > hi) return c.fail(path, 'min must not exceed max');
  return [lo, hi];
}

function parseRule(c: Checker, v: unknown, i: number, seen: Set<string>): Rule | undefined {
  const path = `rule ${i}`;
  const o = c.object(v, RULE_KEYS, path);
  if (!o) return undefined;
  const before = c.problems.length;
  let id: string | undefined;
  if (typeof o.id !== 'string' || !RULE_ID.test(o.id)) c.fail(`${path}.id`, 'must be a lower-case id like "pahole-no-float"');
  else if (seen.has(o.id)) c.fail(`${path}.id`, `duplicate id "${o.id}"`);
  else id = o.id;
  if (id !== undefined) seen.add(id);
  if (typeof o.explanation !== 'string' || o.explanation.trim() === '') c.fail(`${path}.explanation`, 'must be a non-empty string');
  if (o.reference !== undefined && typeof o.reference !== 'string') c.fail(`${path}.reference`, 'must be a string');
  const match = parseMatch(c, o.match, `${path}.match`);
  if (c.problems.length > before || id === undefined || match === undefined) return undefined;
  return { id, match, explanation: o.explanation as string, ...(o.reference !== undefined ? { reference: o.reference as string } : {}) };
}

/**
 * Check a parsed rules document: `{ "schemaVersion": 1, "rules": [...] }`
 * (a bare list of rules is accepted too). Returns the well-formed rules and
 * every problem, each naming the rule index and field.
 */
export function validateRules(json: unknown): RulesValidation {
  const c = new Checker();
  let list: unknown = json;
  if (isObj(json)) {
    c.object(json, DOCUMENT_KEYS, 'document');
    if (json.schemaVersion !== undefined && json.schemaVersion !== RULES_SCHEMA_VERSION) {
      c.fail('document.schemaVersion', `unsupported version ${String(json.schemaVersion)} (expected ${RULES_SCHEMA_VERSION})`);
    }
    list = json.rules;
  }
  if (!Array.isArray(list)) {
    c.fail('document', 'expected { "rules": [...] } or a list of rules');
    return { rules: [], problems: c.problems };
  }
  const seen = new Set<string>();
  const rules = list.map((r, i) => parseRule(c, r, i, seen)).filter((r): r is Rule => r !== undefined);
  return { rules, problems: c.problems };
}

/** `rules: PATH: MESSAGE`, or for several `rules: N problems: PATH: MESSAGE; PATH: MESSAGE; ...`. */
export function rulesProblemsText(problems: readonly RuleProblem[]): string {
  const each = problems.map((p) => `${p.path}: ${p.message}`);
  return each.length === 1 ? `rules: ${each[0]}` : `rules: ${each.length} problems: ${each.join('; ')}`;
}

/** The rules of a valid document; any problem is one InputError listing them all (exit 2). */
export function parseRules(json: unknown): Rule[] {
  const { rules, problems } = validateRules(json);
  if (problems.length > 0) throw new InputError(rulesProblemsText(problems));
  return rules;
}
