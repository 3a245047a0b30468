/** `btfparity dump`: print a BTF in bpftool, json or canonical form. */
import type { Command } from 'commander';
import { dumpBpftool } from '../btf/dump-bpftool.js';
import { InputError } from '../errors.js';
import { loadBtfFile } from './input.js';
import { writeOut } from './output.js';

export const DUMP_FORMATS = ['bpftool', 'json'] as const;

interface DumpOptions {
  base?: string;
  format: string;
  blob?: string;
}

export function registerDump(program: Command): void {
  program
    .command('dump')
    .description('decode the BTF of an ELF object or raw BTF file and print it')
    .argument('<file>', 'ELF file with a .BTF section, or a raw BTF file (e.g. /sys/kernel/btf/vmlinux)')
    .option('--base <file>', 'base BTF for split BTF (e.g. /sys/kernel/btf/vmlinux for a module)')
    .option('--format <format>', `output format: ${DUMP_FORMATS.join(', ')}`, 'bpftool')
    .option('--blob <n>', 'for a BTF archive (several blobs in one .BTF): which blob to print, 1-based', '1')
    .action((file: string, opts: DumpOptions) => runDump(file, opts));
}

function runDump(file: string, opts: DumpOptions): void {
  if (!(DUMP_FORMATS as readonly string[]).includes(opts.format)) {
    throw new InputError(`unknown format '${opts.format}' (one of: ${DUMP_FORMATS.join(', ')})`);
  }
  const loaded = loadBtfFile(file, opts.base);
  const index = Number(opts.blob ?? '1');
  if (!Number.isInteger(index) || index < 1 || index > loaded.blobs.length) {
    throw new InputError(`--blob ${opts.blob}: the file has ${loaded.blobs.length} BTF blob(s)`, { file });
  }
  if (loaded.blobs.length > 1) {
    process.stderr.write(`${file}: BTF archive with ${loaded.blobs.length} blobs; printing blob ${index} (--blob N for another)\n`);
  }
  const btf = loaded.blobs[index - 1];
  writeOut(dumpBpftool(btf));
}
