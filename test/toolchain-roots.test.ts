/**
 * Toolchain roots for real: trixie and sid built by the product
 * (`btfparity toolchain add`, as `scripts/setup --toolchains` does; quick
 * when they exist already), then their tools used as ROOT:TOOL by check,
 * compared with the same root's bpftool, a wrapper around a root's gcc,
 * and a build that cannot succeed. Roots live where the product keeps them
 * ($BTFPARITY_ROOTS_DIR, default ~/.cache/btfparity/roots), so one build
 * serves every later run. Skipped, saying so, only when mmdebstrap cannot
 * reach the Debian archive.
 */
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, type TestContext, test } from 'vitest';
import { identifyTool } from '../src/toolchain/identity.js';
import { digestFile } from '../src/cache/tool-digest.js';
import { runCommand } from '../src/recipe/run-step.js';
import type { RunResult } from '../src/report/run-result.js';
import { toolCommand } from '../src/toolchain/exec.js';
import { hostPath, readRoot, type Root, rootsDir } from '../src/toolchain/roots.js';
import { resolveToolRef } from '../src/toolchain/tool-ref.js';
import { CLI, type CliRun, ensureBuilt, PROBES, runCli } from './helpers/cli.js';

const work = mkdtempSync(join(tmpdir(), 'btfparity-test-roots-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const PROBE = '21-multidim-array.c';
/** Building a root takes 35-40 s on an idle machine, several minutes on a busy one. */
const BUILD_MS = 30 * 60_000;
const OFFLINE = /Failed to fetch|Temporary failure resolving|Could not resolve|Could not connect|Network is unreachable|Connection timed out/;

/**
 * The CLI as a child process without blocking this worker: building a root
 * takes minutes, and a worker stuck in spawnSync that long misses vitest's
 * own heartbeats.
 */
function runCliAsync(args: readonly string[], env: Record<string, string> = {}): Promise<CliRun> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: work, env: { ...process.env, NO_COLOR: '1', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => {
      stdout += c.toString();
    });
    child.stderr.on('data', (c: Buffer) => {
      stderr += c.toString();
    });
    const timer = setTimeout(() => child.kill('SIGTERM'), BUILD_MS);
    child.on('close', (status) => {
      clearTimeout(timer);
      done({ status, stdout, stderr });
    });
  });
}

let offline: string | undefined;
const roots: Record<string, Root> = {};

beforeAll(async () => {
  ensureBuilt();
  for (const suite of ['trixie', 'sid']) {
    const r = await runCliAsync(['toolchain', 'add', suite]);
    if (r.status === 3 && OFFLINE.test(r.stderr)) {
      offline = r.stderr.trim();
      return;
    }
    expect([suite, r.status, r.stderr.replace(/^btfparity: toolchain root .* is already there .*\n$/, '')]).toEqual([suite, 0, '']);
    const root = readRoot(suite, rootsDir());
    if (!root) throw new Error(`toolchain add ${suite} exited 0 but left no root`);
    roots[suite] = root;
  }
}, 2 * BUILD_MS);

/** Skip (with the reason on stderr) when the roots could not be made for lack of network. */
function needRoots(ctx: TestContext): void {
  if (offline === undefined) return;
  process.stderr.write(`toolchain-roots: skipped, mmdebstrap cannot reach the Debian archive: ${offline}\n`);
  ctx.skip();
}

/** A scratch copy of a probe in a directory of its own (the "user's tree"). */
function userTree(name: string, probe = PROBE): string {
  const dir = join(work, name);
  mkdirSync(dir, { recursive: true });
  copyFileSync(join(PROBES, probe), join(dir, probe));
  return dir;
}

function listing(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .sort()
    .map((f) => `${f} ${statSync(join(dir, f)).mtimeMs}`);
}

/** The one cached BTF file of a side (a fresh cache dir holds one unit). */
function cachedBtf(cacheDir: string, side: 'left' | 'right'): string {
  const shard = readdirSync(join(cacheDir, 'units'));
  expect(shard.length).toBe(1);
  const entries = readdirSync(join(cacheDir, 'units', shard[0]));
  expect(entries.length).toBe(1);
  return join(cacheDir, 'units', shard[0], entries[0], `${side}.btf`);
}

describe('toolchain add and list', () => {
  test('list shows both roots with the tools of their suite and the versions read inside them', (ctx) => {
    needRoots(ctx);
    const text = runCli(['toolchain', 'list']);
    expect(text.status).toBe(0);
    expect(text.stdout).toMatch(/^trixie {2}Debian trixie, \d+ MB, made /m);
    expect(text.stdout).toMatch(/^sid {2}Debian sid, \d+ MB, made /m);
    for (const line of [
      /^ {2}sid:gcc-16 +gcc-16 \(Debian 16\.[^)]*\) 16\.\d+\.\d+$/m,
      /^ {2}sid:gcc-15 +gcc-15 \(Debian 15\.[^)]*\) 15\.\d+\.\d+$/m,
      /^ {2}sid:clang +Debian clang version \d+\./m,
      /^ {2}sid:pahole +v1\.\d+$/m,
      /^ {2}sid:bpftool +bpftool v7\.\d+\.\d+$/m,
      /^ {2}sid:bpf-gcc +bpf-gcc .* 16\.\d+\.\d+$/m,
      /^ {2}trixie:gcc-14 +gcc-14 \(Debian 14\.2\.[^)]*\) 14\.2\.\d+$/m,
      /^ {2}trixie:pahole +v1\.30$/m,
      /^ {2}trixie:bpftool +bpftool v7\.5\.\d+$/m,
      /^ {2}trixie:clang-19 +Debian clang version 19\./m,
    ])
      expect(text.stdout).toMatch(line);
    const json = JSON.parse(runCli(['toolchain', 'list', '--format', 'json']).stdout) as {
      rootsDir: string;
      roots: { name: string; fs: string; packages: string[] }[];
    };
    expect(json.rootsDir).toBe(rootsDir());
    const sid = json.roots.find((r) => r.name === 'sid');
    expect(sid?.packages).toEqual(expect.arrayContaining(['gcc-16', 'gcc-15', 'dwarves', 'bpftool', 'clang', 'gcc-bpf']));
    expect(sid?.fs).toBe(roots.sid.fs);
  });

  test('adding a root that is there already does nothing, quickly', (ctx) => {
    needRoots(ctx);
    const started = Date.now();
    const r = runCli(['toolchain', 'add', 'sid']);
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/^btfparity: toolchain root 'sid' is already there \(made .*\); --replace makes it anew\n$/);
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(readRoot('sid', rootsDir())?.manifest.created).toBe(roots.sid.manifest.created);
  });
});

describe('ROOT:TOOL in check', () => {
  test("--cc sid:gcc-16: the report names the root's tool, and the BTF it made dumps exactly as sid's bpftool dumps it", (ctx) => {
    needRoots(ctx);
    const tree = userTree('sid-cc');
    const before = listing(tree);
    const cacheDir = mkdtempSync(join(work, 'cache-sid-'));
    const r = runCli(['check', '-q', '--cc', 'sid:gcc-16', '--cache-dir', cacheDir, '--format', 'json', PROBE], { cwd: tree });
    expect(r.stderr).toBe('');
    expect([0, 1]).toContain(r.status);
    const report = JSON.parse(r.stdout) as RunResult;
    const cc = report.toolchain.find((t) => t.role === 'cc');
    expect(cc).toMatchObject({ command: 'sid:gcc-16', path: '/usr/bin/gcc-16' });
    expect(cc?.version).toMatch(/^gcc-16 \(Debian 16\./);
    expect(report.units[0].error).toBeUndefined();
    expect(report.units[0].commands[0].argv.slice(0, 3)).toEqual(['sid:gcc-16', '-g', '-gbtf']);
    // Nothing was written in the user's tree.
    expect(listing(tree)).toEqual(before);
    // The right side's BTF is gcc 16's .BTF section, as the cache keeps it.
    const btf = cachedBtf(cacheDir, 'right');
    const ours = runCli(['dump', btf]);
    const theirs = runCli(['toolchain', 'run', 'sid:bpftool', 'btf', 'dump', 'file', btf]);
    expect([ours.status, theirs.status, theirs.stderr]).toEqual([0, 0, '']);
    expect(ours.stdout.split('\n').length).toBeGreaterThan(20);
    expect(ours.stdout === theirs.stdout).toBe(true);
    // A second run is served by the cache: the root's gcc and cc1 were digested inside the root.
    const again = runCli(['check', '-q', '--cc', 'sid:gcc-16', '--cache-dir', cacheDir, '--format', 'json', PROBE], { cwd: tree });
    expect(again.stdout).toBe(r.stdout);
    expect(readdirSync(join(cacheDir, 'units')).length).toBe(1);
  });

  test("an object compiled by sid's gcc-16 (toolchain run) dumps as sid's bpftool dumps it", (ctx) => {
    needRoots(ctx);
    const tree = userTree('sid-run');
    const out = mkdtempSync(join(work, 'out-'));
    const obj = join(out, 'probe.o');
    const cc = runCli(['toolchain', 'run', '--rw', out, '--', 'sid:gcc-16', '-gbtf', '-c', PROBE, '-o', obj], { cwd: tree });
    expect([cc.status, cc.stderr]).toEqual([0, '']);
    const ours = runCli(['dump', obj]);
    const theirs = runCli(['toolchain', 'run', 'sid:bpftool', 'btf', 'dump', 'file', obj]);
    expect(ours.status).toBe(0);
    expect(ours.stdout === theirs.stdout).toBe(true);
  });

  test('--pahole trixie:pahole encodes the host-compiled object with pahole 1.30', (ctx) => {
    needRoots(ctx);
    const tree = userTree('trixie-pahole');
    const before = listing(tree);
    const cacheDir = mkdtempSync(join(work, 'cache-trixie-'));
    const r = runCli(['check', '-q', '--pahole', 'trixie:pahole', '--cache-dir', cacheDir, '--format', 'json', PROBE], { cwd: tree });
    expect(r.stderr).toBe('');
    const report = JSON.parse(r.stdout) as RunResult;
    expect(report.toolchain).toEqual([
      expect.objectContaining({ role: 'cc', command: 'gcc', path: '/usr/bin/gcc', version: expect.stringMatching(/ 12\.2\.0$/) }),
      { role: 'pahole', command: 'trixie:pahole', path: '/usr/bin/pahole', version: 'v1.30' },
    ]);
    expect(report.units[0].error).toBeUndefined();
    expect(report.units[0].commands.map((c) => c.argv[0])).toEqual(['gcc', 'trixie:pahole']);
    expect(listing(tree)).toEqual(before);
    // pahole's detached BTF reads back the same in trixie's bpftool and in our dump.
    const left = cachedBtf(cacheDir, 'left');
    const theirs = runCli(['toolchain', 'run', 'trixie:bpftool', 'btf', 'dump', 'file', left]);
    expect(theirs.status).toBe(0);
    expect(runCli(['dump', left]).stdout === theirs.stdout).toBe(true);
  });

  test('the same with the setting from the environment and from a config file', (ctx) => {
    needRoots(ctx);
    const tree = userTree('env-config');
    const viaEnv = runCli(['check', '-q', '--no-cache', '--format', 'json', PROBE], { cwd: tree, env: { BTFPARITY_CC: 'trixie:gcc-14' } });
    expect((JSON.parse(viaEnv.stdout) as RunResult).toolchain[0]).toMatchObject({ command: 'trixie:gcc-14', path: '/usr/bin/gcc-14' });
    const cfgDir = mkdtempSync(join(work, 'cfg-'));
    const cfg = join(cfgDir, 'btfparity.json');
    writeFileSync(cfg, JSON.stringify({ cc: 'sid:gcc-15', pahole: 'sid:pahole' }));
    const viaConfig = runCli(['check', '-q', '--no-cache', '--config', cfg, '--format', 'json', PROBE], { cwd: tree });
    const tools = (JSON.parse(viaConfig.stdout) as RunResult).toolchain;
    expect(tools.map((t) => t.command)).toEqual(['sid:gcc-15', 'sid:pahole']);
    expect(tools[1].version).toMatch(/^v1\.\d+$/);
  });

  test("the cache key of a root's gcc covers its cc1 inside the root, and names it by root and path", async (ctx) => {
    needRoots(ctx);
    const gcc16 = await resolveToolRef('cc', 'sid:gcc-16', 60);
    const gcc15 = await resolveToolRef('cc', 'sid:gcc-15', 60);
    if (!gcc16 || !gcc15) throw new Error('not resolved');
    const d16 = await identifyTool(gcc16, 60);
    const d15 = await identifyTool(gcc15, 60);
    expect(d16?.path).toBe('sid:/usr/bin/gcc-16');
    expect(d16?.sha256).not.toBe(d15?.sha256);
    // Not the driver alone: cc1 (found with -print-prog-name=cc1 inside the root) is in it.
    const driver = hostPath(roots.sid.fs, '/usr/bin/gcc-16');
    expect(driver).toBeDefined();
    expect(d16?.sha256).not.toBe(digestFile(driver as string));
    const cc1 = hostPath(roots.sid.fs, '/usr/libexec/gcc/x86_64-linux-gnu/16/cc1');
    expect(cc1 && statSync(cc1).size).toBeGreaterThan(1_000_000);
  });

  test("steps in a root run without address randomisation, as the host's do", async (ctx) => {
    needRoots(ctx);
    const sh = { path: '/bin/sh', root: { name: 'sid', fs: roots.sid.fs } };
    const r = await runCommand(toolCommand(sh, { args: ['-c', 'cat /proc/self/personality'], cwd: '/', timeoutSeconds: 30, step: 'personality' }));
    // ADDR_NO_RANDOMIZE (0x0040000), set by `setarch -R` around bwrap and kept across its exec.
    expect(r.stdout.trim()).toBe('00040000');
  });

  test('a root or tool that is not there: one line, exit 3', (ctx) => {
    needRoots(ctx);
    const noTool = runCli(['check', '-q', '--cc', 'sid:gcc-99', PROBE], { cwd: userTree('missing') });
    expect(noTool.status).toBe(3);
    expect(noTool.stderr).toMatch(/^btfparity: cc 'sid:gcc-99': 'gcc-99' is not in root 'sid' \(it has: .*gcc-16.*\)\n$/);
    const noRoot = runCli(['check', '-q', '--pahole', 'bookworm:pahole', PROBE], { cwd: userTree('missing') });
    expect(noRoot.status).toBe(3);
    expect(noRoot.stderr).toMatch(
      /^btfparity: pahole 'bookworm:pahole': no toolchain root 'bookworm' in .* \(make it with: btfparity toolchain add bookworm\)\n$/,
    );
  });

  test("a root's tool cannot write into the user's tree", (ctx) => {
    needRoots(ctx);
    const tree = userTree('readonly');
    const r = runCli(['toolchain', 'run', '--', 'sid:gcc-16', '-c', PROBE, '-o', 'probe.o'], { cwd: tree });
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/Read-only file system/);
    expect(readdirSync(tree)).toEqual([PROBE]);
    // toolchain run exits with the tool's status.
    expect(runCli(['toolchain', 'run', '--', 'sid:sh', '-c', 'exit 7'], { cwd: tree }).status).toBe(7);
  });

  test('triage with root tools writes reproducers that run them through toolchain run', (ctx) => {
    needRoots(ctx);
    // A probe with a finding no rule explains with these tools (gcc -gbtf
    // writes a vector typedef as void: golden/sid.baseline.json); probe 21's
    // are all known since the rules were re-validated on trixie and sid.
    const probe = '46-vector-types.c';
    const tree = userTree('triage', probe);
    const out = join(work, 'triage-out');
    const r = runCli(['triage', '-q', '--max-reduce', '1', '--cc', 'sid:gcc-16', '--pahole', 'trixie:pahole', '--output', out, probe], { cwd: tree });
    expect({ status: r.status, stderr: r.stderr }).toMatchObject({ status: 1 });
    const script = readFileSync(join(out, 'repro-1.sh'), 'utf8');
    expect(script).toContain('btfparity toolchain run --rw . -- sid:gcc-16 -g -gbtf -c repro-1.c -o repro-1.unit.o\n');
    expect(script).toContain('btfparity toolchain run --rw . -- trixie:pahole --btf_encode_detached=repro-1.left.btf repro-1.unit.o\n');
    expect(script).toMatch(/btfparity check --left pahole --right gcc-btf --cc sid:gcc-16 --pahole trixie:pahole repro-1\.c/);
    // The script runs as a maintainer would run it, btfparity on PATH.
    const bin = mkdtempSync(join(work, 'bin-'));
    writeFileSync(join(bin, 'btfparity'), `#!/bin/sh\nexec ${process.execPath} ${CLI} "$@"\n`);
    chmodSync(join(bin, 'btfparity'), 0o755);
    const run = spawnSync('sh', [join(out, 'repro-1.sh')], { encoding: 'utf8', env: { ...process.env, PATH: `${bin}:${process.env.PATH}` } });
    expect(run.stdout).toContain('unexplained');
    expect(readdirSync(out)).toEqual(expect.arrayContaining(['repro-1.unit.o', 'repro-1.left.btf']));
  });
});

describe('--cc pointing at a wrapper that runs gcc inside a root', () => {
  test('check works (not exit 70), the cache keys it by what it says, and a second run is a hit', (ctx) => {
    needRoots(ctx);
    // What a user writes: bubblewrap around sid's gcc, with the cwd and /tmp visible.
    const wrapper = join(work, 'sid-gcc-wrapper');
    const fs = roots.sid.fs;
    writeFileSync(
      wrapper,
      `#!/bin/sh\nexec bwrap --ro-bind ${fs}/usr /usr --ro-bind ${fs}/etc /etc --symlink usr/bin /bin --symlink usr/lib /lib --symlink usr/lib64 /lib64 \\\n  --dev /dev --proc /proc --bind /tmp /tmp --ro-bind "$PWD" "$PWD" --chdir "$PWD" -- gcc-16 "$@"\n`,
    );
    chmodSync(wrapper, 0o755);
    // Its cc1 is a path only the root has.
    const cc1 = spawnSync(wrapper, ['-print-prog-name=cc1'], { encoding: 'utf8' }).stdout.trim();
    expect(cc1).toMatch(/^\/usr\/libexec\/gcc\/x86_64-linux-gnu\/16\/cc1$/);
    expect(() => statSync(cc1)).toThrow();
    const tree = userTree('wrapper');
    const cacheDir = mkdtempSync(join(work, 'cache-wrapper-'));
    const first = runCli(['check', '-q', '--cc', wrapper, '--cache-dir', cacheDir, '--format', 'json', PROBE], { cwd: tree });
    expect(first.stderr).toBe('');
    expect([0, 1]).toContain(first.status);
    const report = JSON.parse(first.stdout) as RunResult;
    expect(report.toolchain[0]).toMatchObject({ command: wrapper, path: wrapper, version: expect.stringMatching(/^gcc-16 \(Debian 16\./) });
    expect(report.units[0].error).toBeUndefined();
    const right = readFileSync(cachedBtf(cacheDir, 'right'));
    expect(right.length).toBeGreaterThan(100);
    const second = runCli(['check', '-q', '--cc', wrapper, '--cache-dir', cacheDir, '--format', 'json', PROBE], { cwd: tree });
    expect(second.stdout).toBe(first.stdout);
    expect(readdirSync(join(cacheDir, 'units')).length).toBe(1);
  });
});

describe('a root that cannot be made', () => {
  test(
    'a missing package: exit 3, one line naming it, and no root or partial root left (nor older leftovers)',
    async (ctx) => {
      needRoots(ctx);
      const dir = mkdtempSync(join(work, 'failing-roots-'));
      const env = { BTFPARITY_ROOTS_DIR: dir };
      // What an attempt killed mid-build leaves: a partial root of a process that is gone.
      const gone = spawnSync('true').pid;
      mkdirSync(join(dir, `broken.partial-${gone}`, 'fs', 'etc'), { recursive: true });
      expect(runCli(['toolchain', 'list'], { env }).stdout).toMatch(/^no toolchain roots in /);
      const started = Date.now();
      const r = await runCliAsync(['toolchain', 'add', 'trixie', '--name', 'broken', '--packages', 'gcc,no-such-package-xyz'], env);
      expect(r.status).toBe(3);
      expect(r.stdout).toBe('');
      expect(r.stderr.split('\n')).toEqual([
        'btfparity: toolchain add broken: mmdebstrap exited with status 25 (E: Unable to locate package no-such-package-xyz)',
        '',
      ]);
      // The dry run finds it before anything is downloaded.
      expect(Date.now() - started).toBeLessThan(60_000);
      expect(readdirSync(dir)).toEqual([]);
      expect(runCli(['toolchain', 'list'], { env }).stdout).toMatch(/^no toolchain roots in /);
      const use = runCli(['check', '-q', '--cc', 'broken:gcc', PROBE], { cwd: userTree('broken'), env });
      expect([use.status, use.stderr]).toEqual([3, expect.stringMatching(/no toolchain root 'broken'/)]);
    },
    BUILD_MS,
  );

  test(
    'an archive that cannot be reached: exit 3, one line saying so, nothing left',
    async (ctx) => {
      needRoots(ctx);
      const dir = mkdtempSync(join(work, 'offline-roots-'));
      // Nothing listens on the discard port of the loopback address.
      const r = await runCliAsync(['toolchain', 'add', 'sid', '--name', 'offline', '--mirror', 'http://127.0.0.1:9/debian'], { BTFPARITY_ROOTS_DIR: dir });
      expect(r.status).toBe(3);
      expect(r.stderr.split('\n')).toEqual([
        expect.stringMatching(
          /^btfparity: toolchain add offline: mmdebstrap exited with status \d+ \(E: Failed to fetch http:\/\/127\.0\.0\.1:9\/debian\/.*\)$/,
        ),
        '',
      ]);
      expect(readdirSync(dir)).toEqual([]);
    },
    BUILD_MS,
  );

  test('bad requests are usage errors (exit 2) before anything runs', () => {
    const env = { BTFPARITY_ROOTS_DIR: join(work, 'never-made') };
    for (const [args, line] of [
      [['toolchain', 'add', 'bookworm'], /^btfparity: toolchain add: unknown suite 'bookworm' \(one of: trixie, sid\)\n$/],
      [['toolchain', 'add', 'sid', '--name', 'Bad.Name'], /^btfparity: --name: 'Bad\.Name' is not a root name/],
      [['toolchain', 'add', 'sid', '--packages', 'gcc;rm'], /^btfparity: --packages: 'gcc;rm' is not a Debian package name\n$/],
      [['toolchain', 'remove', 'nothing-here'], /^btfparity: toolchain remove nothing-here: no toolchain root 'nothing-here' in /],
      [['toolchain', 'run', 'gcc'], /^btfparity: toolchain run: expected ROOT:TOOL, e\.g\. sid:gcc-16, got 'gcc'\n$/],
    ] as const) {
      const r = runCli(args, { env });
      expect([args.join(' '), r.status]).toEqual([args.join(' '), 2]);
      expect(r.stderr).toMatch(line);
    }
    expect(() => statSync(join(work, 'never-made'))).toThrow();
  });
});
