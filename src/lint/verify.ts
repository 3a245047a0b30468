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
import { BTF_HEADER_SIZE, BTF_MAGIC, BTF_MAX_TYPE, Bytes, copiedHeader, extraSize, K, MAX_KIND, type Rec, recordFields, Strings, VOID } from './blob.js';
import { InputError } from '../errors.js';
import { type LintRuleId, ruleMessage } from './rules.js';
import type { LintOptions, LintRejection, LintResult } from './types.js';

const BTF_MAX_SIZE = 16 * 1024 * 1024;
const BTF_INFO_MASK = 0x9f00ffff;
const BTF_INT_MASK = 0x0fffffff;
const MAX_RESOLVE_DEPTH = 32;
const U32_MAX = 0xffffffff;
/** More would only repeat the same problem; the first is what matters. */
const MAX_REJECTIONS = 200;

const isModifier = (k: number) => k === K.TYPEDEF || k === K.VOLATILE || k === K.CONST || k === K.RESTRICT || k === K.TYPE_TAG;
const isStruct = (k: number) => k === K.STRUCT || k === K.UNION;
const hasSize = (k: number) => k === K.INT || k === K.STRUCT || k === K.UNION || k === K.ENUM || k === K.DATASEC || k === K.FLOAT || k === K.ENUM64;
const noSize = (t: Rec) => t === VOID || t.kind === K.FWD || t.kind === K.FUNC || t.kind === K.FUNC_PROTO || t.kind === K.DECL_TAG;
const noSizeOrNull = (t: Rec | undefined): boolean => t === undefined || noSize(t);
const sourceOnly = (k: number) => k === K.VAR || k === K.DECL_TAG || k === K.DATASEC;
const needsResolve = (k: number) =>
  isModifier(k) || k === K.PTR || isStruct(k) || k === K.ARRAY || k === K.VAR || k === K.FUNC || k === K.DECL_TAG || k === K.DATASEC;
const declTagTarget = (k: number) => k === K.FUNC || isStruct(k) || k === K.VAR || k === K.TYPEDEF;
const roundupBytes = (bits: number) => Math.floor(bits / 8) + (bits % 8 ? 1 : 0);
const isPow2 = (x: number) => x !== 0 && (x & (x - 1)) === 0;

const intData = (t: Rec) => t.bytes.u32(t.data);
const intBits = (d: number) => d & 0xff;
const intOffset = (d: number) => (d >>> 16) & 0xff;
const intEncoding = (d: number) => (d >>> 24) & 0x0f;
function intIsRegular(t: Rec): boolean {
  const d = intData(t);
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

/** The base of split BTF: its records (index = id) and strings. */
export interface Base {
  readonly types: readonly Rec[];
  readonly strings: Strings;
  readonly strLen: number;
}

class Verifier {
  readonly rejections: LintRejection[] = [];
  private readonly seen = new Set<string>();
  private types: Rec[] = [];
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

  /** Record a rejection about type `t`. Always returns EINVAL. */
  private reject(t: Rec, r: Reject): typeof EINVAL {
    const name = t === VOID ? '' : this.strings.valid(t.nameOff) ? this.strings.text(t.nameOff) : undefined;
    this.add({
      typeId: t.id,
      kind: KIND_NAMES[t.kind] ?? 'UNKN',
      ...(name !== undefined ? { name } : {}),
      rule: r.rule,
      message: ruleMessage(r.rule, ...(r.values ?? [])),
      ...(r.component !== undefined ? { component: r.component } : {}),
    });
    return EINVAL;
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
    this.startId = split ? (this.base as Base).types.length : 1;
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

  private typeById(id: number): Rec | undefined {
    if (id === 0) return VOID;
    if (id < this.startId) return this.base ? this.base.types[id] : undefined;
    return this.types[id - this.startId];
  }

  // ---- pass 2: btf_check_all_metas -------------------------------------

  private metas(begin: number, end: number): boolean {
    let cur = begin;
    let id = this.startId;
    let ok = true;
    // btf_add_type: at most BTF_MAX_TYPE entries counting void, less the base's.
    const limit = BTF_MAX_TYPE - (this.base ? this.startId : 0) - (this.base ? 0 : 1);
    while (cur < end) {
      const left = end - cur;
      if (left < 12) {
        this.add({ typeId: id, rule: 'meta-truncated', message: ruleMessage('meta-truncated', left, 12) });
        return false;
      }
      const t = recordFields(this.b, cur, id);
      const size = this.meta(t, left - 12);
      if (size === undefined) {
        ok = false;
        // Go on past a bad record while its extent is still known.
        const extra = extraSize(t.kind, t.vlen);
        if (extra === undefined || 12 + extra > left) return false;
        cur += 12 + extra;
      } else {
        cur += 12 + size;
      }
      if (this.types.length >= limit) {
        this.add({ typeId: id, rule: 'too-many-types', message: ruleMessage('too-many-types') });
        return false;
      }
      this.types.push(t);
      id++;
    }
    return ok;
  }

  /** btf_check_meta: the kind-specific size on success, undefined after a rejection. */
  private meta(t: Rec, left: number): number | undefined {
    if ((t.info & ~BTF_INFO_MASK) !== 0) {
      this.add({ typeId: t.id, rule: 'info-invalid', message: ruleMessage('info-invalid', t.info) });
      return undefined;
    }
    if (t.kind > MAX_KIND || t.kind === 0) {
      this.add({ typeId: t.id, kind: 'UNKN', rule: 'kind-invalid', message: ruleMessage('kind-invalid', t.kind) });
      return undefined;
    }
    if (!this.strings.valid(t.nameOff)) {
      this.add({ typeId: t.id, kind: KIND_NAMES[t.kind], rule: 'name-offset', message: ruleMessage('name-offset', t.nameOff) });
      return undefined;
    }
    const need = extraSize(t.kind, t.vlen) as number;
    const r = this.kindMeta(t, left, need);
    if (r === undefined) return need;
    this.reject(t, r);
    return undefined;
  }

  /** The per-kind check_meta; a Reject when the record is refused. */
  private kindMeta(t: Rec, left: number, need: number): Reject | undefined {
    const s = this.strings;
    const truncated = (): Reject => ({ rule: 'meta-truncated', values: [left, need] });
    switch (t.kind) {
      case K.INT: {
        if (left < need) return truncated();
        if (t.vlen) return { rule: 'vlen' };
        if (t.kflag) return { rule: 'kind-flag' };
        const d = intData(t);
        if (d & ~BTF_INT_MASK) return { rule: 'int-data', values: [d] };
        const bits = intBits(d) + intOffset(d);
        if (bits > 128) return { rule: 'int-bits' };
        if (roundupBytes(bits) > t.sot) return { rule: 'int-bits-size' };
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
        if (t.vlen) return { rule: 'vlen' };
        if (t.kflag && t.kind !== K.TYPE_TAG) return { rule: 'kind-flag' };
        if (t.sot > BTF_MAX_TYPE) return { rule: 'type-id' };
        if (t.kind === K.TYPEDEF) {
          if (!t.nameOff || !s.identifier(t.nameOff)) return { rule: 'name' };
        } else if (t.kind === K.TYPE_TAG) {
          if (!s.nonEmpty(t.nameOff)) return { rule: 'name' };
        } else if (t.nameOff) return { rule: 'name' };
        return undefined;
      case K.FWD:
        if (t.vlen) return { rule: 'vlen' };
        if (t.sot) return { rule: 'fwd-type' };
        if (!t.nameOff || !s.identifier(t.nameOff)) return { rule: 'name' };
        return undefined;
      case K.ARRAY: {
        if (left < need) return truncated();
        if (t.nameOff) return { rule: 'name' };
        if (t.vlen) return { rule: 'vlen' };
        if (t.kflag) return { rule: 'kind-flag' };
        if (t.sot) return { rule: 'array-size' };
        const elem = t.bytes.u32(t.data);
        const index = t.bytes.u32(t.data + 4);
        if (!elem || elem > BTF_MAX_TYPE) return { rule: 'array-elem' };
        if (!index || index > BTF_MAX_TYPE) return { rule: 'array-index' };
        return undefined;
      }
      case K.STRUCT:
      case K.UNION: {
        if (left < need) return truncated();
        if (t.nameOff && !s.identifier(t.nameOff)) return { rule: 'name' };
        let last = 0;
        for (let i = 0; i < t.vlen; i++) {
          const m = t.data + 12 * i;
          const nameOff = t.bytes.u32(m);
          const type = t.bytes.u32(m + 4);
          const raw = t.bytes.u32(m + 8);
          if (!s.valid(nameOff)) return { rule: 'member-name-offset', values: [nameOff], component: i };
          if (nameOff && !s.identifier(nameOff)) return { rule: 'name', component: i };
          if (!type || type > BTF_MAX_TYPE) return { rule: 'type-id', component: i };
          const offset = t.kflag ? raw & 0xffffff : raw;
          if (t.kind === K.UNION && offset) return { rule: 'member-offset', component: i };
          if (last > offset) return { rule: 'member-offset', component: i };
          if (roundupBytes(offset) > t.sot) return { rule: 'member-offset-size', component: i };
          last = offset;
        }
        return undefined;
      }
      case K.ENUM:
      case K.ENUM64: {
        if (left < need) return truncated();
        if (t.sot > 8 || !isPow2(t.sot)) return { rule: 'enum-size' };
        if (t.nameOff && !s.identifier(t.nameOff)) return { rule: 'name' };
        const stride = t.kind === K.ENUM ? 8 : 12;
        for (let i = 0; i < t.vlen; i++) {
          const nameOff = t.bytes.u32(t.data + stride * i);
          if (!s.valid(nameOff)) return { rule: 'enum-name-offset', values: [nameOff], component: i };
          if (!nameOff || !s.identifier(nameOff)) return { rule: 'name', component: i };
        }
        return undefined;
      }
      case K.FUNC_PROTO:
        if (left < need) return truncated();
        if (t.nameOff) return { rule: 'name' };
        if (t.kflag) return { rule: 'kind-flag' };
        return undefined;
      case K.FUNC:
        if (!t.nameOff || !s.identifier(t.nameOff)) return { rule: 'name' };
        if (t.vlen > 1) return { rule: 'func-linkage' };
        if (t.kflag) return { rule: 'kind-flag' };
        return undefined;
      case K.VAR: {
        if (left < need) return truncated();
        if (t.vlen) return { rule: 'vlen' };
        if (t.kflag) return { rule: 'kind-flag' };
        if (!t.nameOff || !s.identifier(t.nameOff)) return { rule: 'name' };
        if (!t.sot || t.sot > BTF_MAX_TYPE) return { rule: 'type-id' };
        const linkage = t.bytes.u32(t.data);
        if (linkage !== 0 && linkage !== 1) return { rule: 'var-linkage' };
        return undefined;
      }
      case K.DATASEC: {
        if (left < need) return truncated();
        if (!t.sot) return { rule: 'datasec-size' };
        if (t.kflag) return { rule: 'kind-flag' };
        if (!t.nameOff || !s.section(t.nameOff)) return { rule: 'name' };
        let lastEnd = 0;
        let sum = 0;
        for (let i = 0; i < t.vlen; i++) {
          const v = t.data + 12 * i;
          const type = t.bytes.u32(v);
          const offset = t.bytes.u32(v + 4);
          const size = t.bytes.u32(v + 8);
          if (!type || type > BTF_MAX_TYPE) return { rule: 'type-id', component: i };
          if (offset < lastEnd || offset >= t.sot) return { rule: 'datasec-offset', component: i };
          if (!size || size > t.sot) return { rule: 'datasec-var-size', component: i };
          lastEnd = offset + size;
          if (lastEnd > t.sot) return { rule: 'datasec-offset-size', component: i };
          sum += size;
        }
        if (t.sot < sum) return { rule: 'datasec-total-size' };
        return undefined;
      }
      case K.FLOAT:
        if (t.vlen) return { rule: 'vlen' };
        if (t.kflag) return { rule: 'kind-flag' };
        if (t.sot !== 2 && t.sot !== 4 && t.sot !== 8 && t.sot !== 12 && t.sot !== 16) return { rule: 'float-size' };
        return undefined;
      case K.DECL_TAG:
        if (left < need) return truncated();
        if (!s.nonEmpty(t.nameOff)) return { rule: 'decl-tag-value' };
        if (t.vlen) return { rule: 'vlen' };
        if (t.bytes.i32(t.data) < -1) return { rule: 'decl-tag-component' };
        return undefined;
      default:
        return undefined;
    }
  }

  // ---- pass 3: btf_check_all_types ------------------------------------

  private visit = new Uint8Array(0);
  private resolvedId = new Uint32Array(0);
  private resolvedSize = new Float64Array(0);
  private stack: { t: Rec; next: number }[] = [];
  private mode: 'tbd' | 'ptr' | 'struct' = 'tbd';

  private local(id: number): number {
    return id - this.startId;
  }
  /** env_type_is_resolved: base types always are; void (in base BTF) never is. */
  private isResolved(id: number): boolean {
    if (id === 0) return this.base !== undefined;
    if (id < this.startId) return true;
    return this.visit[this.local(id)] === 2;
  }

  private resolveAll(): boolean {
    const n = this.types.length;
    this.visit = new Uint8Array(n);
    this.resolvedId = new Uint32Array(n);
    this.resolvedSize = new Float64Array(n);
    let ok = true;
    for (const t of this.types) {
      if (needsResolve(t.kind) && !this.isResolved(t.id)) {
        if (this.resolve(t) !== 0) {
          ok = false;
          this.unwind();
        }
      }
      if (t.kind === K.FUNC_PROTO && this.funcProtoCheck(t) !== 0) {
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
    for (const v of this.stack) this.visit[this.local(v.t.id)] = 0;
    this.stack = [];
  }

  private sink(t: Rec): boolean {
    switch (this.mode) {
      case 'tbd':
        return !needsResolve(t.kind);
      case 'ptr':
        return !isModifier(t.kind) && t.kind !== K.PTR;
      default:
        return !isModifier(t.kind) && t.kind !== K.ARRAY && !isStruct(t.kind);
    }
  }

  private push(t: Rec): Err {
    if (this.stack.length === MAX_RESOLVE_DEPTH) return E2BIG;
    if (t.id < this.startId || this.visit[this.local(t.id)] !== 0) return EEXIST;
    this.visit[this.local(t.id)] = 1;
    this.stack.push({ t, next: 0 });
    if (this.mode === 'tbd') {
      if (t.kind === K.PTR) this.mode = 'ptr';
      else if (isStruct(t.kind) || t.kind === K.ARRAY) this.mode = 'struct';
    }
    return 0;
  }

  private pop(resolvedId: number, resolvedSize: number): void {
    const v = this.stack.pop() as { t: Rec };
    const i = this.local(v.t.id);
    this.resolvedId[i] = resolvedId;
    this.resolvedSize[i] = resolvedSize;
    this.visit[i] = 2;
  }

  private rid(id: number): number {
    return id < this.startId ? 0 : this.resolvedId[this.local(id)];
  }
  private rsize(id: number): number {
    return id < this.startId ? 0 : this.resolvedSize[this.local(id)];
  }

  /** btf_type_id_size: the sized type behind `id` (through a resolved modifier or VAR), or undefined. */
  private idSize(id: number): { t: Rec; id: number; size: number } | undefined {
    const t = this.typeById(id);
    if (noSizeOrNull(t)) return undefined;
    const tt = t as Rec;
    if (hasSize(tt.kind)) return { t: tt, id, size: tt.sot };
    if (tt.kind === K.ARRAY) return { t: tt, id, size: this.rsize(id) };
    if (tt.kind === K.PTR) return { t: tt, id, size: 8 };
    if (!isModifier(tt.kind) && tt.kind !== K.VAR) return undefined;
    const id2 = this.rid(id);
    const t2 = this.typeById(id2);
    if (noSizeOrNull(t2)) return undefined;
    const tt2 = t2 as Rec;
    if (hasSize(tt2.kind)) return { t: tt2, id: id2, size: tt2.sot };
    if (tt2.kind === K.ARRAY) return { t: tt2, id: id2, size: this.rsize(id2) };
    if (tt2.kind === K.PTR) return { t: tt2, id: id2, size: 8 };
    return undefined;
  }

  /** btf_resolve: resolve `t` and everything it needs, depth-first. */
  private resolve(t: Rec): Err {
    this.mode = 'tbd';
    this.push(t);
    let err: Err = 0;
    while (err === 0 && this.stack.length > 0) {
      const v = this.stack[this.stack.length - 1];
      err = this.resolveOne(v);
    }
    if (err === E2BIG) this.reject(t, { rule: 'resolve-depth' });
    else if (err === EEXIST) this.reject(t, { rule: 'loop' });
    if (err === 0 && !this.resolveValid(t)) {
      this.reject(t, { rule: 'resolve-state' });
      err = EINVAL;
    }
    return err;
  }

  private resolveOne(v: { t: Rec; next: number }): Err {
    const t = v.t;
    switch (t.kind) {
      case K.PTR:
        return this.refResolve(v, 'ptr');
      case K.VAR:
        return this.refResolve(v, 'var');
      case K.TYPEDEF:
      case K.VOLATILE:
      case K.CONST:
      case K.RESTRICT:
      case K.TYPE_TAG:
        return this.refResolve(v, 'modifier');
      case K.ARRAY:
        return this.arrayResolve(t);
      case K.STRUCT:
      case K.UNION:
        return this.structResolve(v);
      case K.DATASEC:
        return this.datasecResolve(v);
      case K.DECL_TAG:
        return this.declTagResolve(t);
      case K.FUNC:
        return this.funcResolve(t);
      default:
        return EINVAL; // not reached: only needs_resolve kinds are pushed
    }
  }

  /** btf_modifier_resolve, btf_ptr_resolve, btf_var_resolve. */
  private refResolve(v: { t: Rec }, how: 'modifier' | 'ptr' | 'var'): Err {
    const t = v.t;
    let nextId = t.sot;
    let next = this.typeById(nextId);
    if (!next || sourceOnly(next.kind)) return this.reject(t, { rule: 'type-id' });
    if (!this.sink(next) && !this.isResolved(nextId)) return this.push(next);
    if (how !== 'modifier' && isModifier(next.kind)) {
      // Continue past a modifier that stopped at a pointer, so that pointer cannot loop back here.
      const rid = this.rid(nextId);
      const rt = this.typeById(rid);
      if (rt && rt.kind === K.PTR && !this.sink(rt) && !this.isResolved(rid)) return this.push(rt);
    }
    const sized = this.idSize(nextId);
    if (sized) nextId = sized.id;
    else {
      if (how === 'var') return this.reject(t, { rule: 'type-id' });
      if (this.isResolved(nextId)) {
        nextId = this.rid(nextId);
        next = this.typeById(nextId);
      }
      if (next !== VOID && next?.kind !== K.FWD && next?.kind !== K.FUNC_PROTO) return this.reject(t, { rule: 'type-id' });
    }
    this.pop(nextId, 0);
    return 0;
  }

  /** btf_array_resolve. */
  private arrayResolve(t: Rec): Err {
    let indexId = t.bytes.u32(t.data + 4);
    const index = this.typeById(indexId);
    if (noSizeOrNull(index) || sourceOnly((index as Rec).kind)) return this.reject(t, { rule: 'array-index' });
    if (!this.sink(index as Rec) && !this.isResolved(indexId)) return this.push(index as Rec);
    const idx = this.idSize(indexId);
    if (!idx || idx.t.kind !== K.INT || !intIsRegular(idx.t)) return this.reject(t, { rule: 'array-index' });
    indexId = idx.id;
    let elemId = t.bytes.u32(t.data);
    const elem = this.typeById(elemId);
    if (noSizeOrNull(elem) || sourceOnly((elem as Rec).kind)) return this.reject(t, { rule: 'array-elem' });
    if (!this.sink(elem as Rec) && !this.isResolved(elemId)) return this.push(elem as Rec);
    const e = this.idSize(elemId);
    if (!e) return this.reject(t, { rule: 'array-elem' });
    elemId = e.id;
    if (e.t.kind === K.INT && !intIsRegular(e.t)) return this.reject(t, { rule: 'array-int' });
    const nelems = t.bytes.u32(t.data + 8);
    if (nelems && e.size > Math.floor(U32_MAX / nelems)) return this.reject(t, { rule: 'array-overflow' });
    this.pop(elemId, e.size * nelems);
    return 0;
  }

  /** btf_struct_resolve, with each member's check_member. */
  private structResolve(v: { t: Rec; next: number }): Err {
    const t = v.t;
    if (v.next > 0) {
      const m = t.data + 12 * (v.next - 1);
      const typeId = t.bytes.u32(m + 4);
      if (!this.isResolved(typeId)) return EINVAL; // the kernel WARNs; not reached
      const err = this.checkMember(t, v.next - 1, typeId, this.typeById(typeId) as Rec, t.kflag);
      if (err) return err;
    }
    for (let i = v.next; i < t.vlen; i++) {
      const typeId = t.bytes.u32(t.data + 12 * i + 4);
      const mt = this.typeById(typeId);
      if (noSizeOrNull(mt) || sourceOnly((mt as Rec).kind)) return this.reject(t, { rule: 'member', component: i });
      if (!this.sink(mt as Rec) && !this.isResolved(typeId)) {
        v.next = i + 1;
        return this.push(mt as Rec);
      }
      const err = this.checkMember(t, i, typeId, mt as Rec, t.kflag);
      if (err) return err;
    }
    this.pop(0, 0);
    return 0;
  }

  /** Each kind's check_member / check_kflag_member, for member `i` of `s` whose type (or resolved type) is `mt`. */
  private checkMember(s: Rec, i: number, typeId: number, mt: Rec, kflag: boolean): Err {
    const raw = s.bytes.u32(s.data + 12 * i + 8);
    const size = s.sot;
    const bad = (rule: LintRuleId) => this.reject(s, { rule, component: i });
    if (isModifier(mt.kind)) {
      const r = this.idSize(typeId);
      if (!r) return bad('member');
      return this.checkMember(s, i, r.id, r.t, kflag);
    }
    if (kflag && mt.kind !== K.INT && mt.kind !== K.ENUM && mt.kind !== K.ENUM64) {
      // btf_generic_check_kflag_member (ptr, array, struct, union, float); others are unsupported
      if (mt.kind === K.PTR || mt.kind === K.ARRAY || isStruct(mt.kind) || mt.kind === K.FLOAT) {
        if (raw >>> 24) return bad('member-bitfield-size');
        return this.checkMember(s, i, typeId, mt, false);
      }
      this.reject(s, { rule: 'member-kflag-unsupported' });
      return EINVAL;
    }
    switch (mt.kind) {
      case K.INT: {
        const d = intData(mt);
        if (!kflag) {
          if (U32_MAX - raw < intOffset(d)) return bad('member-offset-overflow');
          const bitsOff = raw + intOffset(d);
          const bytesOff = Math.floor(bitsOff / 8);
          const copyBits = intBits(d) + (bitsOff % 8);
          if (copyBits > 128) return bad('member-copy-bits');
          if (size < bytesOff || size - bytesOff < roundupBytes(copyBits)) return bad('member-size');
          return 0;
        }
        if (!intIsRegular(mt)) return bad('member-base-type');
        let bits = raw >>> 24;
        const bitsOff = raw & 0xffffff;
        if (!bits) {
          if (bitsOff % 8) return bad('member-bit-offset');
          bits = intBits(d);
        } else if (bits > intBits(d)) return bad('member-bitfield-size');
        const bytesOff = Math.floor(bitsOff / 8);
        const copyBits = bits + (bitsOff % 8);
        if (copyBits > 128) return bad('member-copy-bits');
        if (size < bytesOff || size - bytesOff < roundupBytes(copyBits)) return bad('member-size');
        return 0;
      }
      case K.ENUM:
      case K.ENUM64: {
        if (!kflag) {
          if (raw % 8) return bad('member-not-aligned');
          if (u32(size - Math.floor(raw / 8)) < mt.sot) return bad('member-size');
          return 0;
        }
        const bitsOff = raw & 0xffffff;
        let bits = raw >>> 24;
        if (!bits) {
          if (bitsOff % 8) return bad('member-not-aligned');
          bits = 32;
        } else if (bits > 32) return bad('member-bitfield-size');
        if (size < roundupBytes(bitsOff + bits)) return bad('member-size');
        return 0;
      }
      case K.PTR:
        if (raw % 8) return bad('member-not-aligned');
        if (u32(size - Math.floor(raw / 8)) < 8) return bad('member-size');
        return 0;
      case K.ARRAY: {
        if (raw % 8) return bad('member-not-aligned');
        const arraySize = this.idSize(typeId)?.size ?? 0;
        if (u32(size - Math.floor(raw / 8)) < arraySize) return bad('member-size');
        return 0;
      }
      case K.STRUCT:
      case K.UNION:
        if (raw % 8) return bad('member-not-aligned');
        if (u32(size - Math.floor(raw / 8)) < mt.sot) return bad('member-size');
        return 0;
      case K.FLOAT: {
        const alignBits = Math.min(8, mt.sot) * 8;
        if (raw % alignBits) return bad('member-misaligned');
        if (Math.floor(raw / 8) + mt.sot > size) return bad('member-size');
        return 0;
      }
      default:
        this.reject(s, { rule: 'member-unsupported' });
        return EINVAL;
    }
  }

  /** btf_datasec_resolve. */
  private datasecResolve(v: { t: Rec; next: number }): Err {
    const t = v.t;
    this.mode = 'tbd';
    for (let i = v.next; i < t.vlen; i++) {
      const e = t.data + 12 * i;
      const varId = t.bytes.u32(e);
      const vt = this.typeById(varId);
      if (!vt || vt.kind !== K.VAR) return this.reject(t, { rule: 'datasec-not-var', component: i });
      if (!this.sink(vt) && !this.isResolved(varId)) {
        v.next = i + 1;
        return this.push(vt);
      }
      const sized = this.idSize(vt.sot);
      if (!sized) return this.reject(t, { rule: 'datasec-var-type', component: i });
      if (t.bytes.u32(e + 8) < sized.size) return this.reject(t, { rule: 'datasec-var-size', component: i });
    }
    this.pop(0, 0);
    return 0;
  }

  /** btf_decl_tag_resolve. */
  private declTagResolve(t: Rec): Err {
    const nextId = t.sot;
    const next = this.typeById(nextId);
    if (!next || !declTagTarget(next.kind)) return this.reject(t, { rule: 'type-id' });
    if (!this.sink(next) && !this.isResolved(nextId)) return this.push(next);
    const component = t.bytes.i32(t.data);
    if (component !== -1) {
      if (next.kind === K.VAR || next.kind === K.TYPEDEF) return this.reject(t, { rule: 'decl-tag-component' });
      const vlen = isStruct(next.kind) ? next.vlen : (this.typeById(next.sot)?.vlen ?? 0);
      if (component >>> 0 >= vlen) return this.reject(t, { rule: 'decl-tag-component' });
    }
    this.pop(nextId, 0);
    return 0;
  }

  /** btf_func_resolve → btf_func_check. */
  private funcResolve(t: Rec): Err {
    const proto = this.typeById(t.sot);
    if (!proto || proto.kind !== K.FUNC_PROTO) return this.reject(t, { rule: 'type-id' });
    for (let i = 0; i < proto.vlen; i++) {
      const p = proto.data + 8 * i;
      if (!proto.bytes.u32(p) && proto.bytes.u32(p + 4)) return this.reject(t, { rule: 'arg', values: [i + 1], component: i });
    }
    this.pop(t.sot, 0);
    return 0;
  }

  /** btf_resolve_valid: the final sanity check on a resolved type. */
  private resolveValid(t: Rec): boolean {
    if (!this.isResolved(t.id)) return false;
    const id = t.id;
    if (isStruct(t.kind) || t.kind === K.DATASEC) return !this.rid(id) && !this.rsize(id);
    if (t.kind === K.DECL_TAG || t.kind === K.FUNC) return this.rid(id) !== 0 && !this.rsize(id);
    if (isModifier(t.kind) || t.kind === K.PTR || t.kind === K.VAR) {
      const r = this.typeById(this.rid(id));
      return r !== undefined && !isModifier(r.kind) && r.kind !== K.VAR && r.kind !== K.DATASEC;
    }
    if (t.kind === K.ARRAY) {
      const e = this.idSize(t.bytes.u32(t.data));
      return e !== undefined && !isModifier(e.t.kind) && Math.imul(t.bytes.u32(t.data + 8), e.size) >>> 0 === this.rsize(id);
    }
    return false;
  }

  /** btf_func_proto_check: the return type and every parameter have a size; parameter names are identifiers. */
  private funcProtoCheck(t: Rec): Err {
    const retId = t.sot;
    if (retId) {
      const ret = this.typeById(retId);
      if (!ret || sourceOnly(ret.kind)) return this.reject(t, { rule: 'return-type' });
      if (needsResolve(ret.kind) && !this.isResolved(retId)) {
        const err = this.resolve(ret);
        if (err) return err;
      }
      if (!this.idSize(retId)) return this.reject(t, { rule: 'return-type' });
    }
    let n = t.vlen;
    if (!n) return 0;
    const param = (i: number) => ({ nameOff: t.bytes.u32(t.data + 8 * i), type: t.bytes.u32(t.data + 8 * i + 4) });
    if (!param(n - 1).type) {
      if (param(n - 1).nameOff) return this.reject(t, { rule: 'arg', values: [n], component: n - 1 });
      n--;
    }
    for (let i = 0; i < n; i++) {
      const p = param(i);
      const bad = () => this.reject(t, { rule: 'arg', values: [i + 1], component: i });
      const at = this.typeById(p.type);
      if (!at || sourceOnly(at.kind)) return bad();
      if (p.nameOff && (!this.strings.valid(p.nameOff) || !this.strings.identifier(p.nameOff))) return bad();
      if (needsResolve(at.kind) && !this.isResolved(p.type)) {
        const err = this.resolve(at);
        if (err) return err;
      }
      if (!this.idSize(p.type)) return bad();
    }
    return 0;
  }

  // ---- pass 4: btf_check_type_tags -------------------------------------

  private typeTags(startId: number): boolean {
    let good = startId - 1;
    const n = this.startId + this.types.length;
    for (let i = startId; i < n; i++) {
      let t = this.typeById(i);
      if (!t || !isModifier(t.kind)) continue;
      const first = t;
      let inTags = t.kind === K.TYPE_TAG;
      let limit = 32;
      let cur = i;
      while (t && isModifier(t.kind)) {
        if (!limit--) {
          this.reject(first, { rule: 'modifier-chain' });
          return false;
        }
        if (t.kind === K.TYPE_TAG) {
          if (!inTags) {
            this.reject(first, { rule: 'type-tag-order' });
            return false;
          }
        } else inTags = false;
        if (cur <= good) break;
        cur = t.sot;
        t = this.typeById(cur);
        if (!t) {
          this.reject(first, { rule: 'modifier-target' });
          return false;
        }
      }
      good = i;
    }
    return true;
  }

  // ---- libbpf: every reference names an existing type --------------------

  private libbpfReferences(): void {
    const last = this.startId + this.types.length - 1;
    for (const t of this.types) {
      const refs: [number, number | undefined][] = [];
      switch (t.kind) {
        case K.PTR:
        case K.TYPEDEF:
        case K.VOLATILE:
        case K.CONST:
        case K.RESTRICT:
        case K.TYPE_TAG:
        case K.FUNC:
        case K.VAR:
        case K.DECL_TAG:
          refs.push([t.sot, undefined]);
          break;
        case K.ARRAY:
          refs.push([t.bytes.u32(t.data), undefined], [t.bytes.u32(t.data + 4), undefined]);
          break;
        case K.STRUCT:
        case K.UNION:
          for (let i = 0; i < t.vlen; i++) refs.push([t.bytes.u32(t.data + 12 * i + 4), i]);
          break;
        case K.FUNC_PROTO:
          refs.push([t.sot, undefined]);
          for (let i = 0; i < t.vlen; i++) refs.push([t.bytes.u32(t.data + 8 * i + 4), i]);
          break;
        case K.DATASEC:
          for (let i = 0; i < t.vlen; i++) refs.push([t.bytes.u32(t.data + 12 * i), i]);
          break;
      }
      for (const [ref, component] of refs) {
        if (ref > last) {
          this.reject(t, { rule: 'libbpf-type-id', values: [t.id], component });
          break;
        }
      }
    }
  }
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
  const types: Rec[] = [VOID];
  let cur = typeStart;
  const end = typeStart + hdr.typeLen;
  while (cur + 12 <= end) {
    const t = recordFields(b, cur, types.length);
    const extra = extraSize(t.kind, t.vlen);
    if (extra === undefined || cur + 12 + extra > end) fail(`type ${types.length} is malformed`);
    types.push(t);
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
