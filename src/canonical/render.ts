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
import { isQualifier, QUALIFIER_WORDS, shownName } from '../btf/words.js';
import { assertNever } from '../lang.js';

/** The C text of type `id`; with `declName`, a declaration of that name (`int a[4]`). */
export function renderCType(btf: Btf, id: number, declName = ''): string {
  return render(btf, id, declName, false, new Set());
}

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

/**
 * `inner` is the declarator built so far; `innerIsPtr` says it starts with
 * a pointer and needs parentheses before an array or parameter list.
 */
function render(btf: Btf, id: number, inner: string, innerIsPtr: boolean, onPath: Set<number>): string {
  if (id === 0) return join('void', inner);
  const t = typeById(btf, id);
  if (!t) return join(`<bad id ${id}>`, inner);
  if (onPath.has(id)) return join('<cycle>', inner);
  onPath.add(id);
  try {
    return renderType(btf, t, inner, innerIsPtr, onPath);
  } finally {
    onPath.delete(id);
  }
}

function renderType(btf: Btf, t: BtfType, inner: string, innerIsPtr: boolean, onPath: Set<number>): string {
  switch (t.kind) {
    case 'CONST':
    case 'VOLATILE':
    case 'RESTRICT':
    case 'TYPE_TAG':
      return renderQualified(btf, t, inner, innerIsPtr, onPath);
    case 'PTR':
      return render(btf, t.type, pointerTo(inner), true, onPath);
    case 'ARRAY':
      return render(btf, t.type, `${innerIsPtr ? `(${inner})` : inner}[${t.nelems}]`, false, onPath);
    case 'FUNC_PROTO': {
      // Parameters share the path: a prototype that is its own parameter
      // (no C can say it, BTF can) prints `<cycle>` instead of recursing forever.
      const params = t.params.map((p, i) => (p.type === 0 && p.name === '' && i === t.params.length - 1 ? '...' : render(btf, p.type, '', false, onPath)));
      const list = params.length === 0 ? 'void' : params.join(', ');
      return render(btf, t.returnType, `${innerIsPtr ? `(${inner})` : inner}(${list})`, false, onPath);
    }
    case 'FUNC':
    case 'VAR':
      return render(btf, t.type, t.name, false, onPath);
    case 'DATASEC':
      return join(`datasec ${t.name}`, inner);
    case 'DECL_TAG':
      return join(`decl_tag ${t.name}`, inner);
    // Types C calls by a name: base types, typedefs, tagged types.
    case 'INT':
    case 'FLOAT':
    case 'TYPEDEF':
    case 'STRUCT':
    case 'UNION':
    case 'ENUM':
    case 'ENUM64':
    case 'FWD':
      return join(typeNameText(t), inner);
  }
  return assertNever(t);
}

/**
 * A run of qualifiers: over a pointer they follow the `*` (`char * const`),
 * over anything else they precede the type (`const char`), in the order
 * the BTF chain has them, outermost first.
 */
function renderQualified(btf: Btf, t: BtfType, inner: string, innerIsPtr: boolean, onPath: Set<number>): string {
  const words: string[] = [];
  let cur: BtfType | undefined = t;
  let next = 0;
  const seen = new Set<number>();
  while (cur && (isQualifier(cur) || cur.kind === 'TYPE_TAG') && !seen.has(cur.id)) {
    seen.add(cur.id);
    words.push(isQualifier(cur) ? QUALIFIER_WORDS[cur.kind] : tagWord(cur.name));
    next = cur.type;
    cur = typeById(btf, next);
  }
  if (cur && seen.has(cur.id)) return join('<cycle>', inner);
  const quals = words.join(' ');
  if (cur?.kind === 'PTR') return render(btf, next, inner === '' ? quals : `${quals} ${inner}`, innerIsPtr, onPath);
  return `${quals} ${render(btf, next, inner, innerIsPtr, onPath)}`;
}
