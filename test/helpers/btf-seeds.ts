/**
 * Real BTF blobs for the lint tests: every corpus probe through every
 * avenue on every toolchain installed here (gcc -gbtf, gcc -g + pahole with
 * and without --btf_gen_floats, gcc-11 -g + pahole, clang-16 --target=bpf,
 * bpf-gcc -gbtf). Built once and kept in a temp directory keyed by the
 * probe sources and the tools' versions, so later runs cost nothing.
 */
import { execFile, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { promisify } from 'node:util';
import { btfBlobs } from '../../src/lint/index.js';
import { PROBES } from './cli.js';

const execFileP = promisify(execFile);

export interface SeedBlob {
  /** probe.avenue, e.g. 02-char-signedness.gcc-btf */
  readonly name: string;
  readonly bytes: Uint8Array;
}

interface Avenue {
  readonly name: string;
  /** Tools that must exist. */
  readonly needs: readonly string[];
  /** Commands producing `out` (an ELF object or a raw blob) from `src`. */
  readonly steps: (src: string, tmp: string, out: string) => [string, string[]][];
}

const AVENUES: readonly Avenue[] = [
  { name: 'gcc-btf', needs: ['gcc'], steps: (src, _t, out) => [['gcc', ['-gbtf', '-c', src, '-o', out]]] },
  {
    name: 'pahole',
    needs: ['gcc', 'pahole'],
    steps: (src, t, out) => [
      ['gcc', ['-g', '-c', src, '-o', `${t}.o`]],
      ['pahole', [`--btf_encode_detached=${out}`, `${t}.o`]],
    ],
  },
  {
    name: 'pahole-floats',
    needs: ['gcc', 'pahole'],
    steps: (src, t, out) => [
      ['gcc', ['-g', '-c', src, '-o', `${t}.o`]],
      ['pahole', ['--btf_gen_floats', `--btf_encode_detached=${out}`, `${t}.o`]],
    ],
  },
  {
    name: 'gcc11-pahole',
    needs: ['gcc-11', 'pahole'],
    steps: (src, t, out) => [
      ['gcc-11', ['-g', '-c', src, '-o', `${t}.o`]],
      ['pahole', [`--btf_encode_detached=${out}`, `${t}.o`]],
    ],
  },
  { name: 'clang-bpf', needs: ['clang-16'], steps: (src, _t, out) => [['clang-16', ['--target=bpf', '-g', '-O2', '-c', src, '-o', out]]] },
  { name: 'bpf-gcc', needs: ['bpf-gcc'], steps: (src, _t, out) => [['bpf-gcc', ['-gbtf', '-O2', '-c', src, '-o', out]]] },
];

function have(tool: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' }).status === 0;
}

function version(tool: string): string {
  const r = spawnSync(tool, ['--version'], { encoding: 'utf8' });
  return (r.stdout || r.stderr || '').split('\n')[0];
}

/** The probes' seeds, compiling what the cache lacks. Avenues whose tools are missing are left out. */
export async function buildSeeds(): Promise<{ seeds: SeedBlob[]; avenues: string[] }> {
  const probes = readdirSync(PROBES)
    .filter((f) => f.endsWith('.c'))
    .sort();
  const avenues = AVENUES.filter((a) => a.needs.every(have));
  const key = createHash('sha256');
  for (const p of probes) key.update(p).update(readFileSync(join(PROBES, p)));
  for (const a of avenues) key.update(a.name).update(a.needs.map(version).join('|'));
  const dir = join(tmpdir(), `btfparity-lint-seeds-${key.digest('hex').slice(0, 16)}`);
  const done = join(dir, 'complete');
  if (!existsSync(done)) {
    const work = `${dir}.part-${process.pid}`;
    mkdirSync(work, { recursive: true });
    const jobs: (() => Promise<void>)[] = [];
    for (const p of probes) {
      for (const a of avenues) {
        jobs.push(async () => {
          const stem = join(work, `${basename(p, '.c')}.${a.name}`);
          try {
            for (const [cmd, args] of a.steps(join(PROBES, p), `${stem}.tmp`, `${stem}.out`)) {
              await execFileP(cmd, args, { cwd: work, timeout: 60_000 });
            }
          } catch {
            // A probe a toolchain cannot build (e.g. a BPF target without varargs) is no seed.
          }
        });
      }
    }
    let next = 0;
    await Promise.all(
      [0, 1].map(async () => {
        while (next < jobs.length) await jobs[next++]();
      }),
    );
    writeFileSync(join(work, 'complete'), '');
    try {
      renameSync(work, dir);
    } catch {
      // Another run finished first; its copy is as good.
    }
  }
  const seeds: SeedBlob[] = [];
  for (const f of readdirSync(dir)
    .filter((n) => n.endsWith('.out'))
    .sort()) {
    try {
      for (const b of btfBlobs(readFileSync(join(dir, f)))) seeds.push({ name: f.slice(0, -4), bytes: Uint8Array.from(b.bytes) });
    } catch {
      // an object without .BTF (cannot happen for these avenues) is skipped
    }
  }
  return { seeds, avenues: avenues.map((a) => a.name) };
}
