/**
 * `dump --format json`: the decoded graph as JSON, one object per type.
 * The shape is documented in docs/dump-json.md and pinned here field by
 * field (not by serialising whatever the decoder produced), so adding a
 * field to src/btf/types.ts does not silently change the output.
 *
 * Deterministic: same blob, same bytes. Each type is one line inside the
 * `types` array, so line-based diff tools work on it. Streamed type by
 * type (`writeDumpJson`): vmlinux's document (~40 MB) is never one string
 * in the CLI.
 */
import { assertNever } from '../lang.js';
import { isRef } from './kinds.js';
import type { Btf, BtfType } from './types.js';

/** 2: TYPE_TAG and DECL_TAG carry `kindFlag`. */
export const DUMP_JSON_VERSION = 2;

/** Facts about where the blob came from, printed before the types. */
export interface DumpJsonSource {
  /** 'elf' (a `.BTF` section) or 'raw' (a bare BTF file). */
  container: 'elf' | 'raw';
  /** 1-based index of this blob and how many blobs the input holds (BTF archives). */
  blob: number;
  blobCount: number;
  /** Whether the ELF has a `.BTF.ext` section (not decoded). */
  hasBtfExt: boolean;
}

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** The per-kind fields, in a fixed order after id, kind, name. */
export function typeJson(t: BtfType): { [k: string]: Json } {
  // Literal objects, not a spread of a shared head: each return has one
  // fixed shape, which JSON.stringify walks fast (vmlinux: 126k types).
  // TYPE_TAG alone of the reference kinds has a kind_flag (an attribute, not a btf_type_tag).
  if (t.kind === 'TYPE_TAG') return { id: t.id, kind: t.kind, name: t.name, type: t.type, kindFlag: t.kindFlag === true };
  if (isRef(t)) return { id: t.id, kind: t.kind, name: t.name, type: t.type };
  switch (t.kind) {
    case 'INT':
      return {
        id: t.id,
        kind: t.kind,
        name: t.name,
        size: t.size,
        bitsOffset: t.bitsOffset,
        bits: t.bits,
        encoding: { signed: t.encoding.signed, char: t.encoding.char, bool: t.encoding.bool },
        encodingBits: t.encodingBits,
      };
    case 'ARRAY':
      return { id: t.id, kind: t.kind, name: t.name, type: t.type, indexType: t.indexType, nelems: t.nelems };
    case 'STRUCT':
    case 'UNION':
      return {
        id: t.id,
        kind: t.kind,
        name: t.name,
        size: t.size,
        kindFlag: t.kindFlag,
        members: t.members.map((m) => ({ name: m.name, type: m.type, bitsOffset: m.bitsOffset, bitfieldSize: m.bitfieldSize })),
      };
    case 'ENUM':
    case 'ENUM64':
      // Values as decimal strings: ENUM64 values exceed 2^53, and one
      // representation for both kinds keeps consumers simple.
      return {
        id: t.id,
        kind: t.kind,
        name: t.name,
        size: t.size,
        signed: t.signed,
        values: t.values.map((v) => ({ name: v.name, value: v.value.toString() })),
      };
    case 'FWD':
      return { id: t.id, kind: t.kind, name: t.name, fwdKind: t.fwdKind };
    case 'FUNC':
      return { id: t.id, kind: t.kind, name: t.name, type: t.type, linkage: t.linkage };
    case 'FUNC_PROTO':
      return { id: t.id, kind: t.kind, name: t.name, returnType: t.returnType, params: t.params.map((p) => ({ name: p.name, type: p.type })) };
    case 'VAR':
      return { id: t.id, kind: t.kind, name: t.name, type: t.type, linkage: t.linkage };
    case 'DATASEC':
      return { id: t.id, kind: t.kind, name: t.name, size: t.size, vars: t.vars.map((v) => ({ type: v.type, offset: v.offset, size: v.size })) };
    case 'FLOAT':
      return { id: t.id, kind: t.kind, name: t.name, size: t.size };
    case 'DECL_TAG':
      return { id: t.id, kind: t.kind, name: t.name, type: t.type, componentIdx: t.componentIdx, kindFlag: t.kindFlag };
  }
  return assertNever(t);
}

/**
 * What the document reads of a blob: its facts and each type once, in id
 * order. A decoded Btf (through `graphTypes`) or a LazyBtf, whose types
 * are made as they are written and dropped.
 */
export interface JsonTypes {
  readonly byteOrder: Btf['byteOrder'];
  readonly startId: number;
  /** This blob's own types. */
  readonly count: number;
  readonly base?: unknown;
  typeAt(index: number): BtfType;
}

/** A decoded graph as JsonTypes. */
export function graphTypes(btf: Btf): JsonTypes {
  return { byteOrder: btf.byteOrder, startId: btf.startId, count: btf.types.length, base: btf.base, typeAt: (i) => btf.types[i] };
}

/** Text handed to the writer at a time, about (JSON lines are short). */
const BATCH = 1 << 16;

/**
 * Stream the document, newline-terminated: `write` gets pieces of about
 * 64 KiB of text, each ending at a line's end.
 */
export function writeDumpJson(blob: JsonTypes, source: DumpJsonSource | undefined, write: (text: string) => void): void {
  const meta: { [k: string]: Json } = {
    format: 'btfparity-dump',
    version: DUMP_JSON_VERSION,
    byteOrder: blob.byteOrder,
    startId: blob.startId,
    typeCount: blob.count,
    split: blob.base !== undefined,
  };
  if (source) {
    meta.container = source.container;
    meta.blob = source.blob;
    meta.blobCount = source.blobCount;
    meta.hasBtfExt = source.hasBtfExt;
  }
  let text = `${JSON.stringify(meta).slice(0, -1)},"types":[\n`;
  for (let i = 0; i < blob.count; i++) {
    text += `${i > 0 ? ',\n' : ''}${JSON.stringify(typeJson(blob.typeAt(i)))}`;
    if (text.length >= BATCH) {
      write(text);
      text = '';
    }
  }
  write(`${text}\n]}\n`);
}

/** The whole document, newline-terminated. */
export function dumpJson(btf: Btf, source?: DumpJsonSource): string {
  let out = '';
  writeDumpJson(graphTypes(btf), source, (text) => {
    out += text;
  });
  return out;
}
