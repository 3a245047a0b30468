/**
 * Reading an input file safely: only regular files, only up to a stated
 * size. A FIFO named `x.o` must not block us, `/dev/zero` must not grow us
 * to gigabytes, and a directory or a socket gets one clear line.
 *
 * The file is opened first (O_NONBLOCK, so opening a FIFO returns at once
 * instead of waiting for a writer), then fstat'ed on that descriptor: the
 * check and the read are about the same file, with no window for a swap
 * between a stat and an open. At most the fstat'ed size is read (a file
 * growing while we read cannot push us past the cap).
 */
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { InputError } from '../errors.js';

const MiB = 1024 * 1024;

/** Caps, documented in README ("Input limits"). */
export const INPUT_LIMITS = {
  /** ELF objects and raw BTF (vmlinux's BTF is ~6 MiB; a vmlinux ELF a few hundred). */
  binary: 1024 * MiB,
  /** JSON inputs: reports, baselines, rules, config, compile databases, cache metadata. */
  json: 256 * MiB,
} as const;

export interface ReadOptions {
  /** Largest accepted size in bytes. */
  readonly maxBytes: number;
  /** What the file should be, for messages: `an ELF or BTF file`. */
  readonly expected?: string;
  /** The reason when open or read fails with errno `code` (default: `no such file`, `cannot read (EACCES)`). */
  readonly failure?: (code: string) => string;
}

function defaultFailure(code: string): string {
  return code === 'ENOENT' ? 'no such file' : `cannot read (${code})`;
}

function kindOf(st: ReturnType<typeof fstatSync>): string {
  if (st.isDirectory()) return 'a directory';
  if (st.isFIFO()) return 'a FIFO (named pipe)';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isSocket()) return 'a socket';
  return 'not a regular file';
}

/** Readable size: `1 GiB`, `256 MiB`, or bytes. */
export function formatBytes(n: number): string {
  if (n >= 1024 * MiB && n % (1024 * MiB) === 0) return `${n / (1024 * MiB)} GiB`;
  if (n >= MiB && n % MiB === 0) return `${n / MiB} MiB`;
  return `${n} bytes`;
}

/** The whole file, when it is a regular file of at most `maxBytes`; an InputError naming it otherwise. */
export function readRegularFile(path: string, options: ReadOptions): Buffer {
  const failure = (e: unknown): InputError =>
    new InputError((options.failure ?? defaultFailure)((e as NodeJS.ErrnoException).code ?? 'error'), { file: path }, { cause: e });
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOCTTY);
  } catch (e) {
    throw failure(e);
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) {
      const what = kindOf(st);
      throw new InputError(`is ${what}, expected ${options.expected ?? 'a regular file'}`, { file: path });
    }
    if (st.size > options.maxBytes) {
      throw new InputError(`is ${st.size} bytes, more than the limit of ${formatBytes(options.maxBytes)} for this input`, { file: path });
    }
    const buf = Buffer.allocUnsafe(st.size);
    let got = 0;
    while (got < st.size) {
      const n = readSync(fd, buf, got, st.size - got, null);
      if (n === 0) break; // shrank while we read: what is there
      got += n;
    }
    return got === st.size ? buf : buf.subarray(0, got);
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw failure(e);
  } finally {
    closeSync(fd);
  }
}

/** A regular text file (UTF-8) of at most the JSON cap unless `maxBytes` says otherwise. */
export function readTextFile(path: string, options: Partial<ReadOptions> = {}): string {
  return readRegularFile(path, { maxBytes: INPUT_LIMITS.json, expected: 'a JSON file', ...options }).toString('utf8');
}
