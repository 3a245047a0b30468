/**
 * Signals and killed tools (issue 14, items 6 and 7), through the built CLI.
 *
 * - SIGTERM/SIGINT during a CPU-bound phase end btfparity at once (it used
 *   to finish the phase first: > 10 s on big units), with the signal's
 *   status, and the run's temp dirs go.
 * - btfparity killed with SIGKILL leaves no tool
 *   running as an orphan and no temp dir: the reaper stops and removes them.
 * - A compiler step stopped by the timeout, or by Ctrl-C, leaves nothing in
 *   the caller's TMPDIR (gcc's cc*.s): steps get a private TMPDIR inside the
 *   run's temp dir, and are stopped with SIGTERM before SIGKILL.
 *
 * No wall-clock assertion on how long things take, except the one that is
 * the point: the exit after a signal comes well before the CPU-bound phase
 * could have finished.
 */
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeBtf } from '../src/btf/encode.js';
import type { BtfType } from '../src/btf/types.js';
import { CLI, ensureBuilt, PROBES, runCliWithLeftover } from './helpers/cli.js';
import { tempDir } from './reader-toolchain.js';

const { dir: work, cleanup } = tempDir('signals');
afterAll(cleanup);
beforeAll(ensureBuilt);

const SRC = join(PROBES, '01-int-widths.c');

function script(name: string, text: string): string {
  const p = join(work, name);
  mkdirSync(join(p, '..'), { recursive: true });
  writeFileSync(p, text);
  chmodSync(p, 0o755);
  return p;
}

async function waitFor(cond: () => boolean, what: string, ms = 15_000): Promise<void> {
  const until = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

interface Started {
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>;
  readonly pid: number;
}

function start(argv: string[], env: Record<string, string>): Started {
  const child = spawn(argv[0], argv.slice(1), { cwd: work, env: { ...process.env, NO_COLOR: '1', ...env }, stdio: 'ignore' });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>((res) =>
    child.on('exit', (code, signal) => res({ code, signal, at: Date.now() })),
  );
  return { exited, pid: child.pid! };
}

describe('a signal during a CPU-bound phase', () => {
  it('SIGTERM while comparing a 100k-type BTF ends btfparity at once, by SIGTERM, temp dirs removed', async () => {
    // The right side's .BTF is replaced by a big synthetic BTF, so the comparison after the steps takes seconds of CPU.
    const types: BtfType[] = [
      { kind: 'INT', id: 1, name: 'int', nameOff: 0, size: 4, encoding: { signed: true, char: false, bool: false }, encodingBits: 1, bitsOffset: 0, bits: 32 },
    ];
    for (let i = 0; i < 100_000; i++) {
      types.push({
        kind: 'STRUCT',
        id: types.length + 1,
        name: `s${i}`,
        nameOff: 0,
        size: 16,
        kindFlag: false,
        members: [0, 1, 2, 3].map((k) => ({ name: `m${k}`, nameOff: 0, type: 1, bitsOffset: k * 32, bitfieldSize: 0 })),
      });
    }
    const big = join(work, 'big.btf');
    writeFileSync(big, encodeBtf({ types }));
    const marker = join(work, 'cpu-phase');
    const bin = join(work, 'cpu-bin');
    script(
      'cpu-bin/gcc',
      `#!/bin/sh\ncase "$*" in *" -c "*) /usr/bin/gcc "$@" || exit $?; for a; do [ "$prev" = -o ] && out=$a; prev=$a; done; exec objcopy --update-section .BTF=${big} "$out" ;; esac\nexec /usr/bin/gcc "$@"\n`,
    );
    script('cpu-bin/pahole', `#!/bin/sh\n/usr/bin/pahole "$@"; s=$?\ncase "$*" in *encode*) touch ${marker} ;; esac\nexit $s\n`);
    const tmp = mkdtempSync(join(work, 'tmp-cpu-'));
    const run = start([process.execPath, CLI, 'check', '--no-cache', '-q', SRC], { TMPDIR: tmp, PATH: `${bin}:${process.env.PATH}` });
    await waitFor(() => existsSync(marker), 'the last step');
    await new Promise((r) => setTimeout(r, 300)); // into decoding/comparing/classifying
    const sent = Date.now();
    process.kill(run.pid, 'SIGTERM');
    const end = await run.exited;
    expect(end.signal === 'SIGTERM' || end.code === 143, JSON.stringify(end)).toBe(true);
    // The comparison alone takes seconds; ending this fast means it did not run to completion first.
    expect(end.at - sent).toBeLessThan(1500);
    await waitFor(() => readdirSync(tmp).length === 0, 'the temp dirs to go');
  });
});

describe('btfparity killed with SIGKILL', () => {
  it('while a tool hangs: the hung tool is stopped and the temp dirs removed by the reaper', async () => {
    const pidFile = join(work, 'orphan.pid');
    const bin = join(work, 'hang-bin');
    script('hang-bin/gcc', `#!/bin/sh\nif [ "$1" = "--version" ]; then exec /usr/bin/gcc --version; fi\nsleep 300 &\necho $! > ${pidFile}\nwait\n`);
    const tmp = mkdtempSync(join(work, 'tmp-kill-'));
    // SIGKILL once the hung tool is running: a fixed `timeout -s KILL 3` once
    // fired before btfparity had even spawned gcc (at load 27). Nothing in
    // btfparity can catch it, so the reaper alone must clean up.
    const run = start([process.execPath, CLI, 'check', '--no-cache', '-q', SRC], {
      TMPDIR: tmp,
      PATH: `${bin}:${process.env.PATH}`,
    });
    await waitFor(() => existsSync(pidFile) && readFileSync(pidFile, 'utf8').trim() !== '', 'the hung tool to start', 300_000);
    process.kill(run.pid, 'SIGKILL');
    const end = await run.exited;
    expect(end.signal, JSON.stringify(end)).toBe('SIGKILL');
    const sleeper = Number(readFileSync(pidFile, 'utf8'));
    await waitFor(() => !alive(sleeper), 'the orphaned tool to be stopped', 60_000);
    await waitFor(() => readdirSync(tmp).length === 0, 'the temp dirs to go', 60_000);
  }, 600_000);
});

describe("a compiler stopped mid-step leaves nothing in the caller's TMPDIR", () => {
  // gcc runs `as` through this wrapper (-wrapper): cc1 has written its ccXXXXXX.s into TMPDIR; `as` hangs.
  const hangAs = () => script('hang-as.sh', `#!/bin/sh\ncase "$1" in */as|as) touch ${join(work, 'as-started')}; sleep 300 ;; esac\nexec "$@"\n`);

  it('at the step timeout', () => {
    const r = runCliWithLeftover(['check', '--no-cache', '-q', '--timeout', '2', '--format', 'json', '--cflags', `-wrapper ${hangAs()}`, SRC], {
      cwd: work,
      tmpParent: work,
    });
    expect(r.status).toBe(3);
    expect(JSON.parse(r.stdout).units[0].error.message).toMatch(/^timed out after 2s/);
    expect(r.leftover).toEqual([]); // no cc*.s
  });

  it('at Ctrl-C (SIGINT)', async () => {
    const started = join(work, 'as-started');
    rmSync(started, { force: true });
    const tmp = mkdtempSync(join(work, 'tmp-int-'));
    const run = start([process.execPath, CLI, 'check', '--no-cache', '-q', '--cflags', `-wrapper ${hangAs()}`, SRC], { TMPDIR: tmp });
    await waitFor(() => existsSync(started), 'as to start');
    process.kill(run.pid, 'SIGINT');
    const end = await run.exited;
    expect(end.signal === 'SIGINT' || end.code === 130).toBe(true);
    await waitFor(() => readdirSync(tmp).length === 0, "the temp dirs and gcc's cc*.s to go");
  });
});
