/**
 * The kernel's BTF verifier, re-implemented in TypeScript from a reading of
 * kernel/bpf/btf.c (6.18) and checked against the running kernel (see
 * docs/LINT.md and test/lint-kernel.test.ts). Pure: bytes in, verdict out.
 *
 * Passes, in the kernel's order (btf_parse):
 *   1. header and section layout (btf_parse_hdr, btf_check_sec_info),
 *      the string section (btf_parse_str_sec), the type section's offset;
 *   2. one record at a time (btf_check_meta and each kind's check_meta):
 *      info bits, kind, name offsets and name validity, per-kind fields;
 *   3. resolution (btf_check_all_types): references, sizes, loops and
 *      depth, member placement, array index and element types,
 *      FUNC/FUNC_PROTO/VAR/DATASEC/DECL_TAG targets;
 *   4. modifier chains (btf_check_type_tags).
 * Split BTF is checked as the kernel checks module BTF: passes 1, 2 and 4
 * only, plus libbpf's reference check.
 */
import { KIND_NAMES } from '../btf/kinds.js';
import { InputError } from '../errors.js';
import { BTF_HEADER_SIZE, BTF_MAGIC, BTF_MAX_TYPE, Bytes, copiedHeader, extraSize, K, MAX_KIND, Strings, TypeColumns } from './blob.js';
import { type LintRuleId, ruleMessage } from './rules.js';
import type { LintOptions, LintRejection, LintResult } from './types.js';

const BTF_MAX_SIZE = 16 * 1024 * 1024;
const BTF_INFO_MASK = 0x9f00ffff;
const BTF_INT_MASK = 0x0fffffff;
const MAX_RESOLVE_DEPTH = 32;
const U32_MAX = 0xffffffff;
/** More would only repeat the same problem; the first is what matters. */
const MAX_REJECTIONS = 200;
/** What idSize answers when there is no sized type (ids are never negative). */
const NO_TYPE = -1;

const isModifier = (k: number) => k === K.TYPEDEF || k === K.VOLATILE || k === K.CONST || k === K.RESTRICT || k === K.TYPE_TAG;
const isStruct = (k: number) => k === K.STRUCT || k === K.UNION;
const hasSize = (k: number) => k === K.INT || k === K.STRUCT || k === K.UNION || k === K.ENUM || k === K.DATASEC || k === K.FLOAT || k === K.ENUM64;
const sourceOnly = (k: number) => k === K.VAR || k === K.DECL_TAG || k === K.DATASEC;
const needsResolve = (k: number) =>
  isModifier(k) || k === K.PTR || isStruct(k) || k === K.ARRAY || k === K.VAR || k === K.FUNC || k === K.DECL_TAG || k === K.DATASEC;
const declTagTarget = (k: number) => k === K.FUNC || isStruct(k) || k === K.VAR || k === K.TYPEDEF;
const roundupBytes = (bits: number) => Math.floor(bits / 8) + (bits % 8 ? 1 : 0);
const isPow2 = (x: number) => x !== 0 && (x & (x - 1)) === 0;
const vlenOf = (info: number) => info & 0xffff;
const kflagOf = (info: number) => info >>> 31 === 1;

const intBits = (d: number) => d & 0xff;
const intOffset = (d: number) => (d >>> 16) & 0xff;
const intEncoding = (d: number) => (d >>> 24) & 0x0f;
/** Whether an INT's data word describes a whole power-of-two number of bytes at offset 0. */
function intIsRegular(d: number): boolean {
  const bits = intBits(d);
  const bytes = roundupBytes(bits);
  return bits % 8 === 0 && intOffset(d) === 0 && bytes <= 16 && isPow2(bytes);
}

/** A failed check: its rejection is already recorded. */
const EINVAL = 1;
/** Resolution deeper than MAX_RESOLVE_DEPTH. */
const E2BIG = 2;
/** A type reached again while being resolved: a loop. */
const EEXIST = 3;
type Err = 0 | typeof EINVAL | typeof E2BIG | typeof EEXIST;

interface Reject {
  rule: LintRuleId;
  values?: readonly (number | string)[];
  component?: number;
}

/** The base of split BTF: its records (ids 0..count-1) and strings. */
export interface Base {
  readonly types: TypeColumns;
  readonly strings: Strings;
  readonly strLen: number;
}

/**
 * One blob's check. A type is its id: its record's fields are columns
 * (blob.ts TypeColumns) and the resolution's state is typed arrays
 * indexed by id, so nothing is allocated per type or per member; only a
 * rejection makes objects.
 */
class Verifier {
  readonly rejections: LintRejection[] = [];
  private readonly seen = new Set<string>();
  /** Every id's record, the base's first for split BTF. */
  private t = new TypeColumns(1);
  private startId = 1;
  private strings!: Strings;

  constructor(
    private readonly b: Bytes,
    private readonly base: Base | undefined,
  ) {}

  private add(r: LintRejection): void {
    const key = `${r.typeId}|${r.rule}|${r.component}`;
    if (this.seen.has(key) || this.rejections.length >= MAX_REJECTIONS) return;
    this.seen.add(key);
    this.rejections.push(r);
  }

  private header(rule: LintRuleId, ...values: number[]): false {
    this.add({ rule, message: ruleMessage(rule, ...values) });
    return false;
  }

  /** Record a rejection about type `id`. Always returns EINVAL. */
  private reject(id: number, r: Reject): typeof EINVAL {
    const nameOff = this.t.nameOff[id];
    const name = id === 0 ? '' : this.strings.valid(nameOff) ? this.strings.text(nameOff) : undefined;
    this.add({
      typeId: id,
      kind: KIND_NAMES[this.t.kind[id]] ?? 'UNKN',
      ...(name !== undefined ? { name } : {}),
      rule: r.rule,
      message: ruleMessage(r.rule, ...(r.values ?? [])),
      ...(r.component !== undefined ? { component: r.component } : {}),
    });
    return EINVAL;
  }

  /** A rejection about component `i` (member, parameter, entry) of type `id`. */
  private rejectAt(id: number, rule: LintRuleId, i: number): typeof EINVAL {
    return this.reject(id, { rule, component: i });
  }

  run(): LintResult {
    this.check();
    return { accepted: this.rejections.length === 0, rejections: this.rejections };
  }

  private check(): void {
    const size = this.b.data.length;
    const split = this.base !== undefined;
    // btf_parse, btf_parse_hdr
    if (size > BTF_MAX_SIZE) return void this.header('too-large');
    if (size < 8) return void this.header('hdr-len-not-found');
    const rawHdrLen = this.b.u32(4);
    if (size < rawHdrLen) return void this.header('header-not-found');
    for (let i = BTF_HEADER_SIZE; i < rawHdrLen; i++) if (this.b.data[i] !== 0) return void this.header('header-unsupported');
    const hdr = copiedHeader(this.b, rawHdrLen);
    if (hdr.magic !== BTF_MAGIC) return void this.header('magic');
    if (hdr.version !== 1) return void this.header('version');
    if (hdr.flags !== 0) return void this.header('flags');
    if (!split && size === hdr.hdrLen) return void this.header('no-data');
    if (!this.sections(hdr.hdrLen, hdr.typeOff, hdr.typeLen, hdr.strOff, hdr.strLen, size)) return;
    // btf_parse_str_sec
    const strStart = hdr.hdrLen + hdr.strOff;
    const strEnd = strStart + hdr.strLen;
    if (strEnd !== size) return void this.header('strings-not-at-end');
    if (!(split && hdr.strLen === 0)) {
      if (hdr.strLen === 0 || hdr.strLen - 1 > 0xffffff || this.b.data[strEnd - 1] !== 0) return void this.header('strings-invalid');
      if (!split && this.b.data[strStart] !== 0) return void this.header('strings-invalid');
    }
    this.strings = new Strings(this.b.data.subarray(strStart, strEnd), this.base?.strLen ?? 0, this.base?.strings);
    // btf_parse_type_sec
    if (hdr.typeOff & 3) return void this.header('type-off-unaligned');
    if (!split && hdr.typeLen === 0) return void this.header('no-type');
    this.startId = split ? (this.base as Base).types.count : 1;
    const begin = hdr.hdrLen + hdr.typeOff;
    if (!this.metas(begin, begin + hdr.typeLen)) return;
    if (!split) {
      if (!this.resolveAll()) return;
      this.typeTags(1);
    } else {
      if (!this.typeTags(this.startId)) return;
      this.libbpfReferences();
    }
  }

  /** btf_check_sec_info: the type and string sections tile the data after the header exactly. */
  private sections(hdrLen: number, typeOff: number, typeLen: number, strOff: number, strLen: number, size: number): boolean {
    let secs = [
      { off: typeOff, len: typeLen },
      { off: strOff, len: strLen },
    ];
    // The kernel sorts with a comparator of 32-bit differences; two entries swap when it says "greater".
    const cmp = (x: { off: number; len: number }, y: { off: number; len: number }) => (x.off - y.off) | 0 || (x.len - y.len) | 0;
    if (cmp(secs[0], secs[1]) > 0) secs = [secs[1], secs[0]];
    const expected = size - hdrLen;
    let total = 0;
    for (const s of secs) {
      if (expected < s.off) return this.header('section-offset');
      if (total < s.off) return this.header('section-unsupported');
      if (total > s.off) return this.header('section-overlap');
      if (expected - total < s.len) return this.header('section-too-long');
      total += s.len;
    }
    if (expected !== total) return this.header('section-unsupported');
    return true;
  }

  /** Whether type `id` exists: void, a base type or one of this blob's records so far. */
  private exists(id: number): boolean {
    return id < this.t.count;
  }

  /** Offset of the kind-specific part of type `id`'s record (in this blob). */
  private data(id: number): number {
    return this.t.at[id] + 12;
  }

  /** No size of its own: void, FWD, FUNC, FUNC_PROTO, DECL_TAG; or no such type. */
  private noSizeOrNull(id: number): boolean {
    if (id === 0 || !this.exists(id)) return true;
    const k = this.t.kind[id];
    return k === K.FWD || k === K.FUNC || k === K.FUNC_PROTO || k === K.DECL_TAG;
  }

  // ---- pass 2: btf_check_all_metas -------------------------------------

  private metas(begin: number, end: number): boolean {
    let cur = begin;
    let ok = true;
    // btf_add_type: at most BTF_MAX_TYPE entries counting void, less the base's.
    const limit = BTF_MAX_TYPE - (this.base ? this.startId : 0) - (this.base ? 0 : 1);
    // Each record takes 12 bytes or more, and the limit stops the walk one record past it.
    const t = new TypeColumns(this.startId + Math.min(Math.floor((end - begin) / 12), limit + 1));
    if (this.base) t.copyFrom(this.base.types, this.startId);
    this.t = t;
    while (cur < end) {
      const left = end - cur;
      if (left < 12) {
        this.add({ typeId: t.count, rule: 'meta-truncated', message: ruleMessage('meta-truncated', left, 12) });
        return false;
      }
      const id = t.read(this.b, cur);
      const size = this.meta(id, left - 12);
      if (size === undefined) {
        ok = false;
        // Go on past a bad record while its extent is still known.
        const extra = extraSize(t.kind[id], vlenOf(t.info[id]));
        if (extra === undefined || 12 + extra > left) return false;
        cur += 12 + extra;
      } else {
        cur += 12 + size;
      }
      if (t.count - this.startId >= limit) {
        this.add({ typeId: id, rule: 'too-many-types', message: ruleMessage('too-many-types') });
        return false;
      }
      t.count++;
    }
    return ok;
  }

  /** btf_check_meta: the kind-specific size on success, undefined after a rejection. */
  private meta(id: number, left: number): number | undefined {
    const info = this.t.info[id];
    const kind = this.t.kind[id];
    const nameOff = this.t.nameOff[id];
    if ((info & ~BTF_INFO_MASK) !== 0) {
      this.add({ typeId: id, rule: 'info-invalid', message: ruleMessage('info-invalid', info) });
      return undefined;
    }
    if (kind > MAX_KIND || kind === 0) {
      this.add({ typeId: id, kind: 'UNKN', rule: 'kind-invalid', message: ruleMessage('kind-invalid', kind) });
      return undefined;
    }
    if (!this.strings.valid(nameOff)) {
      this.add({ typeId: id, kind: KIND_NAMES[kind], rule: 'name-offset', message: ruleMessage('name-offset', nameOff) });
      return undefined;
    }
    const need = extraSize(kind, vlenOf(info)) as number;
    const r = this.kindMeta(id, left, need);
    if (r === undefined) return need;
    this.reject(id, r);
    return undefined;
  }

  /** The per-kind check_meta; a Reject when the record is refused. */
  private kindMeta(id: number, left: number, need: number): Reject | undefined {
    const s = this.strings;
    const b = this.b;
    const kind = this.t.kind[id];
    const info = this.t.info[id];
    const vlen = vlenOf(info);
    const kflag = kflagOf(info);
    const nameOff = this.t.nameOff[id];
    const sot = this.t.sot[id];
    const data = this.data(id);
    switch (kind) {
      case K.INT: {
        if (left < need) return truncated(left, need);
        if (vlen) return { rule: 'vlen' };
        if (kflag) return { rule: 'kind-flag' };
        const d = b.u32(data);
        if (d & ~BTF_INT_MASK) return { rule: 'int-data', values: [d] };
        const bits = intBits(d) + intOffset(d);
        if (bits > 128) return { rule: 'int-bits' };
        if (roundupBytes(bits) > sot) return { rule: 'int-bits-size' };
        const enc = intEncoding(d);
        if (enc !== 0 && enc !== 1 && enc !== 2 && enc !== 4) return { rule: 'int-encoding' };
        return undefined;
      }
      case K.PTR:
      case K.TYPEDEF:
      case K.VOLATILE:
      case K.CONST:
      case K.RESTRICT:
      case K.TYPE_TAG:
        if (vlen) return { rule: 'vlen' };
        if (kflag && kind !== K.TYPE_TAG) return { rule: 'kind-flag' };
        if (sot > BTF_MAX_TYPE) return { rule: 'type-id' };
        if (kind === K.TYPEDEF) {
          if (!nameOff || !s.identifier(nameOff)) return { rule: 'name' };
        } else if (kind === K.TYPE_TAG) {
          if (!s.nonEmpty(nameOff)) return { rule: 'name' };
        } else if (nameOff) return { rule: 'name' };
        return undefined;
      case K.FWD:
        if (vlen) return { rule: 'vlen' };
        if (sot) return { rule: 'fwd-type' };
        if (!nameOff || !s.identifier(nameOff)) return { rule: 'name' };
        return undefined;
      case K.ARRAY: {
        if (left < need) return truncated(left, need);
        if (nameOff) return { rule: 'name' };
        if (vlen) return { rule: 'vlen' };
        if (kflag) return { rule: 'kind-flag' };
        if (sot) return { rule: 'array-size' };
        const elem = b.u32(data);
        const index = b.u32(data + 4);
        if (!elem || elem > BTF_MAX_TYPE) return { rule: 'array-elem' };
        if (!index || index > BTF_MAX_TYPE) return { rule: 'array-index' };
        return undefined;
      }
      case K.STRUCT:
      case K.UNION: {
        if (left < need) return truncated(left, need);
        if (nameOff && !s.identifier(nameOff)) return { rule: 'name' };
        let last = 0;
        for (let i = 0; i < vlen; i++) {
          const m = data + 12 * i;
          const mNameOff = b.u32(m);
          const type = b.u32(m + 4);
          const raw = b.u32(m + 8);
          if (!s.valid(mNameOff)) return { rule: 'member-name-offset', values: [mNameOff], component: i };
          if (mNameOff && !s.identifier(mNameOff)) return { rule: 'name', component: i };
          if (!type || type > BTF_MAX_TYPE) return { rule: 'type-id', component: i };
          const offset = kflag ? raw & 0xffffff : raw;
          if (kind === K.UNION && offset) return { rule: 'member-offset', component: i };
          if (last > offset) return { rule: 'member-offset', component: i };
          if (roundupBytes(offset) > sot) return { rule: 'member-offset-size', component: i };
          last = offset;
        }
        return undefined;
      }
      case K.ENUM:
      case K.ENUM64: {
        if (left < need) return truncated(left, need);
        if (sot > 8 || !isPow2(sot)) return { rule: 'enum-size' };
        if (nameOff && !s.identifier(nameOff)) return { rule: 'name' };
        const stride = kind === K.ENUM ? 8 : 12;
        for (let i = 0; i < vlen; i++) {
          const vNameOff = b.u32(data + stride * i);
          if (!s.valid(vNameOff)) return { rule: 'enum-name-offset', values: [vNameOff], component: i };
          if (!vNameOff || !s.identifier(vNameOff)) return { rule: 'name', component: i };
        }
        return undefined;
      }
      case K.FUNC_PROTO:
        if (left < need) return truncated(left, need);
        if (nameOff) return { rule: 'name' };
        if (kflag) return { rule: 'kind-flag' };
        return undefined;
      case K.FUNC:
        if (!nameOff || !s.identifier(nameOff)) return { rule: 'name' };
        if (vlen > 1) return { rule: 'func-linkage' };
        if (kflag) return { rule: 'kind-flag' };
        return undefined;
      case K.VAR: {
        if (left < need) return truncated(left, need);
        if (vlen) return { rule: 'vlen' };
        if (kflag) return { rule: 'kind-flag' };
        if (!nameOff || !s.identifier(nameOff)) return { rule: 'name' };
        if (!sot || sot > BTF_MAX_TYPE) return { rule: 'type-id' };
        const linkage = b.u32(data);
        if (linkage !== 0 && linkage !== 1) return { rule: 'var-linkage' };
        return undefined;
      }
      case K.DATASEC: {
        if (left < need) return truncated(left, need);
        if (!sot) return { rule: 'datasec-size' };
        if (kflag) return { rule: 'kind-flag' };
        if (!nameOff || !s.section(nameOff)) return { rule: 'name' };
        let lastEnd = 0;
        let sum = 0;
        for (let i = 0; i < vlen; i++) {
          const v = data + 12 * i;
          const type = b.u32(v);
          const offset = b.u32(v + 4);
          const size = b.u32(v + 8);
          if (!type || type > BTF_MAX_TYPE) return { rule: 'type-id', component: i };
          if (offset < lastEnd || offset >= sot) return { rule: 'datasec-offset', component: i };
          if (!size || size > sot) return { rule: 'datasec-var-size', component: i };
          lastEnd = offset + size;
          if (lastEnd > sot) return { rule: 'datasec-offset-size', component: i };
          sum += size;
        }
        if (sot < sum) return { rule: 'datasec-total-size' };
        return undefined;
      }
      case K.FLOAT:
        if (vlen) return { rule: 'vlen' };
        if (kflag) return { rule: 'kind-flag' };
        if (sot !== 2 && sot !== 4 && sot !== 8 && sot !== 12 && sot !== 16) return { rule: 'float-size' };
        return undefined;
      case K.DECL_TAG:
        if (left < need) return truncated(left, need);
        if (!s.nonEmpty(nameOff)) return { rule: 'decl-tag-value' };
        if (vlen) return { rule: 'vlen' };
        if (b.i32(data) < -1) return { rule: 'decl-tag-component' };
        return undefined;
      default:
        return undefined;
    }
  }

  // ---- pass 3: btf_check_all_types ------------------------------------

  // Resolution state by type id: visit 0 new, 1 on the stack, 2 resolved;
  // the resolved type id and size (a size never passes U32_MAX: arrays that would are refused).
  private visit = new Uint8Array(0);
  private resolvedId = new Uint32Array(0);
  private resolvedSize = new Uint32Array(0);
  // The resolution stack: the type id and, for STRUCT/UNION/DATASEC, the next member to look at.
  private readonly stackId = new Uint32Array(MAX_RESOLVE_DEPTH);
  private readonly stackNext = new Uint32Array(MAX_RESOLVE_DEPTH);
  private depth = 0;
  private mode: 'tbd' | 'ptr' | 'struct' = 'tbd';
  /** The size idSize found, beside the id it returns (so that it makes no object per call). */
  private sized = 0;

  /** env_type_is_resolved: base types always are; void (in base BTF) never is. */
  private isResolved(id: number): boolean {
    if (id === 0) return this.base !== undefined;
    if (id < this.startId) return true;
    return this.visit[id] === 2;
  }

  private resolveAll(): boolean {
    const n = this.t.count;
    this.visit = new Uint8Array(n);
    this.resolvedId = new Uint32Array(n);
    this.resolvedSize = new Uint32Array(n);
    const kind = this.t.kind;
    let ok = true;
    for (let id = this.startId; id < n; id++) {
      if (needsResolve(kind[id]) && !this.isResolved(id)) {
        if (this.resolve(id) !== 0) {
          ok = false;
          this.unwind();
        }
      }
      if (kind[id] === K.FUNC_PROTO && this.funcProtoCheck(id) !== 0) {
        ok = false;
        this.unwind();
      }
    }
    return ok;
  }

  /**
   * After a failure the kernel stops; to go on, forget what was half-visited:
   * exactly the types still on the stack (push marks 1, pop marks 2), so
   * this costs the stack's depth, not a scan of every type per failure
   * (which made a long chain of refused types quadratic, issue 14).
   */
  private unwind(): void {
    for (let i = 0; i < this.depth; i++) this.visit[this.stackId[i]] = 0;
    this.depth = 0;
  }

  private sink(id: number): boolean {
    const k = this.t.kind[id];
    switch (this.mode) {
      case 'tbd':
        return !needsResolve(k);
      case 'ptr':
        return !isModifier(k) && k !== K.PTR;
      default:
        return !isModifier(k) && k !== K.ARRAY && !isStruct(k);
    }
  }

  private push(id: number): Err {
    if (this.depth === MAX_RESOLVE_DEPTH) return E2BIG;
    if (id < this.startId || this.visit[id] !== 0) return EEXIST;
    this.visit[id] = 1;
    this.stackId[this.depth] = id;
    this.stackNext[this.depth] = 0;
    this.depth++;
    if (this.mode === 'tbd') {
      const k = this.t.kind[id];
      if (k === K.PTR) this.mode = 'ptr';
      else if (isStruct(k) || k === K.ARRAY) this.mode = 'struct';
    }
    return 0;
  }

  private pop(resolvedId: number, resolvedSize: number): void {
    this.depth--;
    const id = this.stackId[this.depth];
    this.resolvedId[id] = resolvedId;
    this.resolvedSize[id] = resolvedSize;
    this.visit[id] = 2;
  }

  private rid(id: number): number {
    return id < this.startId ? 0 : this.resolvedId[id];
  }
  private rsize(id: number): number {
    return id < this.startId ? 0 : this.resolvedSize[id];
  }

  /**
   * btf_type_id_size: the sized type behind `id` (through a resolved
   * modifier or VAR), or NO_TYPE; its size is left in `this.sized`.
   */
  private idSize(id: number): number {
    if (this.noSizeOrNull(id)) return NO_TYPE;
    const k = this.t.kind[id];
    if (hasSize(k) || k === K.ARRAY || k === K.PTR) return this.sizedAs(id);
    if (!isModifier(k) && k !== K.VAR) return NO_TYPE;
    const id2 = this.rid(id);
    if (this.noSizeOrNull(id2)) return NO_TYPE;
    const k2 = this.t.kind[id2];
    if (hasSize(k2) || k2 === K.ARRAY || k2 === K.PTR) return this.sizedAs(id2);
    return NO_TYPE;
  }

  /** idSize's answer for a type with a size (its own, an ARRAY's resolved one, a pointer's 8). */
  private sizedAs(id: number): number {
    const k = this.t.kind[id];
    this.sized = k === K.ARRAY ? this.rsize(id) : k === K.PTR ? 8 : this.t.sot[id];
    return id;
  }

  /** btf_resolve: resolve `id` and everything it needs, depth-first. */
  private resolve(id: number): Err {
    this.mode = 'tbd';
    this.push(id);
    let err: Err = 0;
    while (err === 0 && this.depth > 0) err = this.resolveOne(this.stackId[this.depth - 1]);
    if (err === E2BIG) this.reject(id, { rule: 'resolve-depth' });
    else if (err === EEXIST) this.reject(id, { rule: 'loop' });
    if (err === 0 && !this.resolveValid(id)) {
      this.reject(id, { rule: 'resolve-state' });
      err = EINVAL;
    }
    return err;
  }

  /** One step of resolving the type on top of the stack. */
  private resolveOne(id: number): Err {
    switch (this.t.kind[id]) {
      case K.PTR:
        return this.refResolve(id, 'ptr');
      case K.VAR:
        return this.refResolve(id, 'var');
      case K.TYPEDEF:
      case K.VOLATILE:
      case K.CONST:
      case K.RESTRICT:
      case K.TYPE_TAG:
        return this.refResolve(id, 'modifier');
      case K.ARRAY:
        return this.arrayResolve(id);
      case K.STRUCT:
      case K.UNION:
        return this.structResolve(id);
      case K.DATASEC:
        return this.datasecResolve(id);
      case K.DECL_TAG:
        return this.declTagResolve(id);
      case K.FUNC:
        return this.funcResolve(id);
      default:
        return EINVAL; // not reached: only needs_resolve kinds are pushed
    }
  }

  /** btf_modifier_resolve, btf_ptr_resolve, btf_var_resolve. */
  private refResolve(id: number, how: 'modifier' | 'ptr' | 'var'): Err {
    let nextId = this.t.sot[id];
    if (!this.exists(nextId) || sourceOnly(this.t.kind[nextId])) return this.reject(id, { rule: 'type-id' });
    if (!this.sink(nextId) && !this.isResolved(nextId)) return this.push(nextId);
    if (how !== 'modifier' && isModifier(this.t.kind[nextId])) {
      // Continue past a modifier that stopped at a pointer, so that pointer cannot loop back here.
      const rid = this.rid(nextId);
      if (this.exists(rid) && this.t.kind[rid] === K.PTR && !this.sink(rid) && !this.isResolved(rid)) return this.push(rid);
    }
    const sized = this.idSize(nextId);
    if (sized !== NO_TYPE) nextId = sized;
    else {
      if (how === 'var') return this.reject(id, { rule: 'type-id' });
      if (this.isResolved(nextId)) nextId = this.rid(nextId);
      const k = this.exists(nextId) ? this.t.kind[nextId] : undefined;
      if (nextId !== 0 && k !== K.FWD && k !== K.FUNC_PROTO) return this.reject(id, { rule: 'type-id' });
    }
    this.pop(nextId, 0);
    return 0;
  }

  /** btf_array_resolve. */
  private arrayResolve(id: number): Err {
    const b = this.b;
    const data = this.data(id);
    const indexId = b.u32(data + 4);
    if (this.noSizeOrNull(indexId) || sourceOnly(this.t.kind[indexId])) return this.reject(id, { rule: 'array-index' });
    if (!this.sink(indexId) && !this.isResolved(indexId)) return this.push(indexId);
    const idx = this.idSize(indexId);
    if (idx === NO_TYPE || this.t.kind[idx] !== K.INT || !intIsRegular(b.u32(this.data(idx)))) return this.reject(id, { rule: 'array-index' });
    const elemId = b.u32(data);
    if (this.noSizeOrNull(elemId) || sourceOnly(this.t.kind[elemId])) return this.reject(id, { rule: 'array-elem' });
    if (!this.sink(elemId) && !this.isResolved(elemId)) return this.push(elemId);
    const e = this.idSize(elemId);
    if (e === NO_TYPE) return this.reject(id, { rule: 'array-elem' });
    const eSize = this.sized;
    if (this.t.kind[e] === K.INT && !intIsRegular(b.u32(this.data(e)))) return this.reject(id, { rule: 'array-int' });
    const nelems = b.u32(data + 8);
    if (nelems && eSize > Math.floor(U32_MAX / nelems)) return this.reject(id, { rule: 'array-overflow' });
    this.pop(e, eSize * nelems);
    return 0;
  }

  /** btf_struct_resolve, with each member's check_member. */
  private structResolve(id: number): Err {
    const b = this.b;
    const data = this.data(id);
    const vlen = vlenOf(this.t.info[id]);
    const kflag = kflagOf(this.t.info[id]);
    const top = this.depth - 1;
    const next = this.stackNext[top];
    if (next > 0) {
      const typeId = b.u32(data + 12 * (next - 1) + 4);
      if (!this.isResolved(typeId)) return EINVAL; // the kernel WARNs; not reached
      const err = this.checkMember(id, next - 1, typeId, kflag);
      if (err) return err;
    }
    for (let i = next; i < vlen; i++) {
      const typeId = b.u32(data + 12 * i + 4);
      if (this.noSizeOrNull(typeId) || sourceOnly(this.t.kind[typeId])) return this.rejectAt(id, 'member', i);
      if (!this.sink(typeId) && !this.isResolved(typeId)) {
        this.stackNext[top] = i + 1;
        return this.push(typeId);
      }
      const err = this.checkMember(id, i, typeId, kflag);
      if (err) return err;
    }
    this.pop(0, 0);
    return 0;
  }

  /** Each kind's check_member / check_kflag_member, for member `i` of `s` whose type (or resolved type) is `typeId`. */
  private checkMember(s: number, i: number, typeId: number, kflag: boolean): Err {
    const raw = this.b.u32(this.data(s) + 12 * i + 8);
    const size = this.t.sot[s];
    const mk = this.t.kind[typeId];
    const msot = this.t.sot[typeId];
    if (isModifier(mk)) {
      const r = this.idSize(typeId);
      if (r === NO_TYPE) return this.rejectAt(s, 'member', i);
      return this.checkMember(s, i, r, kflag);
    }
    if (kflag && mk !== K.INT && mk !== K.ENUM && mk !== K.ENUM64) {
      // btf_generic_check_kflag_member (ptr, array, struct, union, float); others are unsupported
      if (mk === K.PTR || mk === K.ARRAY || isStruct(mk) || mk === K.FLOAT) {
        if (raw >>> 24) return this.rejectAt(s, 'member-bitfield-size', i);
        return this.checkMember(s, i, typeId, false);
      }
      this.reject(s, { rule: 'member-kflag-unsupported' });
      return EINVAL;
    }
    switch (mk) {
      case K.INT: {
        const d = this.b.u32(this.data(typeId));
        if (!kflag) {
          if (U32_MAX - raw < intOffset(d)) return this.rejectAt(s, 'member-offset-overflow', i);
          const bitsOff = raw + intOffset(d);
          const bytesOff = Math.floor(bitsOff / 8);
          const copyBits = intBits(d) + (bitsOff % 8);
          if (copyBits > 128) return this.rejectAt(s, 'member-copy-bits', i);
          if (size < bytesOff || size - bytesOff < roundupBytes(copyBits)) return this.rejectAt(s, 'member-size', i);
          return 0;
        }
        if (!intIsRegular(d)) return this.rejectAt(s, 'member-base-type', i);
        let bits = raw >>> 24;
        const bitsOff = raw & 0xffffff;
        if (!bits) {
          if (bitsOff % 8) return this.rejectAt(s, 'member-bit-offset', i);
          bits = intBits(d);
        } else if (bits > intBits(d)) return this.rejectAt(s, 'member-bitfield-size', i);
        const bytesOff = Math.floor(bitsOff / 8);
        const copyBits = bits + (bitsOff % 8);
        if (copyBits > 128) return this.rejectAt(s, 'member-copy-bits', i);
        if (size < bytesOff || size - bytesOff < roundupBytes(copyBits)) return this.rejectAt(s, 'member-size', i);
        return 0;
      }
      case K.ENUM:
      case K.ENUM64: {
        if (!kflag) {
          if (raw % 8) return this.rejectAt(s, 'member-not-aligned', i);
          if (u32(size - Math.floor(raw / 8)) < msot) return this.rejectAt(s, 'member-size', i);
          return 0;
        }
        const bitsOff = raw & 0xffffff;
        let bits = raw >>> 24;
        if (!bits) {
          if (bitsOff % 8) return this.rejectAt(s, 'member-not-aligned', i);
          bits = 32;
        } else if (bits > 32) return this.rejectAt(s, 'member-bitfield-size', i);
        if (size < roundupBytes(bitsOff + bits)) return this.rejectAt(s, 'member-size', i);
        return 0;
      }
      case K.PTR:
        if (raw % 8) return this.rejectAt(s, 'member-not-aligned', i);
        if (u32(size - Math.floor(raw / 8)) < 8) return this.rejectAt(s, 'member-size', i);
        return 0;
      case K.ARRAY: {
        if (raw % 8) return this.rejectAt(s, 'member-not-aligned', i);
        const arraySize = this.idSize(typeId) === NO_TYPE ? 0 : this.sized;
        if (u32(size - Math.floor(raw / 8)) < arraySize) return this.rejectAt(s, 'member-size', i);
        return 0;
      }
      case K.STRUCT:
      case K.UNION:
        if (raw % 8) return this.rejectAt(s, 'member-not-aligned', i);
        if (u32(size - Math.floor(raw / 8)) < msot) return this.rejectAt(s, 'member-size', i);
        return 0;
      case K.FLOAT: {
        const alignBits = Math.min(8, msot) * 8;
        if (raw % alignBits) return this.rejectAt(s, 'member-misaligned', i);
        if (Math.floor(raw / 8) + msot > size) return this.rejectAt(s, 'member-size', i);
        return 0;
      }
      default:
        this.reject(s, { rule: 'member-unsupported' });
        return EINVAL;
    }
  }

  /** btf_datasec_resolve. */
  private datasecResolve(id: number): Err {
    const b = this.b;
    const data = this.data(id);
    const vlen = vlenOf(this.t.info[id]);
    const top = this.depth - 1;
    this.mode = 'tbd';
    for (let i = this.stackNext[top]; i < vlen; i++) {
      const e = data + 12 * i;
      const varId = b.u32(e);
      if (!this.exists(varId) || this.t.kind[varId] !== K.VAR) return this.rejectAt(id, 'datasec-not-var', i);
      if (!this.sink(varId) && !this.isResolved(varId)) {
        this.stackNext[top] = i + 1;
        return this.push(varId);
      }
      if (this.idSize(this.t.sot[varId]) === NO_TYPE) return this.rejectAt(id, 'datasec-var-type', i);
      if (b.u32(e + 8) < this.sized) return this.rejectAt(id, 'datasec-var-size', i);
    }
    this.pop(0, 0);
    return 0;
  }

  /** btf_decl_tag_resolve. */
  private declTagResolve(id: number): Err {
    const nextId = this.t.sot[id];
    if (!this.exists(nextId) || !declTagTarget(this.t.kind[nextId])) return this.reject(id, { rule: 'type-id' });
    if (!this.sink(nextId) && !this.isResolved(nextId)) return this.push(nextId);
    const component = this.b.i32(this.data(id));
    if (component !== -1) {
      const nk = this.t.kind[nextId];
      if (nk === K.VAR || nk === K.TYPEDEF) return this.reject(id, { rule: 'decl-tag-component' });
      // A FUNC's parameters are its prototype's.
      const owner = isStruct(nk) ? nextId : this.t.sot[nextId];
      const vlen = this.exists(owner) ? vlenOf(this.t.info[owner]) : 0;
      if (component >>> 0 >= vlen) return this.reject(id, { rule: 'decl-tag-component' });
    }
    this.pop(nextId, 0);
    return 0;
  }

  /** btf_func_resolve → btf_func_check. */
  private funcResolve(id: number): Err {
    const protoId = this.t.sot[id];
    if (!this.exists(protoId) || this.t.kind[protoId] !== K.FUNC_PROTO) return this.reject(id, { rule: 'type-id' });
    const data = this.data(protoId);
    const vlen = vlenOf(this.t.info[protoId]);
    for (let i = 0; i < vlen; i++) {
      const p = data + 8 * i;
      if (!this.b.u32(p) && this.b.u32(p + 4)) return this.reject(id, { rule: 'arg', values: [i + 1], component: i });
    }
    this.pop(protoId, 0);
    return 0;
  }

  /** btf_resolve_valid: the final sanity check on a resolved type. */
  private resolveValid(id: number): boolean {
    if (!this.isResolved(id)) return false;
    const k = this.t.kind[id];
    if (isStruct(k) || k === K.DATASEC) return !this.rid(id) && !this.rsize(id);
    if (k === K.DECL_TAG || k === K.FUNC) return this.rid(id) !== 0 && !this.rsize(id);
    if (isModifier(k) || k === K.PTR || k === K.VAR) {
      const r = this.rid(id);
      if (!this.exists(r)) return false;
      const rk = this.t.kind[r];
      return !isModifier(rk) && rk !== K.VAR && rk !== K.DATASEC;
    }
    if (k === K.ARRAY) {
      const data = this.data(id);
      const e = this.idSize(this.b.u32(data));
      return e !== NO_TYPE && !isModifier(this.t.kind[e]) && Math.imul(this.b.u32(data + 8), this.sized) >>> 0 === this.rsize(id);
    }
    return false;
  }

  /** btf_func_proto_check: the return type and every parameter have a size; parameter names are identifiers. */
  private funcProtoCheck(id: number): Err {
    const retId = this.t.sot[id];
    if (retId) {
      if (!this.exists(retId) || sourceOnly(this.t.kind[retId])) return this.reject(id, { rule: 'return-type' });
      if (needsResolve(this.t.kind[retId]) && !this.isResolved(retId)) {
        const err = this.resolve(retId);
        if (err) return err;
      }
      if (this.idSize(retId) === NO_TYPE) return this.reject(id, { rule: 'return-type' });
    }
    let n = vlenOf(this.t.info[id]);
    if (!n) return 0;
    const data = this.data(id);
    const b = this.b;
    // Parameter i is two words at data + 8i: its name offset, its type.
    if (!b.u32(data + 8 * (n - 1) + 4)) {
      if (b.u32(data + 8 * (n - 1))) return this.reject(id, { rule: 'arg', values: [n], component: n - 1 });
      n--;
    }
    for (let i = 0; i < n; i++) {
      const nameOff = b.u32(data + 8 * i);
      const type = b.u32(data + 8 * i + 4);
      if (!this.exists(type) || sourceOnly(this.t.kind[type])) return this.badArg(id, i);
      if (nameOff && (!this.strings.valid(nameOff) || !this.strings.identifier(nameOff))) return this.badArg(id, i);
      if (needsResolve(this.t.kind[type]) && !this.isResolved(type)) {
        const err = this.resolve(type);
        if (err) return err;
      }
      if (this.idSize(type) === NO_TYPE) return this.badArg(id, i);
    }
    return 0;
  }

  /** The `arg` rejection of parameter `i` (the kernel counts them from 1). */
  private badArg(id: number, i: number): typeof EINVAL {
    return this.reject(id, { rule: 'arg', values: [i + 1], component: i });
  }

  // ---- pass 4: btf_check_type_tags -------------------------------------

  private typeTags(startId: number): boolean {
    let good = startId - 1;
    const n = this.t.count;
    const kind = this.t.kind;
    for (let i = startId; i < n; i++) {
      if (!isModifier(kind[i])) continue;
      let inTags = kind[i] === K.TYPE_TAG;
      let limit = 32;
      let cur = i;
      while (this.exists(cur) && isModifier(kind[cur])) {
        if (!limit--) {
          this.reject(i, { rule: 'modifier-chain' });
          return false;
        }
        if (kind[cur] === K.TYPE_TAG) {
          if (!inTags) {
            this.reject(i, { rule: 'type-tag-order' });
            return false;
          }
        } else inTags = false;
        if (cur <= good) break;
        cur = this.t.sot[cur];
        if (!this.exists(cur)) {
          this.reject(i, { rule: 'modifier-target' });
          return false;
        }
      }
      good = i;
    }
    return true;
  }

  // ---- libbpf: every reference names an existing type --------------------

  private libbpfReferences(): void {
    for (let id = this.startId; id < this.t.count; id++) {
      const bad = this.danglingRef(id);
      if (bad !== undefined) this.reject(id, { rule: 'libbpf-type-id', values: [id], component: bad < 0 ? undefined : bad });
    }
  }

  /** The first reference of type `id` past the last type: -1 for one of the type's own, the entry's index for an entry's; undefined if none. */
  private danglingRef(id: number): number | undefined {
    const b = this.b;
    const data = this.data(id);
    const vlen = vlenOf(this.t.info[id]);
    const sot = this.t.sot[id];
    switch (this.t.kind[id]) {
      case K.PTR:
      case K.TYPEDEF:
      case K.VOLATILE:
      case K.CONST:
      case K.RESTRICT:
      case K.TYPE_TAG:
      case K.FUNC:
      case K.VAR:
      case K.DECL_TAG:
        return this.exists(sot) ? undefined : -1;
      case K.ARRAY:
        return this.exists(b.u32(data)) && this.exists(b.u32(data + 4)) ? undefined : -1;
      case K.STRUCT:
      case K.UNION:
        return firstDangling(vlen, (i) => this.exists(b.u32(data + 12 * i + 4)));
      case K.FUNC_PROTO:
        if (!this.exists(sot)) return -1;
        return firstDangling(vlen, (i) => this.exists(b.u32(data + 8 * i + 4)));
      case K.DATASEC:
        return firstDangling(vlen, (i) => this.exists(b.u32(data + 12 * i)));
      default:
        return undefined;
    }
  }
}

/** The first of `n` entries that fails `ok`, or undefined. */
function firstDangling(n: number, ok: (i: number) => boolean): number | undefined {
  for (let i = 0; i < n; i++) if (!ok(i)) return i;
  return undefined;
}

/** A record shorter than its kind needs. */
function truncated(left: number, need: number): Reject {
  return { rule: 'meta-truncated', values: [left, need] };
}

function u32(x: number): number {
  return x >>> 0;
}

/** Byte order to read a blob in: the kernel's if given, else the blob's own magic's. */
function byteOrder(data: Uint8Array, kernel: 'little' | 'big' | undefined): boolean {
  if (kernel) return kernel === 'little';
  return !(data.length >= 2 && data[0] === 0xeb && data[1] === 0x9f);
}

/**
 * Read a base blob (vmlinux): trusted as the kernel trusts its own BTF,
 * walked only for its records and strings. A base that is not even
 * walkable BTF is bad input.
 */
export function readBase(data: Uint8Array, kernelByteOrder?: 'little' | 'big'): Base {
  const b = new Bytes(data, byteOrder(data, kernelByteOrder));
  const fail = (why: string): never => {
    throw new InputError(`base BTF: ${why}`);
  };
  if (data.length < BTF_HEADER_SIZE) fail('shorter than a BTF header');
  const hdr = copiedHeader(b, b.u32(4));
  if (hdr.magic !== BTF_MAGIC) fail('bad magic');
  const typeStart = hdr.hdrLen + hdr.typeOff;
  const strStart = hdr.hdrLen + hdr.strOff;
  if (typeStart + hdr.typeLen > data.length || strStart + hdr.strLen > data.length) fail('sections run past the end of the data');
  const types = new TypeColumns(1 + Math.floor(hdr.typeLen / 12));
  let cur = typeStart;
  const end = typeStart + hdr.typeLen;
  while (cur + 12 <= end) {
    const id = types.read(b, cur);
    const extra = extraSize(types.kind[id], vlenOf(types.info[id]));
    if (extra === undefined || cur + 12 + extra > end) fail(`type ${id} is malformed`);
    types.count++;
    cur += 12 + (extra as number);
  }
  return { types, strings: new Strings(data.subarray(strStart, strStart + hdr.strLen), 0), strLen: hdr.strLen };
}

/** Lint one BTF blob: the kernel's verdict on exactly these bytes. */
export function lintBlob(data: Uint8Array, options: LintOptions = {}): LintResult {
  let base: Base | undefined;
  if (options.base) base = readBase(options.base, options.kernelByteOrder);
  return new Verifier(new Bytes(data, byteOrder(data, options.kernelByteOrder)), base).run();
}
