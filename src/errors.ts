/**
 * Errors that end a command with a documented exit status and one line on
 * stderr. Anything else escaping to the CLI is a bug in btfparity.
 */

/** Process exit statuses, documented in README and `--help`. */
export const EXIT = {
  /** No findings (or, with a baseline, no new findings). */
  OK: 0,
  /** Findings (or new findings against a baseline). */
  FINDINGS: 1,
  /** Usage error or bad input (malformed ELF/BTF, missing file). */
  INPUT: 2,
  /** A toolchain step failed: missing tool, compiler error, timeout. */
  TOOLCHAIN: 3,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** Where in an input a problem was found. */
export interface InputLocation {
  /** File the bytes came from, when known (the pure decoder does not know it). */
  file?: string;
  /** Byte offset from the start of the file (or blob, if no file). */
  offset?: number;
  /** BTF type id being decoded when it broke. */
  typeId?: number;
}

/** Malformed or unusable input: ELF, BTF, JSON, arguments. Exit status 2. */
export class InputError extends Error {
  readonly exitCode = EXIT.INPUT;
  constructor(
    readonly reason: string,
    readonly where: InputLocation = {},
  ) {
    super(reason);
    this.name = 'InputError';
  }

  /** A copy whose byte offset is moved by `delta` (a blob's position in its file). */
  shift(delta: number): InputError {
    if (this.where.offset === undefined) return this;
    return new InputError(this.reason, { ...this.where, offset: this.where.offset + delta });
  }

  /** A copy that names the file (kept if already named). */
  inFile(file: string): InputError {
    return new InputError(this.reason, { ...this.where, file: this.where.file ?? file });
  }

  /** One line: `FILE: at offset N (type id K): reason`. */
  oneLine(): string {
    const parts: string[] = [];
    if (this.where.offset !== undefined) parts.push(`offset ${this.where.offset}`);
    if (this.where.typeId !== undefined) parts.push(`type id ${this.where.typeId}`);
    const at = parts.length ? ` at ${parts.join(', ')}` : '';
    return `${this.where.file ?? '<input>'}${at}: ${this.reason}`;
  }
}

/** A toolchain step failed (not found, non-zero exit, timeout). Exit status 3. */
export class ToolchainError extends Error {
  readonly exitCode = EXIT.TOOLCHAIN;
  constructor(
    /** Which step, e.g. `pahole --btf_encode_detached` for probe foo.c. */
    readonly step: string,
    readonly reason: string,
    /** Captured stderr of the failing process, trimmed. */
    readonly stderr = '',
  ) {
    super(`${step}: ${reason}`);
    this.name = 'ToolchainError';
  }

  oneLine(): string {
    const firstErr = this.stderr.split('\n').find((l) => l.trim() !== '');
    return `${this.step}: ${this.reason}${firstErr ? ` (${firstErr.trim()})` : ''}`;
  }
}
