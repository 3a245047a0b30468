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
  /**
   * One side's BTF would be refused by the kernel's BTF_LOAD (src/lint): the
   * finding is at the offending entity, on that side only. Never classified by a rule.
   */
  'rejected',
  /**
   * One side's BTF disagrees with its own object, whatever the other side
   * holds: a VAR or DATASEC entry for a symbol the object does not define, a
   * DATASEC for a section it lacks, two VARs or FUNCs of one name and linkage,
   * an ARRAY indexed by void, section lengths that disagree with the bytes
   * present. Never classified by a rule.
   */
  'self-inconsistent',
] as const;

/**
 * Categories about one side's own defects: no rule (which explains a
 * difference between the avenues) may classify them.
 */
export const SELF_CATEGORIES: readonly Category[] = ['rejected', 'self-inconsistent'];

/** The categories a rule may name: all but a side's own defects (rules-parse.ts refuses those). */
export const RULE_CATEGORIES: readonly Category[] = CATEGORIES.filter((c) => !SELF_CATEGORIES.includes(c));

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

/** Which side departs from the DWARF of the same compile. */
export const DEPARTS = ['left', 'right', 'both', 'neither'] as const;
export type Departs = (typeof DEPARTS)[number];

/**
 * What the compiler's own DWARF (the same compile's `.debug_info`, read by
 * llvm-dwarfdump) says about a finding: which side departs from it, and the
 * DWARF fact, quoted (`DW_TAG_subrange_type upper_bound 1, 2`). Not part of
 * the finding's key: a baseline stays valid whatever the verdict.
 */
export interface Verdict {
  readonly departs: Departs;
  /** The DWARF fact the verdict rests on, quoted (`DW_TAG_...`); presence and placement also quote the object's ELF tables (`ELF symbol ...`). */
  readonly dwarf: string;
}

/** `right departs`, `both sides depart`, `neither side departs`. */
export function departsText(v: Verdict): string {
  return v.departs === 'neither' ? 'neither side departs' : v.departs === 'both' ? 'both sides depart' : `${v.departs} departs`;
}

/** `right departs from DWARF: DW_TAG_subrange_type upper_bound 1, upper_bound 2 (int[2][3])` (the fact names its source: DW_... or ELF ...). */
export function verdictText(v: Verdict): string {
  return `${departsText(v)} from ${verdictSource(v)}: ${v.dwarf}`;
}

/** `DWARF`, or `the object` for a fact read from the object's ELF section and symbol tables alone. */
export function verdictSource(v: Verdict): string {
  return /^(no )?ELF\b/.test(v.dwarf) ? 'the object' : 'DWARF';
}

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
  /** What the same compile's DWARF says, when it settles the finding (src/verdict). */
  readonly verdict?: Verdict;
  /**
   * Whole-binary comparisons (`btfparity binary`): the objects whose BTF
   * blob holds the right side's record (every object that contributed a copy
   * libbpf's dedup merged into it), in link order.
   */
  readonly rightObjects?: readonly string[];
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
