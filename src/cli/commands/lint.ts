/** `btfparity lint`: its options and help; the implementation is imported when the command runs (start-up loads only registrations). */
import type { Command } from 'commander';
import type { LintCliOptions } from '../lint.js';

export const LINT_FORMATS = ['text', 'json'] as const;

export function registerLint(program: Command): void {
  program
    .command('lint')
    .description("check BTF as the kernel's verifier does when it loads it (BPF_BTF_LOAD): accepted, or each rejection and its rule")
    .argument('<file...>', 'ELF files with a .BTF section, or raw BTF files')
    .option('--base <file>', 'base BTF for split BTF (e.g. /sys/kernel/btf/vmlinux): checked as the kernel checks module BTF')
    .option('--format <format>', `output format: ${LINT_FORMATS.join(', ')}`, 'text')
    .option('--kernel', 'also load each blob into the running kernel (tools/btf-load; needs root) and show its verdict')
    .addHelpText(
      'after',
      `
Exit status: 0 every blob accepted, 1 some blob rejected (by the lint, or with --kernel by
the kernel), 2 bad input (unreadable file, no .BTF, bad --base), 3 --kernel not possible here.
A file that cannot be read is reported on stderr and the others are still linted.`,
    )
    .action(async (files: string[], opts: LintCliOptions) => (await import('../lint.js')).runLint(files, opts));
}
