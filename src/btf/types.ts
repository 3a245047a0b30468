/**
 * The BTF type graph as decoded from bytes, one variant per BTF kind.
 *
 * Field names follow the kernel's Documentation/bpf/btf.rst where it has
 * one, so a reader can go from bpftool output to these objects without a
 * dictionary. Type references are raw ids (0 = void), exactly as stored:
 * the graph here is the faithful decoded form; canonicalisation happens in
 * src/canonical/.
 */

import { type AnyKindFacts, KINDS } from './kinds.js';

// The kind codes and names live in the per-kind table (kinds.ts); these
// names stay exported from here for the library API.
export { BTF_KIND, KIND_NAMES } from './kinds.js';
export type { BtfKind, BtfKindName } from './kinds.js';

/** Fields every kind has. `name` is resolved; '' means anonymous. */
interface TypeBase {
  /** Type id in the (possibly split) id space; 1-based, 0 is void. */
  readonly id: number;
  readonly name: string;
  /** Offset of the name in the string section (for cross-reference). */
  readonly nameOff: number;
}

/** INT encoding bits (BTF_INT_SIGNED, BTF_INT_CHAR, BTF_INT_BOOL). */
export interface IntEncoding {
  readonly signed: boolean;
  readonly char: boolean;
  readonly bool: boolean;
}

export interface BtfInt extends TypeBase {
  readonly kind: 'INT';
  readonly size: number;
  readonly encoding: IntEncoding;
  /** Raw encoding bits, kept so unknown bit combinations survive a round trip. */
  readonly encodingBits: number;
  readonly bitsOffset: number;
  readonly bits: number;
}

/** The kinds that are a name (maybe) and one referenced type, nothing else. */
export type RefKind = 'PTR' | 'TYPEDEF' | 'VOLATILE' | 'CONST' | 'RESTRICT' | 'TYPE_TAG';

/** PTR, TYPEDEF, VOLATILE, CONST, RESTRICT, TYPE_TAG: a name (maybe) and one referenced type. */
export interface BtfRef extends TypeBase {
  readonly kind: RefKind;
  readonly type: number;
  /**
   * TYPE_TAG only (absent on the other kinds, and read as false when
   * absent): kind_flag, set when the tag is an attribute
   * (`__attribute__((NAME))`, pahole >= 1.30 `attributes`) rather than a
   * `btf_type_tag("NAME")`.
   */
  readonly kindFlag?: boolean;
}

export interface BtfArray extends TypeBase {
  readonly kind: 'ARRAY';
  readonly type: number;
  readonly indexType: number;
  readonly nelems: number;
}

export interface BtfMember {
  readonly name: string;
  readonly nameOff: number;
  readonly type: number;
  /** Offset in bits from the start of the struct/union. */
  readonly bitsOffset: number;
  /** Bitfield width when the parent's kind_flag is set; 0 for non-bitfields. */
  readonly bitfieldSize: number;
}

export interface BtfComposite extends TypeBase {
  readonly kind: 'STRUCT' | 'UNION';
  readonly size: number;
  /** kind_flag: member offsets are packed (bitfield_size << 24 | bit_offset). */
  readonly kindFlag: boolean;
  readonly members: readonly BtfMember[];
}

export interface BtfEnumValue {
  readonly name: string;
  readonly nameOff: number;
  /** The value as signed or unsigned per the enum's signedness (ENUM64: bigint). */
  readonly value: bigint;
}

export interface BtfEnum extends TypeBase {
  readonly kind: 'ENUM' | 'ENUM64';
  readonly size: number;
  /** kind_flag: values are signed. */
  readonly signed: boolean;
  readonly values: readonly BtfEnumValue[];
}

export interface BtfFwd extends TypeBase {
  readonly kind: 'FWD';
  /** kind_flag: 0 = struct, 1 = union. */
  readonly fwdKind: 'struct' | 'union';
}

/** FUNC linkage: 0 static, 1 global, 2 extern; other codes kept as numbers (words.ts names them). */
export type Linkage = 'static' | 'global' | 'extern' | number;

export interface BtfFunc extends TypeBase {
  readonly kind: 'FUNC';
  /** The FUNC_PROTO. */
  readonly type: number;
  readonly linkage: Linkage;
}

export interface BtfParam {
  readonly name: string;
  readonly nameOff: number;
  /** 0 on the last parameter (with an empty name) means variadic `...`. */
  readonly type: number;
}

export interface BtfFuncProto extends TypeBase {
  readonly kind: 'FUNC_PROTO';
  readonly returnType: number;
  readonly params: readonly BtfParam[];
}

/** VAR linkage: 0 static, 1 global-alloc, 2 extern (the same words as FUNC's). */
export type VarLinkage = Linkage;

export interface BtfVar extends TypeBase {
  readonly kind: 'VAR';
  readonly type: number;
  readonly linkage: VarLinkage;
}

export interface BtfVarSecinfo {
  readonly type: number;
  readonly offset: number;
  readonly size: number;
}

export interface BtfDatasec extends TypeBase {
  readonly kind: 'DATASEC';
  readonly size: number;
  readonly vars: readonly BtfVarSecinfo[];
}

export interface BtfFloat extends TypeBase {
  readonly kind: 'FLOAT';
  readonly size: number;
}

export interface BtfDeclTag extends TypeBase {
  readonly kind: 'DECL_TAG';
  readonly type: number;
  /** -1: the tag applies to the type/func/var itself; otherwise member or parameter index. */
  readonly componentIdx: number;
  /** kind_flag: the tag is an attribute (`__attribute__((NAME))`) rather than a `btf_decl_tag("NAME")`. */
  readonly kindFlag: boolean;
}

/** One decoded BTF type. Discriminate on `kind`. */
export type BtfType = BtfInt | BtfRef | BtfArray | BtfComposite | BtfEnum | BtfFwd | BtfFunc | BtfFuncProto | BtfVar | BtfDatasec | BtfFloat | BtfDeclTag;

export type ByteOrder = 'little' | 'big';

/** The parsed BTF header, including fields of newer, longer headers we do not interpret. */
export interface BtfHeader {
  readonly magic: number;
  readonly version: number;
  readonly flags: number;
  readonly hdrLen: number;
  readonly typeOff: number;
  readonly typeLen: number;
  readonly strOff: number;
  readonly strLen: number;
  /**
   * The kind layout section (headers of 32 bytes or more, libbpf 1.8 and
   * newer kernels): one 4-byte entry per kind known to the encoder, between
   * the type and string sections; absent with a shorter header. Offsets are
   * from the end of the header, as the others.
   */
  readonly layoutOff?: number;
  readonly layoutLen?: number;
}

/**
 * A decoded BTF blob. For split BTF, `types` holds only this blob's own
 * types; `base` is the graph its ids and string offsets continue from.
 */
export interface Btf {
  readonly header: BtfHeader;
  readonly byteOrder: ByteOrder;
  /** First id this blob defines: 1 for base BTF, base.typeCount + 1 for split BTF. */
  readonly startId: number;
  /** This blob's own types; types[i].id === startId + i. */
  readonly types: readonly BtfType[];
  readonly base?: Btf;
  /** Total byte length of the blob (header + sections), for archives. */
  readonly byteLength: number;
  /**
   * This blob's string section as read (decoded graphs only): split BTF
   * decoded over this one resolves its offsets here. A graph built in
   * memory has none; its strings are the names its types hold (strings.ts).
   */
  readonly stringSection?: Uint8Array;
}

/** Kinds whose one reference is `type`: the modifiers, TYPEDEF, TYPE_TAG, FUNC, VAR, DECL_TAG. */
export type BtfSingleRef = BtfRef | BtfFunc | BtfVar | BtfDeclTag;

/** Whether `t` refers to exactly one type, through `type` (ARRAY also has `type`, plus an index): the descriptor (kinds.ts) says so. */
export function hasSingleRef(t: BtfType): t is BtfSingleRef {
  const f: AnyKindFacts = KINDS[t.kind];
  return f.entries === undefined && f.ids.length === 1 && f.ids[0][0] === 'type';
}

/** Number of ids defined by a BTF, including its base chain (excluding void). */
export function typeCount(btf: Btf): number {
  return btf.startId - 1 + btf.types.length;
}

/** Look up a type by id across the split chain; undefined for void (0) or out of range. */
export function typeById(btf: Btf, id: number): BtfType | undefined {
  if (id <= 0) return undefined;
  if (id < btf.startId) return btf.base ? typeById(btf.base, id) : undefined;
  return btf.types[id - btf.startId];
}
