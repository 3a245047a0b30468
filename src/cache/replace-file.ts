/**
 * Writing one small cache file so that readers see all of it or none: the
 * bytes go to a private temporary directory beside it and are renamed into
 * place (atomic on one file system; the last of two racing writers wins).
 * An effect. Used for what a later run only looks up (direct-mode
 * manifests, tool digests): a failed write is never a failure of the run.
 */
import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** Put `data` at `final`, replacing what is there; false when it could not be written (the caller goes on without it). */
export function replaceFile(final: string, data: string | Uint8Array): boolean {
  const parent = dirname(final);
  let tmp: string | undefined;
  try {
    mkdirSync(parent, { recursive: true });
    tmp = mkdtempSync(join(parent, '.tmp-'));
    const file = join(tmp, 'f');
    writeFileSync(file, data);
    renameSync(file, final);
    return true;
  } catch {
    return false;
  } finally {
    if (tmp !== undefined) rmSync(tmp, { recursive: true, force: true });
  }
}
