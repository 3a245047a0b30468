/**
 * Toolchain roots without a root: the pure parts (ROOT:TOOL parsing, the
 * bubblewrap command line, mmdebstrap's command line and error line, the
 * mount scan before removal) and the on-disk rules (a directory is a root
 * only with a valid manifest; symlinks resolve inside the root), on small
 * fake roots. test/toolchain-roots.test.ts runs real roots.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { describeRoot } from '../src/cli/toolchain.js';
import { runCli } from './helpers/cli.js';
import { mmdebstrapArgv, mmdebstrapFailure } from '../src/toolchain/build.js';
import { mountsBelow } from '../src/toolchain/remove-tree.js';
import { hostPath, listRoots, readRoot, realpathInRoot, type RootManifest, rootsDir } from '../src/toolchain/roots.js';
import { type HostKind, pathCandidates, type RootEntry, type RootKind, rootLayout, sandboxArgv, stepBinds } from '../src/toolchain/sandbox.js';
import { SUITES } from '../src/toolchain/suites.js';
import { findInRoot, parseToolRef } from '../src/toolchain/tool-ref.js';

const work = mkdtempSync(join(tmpdir(), 'btfparity-test-tc-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('ROOT:TOOL', () => {
  test('a root name, a colon and a tool name or a path inside the root', () => {
    expect(parseToolRef('sid:gcc-16')).toEqual({ root: 'sid', tool: 'gcc-16' });
    expect(parseToolRef('trixie:pahole')).toEqual({ root: 'trixie', tool: 'pahole' });
    expect(parseToolRef('sid:/usr/lib/llvm-21/bin/clang')).toEqual({ root: 'sid', tool: '/usr/lib/llvm-21/bin/clang' });
  });

  test('host commands and paths are not references, even with a colon in them', () => {
    for (const c of ['gcc', '/usr/bin/gcc', './wrap:x/gcc', '/opt/a:b/gcc', 'sid:', ':gcc', 'Sid:gcc', 'a:b:c', 'sid.x:gcc'])
      expect([c, parseToolRef(c)]).toEqual([c, undefined]);
  });
});

describe('paths an argument may name', () => {
  test('plain paths, joined include options, --opt=path and @file', () => {
    expect(pathCandidates('src/a.c')).toEqual(['src/a.c']);
    expect(pathCandidates('-Iinclude')).toEqual(['include']);
    expect(pathCandidates('-isystem/usr/lib/gcc/x/12/include')).toEqual(['/usr/lib/gcc/x/12/include']);
    expect(pathCandidates('-includeconfig.h')).toEqual(['config.h']);
    expect(pathCandidates('--btf_encode_detached=/tmp/r/u/left.btf')).toEqual(['/tmp/r/u/left.btf']);
    expect(pathCandidates('@args.rsp')).toEqual(['args.rsp']);
    expect(pathCandidates('-c')).toEqual([]);
    expect(pathCandidates('-O2')).toEqual([]);
    expect(pathCandidates('-I')).toEqual([]);
  });
});

/** A fake host and root: sets of paths, everything else absent. */
function probes(host: Record<string, 'dir' | 'file'>, root: Record<string, RootKind>) {
  return {
    host: (p: string): HostKind => host[p],
    root: (p: string): RootKind => root[p] ?? 'missing',
  };
}

const LAYOUT: RootEntry[] = rootLayout([
  { name: 'usr', kind: 'dir' },
  { name: 'etc', kind: 'dir' },
  { name: 'var', kind: 'dir' },
  { name: 'bin', kind: 'symlink', target: 'usr/bin' },
  { name: 'lib64', kind: 'symlink', target: 'usr/lib64' },
  { name: 'root', kind: 'dir' },
  { name: 'home', kind: 'dir' },
  { name: 'tmp', kind: 'dir' },
  { name: 'proc', kind: 'dir' },
]);

describe('what the sandbox binds', () => {
  test("the root's system directories and top-level symlinks, not its /root, /home, /tmp or /proc", () => {
    expect(LAYOUT.map((e) => e.name)).toEqual(['bin', 'etc', 'lib64', 'usr', 'var']);
  });

  test('a compile step: cwd and sources read-only, the unit dir read-write, include dirs read-only, nested paths once', () => {
    const step = {
      cwd: '/work/proj',
      args: [
        '-g',
        '-Iinclude',
        '-I',
        '/work/other/inc',
        '-c',
        'src/a.c',
        '-o',
        '/tmp/btfparity-x/u/unit.o',
        '--btf_encode_detached=/tmp/btfparity-x/u/left.btf',
      ],
      outputs: ['/tmp/btfparity-x/u/unit.o'],
    };
    const p = probes(
      { '/work/proj': 'dir', '/work/proj/include': 'dir', '/work/other/inc': 'dir', '/work/proj/src/a.c': 'file', '/tmp/btfparity-x/u': 'dir' },
      {},
    );
    expect(stepBinds(step, LAYOUT, p)).toEqual([
      { path: '/work/proj', writable: false },
      { path: '/tmp/btfparity-x/u', writable: true },
      { path: '/work/other/inc', writable: false },
    ]);
  });

  test('an input inside the writable unit dir is not bound again; a writable dir inside a read-only one comes after it', () => {
    const step = { cwd: '/tmp/w', args: ['/tmp/w/run/u/unit.o'], outputs: ['/tmp/w/run/u/left.btf'] };
    const p = probes({ '/tmp/w': 'dir', '/tmp/w/run/u/unit.o': 'file' }, {});
    expect(stepBinds(step, LAYOUT, p)).toEqual([
      { path: '/tmp/w', writable: false },
      { path: '/tmp/w/run/u', writable: true },
    ]);
  });

  test('/, /tmp and /proc are never bound from the host; a file directly in /tmp is bound alone', () => {
    const step = { cwd: '/', args: ['/tmp/a.c', '/proc/self/status', '/tmp'] };
    const p = probes({ '/': 'dir', '/tmp': 'dir', '/tmp/a.c': 'file', '/proc/self/status': 'file' }, {});
    expect(stepBinds(step, LAYOUT, p)).toEqual([{ path: '/tmp/a.c', writable: false }]);
  });

  test("a path in the root's system dirs: the root's own copy when it has one, else the closest empty ancestor, else nothing", () => {
    const root = { '/usr/include': 'present', '/usr/src': 'empty-dir', '/usr': 'present', '/etc': 'present' } as const;
    const host = { '/usr/include': 'dir', '/usr/src/linux': 'dir', '/usr/local/src/x': 'dir', '/etc/foo.h': 'file', '/etc': 'dir' } as const;
    const bind = (path: string) => stepBinds({ cwd: '/', args: [path] }, LAYOUT, probes({ ...host, '/': 'dir' }, root));
    expect(bind('/usr/include')).toEqual([]); // the root's headers, not the host's
    expect(bind('/usr/src/linux')).toEqual([{ path: '/usr/src', writable: false }]);
    expect(bind('/usr/local/src/x')).toEqual([]); // no empty ancestor: /usr is the root's
    expect(bind('/etc/foo.h')).toEqual([]);
  });

  test('the bwrap command line: root dirs and symlinks, own /dev /proc /tmp, binds in order, read-only /, no network, clean env', () => {
    const argv = sandboxArgv({
      fs: '/cache/roots/sid/fs',
      layout: LAYOUT,
      binds: [
        { path: '/work/proj', writable: false },
        { path: '/tmp/r/u', writable: true },
      ],
      cwd: '/work/proj',
      executable: '/usr/bin/gcc-16',
      args: ['-gbtf', '-c', 'a.c'],
    });
    expect(argv.join(' ')).toBe(
      [
        '--symlink usr/bin /bin',
        '--ro-bind /cache/roots/sid/fs/etc /etc',
        '--symlink usr/lib64 /lib64',
        '--ro-bind /cache/roots/sid/fs/usr /usr',
        '--ro-bind /cache/roots/sid/fs/var /var',
        '--dev /dev --proc /proc --tmpfs /tmp',
        '--ro-bind /work/proj /work/proj',
        '--bind /tmp/r/u /tmp/r/u',
        '--remount-ro / --chdir /work/proj',
        '--unshare-pid --unshare-ipc --unshare-uts --unshare-net --die-with-parent',
        '--clearenv --setenv PATH /usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin --setenv LC_ALL C --setenv TMPDIR /tmp --setenv HOME /tmp',
        '-- /usr/bin/gcc-16 -gbtf -c a.c',
      ].join(' '),
    );
  });
});

describe('mmdebstrap', () => {
  test("the command line: apt variant, the packages, the suite's apt options, no docs", () => {
    const argv = mmdebstrapArgv({ suite: SUITES.sid, packages: ['gcc-16', 'dwarves'], mirror: 'http://deb.debian.org/debian' }, '/r/sid.partial-1/fs');
    expect(argv).toEqual([
      '--variant=apt',
      '--include=gcc-16,dwarves',
      '--aptopt=Acquire::Check-Valid-Until "false"',
      '--dpkgopt=path-exclude=/usr/share/doc/*',
      '--dpkgopt=path-exclude=/usr/share/man/*',
      '--dpkgopt=path-exclude=/usr/share/info/*',
      '--dpkgopt=path-exclude=/usr/share/locale/*',
      'sid',
      '/r/sid.partial-1/fs',
      'http://deb.debian.org/debian',
    ]);
    expect(mmdebstrapArgv({ suite: SUITES.trixie, packages: ['gcc'], mirror: 'm' }, 't').filter((a) => a.startsWith('--aptopt'))).toEqual([]);
  });

  test("the suites' default packages: each gcc of the suite, pahole, bpftool, clang/llvm, the BPF gcc, binutils", () => {
    for (const p of ['gcc-14', 'dwarves', 'bpftool', 'clang', 'llvm', 'gcc-bpf', 'binutils']) expect(SUITES.trixie.packages).toContain(p);
    for (const p of ['gcc-15', 'gcc-16', 'dwarves', 'bpftool', 'clang', 'llvm', 'gcc-bpf', 'binutils']) expect(SUITES.sid.packages).toContain(p);
  });

  test("the line that says why it failed: apt's own error, not mmdebstrap's summary", () => {
    const missing = [
      'I: running apt-get update...',
      'Building dependency tree...',
      'E: Unable to locate package no-such-package-xyz',
      'E: setup failed: E: apt-get -o Dir::Bin::dpkg=env --yes install no-such-package-xyz failed',
      'I: main() received signal PIPE: waiting for setup...',
      'E: mmdebstrap failed to run',
    ].join('\n');
    expect(mmdebstrapFailure(missing)).toBe('E: Unable to locate package no-such-package-xyz');
    const offline = [
      'Err:1 http://127.0.0.1:9/debian trixie InRelease',
      '  Could not connect to 127.0.0.1:9 (127.0.0.1). - connect (111: Connection refused)',
      'E: Failed to fetch http://127.0.0.1:9/debian/dists/trixie/InRelease  Could not connect to 127.0.0.1:9 (127.0.0.1). - connect (111: Connection refused)',
      'E: Some index files failed to download. They have been ignored, or old ones used instead.',
      'E: apt-get update --error-on=any -oAPT::Status-Fd=<$fd> -oDpkg::Use-Pty=false failed',
      'E: mmdebstrap failed to run',
    ].join('\n');
    expect(mmdebstrapFailure(offline)).toMatch(/^E: Failed to fetch .* Could not connect/);
    expect(mmdebstrapFailure('I: one\nI: two')).toBe('I: two');
  });
});

describe('removal looks for mounts first', () => {
  test('mount points at or below the directory, deepest first, octal escapes decoded', () => {
    const info = [
      '22 1 8:1 / / rw - ext4 /dev/vda rw',
      '90 22 0:5 / /r/sid.partial-7/fs/proc rw - proc proc rw',
      '91 22 0:6 / /r/sid.partial-7/fs/dev/null rw - devtmpfs udev rw',
      '92 22 0:7 / /r/sid.partial-70/fs/proc rw - proc proc rw',
      '93 22 0:8 / /r/with\\040space rw - tmpfs t rw',
    ].join('\n');
    expect(mountsBelow('/r/sid.partial-7', info)).toEqual(['/r/sid.partial-7/fs/dev/null', '/r/sid.partial-7/fs/proc']);
    expect(mountsBelow('/r/with space', info)).toEqual(['/r/with space']);
    expect(mountsBelow('/elsewhere', info)).toEqual([]);
  });
});

describe('toolchain remove', () => {
  test('removes the root and leftovers of dead attempts, nothing else', () => {
    const dir = mkdtempSync(join(work, 'remove-'));
    mkdirSync(join(dir, 'sid', 'fs', 'usr'), { recursive: true });
    writeFileSync(join(dir, 'sid', 'manifest.json'), JSON.stringify(manifest('sid')));
    mkdirSync(join(dir, `sid.partial-${spawnSync('true').pid}`, 'fs'), { recursive: true });
    mkdirSync(join(dir, 'trixie', 'fs'), { recursive: true });
    const r = runCli(['toolchain', 'remove', 'sid'], { env: { BTFPARITY_ROOTS_DIR: dir } });
    expect([r.status, r.stdout, r.stderr]).toEqual([0, '', '']);
    expect(existsSync(join(dir, 'sid'))).toBe(false);
    expect(existsSync(join(dir, 'trixie', 'fs'))).toBe(true);
    expect(spawnSync('ls', [dir], { encoding: 'utf8' }).stdout).toBe('trixie\n');
  });

  // mmdebstrap killed mid-build leaves /proc, /sys, /dev pieces mounted in the root; a bind
  // mount of the same file system is the case `rm --one-file-system` alone would not catch.
  test.skipIf(process.getuid?.() !== 0)('a mount left inside a root is unmounted first, and nothing behind it is deleted', () => {
    const dir = mkdtempSync(join(work, 'remove-mounted-'));
    const outside = mkdtempSync(join(work, 'outside-'));
    writeFileSync(join(outside, 'keep.txt'), 'still here');
    const partial = join(dir, `sid.partial-${spawnSync('true').pid}`);
    const point = join(partial, 'fs', 'dev');
    mkdirSync(point, { recursive: true });
    expect(spawnSync('mount', ['--bind', outside, point]).status).toBe(0);
    try {
      const r = runCli(['toolchain', 'remove', 'sid'], { env: { BTFPARITY_ROOTS_DIR: dir } });
      expect([r.status, r.stderr]).toEqual([0, '']);
    } finally {
      spawnSync('umount', [point]); // only if the test failed: the product unmounted it already
    }
    expect(readFileSync(join(outside, 'keep.txt'), 'utf8')).toBe('still here');
    expect(existsSync(partial)).toBe(false);
    expect(mountsBelow(dir, readFileSync('/proc/self/mountinfo', 'utf8'))).toEqual([]);
  });
});

/** A tiny root file system: merged /usr, an absolute alternatives symlink, a relative one. */
function fakeRoot(base: string): string {
  const fs = join(base, 'fs');
  for (const d of ['usr/bin', 'usr/sbin', 'usr/lib/llvm-21/bin', 'etc/alternatives']) mkdirSync(join(fs, d), { recursive: true });
  symlinkSync('usr/bin', join(fs, 'bin'));
  writeFileSync(join(fs, 'usr/bin/gcc-16'), '#!/bin/sh\n', { mode: 0o755 });
  symlinkSync('gcc-16', join(fs, 'usr/bin/gcc'));
  symlinkSync('/etc/alternatives/cc', join(fs, 'usr/bin/cc'));
  symlinkSync('/usr/bin/gcc', join(fs, 'etc/alternatives/cc'));
  writeFileSync(join(fs, 'usr/lib/llvm-21/bin/clang'), '', { mode: 0o755 });
  symlinkSync('../lib/llvm-21/bin/clang', join(fs, 'usr/bin/clang'));
  writeFileSync(join(fs, 'usr/sbin/bpftool'), '', { mode: 0o755 });
  writeFileSync(join(fs, 'usr/bin/notes'), '', { mode: 0o644 });
  symlinkSync('loop', join(fs, 'usr/bin/loop'));
  return fs;
}

describe('paths inside a root', () => {
  const fs = fakeRoot(mkdtempSync(join(work, 'fake-')));
  test('symlinks resolve inside the root, absolute ones too (never to the host)', () => {
    expect(realpathInRoot(fs, '/usr/bin/cc')).toBe('/usr/bin/gcc-16');
    expect(realpathInRoot(fs, '/bin/clang')).toBe('/usr/lib/llvm-21/bin/clang');
    expect(realpathInRoot(fs, '/usr/bin/../bin/gcc')).toBe('/usr/bin/gcc-16');
    expect(realpathInRoot(fs, '/usr/bin/absent')).toBeUndefined();
    expect(realpathInRoot(fs, '/usr/bin/loop')).toBeUndefined();
    expect(hostPath(fs, '/usr/bin/cc')).toBe(`${fs}/usr/bin/gcc-16`);
  });

  test("a tool is found on the root's PATH (sbin too) and must be executable", () => {
    expect(findInRoot(fs, 'gcc')).toBe('/usr/bin/gcc');
    expect(findInRoot(fs, 'bpftool')).toBe('/usr/sbin/bpftool');
    expect(findInRoot(fs, '/usr/lib/llvm-21/bin/clang')).toBe('/usr/lib/llvm-21/bin/clang');
    expect(findInRoot(fs, 'notes')).toBeUndefined();
    expect(findInRoot(fs, 'usr/bin/gcc')).toBeUndefined();
    expect(findInRoot(fs, 'no-such-tool')).toBeUndefined();
  });
});

function manifest(name: string, extra: Partial<RootManifest> = {}): RootManifest {
  return {
    format: 1,
    name,
    suite: 'sid',
    mirror: 'http://deb.debian.org/debian',
    packages: ['gcc-16'],
    aptOptions: [],
    created: '2026-12-01T21:52:36.123Z',
    seconds: 38.2,
    bytes: 912_345_678,
    tools: [
      { name: 'gcc-16', path: '/usr/bin/gcc-16', version: 'gcc-16 (Debian 16.2.0-4) 16.2.0' },
      { name: 'pahole', path: '/usr/bin/pahole' },
    ],
    ...extra,
  };
}

describe('which directories are roots', () => {
  const dir = mkdtempSync(join(work, 'roots-'));
  const make = (name: string, m?: unknown) => {
    mkdirSync(join(dir, name, 'fs'), { recursive: true });
    if (m !== undefined) writeFileSync(join(dir, name, 'manifest.json'), typeof m === 'string' ? m : JSON.stringify(m));
  };
  make('sid', manifest('sid'));
  make('trixie', manifest('trixie', { suite: 'trixie' }));
  make('sid.partial-123'); // being made, or left by a killed attempt
  make('nomanifest');
  make('broken', '{"format": 1, "name": "broken"');
  make('renamed', manifest('other'));

  test('only directories with a valid manifest of their own name', () => {
    expect(listRoots(dir).map((r) => r.name)).toEqual(['sid', 'trixie']);
    expect(readRoot('sid.partial-123', dir)).toBeUndefined();
    expect(readRoot('nomanifest', dir)).toBeUndefined();
    expect(readRoot('broken', dir)).toBeUndefined();
    expect(readRoot('renamed', dir)).toBeUndefined();
    expect(readRoot('sid', dir)?.fs).toBe(join(dir, 'sid', 'fs'));
    expect(listRoots(join(dir, 'absent'))).toEqual([]);
  });

  test('where roots live: BTFPARITY_ROOTS_DIR, else roots/ in the cache directory', () => {
    expect(rootsDir({ BTFPARITY_ROOTS_DIR: '/x/roots' })).toBe('/x/roots');
    expect(rootsDir({ BTFPARITY_CACHE_DIR: '/c' })).toBe('/c/roots');
    expect(rootsDir({ XDG_CACHE_HOME: '/xdg' })).toBe('/xdg/btfparity/roots');
  });

  test('list shows each tool as ROOT:TOOL with its version', () => {
    const root = readRoot('sid', dir);
    if (!root) throw new Error('fixture');
    expect(describeRoot(root)).toBe(
      [
        'sid  Debian sid, 912 MB, made 2026-12-01 21:52:36 UTC in 38.2 s',
        `  ${join(dir, 'sid', 'fs')}`,
        '  packages: gcc-16',
        '  sid:gcc-16  gcc-16 (Debian 16.2.0-4) 16.2.0',
        '  sid:pahole  (no version)',
        '',
      ].join('\n'),
    );
  });
});
