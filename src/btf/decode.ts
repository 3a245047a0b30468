/**
 * Decode one raw BTF blob (header, type section, string section) into the
 * graph of src/btf/types.ts. Pure: bytes in, objects out.
 *
 * Layout rules follow the kernel's Documentation/bpf/btf.rst. Checks are
 * the ones libbpf makes when parsing, plus reference checks, so that a
 * malformed blob fails here with an offset instead of later with nonsense.
 * Offsets in errors are relative to the start of `bytes`.
 *
 * The parts: header.ts (header), strings.ts (string section), reader.ts
 * (type section), validate.ts (references).
 */
import { BtfIndex } from './btf-index.js';
import { decodeHeader } from './header.js';
import { readTypes } from './reader.js';
import { checkStringSection, SectionStrings, stringsOf } from './strings.js';
import type { Btf } from './types.js';
import { typeCount } from './types.js';
import { checkReferences } from './validate.js';

export { BTF_MAGIC, BTF_MIN_HEADER, btfByteOrderAt, decodeHeader } from './header.js';

export interface DecodeOptions {
  /**
   * Base BTF for split BTF: ids and string offsets continue from it. A
   * decoded or hand-built Btf, or its index (whose string lookups are then
   * reused instead of rebuilt).
   */
  base?: Btf | BtfIndex;
}

/**
 * Decode one BTF blob. `bytes` may extend past the blob (archives); only
 * the blob's own extent is read and `byteLength` says where it ended.
 */
export function decodeBtf(bytes: Uint8Array, options: DecodeOptions = {}): Btf {
  const { header, byteOrder, byteLength } = decodeHeader(bytes);
  const given = options.base;
  const baseIndex = given instanceof BtfIndex ? given : undefined;
  const base = given instanceof BtfIndex ? given.btf : given;
  const strAt = header.hdrLen + header.strOff;
  const strData = bytes.subarray(strAt, strAt + header.strLen);
  checkStringSection(strData, strAt, base !== undefined);
  const baseStrings = baseIndex ? baseIndex.strings : base ? stringsOf(base) : undefined;
  const strings = new SectionStrings(strData, baseStrings ? baseStrings.end : 0, baseStrings);
  const startId = base ? typeCount(base) + 1 : 1;
  const typeAt = header.hdrLen + header.typeOff;
  const { types, maxRef } = readTypes(bytes.subarray(typeAt, typeAt + header.typeLen), typeAt, byteOrder, startId, strings);
  const btf: Btf = { header, byteOrder, startId, types, base, byteLength, stringSection: strData };
  // The reader tracked the largest id referred to; only when it is out of
  // range do we walk the types again to say which reference is bad.
  if (maxRef > typeCount(btf)) checkReferences(btf, typeAt);
  return btf;
}
