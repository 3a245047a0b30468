/** `btfparity dump`: print a BTF in one of the DUMP_FORMATS (./commands/dump.ts). */
import type { LoadedBtf } from '../btf/load.js';
import type { Btf } from '../btf/types.js';
import { InputError } from '../errors.js';
import { DUMP_FORMATS, type DumpFormatName } from './commands/dump.js';
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

/**
 * One renderer per format; each imports its module when used, so a dump
 * loads one renderer. A renderer streams bytes (large dumps) or returns
 * the whole text.
 */
const RENDER: Readonly<Record<DumpFormatName, (input: DumpInput, write: ByteWriter) => Promise<string | undefined>>> = {
  // Streamed: vmlinux's dump is 12 MB; no whole-text string is built.
  bpftool: async ({ btf }, write) => {
    (await import('../btf/dump-bpftool.js')).writeBpftool(btf, write);
    return undefined;
  },
  // `bpftool -j btf dump file`, byte for byte; streamed like the plain form.
  'bpftool-json': async ({ btf }, write) => {
    (await import('../btf/dump-bpftool-json.js')).writeBpftoolJson(btf, write);
    return undefined;
  },
  json: async ({ btf, loaded, blob }) =>
    (await import('../btf/dump-json.js')).dumpJson(btf, { container: loaded.container, blob, blobCount: loaded.blobs.length, hasBtfExt: loaded.hasBtfExt }),
  // ID-free: BTFs that differ only in numbering or duplicated types print identically.
  canonical: async ({ btf }) => {
    const { canonicalize, dumpCanonical } = await import('../canonical/graph.js');
    return dumpCanonical(canonicalize(btf));
  },
};

export interface DumpOptions {
  base?: string;
  format: string;
  blob?: string;
}

const isFormat = (name: string): name is DumpFormatName => (DUMP_FORMATS as readonly string[]).includes(name);

export async function runDump(file: string, opts: DumpOptions): Promise<void> {
  if (!isFormat(opts.format)) throw new InputError(`unknown format '${opts.format}' (one of: ${DUMP_FORMATS.join(', ')})`);
  const render = RENDER[opts.format];
  const loaded = loadBtfFile(file, opts.base);
  const index = Number(opts.blob ?? '1');
  if (!Number.isInteger(index) || index < 1 || index > loaded.blobs.length) {
    throw new InputError(`--blob ${opts.blob}: the file has ${loaded.blobs.length} BTF blob(s)`, { file });
  }
  if (loaded.blobs.length > 1) {
    stderrLine(`${file}: BTF archive with ${loaded.blobs.length} blobs; printing blob ${index} (--blob N for another)`);
  }
  const text = await render({ btf: loaded.blobs[index - 1], loaded, blob: index }, writeBytes);
  if (text !== undefined) writeBytes(Buffer.from(text, 'utf8'));
}
