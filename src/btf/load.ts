/**
 * From file bytes to decoded BTF: find the BTF (an ELF's `.BTF` section or a
 * raw blob), split archives into their blobs, decode each. Pure.
 */
import { type ElfFile, findSection, isCompressed, isElf, parseElf } from '../artifact/elf.js';
import { InputError } from '../errors.js';
import { asIndex, type BtfIndex } from './btf-index.js';
import { decodeBtf, decodeBtfLazy, type LazyBtf, type LazyTypes } from './decode.js';
import { RelocatedLazy, relocateBtf } from './distilled.js';
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
  /**
   * A module's `.BTF.base` (pahole's distilled base): 'split' when the
   * blobs are split BTF over it (no base given), 'relocated' when they were
   * moved onto the given base as libbpf does. Absent without `.BTF.base`.
   */
  readonly distilledBase?: 'split' | 'relocated';
}

export interface LoadOptions {
  /** Base BTF that split BTF continues from (`--base`), or its index. */
  base?: Btf | BtfIndex;
}

export function loadBtf(bytes: Uint8Array, options: LoadOptions = {}): LoadedBtf {
  // One index of the base for every blob: its string lookups are made once.
  const base = options.base && asIndex(options.base);
  return loadBlobs(
    bytes,
    (view) => decodeBtf(view),
    (view, dist) => {
      if (dist === undefined) return decodeBtf(view, { base });
      const split = decodeBtf(view, { base: dist });
      return base ? relocateBtf(split, dist, base.btf) : split;
    },
    base !== undefined,
  );
}

/** As loadBtf, each blob a LazyBtf (same checks, same errors; objects made when asked). */
export function loadBtfLazy(bytes: Uint8Array, options: { base?: LazyBtf } = {}): LoadedBtf<LazyTypes> {
  const base = options.base;
  return loadBlobs<LazyTypes, LazyBtf>(
    bytes,
    (view) => decodeBtfLazy(view),
    (view, dist) => {
      if (dist === undefined) return decodeBtfLazy(view, { base });
      const split = decodeBtfLazy(view, { base: dist });
      return base ? new RelocatedLazy(split, dist, base) : split;
    },
    base !== undefined,
  );
}

/**
 * The container (ELF `.BTF` section or raw bytes) and its blobs, each
 * decoded by `decode`; a module's `.BTF.base` (distilled base) is decoded
 * once by `decodeBase` and handed to `decode` with every blob.
 */
function loadBlobs<B extends { readonly byteLength: number }, D>(
  bytes: Uint8Array,
  decodeBase: (view: Uint8Array) => D,
  decode: (view: Uint8Array, distilled: D | undefined) => B,
  hasBase: boolean,
): LoadedBtf<B> {
  if (bytes.length === 0) throw new InputError('empty file', { offset: 0 });
  if (!isElf(bytes)) {
    const { blobs, offsets } = decodeArchive(bytes, 0, (view) => decode(view, undefined));
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
  const dist = distilledBase(elf, decodeBase);
  const { blobs, offsets } = decodeArchive(sec.data, sec.offset, (view) => decode(view, dist));
  return {
    blobs,
    blobOffsets: offsets,
    container: 'elf',
    elf,
    hasBtfExt: findSection(elf, '.BTF.ext') !== undefined,
    ...(notes ? { notes } : {}),
    ...(dist !== undefined ? { distilledBase: hasBase ? ('relocated' as const) : ('split' as const) } : {}),
  };
}

/** The decoded `.BTF.base` section of a module (one blob, base BTF of its own), or undefined without one. */
function distilledBase<D>(elf: ElfFile, decodeBase: (view: Uint8Array) => D): D | undefined {
  const sec = findSection(elf, '.BTF.base');
  if (!sec) return undefined;
  if (isCompressed(sec)) throw new InputError('.BTF.base section is compressed (SHF_COMPRESSED); decompress it first', { offset: sec.offset });
  try {
    const { byteLength } = decodeHeader(sec.data);
    if (byteLength < sec.data.length)
      throw new InputError(`.BTF.base section holds ${sec.data.length} bytes, its BTF ends at ${byteLength}`, { offset: byteLength });
    return decodeBase(sec.data);
  } catch (e) {
    if (e instanceof InputError) throw new InputError(`.BTF.base (distilled base): ${e.reason}`, e.shift(sec.offset).where, { cause: e });
    throw e;
  }
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
