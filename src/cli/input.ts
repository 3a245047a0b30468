/**
 * Reading input files at the edge: turns fs failures into one-line
 * InputErrors naming the file, and decode failures into errors that name
 * the file too.
 */
import { readFileSync, statSync } from 'node:fs';
import { InputError } from '../errors.js';
import { loadBtf, type LoadedBtf } from '../btf/load.js';

export function readInputFile(path: string): Uint8Array {
  let st: ReturnType<typeof statSync>;
  try {
    st = statSync(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new InputError(code === 'ENOENT' ? 'no such file' : `cannot stat (${code})`, { file: path }, { cause: e });
  }
  if (st.isDirectory()) throw new InputError('is a directory, expected an ELF or BTF file', { file: path });
  try {
    return readFileSync(path);
  } catch (e) {
    throw new InputError(`cannot read (${(e as NodeJS.ErrnoException).code})`, { file: path }, { cause: e });
  }
}

/** Read and decode a BTF-bearing file, optionally as split BTF over `basePath`. */
export function loadBtfFile(path: string, basePath?: string): LoadedBtf {
  const base = basePath ? loadBtfFile(basePath).blobs[0] : undefined;
  try {
    return loadBtf(readInputFile(path), { base });
  } catch (e) {
    if (e instanceof InputError) throw e.inFile(path);
    throw e;
  }
}
