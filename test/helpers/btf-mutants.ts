/**
 * Structure-aware mutants of real BTF blobs, for testing the lint against
 * the kernel's verifier. A blob is indexed (header, records, the slots that
 * hold names, sizes, offsets and references), then one or two targeted
 * mutations are applied to a copy: INT encodings and bits, sizes, member
 * offsets and bitfields, vlen, name offsets and string bytes, kind_flag,
 * kinds and info bits, DATASEC entry order/offsets/sizes, references
 * (void, self, out of range, to kinds that may not be referred to),
 * linkage, DECL_TAG component indices, header fields and section layout,
 * truncation, plus appended records (modifier chains around the resolve
 * depth, loops, type-tag orders).
 *
 * `repair` makes the commonest compiler outputs loadable first (gcc 12's
 * SIGNED|CHAR `char`, DATASECs of a relocatable object with size 0), so
 * mutations reach the deeper checks instead of all stopping there.
 *
 * Little-endian blobs only. Deterministic for a given seed number.
 */

/** xorshift32: small, fast, reproducible. */
export class Rng {
  private s: number;
  constructor(seed: number) {
    this.s = seed >>> 0 || 0x9e3779b9;
  }
  next(): number {
    let x = this.s;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.s = x >>> 0;
    return this.s;
  }
  int(n: number): number {
    return n <= 0 ? 0 : this.next() % n;
  }
  pick<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)];
  }
  chance(p: number): boolean {
    return this.next() / 0x100000000 < p;
  }
}

const HDR = 24;

interface Rec {
  id: number;
  at: number;
  kind: number;
  vlen: number;
  kflag: boolean;
  data: number;
  end: number;
}

interface Index {
  typeOff: number;
  typeLen: number;
  strOff: number;
  strLen: number;
  hdrLen: number;
  recs: Rec[];
}

function extra(kind: number, vlen: number): number | undefined {
  if (kind === 1 || kind === 14 || kind === 17) return 4;
  if (kind === 3) return 12;
  if (kind === 4 || kind === 5 || kind === 15 || kind === 19) return 12 * vlen;
  if (kind === 6 || kind === 13) return 8 * vlen;
  if (kind >= 1 && kind <= 19) return 0;
  return undefined;
}

/** Index a (well-formed, little-endian) blob; undefined when it is not walkable. */
export function indexBlob(b: Uint8Array): Index | undefined {
  if (b.length < HDR || b[0] !== 0x9f || b[1] !== 0xeb) return undefined;
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const hdrLen = v.getUint32(4, true);
  const typeOff = v.getUint32(8, true);
  const typeLen = v.getUint32(12, true);
  const strOff = v.getUint32(16, true);
  const strLen = v.getUint32(20, true);
  if (hdrLen !== HDR || hdrLen + typeOff + typeLen > b.length || hdrLen + strOff + strLen > b.length) return undefined;
  const recs: Rec[] = [];
  let at = hdrLen + typeOff;
  const end = at + typeLen;
  while (at + 12 <= end) {
    const info = v.getUint32(at + 4, true);
    const kind = (info >>> 24) & 0x1f;
    const vlen = info & 0xffff;
    const x = extra(kind, vlen);
    if (x === undefined || at + 12 + x > end) return undefined;
    recs.push({ id: recs.length + 1, at, kind, vlen, kflag: info >>> 31 === 1, data: at + 12, end: at + 12 + x });
    at += 12 + x;
  }
  return { typeOff, typeLen, strOff, strLen, hdrLen, recs };
}

class Blob {
  readonly b: Uint8Array;
  readonly v: DataView;
  constructor(src: Uint8Array) {
    this.b = Uint8Array.from(src);
    this.v = new DataView(this.b.buffer);
  }
  u32(o: number): number {
    return this.v.getUint32(o, true);
  }
  set(o: number, x: number): void {
    this.v.setUint32(o, x >>> 0, true);
  }
}

const SIZES = (s: number) => [0, 1, 2, 3, 4, 5, 7, 8, 9, 12, 16, 17, 32, s - 1, s + 1, s * 2, 0xffffffff];
const BITS = [0, 1, 7, 8, 9, 16, 31, 32, 33, 63, 64, 65, 120, 127, 128, 129, 255];
const NAME_BYTES = [0x20, 0x2d, 0x2e, 0x80, 0xe9, 0x7f, 0x30, 0x24, 0x5f, 0x41, 0x09];

type Mutation = (x: Blob, ix: Index, r: Rng) => Uint8Array | boolean;

/** Every slot that holds a type reference: [byte offset, owning record]. */
function refSlots(x: Blob, ix: Index): [number, Rec][] {
  const out: [number, Rec][] = [];
  for (const t of ix.recs) {
    if ([2, 8, 9, 10, 11, 12, 13, 14, 17, 18].includes(t.kind)) out.push([t.at + 8, t]);
    if (t.kind === 3) out.push([t.data, t], [t.data + 4, t]);
    if (t.kind === 4 || t.kind === 5) for (let i = 0; i < t.vlen; i++) out.push([t.data + 12 * i + 4, t]);
    if (t.kind === 13) for (let i = 0; i < t.vlen; i++) out.push([t.data + 8 * i + 4, t]);
    if (t.kind === 15) for (let i = 0; i < t.vlen; i++) out.push([t.data + 12 * i, t]);
  }
  void x;
  return out;
}

/** Every slot that holds a name offset. */
function nameSlots(ix: Index): number[] {
  const out: number[] = [];
  for (const t of ix.recs) {
    out.push(t.at);
    if (t.kind === 4 || t.kind === 5) for (let i = 0; i < t.vlen; i++) out.push(t.data + 12 * i);
    if (t.kind === 6) for (let i = 0; i < t.vlen; i++) out.push(t.data + 8 * i);
    if (t.kind === 19) for (let i = 0; i < t.vlen; i++) out.push(t.data + 12 * i);
    if (t.kind === 13) for (let i = 0; i < t.vlen; i++) out.push(t.data + 8 * i);
  }
  return out;
}

const of = (ix: Index, kinds: readonly number[]) => ix.recs.filter((t) => kinds.includes(t.kind));

function setInfo(x: Blob, t: Rec, f: (info: number) => number): void {
  x.set(t.at + 4, f(x.u32(t.at + 4)));
}

/** Insert `bytes` at the end of the type section (strings follow it in every seed). */
function appendTypes(x: Blob, ix: Index, bytes: Uint8Array): Uint8Array {
  const cut = ix.hdrLen + ix.typeOff + ix.typeLen;
  const out = new Uint8Array(x.b.length + bytes.length);
  out.set(x.b.subarray(0, cut));
  out.set(bytes, cut);
  out.set(x.b.subarray(cut), cut + bytes.length);
  const v = new DataView(out.buffer);
  v.setUint32(12, ix.typeLen + bytes.length, true);
  if (ix.strOff >= ix.typeOff + ix.typeLen) v.setUint32(16, ix.strOff + bytes.length, true);
  return out;
}

function record(nameOff: number, kind: number, kflag: number, vlen: number, sot: number, ...extraWords: number[]): Uint8Array {
  const out = new Uint8Array(12 + 4 * extraWords.length);
  const v = new DataView(out.buffer);
  v.setUint32(0, nameOff, true);
  v.setUint32(4, ((kflag << 31) | (kind << 24) | vlen) >>> 0, true);
  v.setUint32(8, sot >>> 0, true);
  extraWords.forEach((w, i) => {
    v.setUint32(12 + 4 * i, w >>> 0, true);
  });
  return out;
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** A name offset that holds an identifier (the first named type's), or 0. */
function someName(x: Blob, ix: Index): number {
  for (const t of ix.recs) if ([4, 5, 8, 12, 1].includes(t.kind) && x.u32(t.at) !== 0) return x.u32(t.at);
  return 0;
}

const MUTATIONS: Record<string, Mutation> = {
  intEncoding(x, ix, r) {
    const t = r.pick(of(ix, [1]));
    if (!t) return false;
    const d = x.u32(t.data);
    x.set(t.data, (d & 0xf0ffffff) | (r.int(16) << 24));
    return true;
  },
  intBits(x, ix, r) {
    const t = r.pick(of(ix, [1]));
    if (!t) return false;
    const d = x.u32(t.data);
    if (r.chance(0.5)) x.set(t.data, (d & 0xffffff00) | r.pick(BITS));
    else if (r.chance(0.7)) x.set(t.data, (d & 0xff00ffff) | (r.pick([0, 1, 7, 8, 64, 120, 127, 128, 200]) << 16));
    else x.set(t.data, d | (r.pick([1, 2, 8]) << 28));
    return true;
  },
  size(x, ix, r) {
    const t = r.pick(of(ix, [1, 4, 5, 6, 15, 16, 19, 3]));
    if (!t) return false;
    x.set(t.at + 8, r.pick(SIZES(x.u32(t.at + 8))));
    return true;
  },
  memberOffset(x, ix, r) {
    const t = r.pick(of(ix, [4, 5]).filter((s) => s.vlen > 0));
    if (!t) return false;
    const m = t.data + 12 * r.int(t.vlen) + 8;
    const off = x.u32(m);
    const size = x.u32(t.at + 8);
    const lowOff = off & 0xffffff;
    x.set(
      m,
      r.pick([
        0,
        off + 1,
        off - 8,
        off + 8,
        off + 4,
        size * 8,
        size * 8 + 1,
        size * 8 - 8,
        0xffffff,
        lowOff | (r.pick([1, 3, 8, 31, 32, 33, 64]) << 24),
        0xffffffff,
      ]),
    );
    return true;
  },
  memberBitfield(x, ix, r) {
    const t = r.pick(of(ix, [4, 5]).filter((s) => s.vlen > 0));
    if (!t) return false;
    if (!t.kflag) setInfo(x, t, (i) => i | 0x80000000);
    const m = t.data + 12 * r.int(t.vlen) + 8;
    const off = x.u32(m) & 0xffffff;
    x.set(m, (off + r.pick([0, 0, 1, 3])) | (r.pick([0, 1, 2, 7, 8, 16, 31, 32, 33]) << 24));
    return true;
  },
  vlen(x, ix, r) {
    const t = r.pick(ix.recs);
    if (!t) return false;
    setInfo(x, t, (i) => (i & 0xffff0000) | (r.pick([0, 1, t.vlen + 1, t.vlen - 1, 0xffff]) & 0xffff));
    return true;
  },
  nameOff(x, ix, r) {
    const slots = nameSlots(ix);
    if (!slots.length) return false;
    x.set(r.pick(slots), r.pick([0, 1, ix.strLen - 1, ix.strLen, ix.strLen + 1, r.int(ix.strLen), r.int(ix.strLen), 0x1000000]));
    return true;
  },
  stringByte(x, ix, r) {
    if (ix.strLen < 3) return false;
    const at = ix.hdrLen + ix.strOff + 1 + r.int(ix.strLen - 2);
    x.b[at] = r.pick(NAME_BYTES);
    return true;
  },
  stringEnd(x, ix, r) {
    const at = ix.hdrLen + ix.strOff;
    if (r.chance(0.5)) x.b[at + ix.strLen - 1] = 0x78;
    else x.b[at] = 0x78;
    return true;
  },
  kindFlag(x, ix, r) {
    const t = r.pick(ix.recs);
    if (!t) return false;
    setInfo(x, t, (i) => (i ^ 0x80000000) >>> 0);
    return true;
  },
  kind(x, ix, r) {
    const t = r.pick(ix.recs);
    if (!t) return false;
    setInfo(x, t, (i) => (i & 0xe0ffffff) | (r.int(32) << 24));
    return true;
  },
  infoBits(x, ix, r) {
    const t = r.pick(ix.recs);
    if (!t) return false;
    setInfo(x, t, (i) => (i | (1 << r.pick([16, 20, 23, 29, 30]))) >>> 0);
    return true;
  },
  reference(x, ix, r) {
    const slots = refSlots(x, ix);
    if (!slots.length) return false;
    const [at, t] = r.pick(slots);
    const n = ix.recs.length;
    const kinds = [1, 2, 3, 4, 6, 7, 12, 13, 14, 15, 16, 17, 8, 10];
    const target = r.pick(of(ix, [r.pick(kinds)]));
    x.set(at, r.pick([0, t.id, 1 + r.int(n), 1 + r.int(n), n + 1, n + 7, 0xfffff, 0x100000, target ? target.id : 0, target ? target.id : 1]));
    return true;
  },
  datasec(x, ix, r) {
    const t = r.pick(of(ix, [15]).filter((d) => d.vlen > 0));
    if (!t) return false;
    const e = (i: number) => t.data + 12 * i;
    const i = r.int(t.vlen);
    switch (r.int(5)) {
      case 0: {
        if (t.vlen < 2) return false;
        const j = (i + 1 + r.int(t.vlen - 1)) % t.vlen;
        const a = x.b.slice(e(i), e(i) + 12);
        x.b.copyWithin(e(i), e(j), e(j) + 12);
        x.b.set(a, e(j));
        return true;
      }
      case 1:
        x.set(e(i) + 4, r.pick([0, x.u32(e(i) + 4) + 1, x.u32(e(i) + 4) - 1, x.u32(t.at + 8), 0xffffffff]));
        return true;
      case 2:
        x.set(e(i) + 8, r.pick([0, 1, x.u32(e(i) + 8) - 1, x.u32(e(i) + 8) + 1, x.u32(t.at + 8) + 1]));
        return true;
      case 3:
        x.set(t.at + 8, r.pick([x.u32(t.at + 8) - 1, x.u32(t.at + 8) + 1, 1]));
        return true;
      default:
        if (t.vlen < 2) return false;
        x.set(e(i) + 4, x.u32(e((i + 1) % t.vlen) + 4));
        return true;
    }
  },
  linkage(x, ix, r) {
    const t = r.pick(of(ix, [12, 14]));
    if (!t) return false;
    if (t.kind === 12) setInfo(x, t, (i) => (i & 0xffff0000) | r.pick([0, 1, 2, 3]));
    else x.set(t.data, r.pick([0, 1, 2, 3, 0xffffffff]));
    return true;
  },
  component(x, ix, r) {
    const t = r.pick(of(ix, [17]));
    if (!t) return false;
    const target = ix.recs[x.u32(t.at + 8) - 1];
    const vlen = target ? target.vlen : 0;
    x.set(t.data, r.pick([-2, -1, 0, 1, vlen - 1, vlen, vlen + 1, 0x7fffffff]));
    return true;
  },
  arrayNelems(x, ix, r) {
    const t = r.pick(of(ix, [3]));
    if (!t) return false;
    x.set(t.data + 8, r.pick([0, 1, 2, 0xffffffff, 0x80000000, 0x10000000, 0x1000000, x.u32(t.data + 8) + 1]));
    return true;
  },
  param(x, ix, r) {
    const t = r.pick(of(ix, [13]).filter((p) => p.vlen > 0));
    if (!t) return false;
    const p = t.data + 8 * r.int(t.vlen);
    if (r.chance(0.5)) x.set(p, r.pick([0, 1, ix.strLen, someName(x, ix)]));
    else x.set(p + 4, 0);
    return true;
  },
  header(x, _ix, r) {
    const field = r.pick([0, 2, 3, 4, 8, 12, 16, 20]);
    if (field === 0) x.b[r.int(2)] ^= 0xff;
    else if (field === 2) x.b[2] = r.pick([0, 2, 0xff]);
    else if (field === 3) x.b[3] = r.pick([1, 0x80]);
    else {
      const cur = x.u32(field);
      x.set(field, r.pick([0, cur + 1, cur - 1, cur + 4, cur - 4, cur + 12, 8, 23, 25, x.b.length, 0x80000000, 0xffffffff]));
    }
    return true;
  },
  longHeader(x, _ix, r) {
    const pad = r.pick([4, 8, 16]);
    const extraBytes = new Uint8Array(pad);
    if (r.chance(0.5)) extraBytes[r.int(pad)] = 1;
    const out = concat([x.b.subarray(0, HDR), extraBytes, x.b.subarray(HDR)]);
    new DataView(out.buffer).setUint32(4, HDR + pad, true);
    return out;
  },
  layout(x, ix, r) {
    // strings first, or a gap between the sections, or a truncated / extended blob
    const types = x.b.slice(ix.hdrLen + ix.typeOff, ix.hdrLen + ix.typeOff + ix.typeLen);
    const strs = x.b.slice(ix.hdrLen + ix.strOff, ix.hdrLen + ix.strOff + ix.strLen);
    const hdr = x.b.slice(0, HDR);
    const hv = new DataView(hdr.buffer);
    switch (r.int(5)) {
      case 0:
        hv.setUint32(8, strs.length, true);
        hv.setUint32(16, 0, true);
        return concat([hdr, strs, types]);
      case 1: {
        const gap = r.pick([1, 4, 8]);
        hv.setUint32(16, types.length + gap, true);
        return concat([hdr, types, new Uint8Array(gap), strs]);
      }
      case 2:
        if (r.chance(0.3)) return x.b.slice(0, r.pick([0, 4, 7, 8, 23, 24, 25]));
        return x.b.slice(0, Math.max(0, x.b.length - r.pick([1, 4, 12, ix.strLen, ix.strLen + 4])));
      case 3:
        if (r.chance(0.5)) {
          // no type section at all: at offset 0, or after the strings (where its offset may be unaligned)
          hv.setUint32(8, r.chance(0.5) ? 0 : strs.length, true);
          hv.setUint32(12, 0, true);
          hv.setUint32(16, 0, true);
          return concat([hdr, strs]);
        }
        // the type section starts off a 4-byte boundary
        hv.setUint32(8, 2, true);
        hv.setUint32(16, 2 + types.length, true);
        return concat([hdr, new Uint8Array(2), types, strs]);
      default:
        return concat([x.b, r.chance(0.5) ? new Uint8Array(4) : Uint8Array.from([0x9f, 0xeb, 1, 0])]);
    }
  },
  chain(x, ix, r) {
    // a modifier chain of 28..36 links above an INT, each link referring to the next (later) one so
    // that resolving the first walks the whole chain: the resolve depth limit; and a VAR of its head
    const int = of(ix, [1])[0];
    const name = someName(x, ix);
    if (!int || !name) return false;
    const n = ix.recs.length;
    const len = 28 + r.int(9);
    const parts: Uint8Array[] = [];
    for (let i = 0; i < len; i++) {
      const kind = r.pick([8, 10, 9, 18]);
      parts.push(record(kind === 8 || kind === 18 ? name : 0, kind, 0, 0, i === len - 1 ? int.id : n + i + 2));
    }
    if (r.chance(0.7)) parts.push(record(name, 14, 0, 0, n + 1, 1));
    return appendTypes(x, ix, concat(parts));
  },
  declTag(x, ix, r) {
    // a DECL_TAG on some type (of any kind), for the whole type or one of its components
    const name = someName(x, ix);
    const target = r.pick(ix.recs);
    if (!name || !target) return false;
    const component = r.pick([-1, -1, 0, target.vlen - 1, target.vlen, -2]);
    return appendTypes(x, ix, record(name, 17, r.chance(0.2) ? 1 : 0, 0, r.chance(0.9) ? target.id : 0, component));
  },
  loop(x, ix, r) {
    const n = ix.recs.length;
    const name = someName(x, ix);
    switch (r.int(4)) {
      case 0: // typedef → itself
        return appendTypes(x, ix, record(name, 8, 0, 0, n + 1));
      case 1: // const → ptr → const
        return appendTypes(x, ix, concat([record(0, 10, 0, 0, n + 2), record(0, 2, 0, 0, n + 1)]));
      case 2: {
        // a struct containing itself
        const s = record(name, 4, 0, 1, 8, 0, n + 1, 0);
        return appendTypes(x, ix, s);
      }
      default: {
        // struct A { struct B b; }; struct B { struct A a; }
        return appendTypes(x, ix, concat([record(name, 4, 0, 1, 8, 0, n + 2, 0), record(name, 4, 0, 1, 8, 0, n + 1, 0)]));
      }
    }
  },
  typeTags(x, ix, r) {
    const int = of(ix, [1])[0];
    const name = someName(x, ix);
    if (!int || !name) return false;
    const n = ix.recs.length;
    const order = r.pick([
      [18, 10],
      [10, 18],
      [18, 18, 9],
      [9, 18],
      [8, 18],
      [18, 8],
    ]);
    const parts = order.map((k, i) =>
      record(k === 18 || k === 8 ? name : 0, k, k === 18 && r.chance(0.3) ? 1 : 0, 0, i === order.length - 1 ? int.id : n + i + 2),
    );
    parts.push(record(0, 2, 0, 0, n + 1));
    return appendTypes(x, ix, concat(parts));
  },
};

export const MUTATION_NAMES = Object.keys(MUTATIONS);

/**
 * Make the common relocatable-object outputs loadable: INT encodings with
 * more than one bit keep the lowest, DATASEC entries get consecutive
 * offsets and the section their total size (what libbpf does from the ELF
 * symbols before loading). Undefined when nothing needed repair.
 */
export function repair(bytes: Uint8Array): Uint8Array | undefined {
  const ix = indexBlob(bytes);
  if (!ix) return undefined;
  const x = new Blob(bytes);
  let changed = false;
  for (const t of ix.recs) {
    if (t.kind === 1) {
      const d = x.u32(t.data);
      const enc = (d >>> 24) & 0xf;
      if (enc & (enc - 1)) {
        x.set(t.data, (d & 0xf0ffffff) | ((enc & -enc) << 24));
        changed = true;
      }
    }
    if (t.kind === 15 && x.u32(t.at + 8) === 0 && t.vlen > 0) {
      let off = 0;
      for (let i = 0; i < t.vlen; i++) {
        const e = t.data + 12 * i;
        const size = x.u32(e + 8);
        off = (off + 7) & ~7;
        x.set(e + 4, off);
        off += size;
      }
      x.set(t.at + 8, Math.max(off, 1));
      changed = true;
    }
  }
  return changed ? x.b : undefined;
}

export interface Mutant {
  readonly name: string;
  readonly bytes: Uint8Array;
}

/** `count` mutants of a well-formed little-endian blob (fewer if it cannot be indexed). */
export function mutants(seed: Uint8Array, count: number, rng: Rng): Mutant[] {
  const ix0 = indexBlob(seed);
  if (!ix0) return [];
  const out: Mutant[] = [];
  let tries = 0;
  while (out.length < count && tries++ < count * 20) {
    let bytes = seed;
    const names: string[] = [];
    const steps = rng.chance(0.2) ? 2 : 1;
    for (let s = 0; s < steps; s++) {
      const ix = indexBlob(bytes);
      if (!ix) break;
      const name = rng.pick(MUTATION_NAMES);
      const x = new Blob(bytes);
      const res = MUTATIONS[name](x, ix, rng);
      if (res === false) continue;
      bytes = res === true ? x.b : res;
      names.push(name);
    }
    if (names.length) out.push({ name: names.join('+'), bytes });
  }
  return out;
}
