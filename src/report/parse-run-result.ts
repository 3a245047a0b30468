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
import { type RecipeInfo, REPORT_SCHEMA_VERSION, type RunResult, type StepRecord, type ToolInfo, type UnitResult } from './run-result.js';

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

function finding(v: unknown, at: string): ClassifiedFinding {
  const o = obj(v, at);
  return defined({
    entity: str(o, 'entity', at),
    path: str(o, 'path', at),
    category: oneOf<Category>(o, 'category', at, CATEGORIES, 'category'),
    left: str(o, 'left', at),
    right: str(o, 'right', at),
    status: oneOf<Status>(o, 'status', at, STATUSES, 'status'),
    reason: optStr(o, 'reason', at),
    explanation: optStr(o, 'explanation', at),
    reference: optStr(o, 'reference', at),
    normalisation: o.normalisation === undefined ? undefined : oneOf<Normalisation>(o, 'normalisation', at, NORMALISATIONS, 'normalisation'),
    leftId: optId(o, 'leftId', at),
    rightId: optId(o, 'rightId', at),
    affected: o.affected === undefined ? undefined : strings(o.affected, `${at}.affected`),
    verdict: o.verdict === undefined ? undefined : verdict(o.verdict, `${at}.verdict`),
    ruleSource: optStr(o, 'ruleSource', at),
    rightObjects: o.rightObjects === undefined ? undefined : strings(o.rightObjects, `${at}.rightObjects`),
  });
}

function verdict(v: unknown, at: string): Verdict {
  const o = obj(v, at);
  return { departs: oneOf<Departs>(o, 'departs', at, DEPARTS, 'departs'), dwarf: str(o, 'dwarf', at) };
}

function unit(v: unknown, at: string): UnitResult {
  const o = obj(v, at);
  const source = str(o, 'source', at);
  const commands = list(o.commands, `${at}.commands`).map((c, i) => step(c, `${at}.commands[${i}]`));
  const findings = list(o.findings, `${at}.findings`).map((f, i) => finding(f, `${at}.findings[${i}]`));
  let error: UnitResult['error'];
  if (o.error !== undefined) {
    const e = obj(o.error, `${at}.error`);
    error = { step: str(e, 'step', `${at}.error`), message: str(e, 'message', `${at}.error`) };
  }
  let types: UnitResult['types'];
  if (o.types !== undefined) {
    const t = obj(o.types, `${at}.types`);
    types = { left: stringRecord(t.left, `${at}.types.left`), right: stringRecord(t.right, `${at}.types.right`) };
  }
  return defined({ source, commands, findings, error, types });
}

/** Validate a parsed json report (schema version REPORT_SCHEMA_VERSION); the InputError's reason names the bad field. */
export function parseRunResult(json: unknown): RunResult {
  const doc = json as Obj;
  if (typeof json !== 'object' || json === null || !Array.isArray(doc.units) || !Array.isArray(doc.toolchain) || !Array.isArray(doc.recipes)) {
    throw new InputError('not a btfparity json report (expected units, toolchain, recipes)');
  }
  if (doc.schemaVersion !== REPORT_SCHEMA_VERSION) {
    const v = typeof doc.schemaVersion === 'number' ? String(doc.schemaVersion) : describe(doc.schemaVersion);
    throw new InputError(`report schema version ${v}, expected ${REPORT_SCHEMA_VERSION}`);
  }
  const toolchain = doc.toolchain.map((t, i) => tool(t, `toolchain[${i}]`));
  const recipes = doc.recipes.map((r, i) => recipe(r, `recipes[${i}]`));
  const units = doc.units.map((u, i) => unit(u, `units[${i}]`));
  return { schemaVersion: REPORT_SCHEMA_VERSION, toolchain, recipes, units, summary: buildSummary(units) };
}
