/**
 * The running kernel as a witness: hand BTF blobs to its verifier through
 * the btf-load helper (tools/btf-load, built by scripts/setup into
 * build/btf-load) and read back its verdicts. An effect: spawns one helper
 * process for any number of blobs (length-prefixed on its stdin, one JSON
 * line per blob on its stdout).
 */
import { spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ToolchainError } from '../errors.js';

export interface KernelVerdict {
  readonly accepted: boolean;
  /** errno of the refused load (22 EINVAL, 524 ENOTSUPP, 7 E2BIG, ...). */
  readonly errno?: number;
  readonly error?: string;
  /** The verifier log's last non-empty lines, oldest first; the last is its reason. */
  readonly log: readonly string[];
}

/** The helper's path: $BTFPARITY_BTF_LOAD, else build/btf-load in the package. */
export function kernelHelperPath(): string {
  const fromEnv = process.env.BTFPARITY_BTF_LOAD;
  if (fromEnv) return resolve(fromEnv);
  // dist/witness/kernel-load.js or src/witness/kernel-load.ts → package root
  return join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'build', 'btf-load');
}

/** Why no verdict can be had here (no helper, or no BPF_BTF_LOAD), or undefined when one can. */
export async function kernelUnavailable(helper = kernelHelperPath()): Promise<string | undefined> {
  try {
    accessSync(helper, constants.X_OK);
  } catch {
    return `kernel helper ${helper} is missing (run scripts/setup)`;
  }
  // The smallest accepted blob: one INT.
  const probe = Uint8Array.from([
    0x9f, 0xeb, 1, 0, 24, 0, 0, 0, 0, 0, 0, 0, 16, 0, 0, 0, 16, 0, 0, 0, 3, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1, 1, 0, 0, 0, 8, 0, 0, 0, 0, 0x61, 0,
  ]);
  try {
    await kernelLoad([probe], { helper });
    return undefined;
  } catch (e) {
    return e instanceof ToolchainError ? e.reason : String(e);
  }
}

export interface KernelLoadOptions {
  readonly helper?: string;
}

/** The kernel's verdict on each blob, in order. ToolchainError when the helper is missing or BPF_BTF_LOAD is refused. */
export function kernelLoad(blobs: readonly Uint8Array[], options: KernelLoadOptions = {}): Promise<KernelVerdict[]> {
  const helper = options.helper ?? kernelHelperPath();
  try {
    accessSync(helper, constants.X_OK);
  } catch {
    return Promise.reject(new ToolchainError('btf-load', `helper ${helper} is missing or not executable (run scripts/setup)`));
  }
  return new Promise((resolvePromise, reject) => {
    const child = spawn(helper, ['-'], { stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => err.push(c));
    child.on('error', (e) => reject(new ToolchainError('btf-load', e.message)));
    child.stdin.on('error', () => {
      // The helper stopped reading (it exits on its own error); its status says why.
    });
    child.on('close', (code) => {
      const stderr = Buffer.concat(err).toString('utf8').trim();
      if (code === 3) return reject(new ToolchainError('btf-load', 'BPF_BTF_LOAD is not permitted here (needs root or CAP_BPF)', stderr));
      if (code !== 0) return reject(new ToolchainError('btf-load', `helper exited with status ${code}`, stderr));
      const lines = Buffer.concat(out)
        .toString('utf8')
        .split('\n')
        .filter((l) => l !== '');
      if (lines.length !== blobs.length) {
        return reject(new ToolchainError('btf-load', `helper answered ${lines.length} of ${blobs.length} blobs`, stderr));
      }
      try {
        resolvePromise(lines.map(parseVerdict));
      } catch (e) {
        reject(new ToolchainError('btf-load', `unreadable helper answer (${e instanceof Error ? e.message : e})`));
      }
    });
    const len = Buffer.alloc(4);
    for (const b of blobs) {
      len.writeUInt32LE(b.length, 0);
      child.stdin.write(Buffer.from(len));
      child.stdin.write(b);
    }
    child.stdin.end();
  });
}

function parseVerdict(line: string): KernelVerdict {
  const j = JSON.parse(line) as { accepted: boolean; errno?: number; error?: string; log?: string[] };
  return { accepted: j.accepted === true, errno: j.errno, error: j.error, log: j.log ?? [] };
}
