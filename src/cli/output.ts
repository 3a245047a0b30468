/** Writing at the edge: results to stdout (synchronous, whole, quiet when the reader goes away) and lines to stderr. */
import { writeSync } from 'node:fs';
import { escapeControls } from '../report/escape.js';

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

/**
 * One line on stderr as given (callers with their own prefix: `btfparity reduce: `,
 * `wrote …`), whatever `text` quotes: control characters (a BTF name's newline or
 * ESC, a JSON snippet's line breaks) are escaped, so the line stays one line and
 * cannot drive the terminal (src/report/escape.ts).
 */
export function errLine(text: string): void {
  process.stderr.write(`${escapeControls(text)}\n`);
}

/** One line on stderr, prefixed `btfparity: ` (warnings, gate results, unit failures), escaped as errLine does. */
export function stderrLine(line: string): void {
  errLine(`btfparity: ${line}`);
}
