/**
 * Does a rule explain a finding? Conditions of the rule (rules-schema.ts)
 * evaluated on the finding and on the facts of its context (rule-index.ts).
 * Pure.
 */
import { parseEntity } from '../canonical/entity.js';
import { type Category, type Finding, SELF_CATEGORIES } from './finding.js';
import type { GraphSide, RuleIndex } from './rule-index.js';
import type { RecordCondition, Rule, RuleMatch, SymbolCondition, SymbolState, ToolCondition } from './rules-schema.js';
import { anyTextPattern, textPatternMatches } from './text-pattern.js';
import { versionSatisfies } from './version.js';

/**
 * Every tool of the condition's role satisfies it. With per-side tools a
 * role may have two (gcc 12 on the left, gcc 16 on the right): a rule
 * observed on one version range then holds only when both sides are in it,
 * so it never explains a difference that one side's newer tool may cause.
 */
function toolsHold(conds: readonly ToolCondition[] | undefined, index: RuleIndex): boolean {
  if (!conds) return true;
  return conds.every((c) => {
    const ts = index.context.tools.filter((x) => x.role === c.tool);
    return ts.length > 0 && ts.every((t) => t.version !== undefined && versionSatisfies(t.version, c.version));
  });
}

/** `func foo` / `var bar` → the symbol name; other entities have none. */
export function symbolNameOf(entity: string): string | undefined {
  const e = parseEntity(entity);
  return e.keyword === 'func' || e.keyword === 'var' ? e.name : undefined;
}

const SYMBOL_TYPE_NAMES: Record<number, string> = { 6: 'tls' };

function symbolHolds(cond: SymbolCondition | undefined, entity: string, index: RuleIndex): boolean {
  if (!cond) return true;
  const name = symbolNameOf(entity);
  if (name === undefined || !index.hasSymbols) return false;
  const sym = index.symbol(name);
  const state: SymbolState = !sym ? 'absent' : sym.shndx === 0 ? 'undefined' : 'defined';
  if (cond.state && !cond.state.includes(state)) return false;
  if (!sym) return cond.binding === undefined && cond.type === undefined && cond.section === undefined && cond.notSection === undefined;
  if (cond.binding && !cond.binding.includes(String(sym.binding))) return false;
  const type = typeof sym.type === 'number' ? (SYMBOL_TYPE_NAMES[sym.type] ?? String(sym.type)) : sym.type;
  if (cond.type && !cond.type.includes(type)) return false;
  if (cond.section && !anyTextPattern(cond.section, sym.section)) return false;
  if (cond.notSection?.some((p) => textPatternMatches(p, sym.section))) return false;
  return true;
}

function recordHolds(cond: RecordCondition | undefined, index: RuleIndex, side: GraphSide, id: number | undefined): boolean {
  if (!cond) return true;
  const t = index.record(side, id);
  if (!t || id === undefined) return false;
  if (cond.linkage) {
    if (t.kind !== 'VAR' && t.kind !== 'FUNC') return false;
    if (!cond.linkage.includes(String(t.linkage))) return false;
  }
  const secs = index.datasecsListing(side, id);
  if (cond.datasec && !secs.some((s) => anyTextPattern(cond.datasec, s))) return false;
  if (cond.notDatasec && secs.some((s) => anyTextPattern(cond.notDatasec, s))) return false;
  if (cond.entries) {
    if (t.kind !== 'DATASEC' || !index.hasSymbols) return false;
    const states = t.vars.map((v): SymbolState => {
      const name = index.record(side, v.type)?.name;
      const sym = name ? index.symbol(name) : undefined;
      return !sym ? 'absent' : sym.shndx === 0 ? 'undefined' : sym.section === t.name ? 'defined' : 'absent';
    });
    if (!states.some((s) => cond.entries?.includes(s))) return false;
  }
  return true;
}

/** Record conditions of `m` on finding `f`, whose left/right records are in the graphs of `left`/`right`. */
function recordsHold(m: RuleMatch, f: Finding, index: RuleIndex, left: GraphSide, right: GraphSide): boolean {
  return recordHolds(m.leftRecord, index, left, f.leftId) && recordHolds(m.rightRecord, index, right, f.rightId);
}

const MIRRORED: Partial<Record<Category, Category>> = { 'only-left': 'only-right', 'only-right': 'only-left' };

/** The same difference described from the other side. */
export function mirrorFinding(f: Finding): Finding {
  return { ...f, category: MIRRORED[f.category] ?? f.category, left: f.right, right: f.left, leftId: f.rightId, rightId: f.leftId };
}

function findingHolds(m: RuleMatch, f: Finding): boolean {
  return (
    (m.category === undefined || m.category.includes(f.category)) &&
    anyTextPattern(m.entity, f.entity) &&
    !m.notEntity?.some((p) => textPatternMatches(p, f.entity)) &&
    anyTextPattern(m.path, f.path) &&
    anyTextPattern(m.left, f.left) &&
    anyTextPattern(m.right, f.right) &&
    valueOutside(m.leftValueOutside, f.left) &&
    valueOutside(m.rightValueOutside, f.right)
  );
}

/** The view ends in `= N` with N outside [min, max]; no condition: true. */
function valueOutside(range: readonly [bigint, bigint] | undefined, view: string): boolean {
  if (!range) return true;
  const n = /=\s*(-?\d+)$/.exec(view)?.[1];
  if (n === undefined) return false;
  const v = BigInt(n);
  return v < range[0] || v > range[1];
}

/** The finding, as it is or mirrored when the rule's recipes are the other way round, meets the rule's finding and record conditions. */
function describedBy(m: RuleMatch, finding: Finding, index: RuleIndex): boolean {
  const { direct, swapped } = index.recipeFit(m);
  if (direct && findingHolds(m, finding) && recordsHold(m, finding, index, 'left', 'right')) return true;
  if (!swapped) return false;
  const mirrored = mirrorFinding(finding);
  return findingHolds(m, mirrored) && recordsHold(m, mirrored, index, 'right', 'left');
}

/** Does `rule` explain `finding` in the context `index` was built for? */
export function ruleMatches(rule: Rule, finding: Finding, index: RuleIndex): boolean {
  const m = rule.match;
  // All conditions are pure, so the cheap ones on the finding go first:
  // most rules fail on category or entity, before any symbol lookup.
  return describedBy(m, finding, index) && toolsHold(m.tools, index) && symbolHolds(m.symbol, finding.entity, index);
}

/** The first rule (file order) that explains the finding. */
export function firstMatchingRule(rules: readonly Rule[], finding: Finding, index: RuleIndex): Rule | undefined {
  // A side's own defect is never explained by a rule about the avenues' differences.
  if (SELF_CATEGORIES.includes(finding.category)) return undefined;
  return index.memo(rules, finding.category, rulesFor).find((r) => ruleMatches(r, finding, index));
}

/**
 * The rules, in file order, whose category condition can hold for a
 * finding of `category`, as it is or mirrored (describedBy): the others
 * fail on category whatever else the finding holds, and most rules name
 * one or two categories, so each finding tries a few rules, not all.
 */
function rulesFor(rules: readonly Rule[], category: Category): readonly Rule[] {
  const mirrored = MIRRORED[category] ?? category;
  return rules.filter((r) => r.match.category === undefined || r.match.category.includes(category) || r.match.category.includes(mirrored));
}
