/**
 * The compiler an object says built it: its `.comment` section, where gcc
 * writes `GCC: (Debian 12.2.0-14) 12.2.0` and clang `Debian clang version
 * 16.0.6 (15~deb12u1)` (one NUL-terminated string per compiler that
 * contributed; `ld -r` keeps each distinct one). This is the compiler's own
 * record, so it serves as the version of a file whose making btfparity did
 * not see (`diff`). Pure.
 */
import { type ElfFile, findSection } from './elf.js';
import { decodeName } from './name-bytes.js';

/** A compiler named by `.comment`: the role rules know it by, and the line as written. */
export interface CommentCompiler {
  readonly role: 'cc' | 'clang';
  readonly version: string;
}

/** Every compiler line of the file's `.comment`, in order, duplicates dropped; [] without one. */
export function commentCompilers(elf: ElfFile): CommentCompiler[] {
  const data = findSection(elf, '.comment')?.data;
  if (data === undefined) return [];
  const out: CommentCompiler[] = [];
  const seen = new Set<string>();
  let start = 0;
  for (let i = 0; i <= data.length; i++) {
    if (i < data.length && data[i] !== 0) continue;
    const line = decodeName(data.subarray(start, i)).trim();
    start = i + 1;
    const role = roleOf(line);
    if (role === undefined || seen.has(line)) continue;
    seen.add(line);
    out.push({ role, version: line });
  }
  return out;
}

/** gcc's lines start `GCC:`; clang's say `clang version` (Debian's and upstream's alike). */
function roleOf(line: string): CommentCompiler['role'] | undefined {
  if (line.startsWith('GCC:')) return 'cc';
  if (/\bclang version\b/.test(line)) return 'clang';
  return undefined;
}
