/**
 * Per-kind comparisons: one entity against its counterpart, and the
 * anonymous struct/union, enum and prototype types compared inline inside
 * an entity. Each emits findings at paths relative to the entity.
 */
import { isRef, isRefPair, kindPair } from '../btf/kinds.js';
import type { Btf, BtfComposite, BtfDatasec, BtfEnum, BtfFuncProto, BtfInt, BtfMember, BtfType } from '../btf/types.js';
import { typeById } from '../btf/types.js';
import { enumSignWord, INT_ENCODING_MASK, intEncodingWords, isQualifier, linkageText, shownName } from '../btf/words.js';
import { entityFamily } from '../canonical/entity.js';
import { renderCType, typeNameText } from '../canonical/render.js';
import { sameLocalShape } from '../canonical/shape.js';
import { assertNever } from '../lang.js';
import { compareRef, sameChains } from './diff-chain.js';
import { type CompareContext, compareDeclTags, type DiffSide, emit, joinPath } from './diff-context.js';

// ---------------------------------------------------------------- texts

/** `INT 'char' size=1 SIGNED|CHAR`; bit width and offset only when not the plain full width. */
function intText(t: BtfInt): string {
  const bits = t.bits !== t.size * 8 || t.bitsOffset !== 0 ? ` bits_offset=${t.bitsOffset} nr_bits=${t.bits}` : '';
  return `INT '${t.name}' size=${t.size}${bits} ${intEncodingWords(t.encoding)}`;
}

/** What a type is, briefly, for `kind` findings: `STRUCT 'foo' size=8 vlen=2`, `FWD 'foo' fwd_kind=struct`. */
export function kindText(t: BtfType): string {
  const name = `'${shownName(t.name)}'`;
  if (isRef(t)) return `${t.kind} ${name}`;
  switch (t.kind) {
    case 'STRUCT':
    case 'UNION':
      return `${t.kind} ${name} size=${t.size} vlen=${t.members.length}`;
    case 'ENUM':
    case 'ENUM64':
      return `${t.kind} ${name} size=${t.size} vlen=${t.values.length}`;
    case 'FWD':
      return `FWD ${name} fwd_kind=${t.fwdKind}`;
    case 'INT':
      return intText(t);
    case 'FLOAT':
      return `FLOAT ${name} size=${t.size}`;
    case 'DATASEC':
      return `DATASEC ${name} size=${t.size} vlen=${t.vars.length}`;
    case 'ARRAY':
    case 'FUNC':
    case 'FUNC_PROTO':
    case 'VAR':
    case 'DECL_TAG':
      return `${t.kind} ${name}`;
  }
  return assertNever(t);
}

// ---------------------------------------------------------------- entities

/**
 * Compare one entity. `leftIds`/`rightIds` are all raw ids of the
 * (collapsed, identical) definition on each side; the first is used, all
 * are consulted for DECL_TAGs.
 */
export function compareEntity(ctx: CompareContext, leftIds: readonly number[], rightIds: readonly number[]): void {
  const L = typeById(ctx.left.btf, leftIds[0])!;
  const R = typeById(ctx.right.btf, rightIds[0])!;
  const p = kindPair(L, R);
  if (p === undefined || (p.kind === 'FWD' && p.l.fwdKind !== p.r.fwdKind)) {
    emit(ctx, '', 'kind', kindText(L), kindText(R));
    return;
  }
  compareDeclTags(ctx, leftIds, rightIds, -1, '');
  // TYPEDEF is the one entity among the single-reference kinds (entity.ts).
  if (isRefPair(p)) {
    if (p.kind === 'TYPEDEF') compareRef(ctx, p.l.type, p.r.type, '', 'member-type');
    return;
  }
  switch (p.kind) {
    case 'STRUCT':
    case 'UNION':
      compareComposite(ctx, p.l, p.r, '', leftIds, rightIds);
      return;
    case 'ENUM':
    case 'ENUM64':
      compareEnum(ctx, p.l, p.r, '');
      return;
    case 'INT':
      compareInt(ctx, p.l, p.r);
      return;
    case 'FLOAT':
      if (p.l.size !== p.r.size) emit(ctx, '', 'size', `size=${p.l.size}`, `size=${p.r.size}`);
      return;
    case 'VAR':
      if (p.l.linkage !== p.r.linkage) emit(ctx, '', 'linkage', linkageText(p.l.linkage), linkageText(p.r.linkage));
      compareRef(ctx, p.l.type, p.r.type, '', 'member-type');
      return;
    case 'FUNC':
      compareFunc(ctx, leftIds, rightIds);
      return;
    case 'DATASEC':
      compareDatasec(ctx, p.l, p.r);
      return;
    // FWD of the same flavour: nothing more to compare. The others are no entities.
    case 'FWD':
    case 'ARRAY':
    case 'FUNC_PROTO':
    case 'DECL_TAG':
      return;
  }
  assertNever(p);
}

/**
 * Whether compareEntity would report nothing, decided without building
 * any text: same local shape, and every reference an identical chain
 * (sameChains) ending at void on both sides, at named types of the same
 * entity key, or at anonymous types that agree in turn. Most entities of a
 * kernel unit land here: they differ from their counterpart only inside
 * some named type they use (a struct reaching `char`, which gcc encodes
 * differently), which is reported at that type. False means "compare in
 * full", not "differs". DECL_TAGs: compareEntity compares the tags on the
 * entity and on each anonymous type it compares inline, so a type visited
 * here that carries a tag on either side gives false (compare in full);
 * without tags there is nothing for those comparisons to report. The
 * kernel tags its kfuncs, so vmlinux always has some: with one struct
 * changed, ~43k entities reaching it are decided here instead of compared.
 */
export function entitiesAgree(left: DiffSide, right: DiffSide, leftId: number, rightId: number): boolean {
  const L = typeById(left.btf, leftId)!;
  const R = typeById(right.btf, rightId)!;
  return typesAgree(left, right, L, R, 0);
}

/** Anonymous types nest a few levels in real C; deeper (or cyclic) ones are left to the full comparison. */
const AGREE_DEPTH = 8;

function typesAgree(left: DiffSide, right: DiffSide, L: BtfType, R: BtfType, depth: number): boolean {
  const p = kindPair(L, R);
  if (depth > AGREE_DEPTH || p === undefined || !sameLocalShape(L, R)) return false;
  if (left.tags.has(L.id) || right.tags.has(R.id)) return false;
  if (isRefPair(p)) return p.kind === 'TYPEDEF' && refsAgree(left, p.l.type, right, p.r.type, depth);
  switch (p.kind) {
    case 'STRUCT':
    case 'UNION': {
      const lm = p.l.members;
      const rm = p.r.members;
      for (let i = 0; i < lm.length; i++) {
        if (lm[i].bitfieldSize !== rm[i].bitfieldSize || !refsAgree(left, lm[i].type, right, rm[i].type, depth)) return false;
      }
      return true;
    }
    case 'ENUM':
    case 'ENUM64':
      return true; // all of an enum is in its shape
    case 'VAR':
      return refsAgree(left, p.l.type, right, p.r.type, depth);
    case 'FUNC': {
      const lp = typeById(left.btf, p.l.type);
      const rp = typeById(right.btf, p.r.type);
      return lp?.kind === 'FUNC_PROTO' && rp?.kind === 'FUNC_PROTO' && typesAgree(left, right, lp, rp, depth);
    }
    case 'FUNC_PROTO': {
      const { l, r } = p;
      if (!refsAgree(left, l.returnType, right, r.returnType, depth)) return false;
      for (let i = 0; i < l.params.length; i++) if (!refsAgree(left, l.params[i].type, right, r.params[i].type, depth)) return false;
      return true;
    }
    // Left to the full comparison.
    case 'INT':
    case 'ARRAY':
    case 'FWD':
    case 'DATASEC':
    case 'FLOAT':
    case 'DECL_TAG':
      return false;
  }
  return assertNever(p);
}

/** compareRef would report nothing for these references (see typesAgree). */
function refsAgree(left: DiffSide, leftRef: number, right: DiffSide, rightRef: number, depth: number): boolean {
  const lb = left.btf;
  const rb = right.btf;
  const terminals = sameChains(lb, leftRef, rb, rightRef);
  if (!terminals) return false;
  const [lt, rt] = terminals;
  if (lt === 0 || rt === 0) return lt === rt;
  const L = typeById(lb, lt);
  const R = typeById(rb, rt);
  if (!L || !R) return false;
  const lk = entityFamily(L);
  const rk = entityFamily(R);
  if (lk !== undefined || rk !== undefined) return lk === rk && L.name === R.name;
  // Anonymous terminals compared inline: struct/union, enum, prototype.
  if (L.kind !== 'STRUCT' && L.kind !== 'UNION' && L.kind !== 'ENUM' && L.kind !== 'ENUM64' && L.kind !== 'FUNC_PROTO') return false;
  return typesAgree(left, right, L, R, depth + 1);
}

function compareInt(ctx: CompareContext, L: BtfInt, R: BtfInt): void {
  if (L.size !== R.size) emit(ctx, '', 'size', `size=${L.size}`, `size=${R.size}`);
  if (L.encoding.signed !== R.encoding.signed) emit(ctx, '', 'signedness', intText(L), intText(R));
  // Everything but signedness and size: the other flags, bits beyond them, width and offset.
  const otherBits = (t: BtfInt): string => `${t.encoding.char}/${t.encoding.bool}/${t.bits}/${t.bitsOffset}/${t.encodingBits & ~INT_ENCODING_MASK}`;
  if (otherBits(L) !== otherBits(R)) emit(ctx, '', 'encoding', intText(L), intText(R));
}

function compareFunc(ctx: CompareContext, leftIds: readonly number[], rightIds: readonly number[]): void {
  const L = typeById(ctx.left.btf, leftIds[0]);
  const R = typeById(ctx.right.btf, rightIds[0]);
  if (L?.kind !== 'FUNC' || R?.kind !== 'FUNC') return;
  if (L.linkage !== R.linkage) emit(ctx, '', 'linkage', linkageText(L.linkage), linkageText(R.linkage));
  const lp = typeById(ctx.left.btf, L.type);
  const rp = typeById(ctx.right.btf, R.type);
  if (lp?.kind === 'FUNC_PROTO' && rp?.kind === 'FUNC_PROTO') {
    compareProto(ctx, lp, rp, '');
    // DECL_TAGs on parameters name the FUNC with the parameter's index.
    const n = Math.max(lp.params.length, rp.params.length);
    for (let i = 0; i < n; i++) compareDeclTags(ctx, leftIds, rightIds, i, `param ${i + 1}`);
  } else {
    compareRef(ctx, L.type, R.type, '', 'proto');
  }
}

function compareDatasec(ctx: CompareContext, L: BtfDatasec, R: BtfDatasec): void {
  if (L.size !== R.size) emit(ctx, '', 'datasec', `size=${L.size}`, `size=${R.size}`);
  const entries = (btf: Btf, t: typeof L): Map<string, string> => {
    const m = new Map<string, string>();
    for (const v of t.vars) {
      const name = typeById(btf, v.type)?.name || `(type ${v.type})`;
      m.set(name, `offset=${v.offset} size=${v.size}`);
    }
    return m;
  };
  const l = entries(ctx.left.btf, L);
  const r = entries(ctx.right.btf, R);
  for (const name of [...new Set([...l.keys(), ...r.keys()])].sort()) {
    const a = l.get(name) ?? 'absent';
    const b = r.get(name) ?? 'absent';
    if (a !== b) emit(ctx, name, 'datasec', a, b);
  }
}

// ---------------------------------------------------------------- anonymous types, inline

/** Dispatch for anonymous types met inside an entity (see AnonymousComparer). */
export function compareAnonymous(ctx: CompareContext, leftId: number, rightId: number, path: string): void {
  const L = typeById(ctx.left.btf, leftId)!;
  const R = typeById(ctx.right.btf, rightId)!;
  const p = kindPair(L, R);
  if (p === undefined) {
    emit(ctx, path, 'kind', kindText(L), kindText(R));
    return;
  }
  compareDeclTags(ctx, [leftId], [rightId], -1, path);
  if (p.kind === 'STRUCT' || p.kind === 'UNION') compareComposite(ctx, p.l, p.r, path, [leftId], [rightId]);
  else if (p.kind === 'ENUM' || p.kind === 'ENUM64') compareEnum(ctx, p.l, p.r, path);
  else if (p.kind === 'FUNC_PROTO') compareProto(ctx, p.l, p.r, path);
}

/**
 * Path segments of members: the name, or for unnamed members (C11
 * anonymous struct/union members) `(anon)`, `(anon 2)`, ... in order of
 * appearance among the unnamed ones; unnamed members pair across sides by
 * that order. A repeated name (invalid C, possible in BTF) gets ` 2`, ` 3`.
 */
export function memberLabels(members: readonly BtfMember[]): string[] {
  const seen = new Map<string, number>();
  return members.map((m) => {
    const base = shownName(m.name);
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    if (n === 1) return base;
    return m.name === '' ? `(anon ${n})` : `${base} ${n}`;
  });
}

/** The bitfield width a member has, reading kind_flag=0 widths from the member's INT. */
function bitfieldWidth(btf: Btf, parent: BtfComposite, m: BtfMember): number {
  if (parent.kindFlag) return m.bitfieldSize;
  let t = typeById(btf, m.type);
  const seen = new Set<number>();
  while (t && (t.kind === 'TYPEDEF' || isQualifier(t)) && !seen.has(t.id)) {
    seen.add(t.id);
    t = typeById(btf, t.type);
  }
  return t?.kind === 'INT' && (t.bits !== t.size * 8 || t.bitsOffset !== 0) ? t.bits : 0;
}

export function compareComposite(
  ctx: CompareContext,
  L: BtfComposite,
  R: BtfComposite,
  prefix: string,
  leftIds: readonly number[],
  rightIds: readonly number[],
): void {
  if (L.kind !== R.kind) {
    emit(ctx, prefix, 'kind', kindText(L), kindText(R));
    return;
  }
  if (L.size !== R.size) emit(ctx, prefix, 'size', `size=${L.size}`, `size=${R.size}`);
  // Same widths written two ways (in the member, or in the member's INT):
  // the layout is the same, the encoding is not. Widths are compared below.
  if (L.kindFlag !== R.kindFlag) emit(ctx, prefix, 'bitfield', `kind_flag=${+L.kindFlag}`, `kind_flag=${+R.kindFlag}`, 'bitfield-encoding');
  const ll = memberLabels(L.members);
  const rl = memberLabels(R.members);
  const rIndex = new Map(rl.map((label, i) => [label, i]));
  const lIndex = new Map(ll.map((label, i) => [label, i]));
  const common: Array<[number, number]> = [];
  ll.forEach((label, i) => {
    const j = rIndex.get(label);
    if (j !== undefined) common.push([i, j]);
  });
  compareUnmatched(ctx, L, R, prefix, ll, rl, lIndex, rIndex);
  const order = (pairs: Array<[number, number]>, side: 0 | 1) => [...pairs].sort((a, b) => a[side] - b[side]).map((p) => ll[p[0]]);
  const lo = order(common, 0);
  const ro = order(common, 1);
  if (lo.join('\u0000') !== ro.join('\u0000')) emit(ctx, prefix, 'members', lo.join(', '), ro.join(', '));
  for (const [i, j] of common) {
    const path = joinPath(prefix, ll[i]);
    const lm = L.members[i];
    const rm = R.members[j];
    if (lm.bitsOffset !== rm.bitsOffset) emit(ctx, path, 'offset', `bits_offset=${lm.bitsOffset}`, `bits_offset=${rm.bitsOffset}`);
    const lw = L.kindFlag === R.kindFlag ? lm.bitfieldSize : bitfieldWidth(ctx.left.btf, L, lm);
    const rw = L.kindFlag === R.kindFlag ? rm.bitfieldSize : bitfieldWidth(ctx.right.btf, R, rm);
    if (lw !== rw) emit(ctx, path, 'bitfield', lw ? `bitfield_size=${lw}` : 'not a bitfield', rw ? `bitfield_size=${rw}` : 'not a bitfield');
    compareRef(ctx, lm.type, rm.type, path, 'member-type');
    compareDeclTags(ctx, leftIds, rightIds, i, path, j);
  }
}

/**
 * Members present on one side only. A left-only and a right-only member at
 * the same offset with the same type are one renamed member.
 */
function compareUnmatched(
  ctx: CompareContext,
  L: BtfComposite,
  R: BtfComposite,
  prefix: string,
  ll: string[],
  rl: string[],
  lIndex: Map<string, number>,
  rIndex: Map<string, number>,
): void {
  const decl = (btf: Btf, m: BtfMember): string => renderCType(btf, m.type, m.name);
  const lOnly = ll.map((_, i) => i).filter((i) => !rIndex.has(ll[i]));
  const rOnly = rl.map((_, j) => j).filter((j) => !lIndex.has(rl[j]));
  const usedR = new Set<number>();
  for (const i of lOnly) {
    const lm = L.members[i];
    const lt = renderCType(ctx.left.btf, lm.type);
    const j = rOnly.find((k) => !usedR.has(k) && R.members[k].bitsOffset === lm.bitsOffset && renderCType(ctx.right.btf, R.members[k].type) === lt);
    if (j !== undefined) {
      usedR.add(j);
      emit(ctx, joinPath(prefix, ll[i]), 'members', decl(ctx.left.btf, lm), decl(ctx.right.btf, R.members[j]));
    } else {
      emit(ctx, joinPath(prefix, ll[i]), 'members', decl(ctx.left.btf, lm), 'absent');
    }
  }
  for (const j of rOnly) if (!usedR.has(j)) emit(ctx, joinPath(prefix, rl[j]), 'members', 'absent', decl(ctx.right.btf, R.members[j]));
}

export function compareEnum(ctx: CompareContext, L: BtfEnum, R: BtfEnum, prefix: string): void {
  if (L.kind !== R.kind) {
    emit(ctx, prefix, 'kind', kindText(L), kindText(R));
    return;
  }
  if (L.size !== R.size) emit(ctx, prefix, 'size', `size=${L.size}`, `size=${R.size}`);
  if (L.signed !== R.signed) {
    emit(ctx, prefix, 'signedness', `${typeNameText(L)} encoding=${enumSignWord(L.signed)}`, `${typeNameText(R)} encoding=${enumSignWord(R.signed)}`);
  }
  // With a signedness difference the same bits read as different numbers;
  // compare bit patterns then, so only real value changes show.
  const bits = L.size === R.size ? L.size * 8 : 0;
  const norm = (v: bigint): bigint => (bits > 0 && L.signed !== R.signed ? BigInt.asUintN(bits, v) : v);
  const lv = new Map(L.values.map((v) => [v.name, v.value]));
  const rv = new Map(R.values.map((v) => [v.name, v.value]));
  for (const name of [...new Set([...lv.keys(), ...rv.keys()])].sort()) {
    const a = lv.get(name);
    const b = rv.get(name);
    if (a !== undefined && b !== undefined && norm(a) === norm(b)) continue;
    const text = (v: bigint | undefined): string => (v === undefined ? 'absent' : `${name} = ${v}`);
    emit(ctx, joinPath(prefix, `enumerator ${name}`), 'enum-value', text(a), text(b));
  }
}

const isVariadic = (p: BtfFuncProto): boolean => {
  const last = p.params[p.params.length - 1];
  return last !== undefined && last.type === 0 && last.name === '';
};

export function compareProto(ctx: CompareContext, L: BtfFuncProto, R: BtfFuncProto, prefix: string): void {
  const lv = isVariadic(L);
  const rv = isVariadic(R);
  const ln = L.params.length - (lv ? 1 : 0);
  const rn = R.params.length - (rv ? 1 : 0);
  if (ln !== rn || lv !== rv) emit(ctx, prefix, 'proto', renderCType(ctx.left.btf, L.id), renderCType(ctx.right.btf, R.id));
  compareRef(ctx, L.returnType, R.returnType, joinPath(prefix, 'return'), 'proto');
  for (let i = 0; i < Math.min(ln, rn); i++) {
    const path = joinPath(prefix, `param ${i + 1}`);
    const lp = L.params[i];
    const rp = R.params[i];
    compareRef(ctx, lp.type, rp.type, path, 'proto');
    if (lp.name !== rp.name) emit(ctx, path, 'proto', renderCType(ctx.left.btf, lp.type, lp.name), renderCType(ctx.right.btf, rp.type, rp.name));
  }
}
