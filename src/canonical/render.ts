/**
 * C-like text for a type reference, as a C programmer would write the
 * declaration: `const char *`, `int[4][2]`, `void (*)(int, ...)`,
 * `char * const volatile`. Used for the left/right text of findings.
 *
 * Declarators are built inside-out, the way C reads them: a pointer
 * prefixes `*` to what is being declared, an array or a function suffixes
 * `[n]` or `(params)`, and a pointer under an array or function needs
 * parentheses. Named types stop the walk (`struct foo`, `u32`), so output is
 * bounded by the anonymous part of the graph; a cycle made only of
 * anonymous types (not expressible in C) is cut with `<cycle>`.
 */
import type { Btf, BtfKind, BtfType } from '../btf/types.js';
import { typeById } from '../btf/types.js';
import { isQualifier, QUALIFIER_WORDS, shownName, tagWords } from '../btf/words.js';
import { assertNever } from '../lang.js';

/**
 * The C text of type `id`; with `declName`, a declaration of that name (`int a[4]`).
 * At most RENDER_LIMIT anonymous types are written; the rest is `…` (see there).
 */
export function renderCType(btf: Btf, id: number, declName = ''): string {
  return new Renderer(btf).render(id, declName, false);
}

/**
 * How many anonymous types (pointers, arrays, qualifiers, prototypes) one
 * rendering writes. Real C types have a few dozen at most; a hostile BTF
 * can chain a million, or fan a prototype out into 2^24 paths, and a
 * finding's text must stay a line. Where the budget runs out, the type
 * still to be written is `…`, the declarator built so far around it:
 * `… **********x` for a VAR over a long pointer chain.
 */
export const RENDER_LIMIT = 256;
export const ELIDED = '…';

/** The C keyword before the name of a tagged type (a FWD: its flavour's). */
const TAG_KEYWORDS: Partial<Record<BtfKind, string>> = { STRUCT: 'struct', UNION: 'union', ENUM: 'enum', ENUM64: 'enum' };

/** How a named or anonymous type is called in C: `struct foo`, `union (anon)`, `u32`, `int`. */
export function typeNameText(t: BtfType): string {
  const tag = t.kind === 'FWD' ? t.fwdKind : TAG_KEYWORDS[t.kind];
  return tag === undefined ? shownName(t.name) : `${tag} ${shownName(t.name)}`;
}

function join(base: string, inner: string): string {
  if (inner === '') return base;
  return inner.startsWith('[') ? base + inner : `${base} ${inner}`;
}

/** A declarator that starts with a qualifier word or a type tag's attribute. */
const QUALIFIED = new RegExp(`^(${Object.values(QUALIFIER_WORDS).join('|')}|__attribute__)\\b`);

/** `*` before a declarator; a space only when qualifiers follow the star (`* const p`). */
function pointerTo(inner: string): string {
  if (inner === '') return '*';
  return QUALIFIED.test(inner) ? `* ${inner}` : `*${inner}`;
}

function tagWord(value: string): string {
  return `__attribute__((btf_type_tag("${value}")))`;
}

/** A memoised standalone rendering (no declarator around it) and the budget it used. */
interface Rendered {
  readonly text: string;
  readonly cost: number;
}

/**
 * One rendering: the walk down a declarator is a loop (qualifier words to
 * put in front are collected as a prefix), so only parameter lists
 * recurse, and those at most RENDER_LIMIT deep because each level spends
 * budget. A parameter type is rendered standalone (no declarator), so its
 * text depends only on its id unless the walk was cut (`<cycle>` or `…`
 * inside): such texts are kept per id and reused while the budget covers
 * their cost, so a DAG node is written once; the output is what the plain
 * walk would write.
 */
class Renderer {
  private budget = RENDER_LIMIT;
  /** Set when a walk met a cycle or the budget's end: its text depends on where it was met. */
  private cut = false;
  private readonly onPath = new Set<number>();
  private readonly memo = new Map<number, Rendered>();

  constructor(private readonly btf: Btf) {}

  /** `inner` is the declarator built so far; `innerIsPtr`: it starts with a pointer (parentheses before `[n]` or `(params)`). */
  render(id0: number, inner0: string, innerIsPtr0: boolean): string {
    const { btf, onPath } = this;
    const added: number[] = [];
    let [id, inner, innerIsPtr, prefix] = [id0, inner0, innerIsPtr0, ''];
    try {
      for (;;) {
        if (id === 0) return prefix + join('void', inner);
        const t = typeById(btf, id);
        if (!t) return prefix + join(`<bad id ${id}>`, inner);
        if (onPath.has(id) || (isAnonymousLevel(t) && this.budget <= 0)) {
          this.cut = true;
          return prefix + join(onPath.has(id) ? '<cycle>' : ELIDED, inner);
        }
        if (isAnonymousLevel(t)) this.budget--;
        onPath.add(id);
        added.push(id);
        const step = this.step(t, inner, innerIsPtr);
        if (step.done !== undefined) return prefix + step.done;
        prefix += step.prefix ?? '';
        [id, inner, innerIsPtr] = [step.id, step.inner, step.innerIsPtr];
      }
    } finally {
      for (const id of added) onPath.delete(id);
    }
  }

  /** One level: either the finished text, or where the walk goes on (with words to put in front). */
  private step(t: BtfType, inner: string, innerIsPtr: boolean): Step {
    switch (t.kind) {
      case 'CONST':
      case 'VOLATILE':
      case 'RESTRICT':
      case 'TYPE_TAG':
        return this.qualified(t, inner, innerIsPtr);
      case 'PTR':
        return { id: t.type, inner: pointerTo(inner), innerIsPtr: true };
      case 'ARRAY':
        return { id: t.type, inner: `${innerIsPtr ? `(${inner})` : inner}[${t.nelems}]`, innerIsPtr: false };
      case 'FUNC_PROTO': {
        // Parameters share the path: a prototype that is its own parameter
        // (no C can say it, BTF can) prints `<cycle>` instead of recursing forever.
        const params = t.params.map((p, i) => (p.type === 0 && p.name === '' && i === t.params.length - 1 ? '...' : this.standalone(p.type)));
        const list = params.length === 0 ? 'void' : params.join(', ');
        return { id: t.returnType, inner: `${innerIsPtr ? `(${inner})` : inner}(${list})`, innerIsPtr: false };
      }
      case 'FUNC':
      case 'VAR':
        return { id: t.type, inner: t.name, innerIsPtr: false };
      case 'DATASEC':
        return { done: join(`datasec ${t.name}`, inner) };
      case 'DECL_TAG':
        return { done: join(`decl_tag ${t.name}`, inner) };
      // Types C calls by a name: base types, typedefs, tagged types.
      case 'INT':
      case 'FLOAT':
      case 'TYPEDEF':
      case 'STRUCT':
      case 'UNION':
      case 'ENUM':
      case 'ENUM64':
      case 'FWD':
        return { done: join(typeNameText(t), inner) };
    }
    return assertNever(t);
  }

  /** A type written on its own (a parameter), from the memo when its text does not depend on the path. */
  private standalone(id: number): string {
    const known = this.memo.get(id);
    if (known !== undefined && known.cost <= this.budget) {
      this.budget -= known.cost;
      return known.text;
    }
    const [budget, cut] = [this.budget, this.cut];
    this.cut = false;
    const text = this.render(id, '', false);
    if (!this.cut) this.memo.set(id, { text, cost: budget - this.budget });
    this.cut ||= cut;
    return text;
  }

  /**
   * A run of qualifiers: over a pointer they follow the `*` (`char * const`),
   * over anything else they precede the type (`const char`), in the order
   * the BTF chain has them, outermost first. The first of the run is
   * already on the path and paid for; the others are walked here.
   */
  private qualified(t: BtfType, inner: string, innerIsPtr: boolean): Step {
    const words: string[] = [];
    let cur: BtfType | undefined = t;
    let next = 0;
    const seen = new Set<number>();
    while (cur && (isQualifier(cur) || cur.kind === 'TYPE_TAG') && !seen.has(cur.id)) {
      if (cur !== t && this.budget-- <= 0) {
        this.cut = true;
        return { done: `${words.join(' ')} ${join(ELIDED, inner)}` };
      }
      seen.add(cur.id);
      words.push(isQualifier(cur) ? QUALIFIER_WORDS[cur.kind] : tagWords(cur.name, cur.kindFlag, tagWord));
      next = cur.type;
      cur = typeById(this.btf, next);
    }
    if (cur && seen.has(cur.id)) {
      this.cut = true;
      return { done: join('<cycle>', inner) };
    }
    const quals = words.join(' ');
    if (cur?.kind === 'PTR') return { id: next, inner: inner === '' ? quals : `${quals} ${inner}`, innerIsPtr };
    return { id: next, inner, innerIsPtr, prefix: `${quals} ` };
  }
}

/** Where a walk goes on (`prefix`: words written before the rest), or its finished text (`done`). */
type Step =
  | { readonly done: string }
  | { readonly done?: undefined; readonly id: number; readonly inner: string; readonly innerIsPtr: boolean; readonly prefix?: string };

/** The levels the budget counts: what a declarator is built of (named types end the walk, FUNC/VAR start it). */
function isAnonymousLevel(t: BtfType): boolean {
  return isQualifier(t) || t.kind === 'TYPE_TAG' || t.kind === 'PTR' || t.kind === 'ARRAY' || t.kind === 'FUNC_PROTO';
}
