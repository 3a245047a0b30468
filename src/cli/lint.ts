/**
 * `btfparity lint FILE...`: would the kernel load this BTF? The verdict of
 * src/lint (a TypeScript re-implementation of the kernel's BTF verifier)
 * for each file, and with --kernel the running kernel's own verdict beside it.
 */
import { EXIT, InputError } from '../errors.js';
import { btfBlobs, type LintResult, lintBlob, reasonAgrees } from '../lint/index.js';
import { type KernelVerdict, kernelLoad } from '../witness/kernel-load.js';
import { LINT_FORMATS } from './commands/lint.js';
import { readInputFile } from './input.js';
import { stderrLine, writeOut } from './output.js';

export interface LintCliOptions {
  base?: string;
  format: string;
  kernel?: boolean;
}

/** One linted blob (or a file that could not be read as BTF), in argument order. */
interface FileLint {
  readonly file: string;
  /** 1-based blob index, for files holding a BTF archive. */
  readonly blob?: number;
  readonly bytes?: Uint8Array;
  readonly result?: LintResult;
  readonly error?: string;
  kernel?: KernelVerdict;
}

export async function runLint(files: string[], opts: LintCliOptions): Promise<void> {
  if (!(LINT_FORMATS as readonly string[]).includes(opts.format)) {
    throw new InputError(`unknown format '${opts.format}' (one of: ${LINT_FORMATS.join(', ')})`);
  }
  if (opts.kernel && opts.base) {
    throw new InputError('--kernel with --base: BPF_BTF_LOAD loads only base BTF; the kernel checks split BTF only when it loads a module');
  }
  const base = opts.base ? baseBytes(opts.base) : undefined;
  const linted: FileLint[] = [];
  for (const file of files) {
    try {
      const blobs = btfBlobs(readInputFile(file));
      blobs.forEach((b, i) => {
        linted.push({ file, blob: blobs.length > 1 ? i + 1 : undefined, bytes: b.bytes, result: lintBlob(b.bytes, { base }) });
      });
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      const err = e.inFile(file);
      stderrLine(err.oneLine());
      linted.push({ file, error: err.reason });
    }
  }
  if (opts.kernel) {
    const withBytes = linted.filter((l) => l.bytes !== undefined);
    const verdicts = await kernelLoad(withBytes.map((l) => l.bytes as Uint8Array));
    withBytes.forEach((l, i) => {
      l.kernel = verdicts[i];
    });
  }
  writeOut(opts.format === 'json' ? renderJson(linted) : renderText(linted));
  const rejected = linted.some((l) => (l.result && !l.result.accepted) || (l.kernel && !l.kernel.accepted));
  process.exitCode = linted.some((l) => l.error !== undefined) ? EXIT.INPUT : rejected ? EXIT.FINDINGS : EXIT.OK;
}

function baseBytes(path: string): Uint8Array {
  try {
    return btfBlobs(readInputFile(path))[0].bytes;
  } catch (e) {
    if (e instanceof InputError) throw new InputError(`--base: ${e.reason}`, { ...e.where, file: path });
    throw e;
  }
}

function label(l: FileLint): string {
  return l.blob === undefined ? l.file : `${l.file} (blob ${l.blob})`;
}

function renderText(linted: readonly FileLint[]): string {
  const out: string[] = [];
  for (const l of linted) {
    if (!l.result) {
      out.push(`${label(l)}: bad input: ${l.error}`);
      continue;
    }
    out.push(`${label(l)}: ${l.result.accepted ? 'accepted' : 'rejected'}`);
    for (const r of l.result.rejections) {
      const where =
        r.typeId === undefined ? 'header' : `[${r.typeId}] ${r.kind ?? 'UNKN'} ${r.name === undefined ? '?' : r.name === '' ? '(anon)' : `'${r.name}'`}`;
      const component = r.component === undefined ? '' : ` #${r.component}`;
      out.push(`  ${where}${component}: ${r.message} (${r.rule})`);
    }
    if (l.kernel) {
      const reason = l.kernel.log.length ? l.kernel.log[l.kernel.log.length - 1].trim() : '';
      const verdict = l.kernel.accepted ? 'accepted' : `rejected (${l.kernel.error ?? l.kernel.errno}): ${reason}`;
      const agree = l.kernel.accepted === l.result.accepted ? '' : '  <-- the lint disagrees';
      out.push(`  kernel: ${verdict}${agree}`);
    }
  }
  return `${out.join('\n')}\n`;
}

function renderJson(linted: readonly FileLint[]): string {
  const rows = linted.map((l) => ({
    file: l.file,
    ...(l.blob !== undefined ? { blob: l.blob } : {}),
    accepted: l.result?.accepted ?? false,
    rejections: l.result?.rejections ?? [],
    ...(l.error !== undefined ? { error: l.error } : {}),
    ...(l.kernel && l.result
      ? {
          kernel: {
            accepted: l.kernel.accepted,
            ...(l.kernel.errno !== undefined ? { errno: l.kernel.errno, error: l.kernel.error } : {}),
            log: l.kernel.log,
            agrees: l.kernel.accepted === l.result.accepted,
            reasonAgrees: reasonAgrees(l.result, l.kernel),
          },
        }
      : {}),
  }));
  return `${JSON.stringify(rows, null, 2)}\n`;
}
