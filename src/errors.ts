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
  /** A bug in btfparity (EX_SOFTWARE of sysexits.h). */
  INTERNAL: 70,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** Where in an input a problem was found. */
export interface InputLocation {
  /** File the bytes came from, when known (the pure decoder does not know it). */
  file?: string;
  /** The command-line option (`--timeout`) whose value is at fault, when the input is an option. */
  option?: string;
  /** Byte offset from the start of the file (or blob, if no file). */
  offset?: number;
  /** BTF type id being decoded when it broke. */
  typeId?: number;
}

/** What an error was raised because of: the lower-level error it re-wraps (ES2022 `Error.cause`). */
export interface ErrorCause {
  readonly cause?: unknown;
}

/** Malformed or unusable input: ELF, BTF, JSON, arguments. Exit status 2. */
export class InputError extends Error {
  readonly exitCode = EXIT.INPUT;
  constructor(
    readonly reason: string,
    readonly where: InputLocation = {},
    options: ErrorCause = {},
  ) {
    super(reason, options.cause !== undefined ? { cause: options.cause } : undefined);
    this.name = 'InputError';
  }

  /** A copy at another location, keeping reason and cause. */
  private at(where: InputLocation): InputError {
    return new InputError(this.reason, where, { cause: this.cause });
  }

  /** A copy whose byte offset is moved by `delta` (a blob's position in its file). */
  shift(delta: number): InputError {
    if (this.where.offset === undefined) return this;
    return this.at({ ...this.where, offset: this.where.offset + delta });
  }

  /** A copy that names the file (kept if already named). */
  inFile(file: string): InputError {
    return this.at({ ...this.where, file: this.where.file ?? file });
  }

  /** A copy that names the command-line option the input came from (kept if already named). */
  inOption(option: string): InputError {
    return this.at({ ...this.where, option: this.where.option ?? option });
  }

  /** One line: `FILE: at offset N, type id K: reason`; an option stands where a file would. */
  oneLine(): string {
    const parts: string[] = [];
    if (this.where.offset !== undefined) parts.push(`offset ${this.where.offset}`);
    if (this.where.typeId !== undefined) parts.push(`type id ${this.where.typeId}`);
    const at = parts.length ? ` at ${parts.join(', ')}` : '';
    return `${this.where.option ?? this.where.file ?? '<input>'}${at}: ${this.reason}`;
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
    options: ErrorCause = {},
  ) {
    super(`${step}: ${reason}`, options.cause !== undefined ? { cause: options.cause } : undefined);
    this.name = 'ToolchainError';
  }

  oneLine(): string {
    const firstErr = this.stderr.split('\n').find((l) => l.trim() !== '');
    return `${this.step}: ${this.reason}${firstErr ? ` (${firstErr.trim()})` : ''}`;
  }
}

/**
 * A bug in btfparity: an invariant the code relies on does not hold. Exit
 * status 70; the CLI prints one line and, with BTFPARITY_DEBUG=1, the stack.
 */
export class InternalError extends Error {
  readonly exitCode = EXIT.INTERNAL;
  constructor(message: string, options: ErrorCause = {}) {
    super(message, options.cause !== undefined ? { cause: options.cause } : undefined);
    this.name = 'InternalError';
  }

  /** Any error (or thrown value) that is not one of ours, as an InternalError; itself when it already is one. */
  static from(e: unknown): InternalError {
    if (e instanceof InternalError) return e;
    return new InternalError(e instanceof Error ? e.message : String(e), { cause: e });
  }

  oneLine(): string {
    return `internal error: ${this.message} (set BTFPARITY_DEBUG=1 for a stack trace)`;
  }

  /** The stack of what went wrong: the original error's when this wraps one (none for a thrown non-Error). */
  trace(): string {
    if (this.cause === undefined) return this.stack ?? '';
    return this.cause instanceof Error ? (this.cause.stack ?? '') : '';
  }
}
