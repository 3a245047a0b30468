/**
 * The json format: the RunResult, keys in the order documented in
 * docs/report.schema.json, findings sorted, written as
 * `JSON.stringify(…, null, 2)` would, one finding at a time. Versioned by
 * JSON_REPORT_VERSION.
 *
 * By reference (version 3, issue 13): a rule's explanation, reference and
 * rules file appear once, in the top-level `rules` table keyed by rule id,
 * and each involved-type dump once, in the top-level `types` table keyed by
 * a digest of its text; a finding names its dumps by `leftType`/`rightType`.
 * A kernel-sized report otherwise repeats the same explanation per finding.
 * A finding whose rule facts differ from its id's table entry (two rules
 * files with one id, merged reports of two rule versions) keeps them inline.
 * parse-run-result.ts reads versions 2 and 3 back into the same RunResult.
 */
import { createHash } from 'node:crypto';
import type { ClassifiedFinding } from '../findings/finding.js';
import { byCodeUnit } from '../lang.js';
import { FINDING_KEYS, orderedRunResult, sortedFindings } from './order.js';
import { JSON_REPORT_VERSION, type RunResult, type UnitResult } from './run-result.js';
import { collect, lazyArray, lazyRecord, type PlainJson, plainJson, type TextWriter, writeJsonValue } from './writer.js';

/** A rule's facts as every finding it explains carries them. */
export interface RuleFacts {
  readonly explanation: string;
  readonly reference?: string;
  readonly ruleSource?: string;
}

/** The digest a type dump is keyed by: its first 16 hex digits, longer only to tell two dumps apart. */
function digestOf(text: string): string {
  // UTF-16 code units, so names held as lone surrogates (name-bytes.ts) hash as themselves.
  return createHash('sha256').update(text, 'utf16le').digest('hex');
}

/** Where a dump's text is: its unit (by index), side and entity. */
type DumpPlace = readonly [id: string, side: 'left' | 'right', entity: string];

/** What the units refer to, filled while they are written; both tables are written after them. */
class Tables {
  readonly rules = new Map<string, RuleFacts>();
  private readonly typeIds = new Map<string, string>();
  private readonly taken = new Set<string>();
  /**
   * Per unit (by index), the dumps it names first, in the order it names them:
   * the types table finds their texts again without hashing every dump twice.
   * One small entry per distinct dump, as typeIds holds.
   */
  private readonly firstNamed: DumpPlace[][] = [];

  typeId(text: string, unit: number, side: 'left' | 'right', entity: string): string {
    const full = digestOf(text);
    const known = this.typeIds.get(full);
    if (known !== undefined) return known;
    let id = full.slice(0, 16);
    for (let n = 32; this.taken.has(id) && n <= full.length; n += 16) id = full.slice(0, n);
    this.taken.add(id);
    this.typeIds.set(full, id);
    this.firstNamed[unit] ??= [];
    this.firstNamed[unit].push([id, side, entity]);
    return id;
  }

  /** Whether `f`'s rule facts are its rule's table entry (the first finding of the rule sets it). */
  byReference(f: ClassifiedFinding): boolean {
    if (f.status !== 'known' || f.reason === undefined || f.explanation === undefined) return false;
    const facts: RuleFacts = { explanation: f.explanation, reference: f.reference, ruleSource: f.ruleSource };
    const entry = this.rules.get(f.reason);
    if (entry === undefined) this.rules.set(f.reason, facts);
    else if (entry.explanation !== facts.explanation || entry.reference !== facts.reference || entry.ruleSource !== facts.ruleSource) return false;
    return true;
  }

  /** The rules table, by rule id; absent fields left out. */
  *ruleEntries(): Generator<readonly [string, RuleFacts]> {
    for (const id of [...this.rules.keys()].sort(byCodeUnit)) {
      const r = this.rules.get(id)!;
      yield [id, { explanation: r.explanation, reference: r.reference, ruleSource: r.ruleSource }];
    }
  }

  /** The types table, in the order the units first name each dump: the units that named one first read again. */
  *typeEntries(units: readonly UnitResult[]): Generator<readonly [string, string]> {
    for (let i = 0; i < units.length; i++) {
      const named = this.firstNamed[i];
      if (named === undefined) continue;
      const types = units[i].types!;
      for (const [id, side, entity] of named) yield [id, types[side][entity]];
    }
  }
}

/** Each finding's dumps (left, then right) in report order, as the finding names them. */
function* unitTypeTexts(u: UnitResult): Generator<readonly [ClassifiedFinding, string | undefined, string | undefined]> {
  const types = u.types;
  if (types === undefined) return;
  const text = (side: Readonly<Record<string, string>>, entity: string): string | undefined => (Object.hasOwn(side, entity) ? side[entity] : undefined);
  for (const f of sortedFindings(u.findings)) {
    const l = text(types.left, f.entity);
    const r = text(types.right, f.entity);
    yield [f, l, r];
  }
}

const RULE_FIELDS: ReadonlySet<string> = new Set(['explanation', 'reference', 'ruleSource']);

/** A finding in version 3: rule facts by reference when they are the table's; its dumps by id, after rightId. */
function findingByReference(f: ClassifiedFinding, l: string | undefined, r: string | undefined, unit: number, t: Tables): Record<string, unknown> {
  const elide = t.byReference(f);
  const out: Record<string, unknown> = {};
  for (const k of FINDING_KEYS) {
    if (k === 'affected') addTypeRefs(out, f.entity, l, r, unit, t);
    if (f[k] === undefined || (elide && RULE_FIELDS.has(k))) continue;
    out[k] = k === 'affected' ? [...(f.affected ?? [])].sort(byCodeUnit) : f[k];
  }
  return out;
}

function addTypeRefs(out: Record<string, unknown>, entity: string, l: string | undefined, r: string | undefined, unit: number, t: Tables): void {
  if (l !== undefined) out.leftType = t.typeId(l, unit, 'left', entity);
  if (r !== undefined) out.rightType = t.typeId(r, unit, 'right', entity);
}

/** A unit's findings, each plain data (written by JSON.stringify in one go). */
function* findingsOf(u: UnitResult, unit: number, t: Tables): Generator<PlainJson> {
  if (u.types === undefined) {
    for (const f of sortedFindings(u.findings)) yield plainJson(findingByReference(f, undefined, undefined, unit, t));
    return;
  }
  for (const [f, l, r] of unitTypeTexts(u)) yield plainJson(findingByReference(f, l, r, unit, t));
}

function* unitsOf(units: readonly UnitResult[], t: Tables): Generator<Record<string, unknown>> {
  for (const [i, u] of units.entries()) {
    const out: Record<string, unknown> = {
      source: u.source,
      commands: plainJson(u.commands.map((c) => ({ side: c.side, argv: c.argv }))),
    };
    if (u.error) out.error = { step: u.error.step, message: u.error.message };
    out.findings = lazyArray(() => findingsOf(u, i, t));
    yield out;
  }
}

export function writeJson(result: RunResult, w: TextWriter): void {
  const o = orderedRunResult(result, true);
  const t = new Tables();
  // Members are written in this order and each produced when reached: the tables after the units that fill them.
  writeJsonValue(w, {
    schemaVersion: JSON_REPORT_VERSION,
    toolchain: o.toolchain,
    recipes: o.recipes,
    units: lazyArray(() => unitsOf(result.units, t)),
    rules: lazyRecord(() => t.ruleEntries()),
    types: lazyRecord(() => t.typeEntries(result.units)),
    summary: o.summary,
  });
  w.write('\n');
}

export function renderJson(result: RunResult): string {
  return collect((w) => writeJson(result, w));
}
