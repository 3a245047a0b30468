/**
 * The tool versions `diff` classifies with. diff runs no toolchain, so what
 * made its files is what they record or what the user says:
 * - `.comment` of each ELF input names the compiler that built it
 *   (src/artifact/comment.ts: gcc `GCC: (Debian 12.2.0-14) 12.2.0`);
 * - `--left-tool ROLE=VERSION` / `--right-tool ROLE=VERSION` record the
 *   rest (pahole writes no version into its BTF) and win over `.comment`
 *   for their role.
 * Each becomes a ToolInfo of its side, so rules with version conditions
 * hold only when every recorded tool of the role satisfies them.
 */
import { commentCompilers } from '../artifact/comment.js';
import type { ElfFile } from '../artifact/elf.js';
import { InputError } from '../errors.js';
import type { ToolInfo } from '../recipe/tools.js';

export type Side = 'left' | 'right';

/** `ROLE=VERSION` as a recorded tool of `side`; an InputError (exit 2) naming the option otherwise. */
export function parseToolOption(value: string, side: Side): ToolInfo {
  const eq = value.indexOf('=');
  const role = eq > 0 ? value.slice(0, eq).trim() : '';
  const version = eq > 0 ? value.slice(eq + 1).trim() : '';
  if (!/^[a-z][a-z-]*$/.test(role) || !/\d/.test(version))
    throw new InputError(`expected ROLE=VERSION (e.g. pahole=1.24), got '${value}'`, { option: `--${side}-tool` });
  return { role, command: `--${side}-tool`, version, side };
}

/** The compilers the ELF files of one side name in `.comment`, one ToolInfo per distinct line. */
export function commentTools(elfs: readonly ElfFile[], side: Side): ToolInfo[] {
  const seen = new Map<string, ToolInfo>();
  for (const elf of elfs)
    for (const c of commentCompilers(elf)) if (!seen.has(c.version)) seen.set(c.version, { role: c.role, command: '.comment', version: c.version, side });
  return [...seen.values()];
}

/** One side's tools: the options', and `.comment`'s for the roles no option names. */
export function sideTools(options: readonly ToolInfo[], fromComments: readonly ToolInfo[]): ToolInfo[] {
  const named = new Set(options.map((t) => t.role));
  return [...options, ...fromComments.filter((t) => !named.has(t.role))];
}
