/** Writing results at the edge. */
import { writeSync } from 'node:fs';

/** Write all of `text` to stdout synchronously (large dumps, piped or not). */
export function writeOut(text: string): void {
  const buf = Buffer.from(text, 'utf8');
  let off = 0;
  while (off < buf.length) {
    try {
      off += writeSync(1, buf, off, buf.length - off);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EAGAIN') continue;
      if (code === 'EPIPE') return; // reader went away (e.g. `| head`): not our error
      throw e;
    }
  }
}
