/**
 * Known-divergence rules: the data that turns a finding into status `known`.
 *
 * A rule is plain JSON (shipped in rules/known-divergences.json, users may
 * pass their own): an id, match conditions, an explanation and an optional
 * upstream reference. Matching is a conjunction of the conditions present;
 * inside one condition a list of patterns is a disjunction. Code only
 * evaluates conditions — which divergences are known is decided by the data.
 *
 * This module is the shape of a rules file, as types and the names the
 * validator (rules-parse.ts) checks; rules/known-divergences.schema.json is
 * the same shape as a JSON Schema, for editors and other tools
 * (test/rules-schema.test.ts keeps the two together). Matching is
 * rules-match.ts. Types and constants only.
 */
import type { Category } from './finding.js';

export const RULES_SCHEMA_VERSION = 1;

/** `{ "tool": "pahole", "version": "<1.25" }`: the tool with that role ran, and its version satisfies the comparison. */
export interface ToolCondition {
  /** ToolInfo.role: `cc`, `pahole`, `clang`, `bpftool`. */
  readonly tool: string;
  /** Operator (`<`, `<=`, `>`, `>=`, `=`; none means `=`) followed by a dotted number (see version.ts). */
  readonly version: string;
}

export type SymbolState = 'defined' | 'undefined' | 'absent';
export const SYMBOL_STATES: readonly SymbolState[] = ['defined', 'undefined', 'absent'];

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
  /**
   * DATASEC records only: some entry's VAR names a symbol in one of these
   * states, where `defined` means defined in the section the DATASEC names
   * (a DATASEC of externs only, or for a section the object lacks, has none).
   */
  readonly entries?: readonly SymbolState[];
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
  /**
   * `[min, max]`, decimal integers: the left / right view ends in a value
   * (`F_HIGH = 2147483648`) outside that inclusive range. For a rule whose
   * explanation is about values, e.g. the ones that do not fit 32 bits.
   */
  readonly leftValueOutside?: readonly [bigint, bigint];
  readonly rightValueOutside?: readonly [bigint, bigint];
}

export interface Rule {
  readonly id: string;
  readonly match: RuleMatch;
  /** What each side does, and why. */
  readonly explanation: string;
  /** Upstream file, commit or bug. */
  readonly reference?: string;
  /** The rules file the rule was read from (set by the loader, not a key of the file). */
  readonly source?: string;
}

/** The fields each object of a rules file may have, in the order the validator checks them. */
export const DOCUMENT_KEYS = ['$schema', '$comment', 'schemaVersion', 'rules'] as const;
export const RULE_KEYS = ['id', 'match', 'explanation', 'reference'] as const;
export const MATCH_KEYS = [
  'category',
  'entity',
  'notEntity',
  'path',
  'left',
  'right',
  'recipes',
  'tools',
  'symbol',
  'leftRecord',
  'rightRecord',
  'leftValueOutside',
  'rightValueOutside',
] as const;
/** The RuleMatch fields that are text patterns on the finding. */
export const MATCH_PATTERN_KEYS = ['entity', 'notEntity', 'path', 'left', 'right'] as const;
export const RECIPES_KEYS = ['left', 'right'] as const;
export const TOOL_KEYS = ['tool', 'version'] as const;
export const SYMBOL_KEYS = ['state', 'binding', 'type', 'section', 'notSection'] as const;
export const RECORD_KEYS = ['linkage', 'datasec', 'notDatasec', 'entries'] as const;

/** A rule id: lower case, digits, dots and dashes (`pahole-no-float`). */
export const RULE_ID = /^[a-z0-9][a-z0-9.-]*$/;
