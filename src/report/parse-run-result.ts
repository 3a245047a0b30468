/**
 * A json report read back (merge, collect) validated into a RunResult
 * before anything uses it. Pure: parsed JSON in, typed data out, or an
 * InputError that says which field is wrong (`units[3].findings[0].category:
 * unknown category "sizes"`). The result holds only the known fields, built
 * afresh (nothing of the input object is passed on), and its summary is
 * recomputed from the units: a summary is derived data, and a report whose
 * counts disagree with its findings must not carry them into a merge.
 */
import { InputError } from '../errors.js';
import {
  CATEGORIES,
  type Category,
  type ClassifiedFinding,
  DEPARTS,
  type Departs,
  NORMALISATIONS,
  type Normalisation,
  STATUSES,
  type Status,
  type Verdict,
} from '../findings/finding.js';
import { buildSummary } from './render.js';
import {
  READABLE_JSON_VERSIONS,
  type RecipeInfo,
  REPORT_SCHEMA_VERSION,
  type RunResult,
  type StepRecord,
  type ToolInfo,
  type UnitResult,
} from './run-result.js';

type Obj = Record<string, unknown>;

function bad(at: string, what: string): never {
  throw new InputError(`${at}: ${what}`);
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'string') return `a string (${JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v)})`;
  return typeof v === 'object' ? 'an object' : `${typeof v} ${String(v)}`;
}

function obj(v: unknown, at: string): Obj {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) bad(at, `expected an object, got ${describe(v)}`);
  return v as Obj;
}

function list(v: unknown, at: string): unknown[] {
  if (!Array.isArray(v)) bad(at, `expected a list, got ${describe(v)}`);
  return v;
}

function str(o: Obj, key: string, at: string): string {
  const v = o[key];
  if (typeof v !== 'string') bad(`${at}.${key}`, `expected a string, got ${v === undefined ? 'nothing' : describe(v)}`);
  return v;
}

function optStr(o: Obj, key: string, at: string): string | undefined {
  return o[key] === undefined ? undefined : str(o, key, at);
}

function optId(o: Obj, key: string, at: string): number | undefined {
  const v = o[key];
  if (v === undefined) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > 0xffffffff)
    bad(`${at}.${key}`, `expected a type id (integer 0..2^32-1), got ${describe(v)}`);
  return v;
}

function oneOf<T extends string>(o: Obj, key: string, at: string, allowed: readonly T[], what: string): T {
  const v = o[key];
  if (typeof v !== 'string' || !allowed.includes(v as T)) bad(`${at}.${key}`, `unknown ${what} ${v === undefined ? '(missing)' : JSON.stringify(v)}`);
  return v as T;
}

function strings(v: unknown, at: string): string[] {
  return list(v, at).map((s, i) => {
    if (typeof s !== 'string') bad(`${at}[${i}]`, `expected a string, got ${describe(s)}`);
    return s;
  });
}

function stringRecord(v: unknown, at: string): Record<string, string> {
  const o = obj(v, at);
  // No prototype: an entity may be named `__proto__`.
  const out: Record<string, string> = Object.create(null);
  for (const k of Object.keys(o)) out[k] = str(o, k, at);
  return out;
}

/** Copy the optional fields that are present, in a fixed order. */
function defined<T extends object>(fields: T): T {
  const out: Obj = {};
  for (const [k, v] of Object.entries(fields)) if (v !== undefined) out[k] = v;
  return out as T;
}

function tool(v: unknown, at: string): ToolInfo {
  const o = obj(v, at);
  const side = o.side === undefined ? undefined : oneOf(o, 'side', at, ['left', 'right'] as const, 'side');
  return defined({ role: str(o, 'role', at), side, command: str(o, 'command', at), path: optStr(o, 'path', at), version: optStr(o, 'version', at) });
}

function recipe(v: unknown, at: string): RecipeInfo {
  const o = obj(v, at);
  return { side: oneOf(o, 'side', at, ['left', 'right'] as const, 'side'), name: str(o, 'name', at), description: str(o, 'description', at) };
}

function step(v: unknown, at: string): StepRecord {
  const o = obj(v, at);
  return { side: oneOf(o, 'side', at, ['left', 'right', 'both'] as const, 'side'), argv: strings(o.argv, `${at}.argv`) };
}

/** What a version 3 report's findings refer to (its `rules` and `types` tables); empty for version 2. */
interface Tables {
  readonly rules: ReadonlyMap<string, { explanation: string; reference?: string; ruleSource?: string }>;
  readonly types: ReadonlyMap<string, string>;
}

const NO_TABLES: Tables = { rules: new Map(), types: new Map() };

function finding(v: unknown, at: string, tables: Tables): ClassifiedFinding {
  const o = obj(v, at);
  const ruleFacts = ruleFactsOf(o, at, tables);
  return defined({
    entity: str(o, 'entity', at),
    path: str(o, 'path', at),
    category: oneOf<Category>(o, 'category', at, CATEGORIES, 'category'),
    left: str(o, 'left', at),
    right: str(o, 'right', at),
    status: oneOf<Status>(o, 'status', at, STATUSES, 'status'),
    reason: optStr(o, 'reason', at),
    explanation: ruleFacts.explanation,
    reference: ruleFacts.reference,
    normalisation: o.normalisation === undefined ? undefined : oneOf<Normalisation>(o, 'normalisation', at, NORMALISATIONS, 'normalisation'),
    leftId: optId(o, 'leftId', at),
    rightId: optId(o, 'rightId', at),
    affected: o.affected === undefined ? undefined : strings(o.affected, `${at}.affected`),
    verdict: o.verdict === undefined ? undefined : verdict(o.verdict, `${at}.verdict`),
    ruleSource: ruleFacts.ruleSource,
    rightObjects: o.rightObjects === undefined ? undefined : strings(o.rightObjects, `${at}.rightObjects`),
  });
}

/** A finding's rule facts: its own, or (version 3, no explanation of its own) its rule's table entry. */
function ruleFactsOf(o: Obj, at: string, tables: Tables): { explanation?: string; reference?: string; ruleSource?: string } {
  const explanation = optStr(o, 'explanation', at);
  if (explanation === undefined && o.status === 'known' && typeof o.reason === 'string' && tables.rules.has(o.reason)) {
    return tables.rules.get(o.reason)!;
  }
  return { explanation, reference: optStr(o, 'reference', at), ruleSource: optStr(o, 'ruleSource', at) };
}

/** A version 3 finding's `leftType`/`rightType`: a key of the `types` table, or nothing. */
function typeRef(o: Obj, key: string, at: string, tables: Tables): string | undefined {
  const id = optStr(o, key, at);
  if (id === undefined) return undefined;
  const text = tables.types.get(id);
  if (text === undefined) bad(`${at}.${key}`, `no type ${JSON.stringify(id)} in the report's types table`);
  return text;
}

function verdict(v: unknown, at: string): Verdict {
  const o = obj(v, at);
  return { departs: oneOf<Departs>(o, 'departs', at, DEPARTS, 'departs'), dwarf: str(o, 'dwarf', at) };
}

function unit(v: unknown, at: string, version: number, tables: Tables): UnitResult {
  const o = obj(v, at);
  const source = str(o, 'source', at);
  const commands = list(o.commands, `${at}.commands`).map((c, i) => step(c, `${at}.commands[${i}]`));
  const raw = list(o.findings, `${at}.findings`);
  const findings = raw.map((f, i) => finding(f, `${at}.findings[${i}]`, tables));
  let error: UnitResult['error'];
  if (o.error !== undefined) {
    const e = obj(o.error, `${at}.error`);
    error = { step: str(e, 'step', `${at}.error`), message: str(e, 'message', `${at}.error`) };
  }
  const types = version >= 3 ? typesByReference(raw, findings, at, tables) : typesInline(o, at);
  return defined({ source, commands, findings, error, types });
}

function typesInline(o: Obj, at: string): UnitResult['types'] {
  if (o.types === undefined) return undefined;
  const t = obj(o.types, `${at}.types`);
  return { left: stringRecord(t.left, `${at}.types.left`), right: stringRecord(t.right, `${at}.types.right`) };
}

/** Version 3: the unit's dumps by entity, from what its findings refer to (a unit whose findings name none has none). */
function typesByReference(raw: readonly unknown[], findings: readonly ClassifiedFinding[], at: string, tables: Tables): UnitResult['types'] {
  // No prototype: an entity may be named `__proto__`.
  const left: Record<string, string> = Object.create(null);
  const right: Record<string, string> = Object.create(null);
  let any = false;
  raw.forEach((r, i) => {
    const o = r as Obj;
    const here = `${at}.findings[${i}]`;
    const l = typeRef(o, 'leftType', here, tables);
    const rt = typeRef(o, 'rightType', here, tables);
    if (l !== undefined) left[findings[i].entity] = l;
    if (rt !== undefined) right[findings[i].entity] = rt;
    any ||= l !== undefined || rt !== undefined;
  });
  return any ? { left, right } : undefined;
}

/** A version 3 report's `rules` and `types` tables, validated. */
function tablesOf(doc: Obj): Tables {
  const rules = new Map<string, { explanation: string; reference?: string; ruleSource?: string }>();
  const r = obj(doc.rules, 'rules');
  for (const id of Object.keys(r)) {
    const at = `rules[${JSON.stringify(id)}]`;
    const e = obj(r[id], at);
    rules.set(id, defined({ explanation: str(e, 'explanation', at), reference: optStr(e, 'reference', at), ruleSource: optStr(e, 'ruleSource', at) }));
  }
  const t = obj(doc.types, 'types');
  const types = new Map<string, string>();
  for (const id of Object.keys(t)) types.set(id, str(t, id, 'types'));
  return { rules, types };
}

/** Validate a parsed json report (version 2 or 3, READABLE_JSON_VERSIONS); the InputError's reason names the bad field. */
export function parseRunResult(json: unknown): RunResult {
  const doc = json as Obj;
  if (typeof json !== 'object' || json === null || !Array.isArray(doc.units) || !Array.isArray(doc.toolchain) || !Array.isArray(doc.recipes)) {
    throw new InputError('not a btfparity json report (expected units, toolchain, recipes)');
  }
  const version = doc.schemaVersion;
  if (typeof version !== 'number' || !READABLE_JSON_VERSIONS.includes(version)) {
    const v = typeof version === 'number' ? String(version) : describe(version);
    throw new InputError(`report schema version ${v}, expected ${READABLE_JSON_VERSIONS.join(' or ')}`);
  }
  const tables = version >= 3 ? tablesOf(doc) : NO_TABLES;
  const toolchain = doc.toolchain.map((t, i) => tool(t, `toolchain[${i}]`));
  const recipes = doc.recipes.map((r, i) => recipe(r, `recipes[${i}]`));
  const units = doc.units.map((u, i) => unit(u, `units[${i}]`, version, tables));
  return { schemaVersion: REPORT_SCHEMA_VERSION, toolchain, recipes, units, summary: buildSummary(units) };
}
