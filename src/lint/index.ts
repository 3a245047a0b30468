/**
 * `lint`: would the kernel load this BTF? A pure re-implementation of the
 * checks BPF_BTF_LOAD makes (verify.ts), applied to the BTF a file holds:
 * an ELF object's `.BTF` section or a raw BTF file; each blob of a BTF
 * archive (linker-concatenated `.BTF` sections) on its own.
 */
import { findSection, isCompressed, isElf, parseElf } from '../artifact/elf.js';
import { InputError } from '../errors.js';
import type { LintOptions, LintResult } from './types.js';
import { lintBlob } from './verify.js';

export { ALL_RULES, type LintRule, type LintRuleId, RULES, ruleMessage } from './rules.js';
export type { LintOptions, LintRejection, LintResult } from './types.js';
export { lintBlob } from './verify.js';

export interface LintedBlob {
  /** Offset of the blob in the file. */
  readonly offset: number;
  /** The blob's bytes, exactly what the kernel would be given. */
  readonly bytes: Uint8Array;
  readonly result: LintResult;
}

/**
 * The BTF blobs of a file, as the kernel would be handed them: the whole
 * `.BTF` section (or raw file), unless it is an archive of several blobs
 * laid back to back, which is split at each blob's declared end. A raw
 * file without BTF magic is bad input (InputError), not a rejection.
 */
export function btfBlobs(file: Uint8Array): { offset: number; bytes: Uint8Array }[] {
  if (file.length === 0) throw new InputError('empty file', { offset: 0 });
  let data = file;
  let base = 0;
  if (isElf(file)) {
    const elf = parseElf(file);
    const sec = findSection(elf, '.BTF');
    if (!sec) throw new InputError('ELF file has no .BTF section');
    if (isCompressed(sec)) throw new InputError('.BTF section is compressed (SHF_COMPRESSED); decompress it first', { offset: sec.offset });
    data = sec.data;
    base = sec.offset;
  } else if (!hasMagic(file, 0)) {
    // Neither ELF nor BTF in either byte order: not something to hand the kernel at all.
    throw new InputError('neither an ELF file nor a BTF blob (no BTF magic)', { offset: 0 });
  }
  return splitArchive(data).map(([at, end]) => ({ offset: base + at, bytes: data.subarray(at, end) }));
}

/** [start, end) of each blob; one blob (all of `data`) unless the data is clearly an archive. */
function splitArchive(data: Uint8Array): [number, number][] {
  const out: [number, number][] = [];
  let at = 0;
  for (;;) {
    const end = declaredEnd(data, at);
    if (end === undefined || end >= data.length) break;
    let next = end;
    while (next < data.length && data[next] === 0) next++;
    if (next >= data.length || declaredEnd(data, next) === undefined) break;
    out.push([at, end]);
    at = next;
  }
  out.push([at, data.length]);
  return out;
}

function hasMagic(data: Uint8Array, at: number): boolean {
  return at + 2 <= data.length && ((data[at] === 0x9f && data[at + 1] === 0xeb) || (data[at] === 0xeb && data[at + 1] === 0x9f));
}

/** Where the blob at `at` ends by its own header, when the header is plausible. */
function declaredEnd(data: Uint8Array, at: number): number | undefined {
  if (at + 24 > data.length) return undefined;
  const le = data[at] === 0x9f && data[at + 1] === 0xeb;
  const be = data[at] === 0xeb && data[at + 1] === 0x9f;
  if (!le && !be) return undefined;
  const v = new DataView(data.buffer, data.byteOffset + at, 24);
  const hdrLen = v.getUint32(4, le);
  if (hdrLen < 24) return undefined;
  const end = at + hdrLen + Math.max(v.getUint32(8, le) + v.getUint32(12, le), v.getUint32(16, le) + v.getUint32(20, le));
  return end <= data.length ? end : undefined;
}

/** Lint every BTF blob of a file (ELF or raw). */
export function lintFile(file: Uint8Array, options: LintOptions = {}): LintedBlob[] {
  return btfBlobs(file).map(({ offset, bytes }) => ({ offset, bytes, result: lintBlob(bytes, options) }));
}
export { type KernelAnswer, kernelReason, reasonAgrees } from './kernel-log.js';
