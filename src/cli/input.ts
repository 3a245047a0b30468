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

/** Read and decode a BTF-bearing file, optionally as split BTF over `basePath`. */
export function loadBtfFile(path: string, basePath?: string): LoadedBtf {
  const base = basePath ? loadBtfFile(basePath).blobs[0] : undefined;
  return loadWith(path, (bytes) => loadBtf(bytes, { base }));
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
function loadWith<B>(path: string, load: (bytes: Uint8Array) => LoadedBtf<B>): LoadedBtf<B> {
  let loaded: LoadedBtf<B>;
  try {
    loaded = load(readInputFile(path));
  } catch (e) {
    if (e instanceof InputError) throw e.inFile(path);
    throw e;
  }
  for (const n of loaded.notes ?? []) stderrLine(`${path}: ${n}`);
  return loaded;
}
