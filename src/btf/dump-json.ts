/**
 * `dump --format json`: the decoded graph as JSON, one object per type.
 * The shape is documented in docs/dump-json.md and pinned here field by
 * field (not by serialising whatever the decoder produced), so adding a
 * field to src/btf/types.ts does not silently change the output.
 *
 * Deterministic: same blob, same bytes. Each type is one line inside the
 * `types` array, so line-based diff tools work on it.
 */
import { assertNever } from '../lang.js';
import { isRef } from './kinds.js';
import type { Btf, BtfType } from './types.js';

export const DUMP_JSON_VERSION = 1;

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
  const head = { id: t.id, kind: t.kind, name: t.name };
  if (isRef(t)) return { ...head, type: t.type };
  switch (t.kind) {
    case 'INT':
      return {
        ...head,
        size: t.size,
        bitsOffset: t.bitsOffset,
        bits: t.bits,
        encoding: { signed: t.encoding.signed, char: t.encoding.char, bool: t.encoding.bool },
        encodingBits: t.encodingBits,
      };
    case 'ARRAY':
      return { ...head, type: t.type, indexType: t.indexType, nelems: t.nelems };
    case 'STRUCT':
    case 'UNION':
      return {
        ...head,
        size: t.size,
        kindFlag: t.kindFlag,
        members: t.members.map((m) => ({ name: m.name, type: m.type, bitsOffset: m.bitsOffset, bitfieldSize: m.bitfieldSize })),
      };
    case 'ENUM':
    case 'ENUM64':
      // Values as decimal strings: ENUM64 values exceed 2^53, and one
      // representation for both kinds keeps consumers simple.
      return { ...head, size: t.size, signed: t.signed, values: t.values.map((v) => ({ name: v.name, value: v.value.toString() })) };
    case 'FWD':
      return { ...head, fwdKind: t.fwdKind };
    case 'FUNC':
      return { ...head, type: t.type, linkage: t.linkage };
    case 'FUNC_PROTO':
      return { ...head, returnType: t.returnType, params: t.params.map((p) => ({ name: p.name, type: p.type })) };
    case 'VAR':
      return { ...head, type: t.type, linkage: t.linkage };
    case 'DATASEC':
      return { ...head, size: t.size, vars: t.vars.map((v) => ({ type: v.type, offset: v.offset, size: v.size })) };
    case 'FLOAT':
      return { ...head, size: t.size };
    case 'DECL_TAG':
      return { ...head, type: t.type, componentIdx: t.componentIdx };
  }
  return assertNever(t);
}

/** The whole document, newline-terminated. */
export function dumpJson(btf: Btf, source?: DumpJsonSource): string {
  const meta: { [k: string]: Json } = {
    format: 'btfparity-dump',
    version: DUMP_JSON_VERSION,
    byteOrder: btf.byteOrder,
    startId: btf.startId,
    typeCount: btf.types.length,
    split: btf.base !== undefined,
  };
  if (source) {
    meta.container = source.container;
    meta.blob = source.blob;
    meta.blobCount = source.blobCount;
    meta.hasBtfExt = source.hasBtfExt;
  }
  const head = JSON.stringify(meta);
  const lines = new Array<string>(btf.types.length);
  for (let i = 0; i < btf.types.length; i++) lines[i] = JSON.stringify(typeJson(btf.types[i]));
  return `${head.slice(0, -1)},"types":[\n${lines.join(',\n')}\n]}\n`;
}
