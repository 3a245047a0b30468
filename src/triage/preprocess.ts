/**
 * Preprocessing a unit for reduction (`$CC -E -P` with the unit's own
 * flags), and the flags a preprocessed candidate is then compiled with:
 * the preprocessor-only ones are dropped, because the text already carries
 * their effect and `-include` would paste a header in a second time; and
 * `-Werror*` is dropped, since it does not change the debug info.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ToolchainError } from '../errors.js';
import type { CompareConfig } from '../recipe/plan.js';
import type { UnitSource } from '../source/unit-source.js';
import { firstErrorLine, runCommand } from '../recipe/run-step.js';
import type { ResolvedTool } from '../recipe/tools.js';
import { type OptionRole, readArgv } from '../source/gcc-options.js';
import { toolCommand } from '../toolchain/exec.js';

/** What a preprocessed text already carries the effect of (see source/gcc-options.ts). */
const DONE_BY_PREPROCESSING: ReadonlySet<OptionRole> = new Set(['preprocessor', 'dependency']);

/** The flags a preprocessed candidate compiles with: the unit's, less preprocessor-only options (with their arguments) and `-Werror*`. */
export function compileOnlyFlags(flags: readonly string[]): string[] {
  const out: string[] = [];
  for (const w of readArgv(flags)) {
    if (w.role !== undefined && DONE_BY_PREPROCESSING.has(w.role)) continue;
    // Warnings-as-errors would reject candidates a reducer must pass through
    // (a body emptied leaves a function without its return).
    if (w.word.startsWith('-Werror')) continue;
    out.push(...w.words);
  }
  return out;
}

/** The same comparison, for candidates that are already preprocessed. */
export function configForPreprocessed(config: CompareConfig): CompareConfig {
  return {
    ...config,
    left: { ...config.left, cflags: compileOnlyFlags(config.left.cflags) },
    right: { ...config.right, cflags: compileOnlyFlags(config.right.cflags) },
  };
}

/** `$CC -E -P <left cflags> SRC -o DIR/preprocessed.c`; returns the text and the argv (output named `preprocessed.c`). */
export async function preprocess(
  source: UnitSource,
  config: CompareConfig,
  cc: ResolvedTool,
  dir: string,
  timeoutSeconds: number,
): Promise<{ text: string; argv: string[] }> {
  const out = join(dir, 'preprocessed.c');
  const target = config.left.recipe.compile.argv.filter((t) => t.startsWith('--target='));
  const args = [...target, '-E', '-P', ...config.left.cflags, source.arg, '-o', out];
  try {
    await runCommand(toolCommand(cc, { args, cwd: source.cwd, timeoutSeconds, step: `preprocess (${cc.command})`, outputs: [out] }));
  } catch (e) {
    if (e instanceof ToolchainError) throw new ToolchainError(`${source.display}: ${e.step}`, e.reason, firstErrorLine(e.stderr) ?? '', { cause: e });
    throw e;
  }
  return { text: readFileSync(out, 'utf8'), argv: [cc.command, ...args.slice(0, -1), 'preprocessed.c'] };
}
