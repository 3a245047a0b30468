/**
 * Reading input files at the edge: turns fs failures into one-line
 * InputErrors naming the file, and decode failures into errors that name
 * the file too.
 */
import { InputError } from '../errors.js';
import { LazyBtf, type LazyTypes } from '../btf/decode.js';
import { loadBtf, loadBtfLazy, type LoadedBtf } from '../btf/load.js';
import { INPUT_LIMITS, readRegularFile } from '../io/regular-file.js';
import { stderrLine } from './output.js';

/** An ELF or raw BTF input: a regular file of at most INPUT_LIMITS.binary (1 GiB). */
export function readInputFile(path: string): Uint8Array {
  return readRegularFile(path, { maxBytes: INPUT_LIMITS.binary, expected: 'an ELF or BTF file' });
}

/** How an input file's bytes are had: readInputFile, or a caller's memo of it (readEachOnce). */
export type ReadInput = (path: string) => Uint8Array;

/**
 * readInputFile, remembered by path: for a command that looks at each
 * input more than once (`diff`: the verifier's blob, the decoded graph, the
 * ELF type), so that each is read once. A failed read is not remembered:
 * the next reader meets the same error and reports it.
 */
export function readEachOnce(): ReadInput {
  const read = new Map<string, Uint8Array>();
  return (path) => {
    let bytes = read.get(path);
    if (bytes === undefined) {
      bytes = readInputFile(path);
      read.set(path, bytes);
    }
    return bytes;
  };
}

/** Read and decode a BTF-bearing file, optionally as split BTF over `basePath`. */
export function loadBtfFile(path: string, basePath?: string, read: ReadInput = readInputFile): LoadedBtf {
  const base = basePath ? loadBtfFile(basePath, undefined, read).blobs[0] : undefined;
  return loadWith(path, (bytes) => loadBtf(bytes, { base }), read);
}

/** As loadBtfFile, as LazyBtf blobs (base included): for a dump that visits each type once. */
export function loadBtfFileLazy(path: string, basePath?: string): LoadedBtf<LazyTypes> {
  const base = basePath ? lazyBase(basePath) : undefined;
  return loadWith(path, (bytes) => loadBtfLazy(bytes, { base }));
}

/** A base's first blob: read without a base of its own, never relocated, so always a LazyBtf. */
function lazyBase(path: string): LazyBtf {
  const blob = loadBtfFileLazy(path).blobs[0];
  if (blob instanceof LazyBtf) return blob;
  throw new Error(`${path}: a blob read without a base was relocated`);
}

/** Decode errors name the file; the reader's notes go to stderr. */
function loadWith<B>(path: string, load: (bytes: Uint8Array) => LoadedBtf<B>, read: ReadInput = readInputFile): LoadedBtf<B> {
  let loaded: LoadedBtf<B>;
  try {
    loaded = load(read(path));
  } catch (e) {
    if (e instanceof InputError) throw e.inFile(path);
    throw e;
  }
  for (const n of loaded.notes ?? []) stderrLine(`${path}: ${n}`);
  return loaded;
}
