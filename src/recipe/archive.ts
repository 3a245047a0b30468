/**
 * The recipe family for whole binaries (the BTF-archive avenue), as data:
 * every unit is compiled once with `$CC -g -gbtf` (its own flags), the
 * objects are linked the way a kernel directory's built-in.o is (`ld -r`),
 * and the linked object gives both sides:
 *
 * - left  `pahole`:  pahole --btf_encode_detached on the linked DWARF;
 * - right `archive`: the linked `.BTF` (one blob per object, concatenated
 *   by the BTF-unaware linker) deduplicated by libbpf's btf__dedup through
 *   tools/btf-dedup (built by scripts/setup into build/btf-dedup).
 *
 * Nothing here runs anything (src/pipeline/binary.ts does).
 */
import { fileURLToPath } from 'node:url';

export interface ArchiveStepTemplate {
  readonly side: 'left' | 'right' | 'both';
  readonly name: 'link' | 'encode' | 'dedup';
  /** `$LD`, `$PAHOLE`, `$DEDUP` tools; `$PAHOLE_FLAGS` and `$OBJS` splice lists; `$LINKED`, `$BTF` are files. */
  readonly argv: readonly string[];
}

export const ARCHIVE_STEPS: readonly ArchiveStepTemplate[] = [
  { side: 'both', name: 'link', argv: ['$LD', '-r', '-o', '$LINKED', '$OBJS'] },
  { side: 'left', name: 'encode', argv: ['$PAHOLE', '$PAHOLE_FLAGS', '--btf_encode_detached=$LEFT_BTF', '$LINKED'] },
  { side: 'right', name: 'dedup', argv: ['$DEDUP', '$RIGHT_BTF', '$LINKED'] },
];

export const ARCHIVE_RECIPES = {
  left: { name: 'pahole', description: 'DWARF of the ld -r linked objects ($CC -g -gbtf each), encoded by pahole --btf_encode_detached' },
  right: {
    name: 'archive',
    description: "every object's $CC -gbtf blob, concatenated by ld -r, deduplicated by libbpf btf__dedup (tools/btf-dedup)",
    /** The recipe classification rules know these records by: the compiler avenue that emitted them. */
    rulesAs: 'gcc-btf',
  },
} as const;

/** Expand one step: lists spliced, files substituted. */
export function expandArchiveStep(
  step: ArchiveStepTemplate,
  values: Readonly<Record<string, string>>,
  lists: Readonly<Record<string, readonly string[]>>,
): string[] {
  return step.argv.flatMap((tok) => {
    if (Object.hasOwn(lists, tok)) return [...lists[tok]];
    return [tok.replace(/\$[A-Z_]+/g, (v) => (Object.hasOwn(values, v) ? values[v] : v))];
  });
}

/** Where scripts/setup builds the dedup helper; BTFPARITY_BTF_DEDUP overrides. */
export function defaultDedupHelper(env: NodeJS.ProcessEnv = process.env): string {
  const own = env.BTFPARITY_BTF_DEDUP;
  return own !== undefined && own !== '' ? own : fileURLToPath(new URL('../../build/btf-dedup', import.meta.url));
}
