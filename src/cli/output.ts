/** Writing at the edge: results to stdout (synchronous, whole, quiet when the reader goes away) and lines to stderr. */
import { writeSync } from 'node:fs';

let stdoutClosed = false;

/**
 * Write all of `chunk` to stdout synchronously (a streamed 12 MB dump, piped
 * or not). A closed pipe (`| head`) is not our error: output ends quietly.
 */
export function writeBytes(chunk: Uint8Array): void {
  let off = 0;
  while (off < chunk.length && !stdoutClosed) {
    try {
      off += writeSync(1, chunk, off, chunk.length - off);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EAGAIN') continue;
      if (code === 'EPIPE') stdoutClosed = true;
      else throw e;
    }
  }
}

/** Write all of `text` to stdout (see writeBytes). */
export function writeOut(text: string): void {
  writeBytes(Buffer.from(text, 'utf8'));
}

/** One line on stderr, prefixed `btfparity: ` (warnings, gate results, unit failures). */
export function stderrLine(line: string): void {
  process.stderr.write(`btfparity: ${line}\n`);
}
