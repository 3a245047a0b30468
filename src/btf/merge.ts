/**
 * The union of several standalone BTF blobs as one graph: blob k's ids are
 * shifted past the types of blobs 0..k-1 (id 0 stays void). Duplicates are
 * kept — the canonical form and the diff collapse identical definitions —
 * so nothing about any blob is lost. Used for whole-binary mode: a linked
 * binary's BTF against the union of its objects' compiler-emitted BTF, and
 * for BTF archives (per-object blobs concatenated by a BTF-unaware linker).
 */
import { InputError } from '../errors.js';
import { remapType } from './refs.js';
import type { Btf, BtfType } from './types.js';

export function mergeBtfs(blobs: readonly Btf[]): Btf {
  if (blobs.length === 0) throw new InputError('no BTF to merge');
  if (blobs.length === 1) return blobs[0];
  const types: BtfType[] = [];
  let byteLength = 0;
  for (const blob of blobs) {
    if (blob.base) throw new InputError('cannot merge split BTF; merge standalone blobs');
    const shift = types.length; // blob's id i becomes i + shift
    for (const t of blob.types) types.push(remapType(t, t.id + shift, (ref) => (ref === 0 ? 0 : ref + shift)));
    byteLength += blob.byteLength;
  }
  return { header: blobs[0].header, byteOrder: blobs[0].byteOrder, startId: 1, types, byteLength };
}
