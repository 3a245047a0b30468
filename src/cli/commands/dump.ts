/** `btfparity dump`: its options and help; the implementation is imported when the command runs (start-up loads only registrations). */
import type { Command } from 'commander';
import type { DumpOptions } from '../dump.js';

/**
 * Output formats, in the order `--help` lists them; the first is the
 * default. ../dump.ts has one renderer per name (a Record over this list).
 */
export const DUMP_FORMATS = ['bpftool', 'bpftool-json', 'json', 'canonical'] as const;
export type DumpFormatName = (typeof DUMP_FORMATS)[number];

export function registerDump(program: Command): void {
  program
    .command('dump')
    .description('decode the BTF of an ELF object or raw BTF file and print it')
    .argument('<file>', 'ELF file with a .BTF section, or a raw BTF file (e.g. /sys/kernel/btf/vmlinux)')
    .option('--base <file>', 'base BTF for split BTF (e.g. /sys/kernel/btf/vmlinux for a module)')
    .option('--format <format>', `output format: ${DUMP_FORMATS.join(', ')}`, DUMP_FORMATS[0])
    .option('--blob <n>', 'for a BTF archive (several blobs in one .BTF): which blob to print, 1-based', '1')
    .action(async (file: string, opts: DumpOptions) => (await import('../dump.js')).runDump(file, opts));
}
