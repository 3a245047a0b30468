/**
 * What rule conditions look at besides the finding — recipes, tools, the
 * unit's symbol table and BTF graphs — and the lookups over them, indexed
 * once for one context (one unit, or one `diff`). The caller builds a
 * RuleIndex and hands it to every match: a kernel unit's symbol table has
 * thousands of entries and its graphs tens of thousands of types, asked
 * for each finding and rule. Lookups are built on first use and live as
 * long as the index. Pure.
 */
import type { ElfSymbol } from '../artifact/elf.js';
import { type Btf, type BtfType, typeById } from '../btf/types.js';
import type { ToolInfo } from '../recipe/tools.js';
import type { Category } from './finding.js';
import type { Rule, RuleMatch } from './rules-schema.js';
import { anyTextPattern } from './text-pattern.js';

/** What a rule may condition on, besides the finding itself. */
export interface RuleContext {
  /** Recipe names of the two sides, e.g. `pahole` and `gcc-btf`. */
  readonly leftRecipe: string;
  readonly rightRecipe: string;
  /** Tools and versions used in the run. */
  readonly tools: readonly ToolInfo[];
  /** Symbol table of the unit's compiled object (explains presence differences); absent when unknown. */
  readonly symbols?: readonly ElfSymbol[];
  /**
   * The two graphs the findings were diffed from (left, right). Rules with
   * record conditions (VAR/FUNC linkage, DATASEC placement) need them; absent:
   * such rules never match.
   */
  readonly btf?: { readonly left: Btf; readonly right: Btf };
}

export type GraphSide = 'left' | 'right';

/** How a rule's recipes fit the run's. */
export interface RecipeFit {
  /** The rule's recipes are the run's as they are. */
  readonly direct: boolean;
  /** ... or the other way round (the finding is then read mirrored). */
  readonly swapped: boolean;
}

export class RuleIndex {
  private symbolsByName?: Map<string, ElfSymbol>;
  private readonly datasecs: Partial<Record<GraphSide, Map<number, string[]>>> = {};
  private readonly fits = new Map<RuleMatch, RecipeFit>();
  private readonly byCategory = new Map<readonly Rule[], Map<Category, readonly Rule[]>>();

  constructor(readonly context: RuleContext) {}

  /** False when the unit's symbol table is unknown: symbol conditions then cannot hold. */
  get hasSymbols(): boolean {
    return this.context.symbols !== undefined;
  }

  /**
   * The symbol a name stands for: the first defining one, else the first.
   * Section and file symbols share names with nothing we care about and
   * are skipped; the defining symbol is preferred when both a definition
   * and a reference exist.
   */
  symbol(name: string): ElfSymbol | undefined {
    if (!this.symbolsByName) {
      const index = new Map<string, ElfSymbol>();
      for (const s of this.context.symbols ?? []) {
        if (s.type === 'section' || s.type === 'file') continue;
        const first = index.get(s.name);
        if (first === undefined || (first.shndx === 0 && s.shndx !== 0)) index.set(s.name, s);
      }
      this.symbolsByName = index;
    }
    return this.symbolsByName.get(name);
  }

  /** One side's record of a type id; undefined without the graphs or without such a type. */
  record(side: GraphSide, id: number | undefined): BtfType | undefined {
    const btf = this.context.btf?.[side];
    return btf && id !== undefined ? typeById(btf, id) : undefined;
  }

  /** Names of the DATASECs (own types and base chain) on one side that list type `id`. */
  datasecsListing(side: GraphSide, id: number): readonly string[] {
    let index = this.datasecs[side];
    if (!index) {
      index = new Map();
      for (let g: Btf | undefined = this.context.btf?.[side]; g; g = g.base) {
        for (const t of g.types) {
          if (t.kind !== 'DATASEC') continue;
          for (const v of t.vars) {
            const names = index.get(v.type) ?? [];
            names.push(t.name);
            index.set(v.type, names);
          }
        }
      }
      this.datasecs[side] = index;
    }
    return index.get(id) ?? [];
  }

  /** `select(rules, category)`, made once per rules list and category for this context (every finding of a category asks the same). */
  memo(rules: readonly Rule[], category: Category, select: (rules: readonly Rule[], category: Category) => readonly Rule[]): readonly Rule[] {
    let m = this.byCategory.get(rules);
    if (!m) {
      m = new Map();
      this.byCategory.set(rules, m);
    }
    let list = m.get(category);
    if (!list) {
      list = select(rules, category);
      m.set(category, list);
    }
    return list;
  }

  /** Whether the rule's recipe globs name the run's recipes, as they are or swapped (every finding asks the same). */
  recipeFit(m: RuleMatch): RecipeFit {
    let fit = this.fits.get(m);
    if (!fit) {
      const { leftRecipe: left, rightRecipe: right } = this.context;
      const r = m.recipes;
      fit = {
        direct: !r || (anyTextPattern(r.left, left) && anyTextPattern(r.right, right)),
        swapped: r !== undefined && anyTextPattern(r.left, right) && anyTextPattern(r.right, left),
      };
      this.fits.set(m, fit);
    }
    return fit;
  }
}
