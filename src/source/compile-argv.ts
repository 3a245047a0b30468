/**
 * What a unit keeps of its original compile command. The flags that decide
 * what the compiler sees (defines, include paths, -include, -std, -m*,
 * -f*, warnings) are kept verbatim, in order; relative paths in them stay
 * relative to the unit's directory, so the runner must compile with cwd =
 * directory. Dropped: everything that names outputs or debug-info format,
 * because each avenue writes its own outputs to a scratch dir (never into
 * the build tree) and adds its own debug flags (`-g` for DWARF+pahole,
 * `-gbtf` for compiler BTF). Which option is which is source/gcc-options.ts.
 * Pure: paths are resolved only against the absolute directory given.
 */
import { posix as path } from 'node:path';
import { isDebugFlag, LIST_CHANNELS, type ListSideOutputs, readArgv, SIDE_OUTPUTS } from './gcc-options.js';

export interface StrippedArgv {
  /** What the unit keeps, in order. */
  readonly flags: string[];
  /** The `-o` argument, when there was one. */
  readonly output?: string;
}

/**
 * Drop from argv (without argv[0]) what the avenues replace: `-c`, `-o X`,
 * the source file (`file`, absolute; words are resolved against
 * `directory`), dependency-file flags and `-g*`; and what would write
 * files into the build tree (SIDE_OUTPUTS, and their items inside `-Wp,`,
 * `-Wa,`, `-Xpreprocessor`, `-Xassembler`). Throws `Error` on a dangling
 * option argument.
 */
export function stripCompileArgv(args: readonly string[], directory: string, file: string): StrippedArgv {
  const flags: string[] = [];
  let output: string | undefined;
  // `-Xassembler --MD -Xassembler FILE`: the file comes in the next word of the same channel.
  const fileNext = new Set<ListSideOutputs>();
  for (const w of readArgv(args)) {
    const { word: a, role } = w;
    if (w.missingArgument) throw new Error(`option ${a} has no argument`);
    const channel = w.option !== undefined && Object.hasOwn(LIST_CHANNELS, w.option.name) ? LIST_CHANNELS[w.option.name] : undefined;
    if (role === 'output') {
      output = w.argument ?? w.option?.joined;
    } else if (role === 'compile' || role === 'dependency' || isDebugFlag(a)) {
      // dropped: each avenue compiles to its own object and adds its own
      // debug flags; dependency files (-MD, -MF x, -MFx) are not written
    } else if (role === 'side-output' && w.option !== undefined) {
      const { action } = SIDE_OUTPUTS[w.option.name];
      if (action.kind === 'replace') flags.push(...action.words);
    } else if (channel !== undefined && w.argument !== undefined) {
      // -Xpreprocessor X / -Xassembler X: one item per word.
      const kept = keptItems([w.argument], channel, fileNext);
      if (kept.length > 0) flags.push(...w.words);
    } else if (channel !== undefined && w.option !== undefined) {
      // -Wp,a,b / -Wa,a,b: a comma list in one word.
      const kept = keptItems(a.slice(w.option.name.length).split(','), channel, fileNext);
      if (kept.length > 0) flags.push(`${w.option.name}${kept.join(',')}`);
    } else if (w.option === undefined && !a.startsWith('-') && path.resolve(directory, a) === file) {
      // the source itself; each avenue appends it again
    } else {
      flags.push(...w.words);
    }
  }
  return { flags, ...(output !== undefined ? { output } : {}) };
}

/**
 * The items passed to a sub-tool that write no file: those of
 * `channel.withFile` go with the item after them (the file; it may come in
 * the channel's next word, so `fileNext` carries that across words), those
 * starting with one of `channel.prefixes` alone.
 */
function keptItems(items: readonly string[], channel: ListSideOutputs, fileNext: Set<ListSideOutputs>): string[] {
  const kept: string[] = [];
  for (const item of items) {
    if (fileNext.delete(channel)) continue; // the file of the item before
    if (channel.withFile.includes(item)) fileNext.add(channel);
    else if (!channel.prefixes.some((p) => item.startsWith(p))) kept.push(item);
  }
  return kept;
}
