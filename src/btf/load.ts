/**
 * From file bytes to decoded BTF: find the BTF (an ELF's `.BTF` section or a
 * raw blob), split archives into their blobs, decode each. Pure.
 */
import { findSection, isCompressed, isElf, parseElf, type ElfFile } from '../artifact/elf.js';
import { InputError } from '../errors.js';
import { asIndex, type BtfIndex } from './btf-index.js';
import { decodeBtf, decodeBtfLazy, type LazyBtf } from './decode.js';
import { btfByteOrderAt, decodeHeader } from './header.js';
import type { Btf } from './types.js';

/** `B`: the decoded graph (Btf), or for a dump that visits each type once, LazyBtf. */
export interface LoadedBtf<B = Btf> {
  /** Every blob, in section order. Usually one; more for a BTF archive. */
  readonly blobs: readonly B[];
  /** Where each blob starts in the file (for messages and `--blob`). */
  readonly blobOffsets: readonly number[];
  /** 'elf' when read from a `.BTF` section, 'raw' for a bare BTF file. */
  readonly container: 'elf' | 'raw';
  /** The ELF file, when the input was one (symbols explain presence differences). */
  readonly elf?: ElfFile;
  /** Whether the ELF carries `.BTF.ext` (func/line info); not decoded yet. */
  readonly hasBtfExt: boolean;
  /** What the caller should tell the user about how the input was read (e.g. a second `.BTF` section ignored). */
  readonly notes?: readonly string[];
}

export interface LoadOptions {
  /** Base BTF that split BTF continues from (`--base`), or its index. */
  base?: Btf | BtfIndex;
}

export function loadBtf(bytes: Uint8Array, options: LoadOptions = {}): LoadedBtf {
  // One index of the base for every blob: its string lookups are made once.
  const base = options.base && asIndex(options.base);
  return loadBlobs(bytes, (view) => decodeBtf(view, { base }));
}

/** As loadBtf, each blob a LazyBtf (same checks, same errors; objects made when asked). */
export function loadBtfLazy(bytes: Uint8Array, options: { base?: LazyBtf } = {}): LoadedBtf<LazyBtf> {
  return loadBlobs(bytes, (view) => decodeBtfLazy(view, options));
}

/** The container (ELF `.BTF` section or raw bytes) and its blobs, each decoded by `decode`. */
function loadBlobs<B extends { readonly byteLength: number }>(bytes: Uint8Array, decode: (view: Uint8Array) => B): LoadedBtf<B> {
  if (bytes.length === 0) throw new InputError('empty file', { offset: 0 });
  if (!isElf(bytes)) {
    const { blobs, offsets } = decodeArchive(bytes, 0, decode);
    return { blobs, blobOffsets: offsets, container: 'raw', hasBtfExt: false };
  }
  const elf = parseElf(bytes);
  const sec = findSection(elf, '.BTF');
  if (!sec) throw new InputError('ELF file has no .BTF section');
  const all = elf.sections.filter((s) => s.name === '.BTF');
  const notes =
    all.length > 1
      ? [`ELF file has ${all.length} .BTF sections (section headers ${all.map((s) => s.index).join(', ')}); using the first, at offset ${sec.offset}`]
      : undefined;
  if (isCompressed(sec)) throw new InputError('.BTF section is compressed (SHF_COMPRESSED); decompress it first', { offset: sec.offset });
  if (sec.data.length === 0) throw new InputError('.BTF section is empty', { offset: sec.offset });
  const { blobs, offsets } = decodeArchive(sec.data, sec.offset, decode);
  return { blobs, blobOffsets: offsets, container: 'elf', elf, hasBtfExt: findSection(elf, '.BTF.ext') !== undefined, ...(notes ? { notes } : {}) };
}

/**
 * Decode blobs laid back to back, as a BTF-unaware linker concatenates
 * per-object `.BTF` sections. Zero padding between blobs (section
 * alignment) is skipped; anything else after a blob is an error, since
 * silently ignoring trailing bytes would hide a truncated archive.
 */
function decodeArchive<B extends { readonly byteLength: number }>(
  data: Uint8Array,
  fileOffset: number,
  decode: (view: Uint8Array) => B,
): { blobs: B[]; offsets: number[] } {
  const blobs: B[] = [];
  const offsets: number[] = [];
  let at = 0;
  while (at < data.length) {
    const view = data.subarray(at);
    try {
      decodeHeader(view);
      blobs.push(decode(view));
    } catch (e) {
      if (e instanceof InputError) throw e.shift(fileOffset + at);
      throw e;
    }
    offsets.push(fileOffset + at);
    at += blobs[blobs.length - 1].byteLength;
    while (at < data.length && data[at] === 0) at++;
    if (at < data.length && !btfByteOrderAt(data, at)) {
      throw new InputError(`unexpected bytes after BTF blob ${blobs.length} (no BTF magic)`, { offset: fileOffset + at });
    }
  }
  return { blobs, offsets };
}
