/**
 * The compiler's DWARF as a witness: `llvm-dwarfdump --debug-info` of the
 * object a unit's compile left (an effect: spawns the reader). The text is
 * parsed by src/verdict/dwarf-facts.ts (pure); the pipeline runs this once
 * per unit and caches the parsed facts with the unit's artifacts.
 */
import { execFile } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

/** DWARF readers tried in order (Debian ships versioned llvm tools). */
export const DWARFDUMP_CANDIDATES = ['llvm-dwarfdump', 'llvm-dwarfdump-16', 'llvm-dwarfdump-17', 'llvm-dwarfdump-15'];

/** The first DWARF reader on PATH ($BTFPARITY_DWARFDUMP first), or undefined. */
export function findDwarfDump(): string | undefined {
  const env = process.env.BTFPARITY_DWARFDUMP;
  const candidates = env ? [env, ...DWARFDUMP_CANDIDATES] : DWARFDUMP_CANDIDATES;
  for (const c of candidates) {
    const dirs = c.includes('/') ? [''] : (process.env.PATH ?? '').split(delimiter).filter((d) => d !== '');
    for (const d of dirs) {
      const p = d === '' ? c : join(d, c);
      try {
        accessSync(p, constants.X_OK);
        return p;
      } catch {
        // next
      }
    }
  }
  return undefined;
}

/**
 * `llvm-dwarfdump --debug-info OBJECT` text, or undefined when no reader
 * is installed or it fails (the run then goes without verdicts, and says so).
 */
export function readDwarfText(object: string, timeoutSeconds: number, reader: string | undefined = findDwarfDump()): Promise<string | undefined> {
  if (reader === undefined) return Promise.resolve(undefined);
  return new Promise((resolveText) => {
    execFile(reader, ['--debug-info', object], { timeout: timeoutSeconds * 1000, maxBuffer: 256 * 1024 * 1024 }, (err, stdout) => {
      resolveText(err ? undefined : stdout);
    });
  });
}
