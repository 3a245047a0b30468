/**
 * Comparing one type reference (a member's, parameter's, variable's or
 * typedef's type) across the two sides.
 *
 * A reference is a chain of qualifiers, type tags, pointers and arrays
 * ending at a terminal: void, a named type, or an anonymous type. Named
 * terminals are compared by name only (their own differences are reported
 * once, at their own entity); anonymous terminals are compared inline,
 * with the path extended.
 *
 * Before comparing, consecutive ARRAY levels are merged into one array
 * group with a list of dimensions, and qualifiers written on an array are
 * moved to its element: C gives qualifiers on an array type to the element
 * type (C11 6.7.3p9), and encoders differ in where they put them.
 */
import { kindPair } from '../btf/kinds.js';
import type { Btf, BtfArray, BtfRef, BtfType } from '../btf/types.js';
import { typeById } from '../btf/types.js';
import { isQualifier, QUALIFIER_WORDS, type QualifierWord, tagWords } from '../btf/words.js';
import { entityFamily } from '../canonical/entity.js';
import { renderCType } from '../canonical/render.js';
import { pushAll } from '../lang.js';
import type { Category } from './finding.js';
import { type CompareContext, emit, INLINE_DEPTH } from './diff-context.js';

interface RawSegment {
  readonly quals: QualifierWord[];
  readonly tags: string[];
  op: 'ptr' | 'array' | 'end';
  nelems: number;
  indexType: number;
}

interface Segment {
  readonly op: 'ptr' | 'arrays' | 'end';
  /** Qualifiers after moving array qualifiers to the element: sorted, unique. */
  quals: QualifierWord[];
  /** Qualifiers exactly as written on this level (array groups: all levels, concatenated). */
  readonly rawQuals: QualifierWord[];
  readonly tags: string[];
  readonly dims: number[];
  readonly indexTypes: number[];
}

interface Chain {
  readonly segments: Segment[];
  /** Where the walk stopped: void (0), a named type, or an anonymous type. */
  readonly terminal: number;
}

function walk(btf: Btf, id: number): { raw: RawSegment[]; terminal: number } {
  const raw: RawSegment[] = [];
  const seen = new Set<number>();
  let seg: RawSegment = { quals: [], tags: [], op: 'end', nelems: 0, indexType: 0 };
  let cur = id;
  for (;;) {
    const t = cur === 0 || seen.has(cur) ? undefined : typeById(btf, cur);
    if (!t) break;
    seen.add(cur);
    if (isQualifier(t)) seg.quals.push(QUALIFIER_WORDS[t.kind]);
    else if (t.kind === 'TYPE_TAG') seg.tags.push(tagWords(t.name, t.kindFlag, (n) => n));
    else if (t.kind === 'PTR' || t.kind === 'ARRAY') {
      seg.op = t.kind === 'PTR' ? 'ptr' : 'array';
      if (t.kind === 'ARRAY') {
        seg.nelems = t.nelems;
        seg.indexType = t.indexType;
      }
      raw.push(seg);
      seg = { quals: [], tags: [], op: 'end', nelems: 0, indexType: 0 };
    } else break;
    cur = t.type;
  }
  raw.push(seg);
  return { raw, terminal: cur };
}

function chainOf(btf: Btf, id: number): Chain {
  const { raw, terminal } = walk(btf, id);
  const segments: Segment[] = [];
  let carried: QualifierWord[] = [];
  let prevWasArray = false;
  for (const r of raw) {
    const last = segments[segments.length - 1];
    const directlyNested = prevWasArray;
    prevWasArray = r.op === 'array';
    if (r.op === 'array') {
      pushAll(carried, r.quals);
      // Only directly nested array levels form one group (no pointer in between).
      if (last?.op === 'arrays' && directlyNested) {
        pushAll(last.rawQuals, r.quals);
        pushAll(last.tags, r.tags);
        last.dims.push(r.nelems);
        last.indexTypes.push(r.indexType);
      } else {
        segments.push({ op: 'arrays', quals: [], rawQuals: [...r.quals], tags: [...r.tags], dims: [r.nelems], indexTypes: [r.indexType] });
      }
      continue;
    }
    segments.push({ op: r.op, quals: [...new Set([...carried, ...r.quals])].sort(), rawQuals: [...r.quals], tags: [...r.tags], dims: [], indexTypes: [] });
    carried = [];
  }
  return { segments, terminal };
}

/**
 * Whether one dimension list is the other with runs of consecutive
 * dimensions multiplied together (`[3][4]` → `[12]`, `[2][3][4]` → `[6][4]`).
 * A reordering (`[3][4]` vs `[4][3]`) is not: it changes which elements
 * are neighbours in a row.
 */
function isFlattening(a: readonly number[], b: readonly number[]): boolean {
  if (a.length === b.length) return false;
  const [fine, coarse] = a.length > b.length ? [a, b] : [b, a];
  let i = 0;
  for (const c of coarse) {
    let p = 1;
    do p *= fine[i++] ?? Number.NaN;
    while (p < c && i < fine.length);
    if (p !== c) return false;
  }
  return i === fine.length;
}
const same = (a: readonly (string | number)[], b: readonly (string | number)[]): boolean => a.length === b.length && a.every((x, i) => x === b[i]);

/**
 * Compare the references `leftRef` and `rightRef` found at `path`.
 * `category` is what a different target is called there: `member-type`
 * in structs, variables and typedefs, `proto` for parameters and returns.
 */
export function compareRef(ctx: CompareContext, leftRef: number, rightRef: number, path: string, category: Category): void {
  const lb = ctx.left.btf;
  const rb = ctx.right.btf;
  const text = (): [string, string] => [renderCType(lb, leftRef), renderCType(rb, rightRef)];
  const terminals = sameChains(lb, leftRef, rb, rightRef);
  if (terminals) {
    compareTerminal(ctx, terminals[0], terminals[1], path, category, text);
    return;
  }
  const l = chainOf(lb, leftRef);
  const r = chainOf(rb, rightRef);
  if (
    !same(
      l.segments.map((s) => s.op),
      r.segments.map((s) => s.op),
    )
  ) {
    emit(ctx, path, category, ...text());
    return;
  }
  compareArrays(ctx, l.segments, r.segments, path, text);
  compareQualifiers(ctx, l.segments, r.segments, path, text);
  if (!l.segments.every((s, i) => same(s.tags, r.segments[i].tags))) emit(ctx, path, 'tag', ...text());
  compareTerminal(ctx, l.terminal, r.terminal, path, category, text);
}

/** A level of a reference chain: what walk() follows. */
type ChainLevel = (BtfRef & { readonly kind: 'CONST' | 'VOLATILE' | 'RESTRICT' | 'TYPE_TAG' | 'PTR' }) | BtfArray;

const isChainLevel = (t: BtfType | undefined): t is ChainLevel =>
  t !== undefined && (isQualifier(t) || t.kind === 'TYPE_TAG' || t.kind === 'PTR' || t.kind === 'ARRAY');

/** How far sameChains follows before leaving it to the full comparison (real chains are a few levels; a cycle is not followed). */
const FAST_CHAIN_LEVELS = 32;

/**
 * The two terminals when both chains are written identically level by
 * level (same kinds in the same order, same tags, dimensions and index
 * type text), else undefined. Identical chains give identical segments,
 * so the full comparison could only report the terminals: this is the
 * common case (most members of two versions of a struct) decided without
 * building the segments. Anything unusual (a cycle, a long chain) is left
 * to the full comparison.
 */
export function sameChains(lb: Btf, leftRef: number, rb: Btf, rightRef: number): [number, number] | undefined {
  let a = leftRef;
  let b = rightRef;
  for (let level = 0; level < FAST_CHAIN_LEVELS; level++) {
    const x = a === 0 ? undefined : typeById(lb, a);
    const y = b === 0 ? undefined : typeById(rb, b);
    const xc = isChainLevel(x);
    const yc = isChainLevel(y);
    if (!xc || !yc) return xc || yc ? undefined : [a, b];
    const p = kindPair(x, y);
    if (p === undefined) return undefined;
    if (p.kind === 'TYPE_TAG' && (p.l.name !== p.r.name || !p.l.kindFlag !== !p.r.kindFlag)) return undefined;
    if (p.kind === 'ARRAY' && (p.l.nelems !== p.r.nelems || renderCType(lb, p.l.indexType) !== renderCType(rb, p.r.indexType))) return undefined;
    a = x.type;
    b = y.type;
  }
  return undefined;
}

function compareArrays(ctx: CompareContext, l: Segment[], r: Segment[], path: string, text: () => [string, string]): void {
  let shapeDiffers = false;
  let flattenedOnly = true;
  l.forEach((s, i) => {
    if (s.op !== 'arrays' || same(s.dims, r[i].dims)) return;
    shapeDiffers = true;
    if (!isFlattening(s.dims, r[i].dims)) flattenedOnly = false;
  });
  if (shapeDiffers) emit(ctx, path, 'array', ...text(), flattenedOnly ? 'flattened-array' : undefined);
  // The index type says nothing about layout or meaning; encoders pick
  // different ones (pahole `int`, gcc `long unsigned int`). One finding per path.
  const names = (segs: Segment[], btf: Btf): string[] => [...new Set(segs.flatMap((s) => s.indexTypes.map((t) => renderCType(btf, t))))].sort();
  const li = names(l, ctx.left.btf);
  const ri = names(r, ctx.right.btf);
  if (!same(li, ri)) emit(ctx, path, 'array', li.join(', '), ri.join(', '), 'array-index-type');
}

function compareQualifiers(ctx: CompareContext, l: Segment[], r: Segment[], path: string, text: () => [string, string]): void {
  if (!l.every((s, i) => same(s.quals, r[i].quals))) {
    emit(ctx, path, 'qualifier', ...text());
    return;
  }
  if (l.every((s, i) => same(s.rawQuals, r[i].rawQuals))) return;
  const sortedSame = l.every((s, i) => same([...new Set(s.rawQuals)].sort(), [...new Set(r[i].rawQuals)].sort()));
  emit(ctx, path, 'qualifier', ...text(), sortedSame ? 'qualifier-order' : 'array-qualifier');
}

type Family = 'composite' | 'enum' | 'proto' | 'other';

function anonymousFamily(kind: string): Family {
  if (kind === 'STRUCT' || kind === 'UNION') return 'composite';
  if (kind === 'ENUM' || kind === 'ENUM64') return 'enum';
  if (kind === 'FUNC_PROTO') return 'proto';
  return 'other';
}

function compareTerminal(ctx: CompareContext, lt: number, rt: number, path: string, category: Category, text: () => [string, string]): void {
  const L = typeById(ctx.left.btf, lt);
  const R = typeById(ctx.right.btf, rt);
  if (!L || !R) {
    if (L || R) emit(ctx, path, category, ...text());
    return;
  }
  // Entity keys (family + name) compared without building them.
  const lk = entityFamily(L);
  const rk = entityFamily(R);
  if (lk !== undefined || rk !== undefined) {
    if (lk !== rk || L.name !== R.name) emit(ctx, path, category, ...text());
    return;
  }
  const lf = anonymousFamily(L.kind);
  if (lf !== anonymousFamily(R.kind) || lf === 'other') {
    if (L.kind !== R.kind || lf !== 'other') emit(ctx, path, category, ...text());
    else if (text()[0] !== text()[1]) emit(ctx, path, category, ...text());
    return;
  }
  const key = `${lt}:${rt}`;
  if (ctx.inProgress.has(key)) return;
  if (ctx.inProgress.size >= INLINE_DEPTH) {
    if (!ctx.sameType(lt, rt)) emit(ctx, path, category, ...text());
    return;
  }
  ctx.inProgress.add(key);
  try {
    ctx.compareAnonymous(ctx, lt, rt, path);
  } finally {
    ctx.inProgress.delete(key);
  }
}
