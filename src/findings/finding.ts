/**
 * A finding: one structural difference between the two avenues' BTF, at
 * one place in one entity. This is the unit every report format, the
 * baseline gate and the classifier work on.
 *
 * The category list is closed: reports, rules files and baselines name
 * categories, so adding one is a schema change (bump REPORT_SCHEMA_VERSION).
 */

import { InputError } from '../errors.js';
import { byCodeUnit } from '../lang.js';

/** What kind of difference a finding is. Documented in README ("Finding categories"). */
export const CATEGORIES = [
  /** The entity exists only on the left side. */
  'only-left',
  /** The entity exists only on the right side. */
  'only-right',
  /** Same name, different BTF kind (e.g. INT vs FLOAT for `double`, STRUCT vs FWD). */
  'kind',
  /** Byte size of a type differs. */
  'size',
  /** INT encoding bits (CHAR, BOOL) or bit width differ. */
  'encoding',
  /** Signedness of an INT or ENUM differs. */
  'signedness',
  /** Bitfield width or bitfield-ness of a member differs. */
  'bitfield',
  /** A member's bit offset differs. */
  'offset',
  /** Member lists differ: a member missing on one side, names or order differ. */
  'members',
  /** A member (or element, or target) refers to a different type. */
  'member-type',
  /** Array shape differs: dimensions, element counts, index type. */
  'array',
  /** An enumerator's value differs, or an enumerator is missing. */
  'enum-value',
  /** FUNC or VAR linkage differs (static/global/extern). */
  'linkage',
  /** A function prototype differs: return type, parameter count, parameter types, variadic. */
  'proto',
  /** DATASEC layout or membership differs. */
  'datasec',
  /** DECL_TAG or TYPE_TAG annotations differ. */
  'tag',
  /** Qualifiers (const/volatile/restrict) differ on a referenced type. */
  'qualifier',
] as const;

export type Category = (typeof CATEGORIES)[number];

/**
 * How a finding is judged:
 * - equivalent: representations differ but mean the same (a named normalisation says why);
 * - known: a rule from the rules file explains it;
 * - unexplained: everything else.
 */
export const STATUSES = ['equivalent', 'known', 'unexplained'] as const;
export type Status = (typeof STATUSES)[number];

/**
 * The diff's normalisations: differences of representation that mean the
 * same (findings/diff.ts explains each). A finding that names one is
 * classified `equivalent`.
 */
export const NORMALISATIONS = ['array-index-type', 'flattened-array', 'qualifier-order', 'array-qualifier', 'bitfield-encoding', 'redundant-fwd'] as const;
export type Normalisation = (typeof NORMALISATIONS)[number];

/** Which side of the comparison. */
export type Side = 'left' | 'right';

export interface Finding {
  /** The entity, as C would name it: `struct outer`, `union u`, `enum color`, `typedef u32`, `func foo`, `var bar`, `datasec .bss`, `int`, `float double`. */
  readonly entity: string;
  /** Where inside the entity: '' for the entity itself; `arr`, `uu.pt.x`, `param 2`, `return`, `enumerator RED`. */
  readonly path: string;
  readonly category: Category;
  /** The left side's view, as C-like text (`int[4][2]`, `signed char`, `absent`). */
  readonly left: string;
  /** The right side's view, as C-like text. */
  readonly right: string;
  /** Raw BTF type id of the entity on each side (cross-reference with bpftool); absent when the side lacks it. */
  readonly leftId?: number;
  readonly rightId?: number;
  /**
   * Set by the diff engine when the difference is a known representation
   * variant that means the same thing (e.g. `flattened-array`,
   * `array-index-type`). The classifier turns it into status `equivalent`.
   */
  readonly normalisation?: Normalisation;
  /** Entities that reference this one and are therefore affected but not reported again. */
  readonly affected?: readonly string[];
}

/** A finding after classification. */
export interface ClassifiedFinding extends Finding {
  readonly status: Status;
  /** Rule id (status known) or normalisation name (status equivalent). */
  readonly reason?: string;
  /** Human explanation from the rule. */
  readonly explanation?: string;
  /** Upstream reference (bug URL, commit) from the rule, when known. */
  readonly reference?: string;
  /** Known: the rules file the matching rule came from (`shipped:rules/known-divergences.json` for btfparity's own). */
  readonly ruleSource?: string;
}

/**
 * The stable identity of a finding across runs and machines: no type ids,
 * no paths of temporary files. Used as the baseline key.
 */
export function findingKey(unit: string, f: Finding): string {
  // Readable in a baseline file, yet unambiguous: fields joined by ` | `,
  // with `\` and `|` inside a field escaped by a backslash.
  return [unit, f.entity, f.path, f.category, f.left, f.right].map((s) => s.replace(/[\\|]/g, '\\$&')).join(' | ');
}

/** The facts a finding key names, as `parseFindingKey` reads them back. */
export interface FindingKeyFields {
  readonly unit: string;
  readonly entity: string;
  readonly path: string;
  readonly category: Category;
  readonly left: string;
  readonly right: string;
}

/** Read a key written by `findingKey` back into its fields (e.g. a line picked from a baseline). */
export function parseFindingKey(key: string): FindingKeyFields {
  const fields: string[] = [];
  let cur = '';
  for (let i = 0; i < key.length; i++) {
    const c = key[i];
    if (c === '\\' && i + 1 < key.length) {
      cur += key[++i];
    } else if (c === '|' && cur.endsWith(' ') && key[i + 1] === ' ') {
      // Separator ` | `: the spaces around an unescaped bar belong to it.
      fields.push(cur.slice(0, -1));
      cur = '';
      i++;
    } else cur += c;
  }
  fields.push(cur);
  if (fields.length !== 6)
    throw new InputError(`finding key: expected 6 fields separated by ' | ' (unit | entity | path | category | left | right), got ${fields.length}`);
  const [unit, entity, path, category, left, right] = fields;
  if (!(CATEGORIES as readonly string[]).includes(category)) throw new InputError(`finding key: unknown category '${category}'`);
  return { unit, entity, path, category: category as Category, left, right };
}

/** Code-unit order on what a finding says: entity, path, category, left, right (reports and the diff break ties after these). */
export function compareFindingFacts(a: Finding, b: Finding): number {
  return (
    byCodeUnit(a.entity, b.entity) ||
    byCodeUnit(a.path, b.path) ||
    byCodeUnit(a.category, b.category) ||
    byCodeUnit(a.left, b.left) ||
    byCodeUnit(a.right, b.right)
  );
}
