/** `btfparity dump`: print a BTF in one of the DUMP_FORMATS. */
import type { Command } from 'commander';
import { writeBpftool } from '../btf/dump-bpftool.js';
import { writeBpftoolJson } from '../btf/dump-bpftool-json.js';
import { dumpJson } from '../btf/dump-json.js';
import type { LoadedBtf } from '../btf/load.js';
import type { Btf } from '../btf/types.js';
import { canonicalize, dumpCanonical } from '../canonical/graph.js';
import { InputError } from '../errors.js';
import { loadBtfFile } from './input.js';
import { stderrLine, writeBytes } from './output.js';

/** What a renderer gets: the chosen blob and where it came from. */
export interface DumpInput {
  readonly btf: Btf;
  readonly loaded: LoadedBtf;
  /** 1-based index of `btf` in `loaded.blobs`. */
  readonly blob: number;
}

/** Receives output bytes; a chunk is only valid during the call. */
export type ByteWriter = (chunk: Uint8Array) => void;

export interface DumpFormat {
  readonly name: string;
  /** Either streams bytes (large dumps) or returns the whole text. */
  readonly render: (input: DumpInput, write: ByteWriter) => string | undefined;
}

/**
 * Output formats, in the order `--help` lists them; the first is the
 * default. To add one, add an entry: name and renderer.
 */
export const FORMATS: readonly DumpFormat[] = [
  // Streamed: vmlinux's dump is 12 MB; no whole-text string is built.
  {
    name: 'bpftool',
    render: ({ btf }, write) => {
      writeBpftool(btf, write);
      return undefined;
    },
  },
  // `bpftool -j btf dump file`, byte for byte; streamed like the plain form.
  {
    name: 'bpftool-json',
    render: ({ btf }, write) => {
      writeBpftoolJson(btf, write);
      return undefined;
    },
  },
  {
    name: 'json',
    render: ({ btf, loaded, blob }) => dumpJson(btf, { container: loaded.container, blob, blobCount: loaded.blobs.length, hasBtfExt: loaded.hasBtfExt }),
  },
  // ID-free: BTFs that differ only in numbering or duplicated types print identically.
  { name: 'canonical', render: ({ btf }) => dumpCanonical(canonicalize(btf)) },
];

/** Format names (kept for callers of the earlier constant). */
export const DUMP_FORMATS: readonly string[] = FORMATS.map((f) => f.name);

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
    .option('--format <format>', `output format: ${DUMP_FORMATS.join(', ')}`, FORMATS[0].name)
    .option('--blob <n>', 'for a BTF archive (several blobs in one .BTF): which blob to print, 1-based', '1')
    .action((file: string, opts: DumpOptions) => runDump(file, opts));
}

function runDump(file: string, opts: DumpOptions): void {
  const format = FORMATS.find((f) => f.name === opts.format);
  if (!format) throw new InputError(`unknown format '${opts.format}' (one of: ${DUMP_FORMATS.join(', ')})`);
  const loaded = loadBtfFile(file, opts.base);
  const index = Number(opts.blob ?? '1');
  if (!Number.isInteger(index) || index < 1 || index > loaded.blobs.length) {
    throw new InputError(`--blob ${opts.blob}: the file has ${loaded.blobs.length} BTF blob(s)`, { file });
  }
  if (loaded.blobs.length > 1) {
    stderrLine(`${file}: BTF archive with ${loaded.blobs.length} blobs; printing blob ${index} (--blob N for another)`);
  }
  const text = format.render({ btf: loaded.blobs[index - 1], loaded, blob: index }, writeBytes);
  if (text !== undefined) writeBytes(Buffer.from(text, 'utf8'));
}
