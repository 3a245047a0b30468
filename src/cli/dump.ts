/** `btfparity dump`: print a BTF in one of the DUMP_FORMATS (./commands/dump.ts). */
import type { LazyTypes } from '../btf/decode.js';
import type { LoadedBtf } from '../btf/load.js';
import type { Btf } from '../btf/types.js';
import { InputError } from '../errors.js';
import { assertNever } from '../lang.js';
import { DUMP_FORMATS, type DumpFormatName } from './commands/dump.js';
import { loadBtfFile, loadBtfFileLazy } from './input.js';
import { stderrLine, writeBytes } from './output.js';

/** What a renderer gets: the chosen blob and where it came from. */
export interface DumpInput<B = Btf> {
  readonly btf: B;
  readonly loaded: LoadedBtf<B>;
  /** 1-based index of `btf` in `loaded.blobs`. */
  readonly blob: number;
}

/** Receives output bytes; a chunk is only valid during the call. */
export type ByteWriter = (chunk: Uint8Array) => void;

/**
 * A renderer streams bytes (large dumps) or returns the whole text. It
 * reads either the decoded graph or a LazyBtf (a format that visits every
 * type once in id order needs no graph, and vmlinux then costs its bytes,
 * not 126k objects: json makes each type's object when written and drops
 * it, bpftool reads the records' bytes and makes none).
 */
type Renderer =
  | { readonly reads: 'lazy'; readonly render: (input: DumpInput<LazyTypes>, write: ByteWriter) => Promise<string | undefined> }
  | { readonly reads: 'graph'; readonly render: (input: DumpInput<Btf>, write: ByteWriter) => Promise<string | undefined> };

/** One renderer per format; each imports its module when used, so a dump loads one renderer. */
const RENDER: Readonly<Record<DumpFormatName, Renderer>> = {
  // Streamed: vmlinux's dump is 12 MB; no whole-text string is built.
  bpftool: {
    reads: 'lazy',
    render: async ({ btf }, write) => {
      (await import('../btf/dump-bpftool.js')).writeBpftoolLazy(btf, write);
      return undefined;
    },
  },
  // `bpftool -j btf dump file`, byte for byte; streamed like the plain form.
  'bpftool-json': {
    reads: 'graph',
    render: async ({ btf }, write) => {
      (await import('../btf/dump-bpftool-json.js')).writeBpftoolJson(btf, write);
      return undefined;
    },
  },
  // Streamed too, line by line from a LazyBtf.
  json: {
    reads: 'lazy',
    render: async ({ btf, loaded, blob }, write) => {
      const source = { container: loaded.container, blob, blobCount: loaded.blobs.length, hasBtfExt: loaded.hasBtfExt };
      (await import('../btf/dump-json.js')).writeDumpJson(btf, source, (text) => write(Buffer.from(text, 'utf8')));
      return undefined;
    },
  },
  // ID-free: BTFs that differ only in numbering or duplicated types print identically. Streamed.
  canonical: {
    reads: 'graph',
    render: async ({ btf }, write) => {
      const [{ canonicalize }, { writeCanonical }] = await Promise.all([import('../canonical/graph.js'), import('../canonical/dump.js')]);
      // Names as UTF-8, as the whole text was encoded before it was streamed.
      writeCanonical(canonicalize(btf), write, 'utf8');
      return undefined;
    },
  },
};

export interface DumpOptions {
  base?: string;
  format: string;
  blob?: string;
}

const isFormat = (name: string): name is DumpFormatName => (DUMP_FORMATS as readonly string[]).includes(name);

/** Print `file` in `opts.format` through `write` (stdout; a test passes its own to run many dumps in one process). */
export async function runDump(file: string, opts: DumpOptions, write: ByteWriter = writeBytes): Promise<void> {
  if (!isFormat(opts.format)) throw new InputError(`unknown format '${opts.format}' (one of: ${DUMP_FORMATS.join(', ')})`);
  const r = RENDER[opts.format];
  let text: string | undefined;
  switch (r.reads) {
    case 'lazy':
      text = await r.render(chosenBlob(file, opts, loadBtfFileLazy(file, opts.base)), write);
      break;
    case 'graph':
      text = await r.render(chosenBlob(file, opts, loadBtfFile(file, opts.base)), write);
      break;
    default:
      assertNever(r);
  }
  if (text !== undefined) write(Buffer.from(text, 'utf8'));
}

/** The blob `--blob` names (1-based); for an archive, stderr says which is printed. */
function chosenBlob<B>(file: string, opts: DumpOptions, loaded: LoadedBtf<B>): DumpInput<B> {
  const index = Number(opts.blob ?? '1');
  if (!Number.isInteger(index) || index < 1 || index > loaded.blobs.length) {
    throw new InputError(`--blob ${opts.blob}: the file has ${loaded.blobs.length} BTF blob(s)`, { file });
  }
  if (loaded.blobs.length > 1) {
    stderrLine(`${file}: BTF archive with ${loaded.blobs.length} blobs; printing blob ${index} (--blob N for another)`);
  }
  return { btf: loaded.blobs[index - 1], loaded, blob: index };
}
