/**
 * The npm package as a user gets it (issue 12): `npm pack` the repository,
 * install the tarball into a temp prefix without network, and run the
 * installed `btfparity check` from a directory outside the repository.
 *
 * No network: the registry is never asked. The prefix's node_modules is
 * seeded with the runtime dependencies this checkout already has installed
 * (the non-dev entries of node_modules/.package-lock.json, copied), so
 * `npm install --offline TARBALL` finds every dependency satisfied and only
 * unpacks btfparity and links its bin, as it would on a user's machine.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ensureBuilt, PROBES, ROOT, runCli } from './helpers/cli.js';

const work = mkdtempSync(join(tmpdir(), 'btfparity-test-package-'));
const prefix = join(work, 'prefix');
const outside = join(work, 'elsewhere');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
let tarball = '';
let packed: string[] = [];

function run(cmd: string, args: string[], cwd: string, env: Record<string, string> = {}) {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', npm_config_update_notifier: 'false', ...env } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

beforeAll(() => {
  ensureBuilt();
  // dist/ is fresh (ensureBuilt); --ignore-scripts skips prepack's second build of it.
  const p = run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', work], ROOT);
  expect(p.status, p.stderr).toBe(0);
  const info = JSON.parse(p.stdout)[0] as { filename: string; files: { path: string }[] };
  tarball = join(work, info.filename);
  packed = info.files.map((f) => f.path);
  const lock = JSON.parse(readFileSync(join(ROOT, 'node_modules', '.package-lock.json'), 'utf8')) as { packages: Record<string, { dev?: boolean }> };
  for (const [key, entry] of Object.entries(lock.packages)) {
    if (entry.dev || !key.startsWith('node_modules/')) continue;
    cpSync(join(ROOT, key), join(prefix, key), { recursive: true, dereference: true });
  }
  mkdirSync(outside, { recursive: true });
  copyFileSync(join(PROBES, '05-floats.c'), join(outside, 'floats.c'));
}, 300_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('the npm package', () => {
  test('has an MIT LICENSE, builds on prepack and ships the schema and docs the README points to', () => {
    expect(pkg.license).toBe('MIT');
    expect(pkg.scripts.prepack).toBe(pkg.scripts.build);
    expect(readFileSync(join(ROOT, 'LICENSE'), 'utf8')).toMatch(/^MIT License\n\nCopyright \(c\) 2026 the btfparity authors\n/);
    for (const f of [
      'LICENSE',
      'README.md',
      'docs/report.schema.json',
      'docs/dump-json.md',
      // what SARIF helpUri links of rules without a reference point at (unpkg serves the package's files)
      'docs/RULES.md',
      'dist/cli.js',
      'dist/index.js',
      'rules/known-divergences.json',
      'corpus/probes/05-floats.c',
    ])
      expect(packed).toContain(f);
    // Everything README.md links to under docs/ is in the package.
    for (const m of readFileSync(join(ROOT, 'README.md'), 'utf8').matchAll(/docs\/[\w.-]+/g)) expect(packed).toContain(m[0]);
    expect(packed.some((f) => f.startsWith('test/') || f.startsWith('src/'))).toBe(false);
  });

  test('installs offline into a temp prefix and `btfparity check` runs from outside the repository', () => {
    const i = run('npm', ['install', '--prefix', prefix, '--offline', '--no-audit', '--no-fund', '--omit=dev', tarball], outside);
    expect(i.status, i.stderr).toBe(0);
    const bin = join(prefix, 'node_modules', '.bin', 'btfparity');
    expect(existsSync(join(prefix, 'node_modules', 'btfparity', 'docs', 'report.schema.json'))).toBe(true);
    const r = run(bin, ['check', '-q', '--format', 'json', 'floats.c'], outside);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0); // known divergences only (pahole without --btf_gen_floats)
    const report = JSON.parse(r.stdout);
    expect(report.units.map((u: { source: string }) => u.source)).toEqual(['floats.c']);
    expect(report.units[0].findings.some((f: { reason?: string }) => f.reason === 'pahole-float-as-int')).toBe(true); // the shipped rules were found
    const v = run(bin, ['--version'], outside);
    expect(v.stdout.trim()).toBe(pkg.version);
  });

  test("scripts/check's stdout is the report only, whatever set-up's tools print", () => {
    // A chatty npx first on PATH stands for npm's "added 122 packages" and the like.
    const noisy = join(work, 'noisy');
    mkdirSync(noisy, { recursive: true });
    const realNpx = run('sh', ['-c', 'command -v npx'], ROOT).stdout.trim();
    writeFileSync(join(noisy, 'npx'), `#!/bin/sh\necho 'added 122 packages in 3s'\nexec ${realNpx} "$@"\n`);
    chmodSync(join(noisy, 'npx'), 0o755);
    // A copy of the checkout without dist/, so that set-up runs npx (tsc) there. Not this checkout:
    // other tests run its dist/ meanwhile, and set-up leaves an up-to-date dist/ alone.
    const copy = join(work, 'checkout');
    const SKIP = new Set(['.git', 'dist', 'node_modules', 'build', 'test', 'test-artifacts']);
    cpSync(ROOT, copy, { recursive: true, filter: (src) => src === ROOT || !SKIP.has(relative(ROOT, src).split('/')[0]) });
    symlinkSync(join(ROOT, 'node_modules'), join(copy, 'node_modules'));
    symlinkSync(join(ROOT, 'build'), join(copy, 'build'));
    const probe = join(PROBES, '41-agree-plain-struct.c');
    const r = run(join(copy, 'scripts', 'check'), ['-q', probe], outside, { PATH: `${noisy}:${process.env.PATH}`, SETUP_SKIP_APT: '1' });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toContain('added 122 packages'); // set-up's noise went to stderr
    // scripts/check runs the CLI from the repository root, so the unit is named relative to it.
    expect(r.stdout).toBe(runCli(['check', '-q', probe], { cwd: ROOT }).stdout);
    // Summary first (issue 12); probe 41 is the corpus's plain struct both avenues agree on: nothing to list.
    expect(r.stdout).toBe('1 unit (0 failed), 0 findings: 0 unexplained, 0 known, 0 equivalent\n');
  }, 300_000);
});
