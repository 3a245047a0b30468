import { existsSync } from 'node:fs';
import { defineConfig } from 'vitest/config';

/**
 * Two projects (`npx vitest run --project pure|toolchain`; plain `npx vitest run` runs both):
 *
 * - toolchain: tests that run the real toolchain (gcc, pahole, bpftool, clang, bpf-gcc, ld,
 *   objcopy, make), the built CLI driving it, or a browser. Listed by file below.
 * - pure: every other test file. They need node and the repository only (plus sh and bash for
 *   the shell-word oracle and the kernel-corpus script): committed fixtures
 *   (test/fixtures/btf, made by scripts/make-fixtures) instead of compiles. scripts/test runs
 *   this project with a PATH holding only node, sh and bash, so a pure test that reaches for a
 *   tool fails there: a new test file that needs the toolchain belongs in this list.
 *
 * Both share one forks pool: generous per-test timeouts and at most two workers (the machines
 * have 2 cores).
 */
const TOOLCHAIN = [
  'cache-comparison',
  'cache-damaged',
  'cache-direct',
  'cache-foreign-compiler',
  'binary-archive',
  'binary-linker',
  'diff-union-rules',
  'dwarf-info-compilers',
  'cache-pipeline',
  'check-cli',
  'classify-kernel-like',
  'classify-probes',
  'cli-diff',
  'collect-merge',
  'compile-commands-gcc',
  'diff-avenues',
  'dump-bpftool-json',
  'dump-sid-bpftool',
  'dump-sid-corpus',
  'dump-oracle',
  'encode-roundtrip',
  'escape-names',
  'fixtures-fresh',
  'fuzz-generated-cli',
  'gate',
  'gate-upgrade',
  'golden',
  'html-report',
  'junit-xsd',
  'lint',
  'lint-kernel',
  'merge-union-diff',
  'non-regular-input',
  'package',
  'pipeline-jobs',
  'reader-bigendian',
  'recipe-single-compile',
  'reduce-real-units',
  'rules-across-versions',
  'sarif-cli',
  'scale-out',
  'side-outputs-gcc',
  'signals',
  'toolchain-matrix',
  'toolchain-roots',
  'toolchain-sandbox',
  'toolchain-sides',
  'triage',
  'wrapper-make',
].map((name) => `test/${name}.test.ts`);

const stale = TOOLCHAIN.filter((f) => !existsSync(new URL(f, import.meta.url)));
if (stale.length > 0) throw new Error(`vitest.config.ts: toolchain test files that do not exist: ${stale.join(', ')}`);

export default defineConfig({
  test: {
    testTimeout: 120_000,
    hookTimeout: 180_000,
    pool: 'forks',
    poolOptions: { forks: { maxForks: 2, minForks: 1 } },
    reporters: ['default'],
    globalSetup: ['test/helpers/global-setup.ts'],
    // Long synchronous tests must not start with a worker RPC in flight (see the file).
    setupFiles: ['test/helpers/settle-rpc.ts'],
    projects: [
      { extends: true, test: { name: 'pure', include: ['test/**/*.test.ts'], exclude: TOOLCHAIN } },
      { extends: true, test: { name: 'toolchain', include: TOOLCHAIN } },
    ],
  },
});
