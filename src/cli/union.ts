/**
 * Whole-binary mode of `diff` (`--union-right`): a linked binary's BTF
 * (e.g. pahole's encoding of a vmlinux-like ELF, or a raw BTF file) against
 * the union of the compiler-emitted BTF of the objects it was linked from.
 * Every blob of every object counts (an object or archive may carry
 * several); duplicates across objects stay in the merged graph and the
 * canonical form collapses identical definitions, so each type shows up
 * once in the findings.
 *
 * Classification facts come from the files too: each ELF input's symbol
 * table (which object defines a function or variable) and the compilers its
 * `.comment` names (cli/recorded-tools.ts); they are taken while a file is
 * read, so its bytes are not kept for them.
 */
import { type ElfFile, type ElfSymbol, readSymbols } from '../artifact/elf.js';
import type { LoadedBtf } from '../btf/load.js';
import type { Btf } from '../btf/types.js';
import { mergeBtfs } from '../btf/merge.js';
import { InputError } from '../errors.js';
import type { BinaryObject } from '../findings/binary-origins.js';
import { pushAll } from '../lang.js';
import type { ToolInfo } from '../recipe/tools.js';
import { loadBtfFile, type ReadInput, readInputFile } from './input.js';
import { commentTools } from './recorded-tools.js';

export interface RightSide {
  readonly btf: Btf;
  /** How reports name it. */
  readonly name: string;
  /** The ELF inputs' symbol tables, concatenated (a definition wins over references, rule-index.ts). */
  readonly symbols: readonly ElfSymbol[];
  /** The compilers the ELF inputs' `.comment` sections name. */
  readonly comments: readonly ToolInfo[];
  /** With the union: each blob as an object of the binary (the file, `FILE#N` for an archive's blob N > 0) with its file's symbols. */
  readonly objects: readonly BinaryObject[];
}

/** The right side of `diff`: one file's first blob, or with `union` every blob of every file merged. */
export function loadRightSide(
  files: readonly string[],
  union: boolean,
  base: string | undefined,
  onlyBlob: (file: string, loaded: LoadedBtf) => Btf,
  read: ReadInput = readInputFile,
): RightSide {
  if (!union) {
    if (files.length !== 1) throw new InputError(`diff takes one right file, got ${files.length} (merge several with --union-right)`, { file: files[1] });
    const loaded = loadBtfFile(files[0], base, read);
    return { btf: onlyBlob(files[0], loaded), name: files[0], ...factsOf(loaded.elf ? [loaded.elf] : [], []), objects: [] };
  }
  if (base !== undefined) throw new InputError('--union-right merges standalone BTF; it cannot be split over a base', { option: '--base-right' });
  const blobs: Btf[] = [];
  const symbols: ElfSymbol[] = [];
  const objects: BinaryObject[] = [];
  let comments: ToolInfo[] = [];
  for (const f of files) {
    const loaded = loadBtfFile(f);
    pushAll(blobs, loaded.blobs);
    const facts = factsOf(loaded.elf ? [loaded.elf] : [], comments);
    pushAll(symbols, facts.symbols);
    comments = facts.comments;
    loaded.blobs.forEach((btf, i) => {
      objects.push({ name: i === 0 ? f : `${f}#${i}`, btf, ...(loaded.elf ? { symbols: facts.symbols } : {}) });
    });
  }
  const name = files.length === 1 ? files[0] : `union of ${files.length} files (${files.join(' ')})`;
  return { btf: mergeBtfs(blobs), name, symbols, comments, objects };
}

/** Symbols and `.comment` compilers of ELF inputs, added to the compilers seen so far. */
function factsOf(elfs: readonly ElfFile[], seen: readonly ToolInfo[]): { symbols: ElfSymbol[]; comments: ToolInfo[] } {
  const symbols = elfs.flatMap((e) => readSymbols(e));
  const fresh = commentTools(elfs, 'right').filter((t) => !seen.some((s) => s.version === t.version));
  return { symbols, comments: [...seen, ...fresh] };
}
