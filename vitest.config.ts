import { defineConfig } from 'vitest/config';

// Integration tests run the real toolchain (gcc, pahole, bpftool, clang):
// generous per-test timeouts, and at most two workers (the machines have 2 cores).
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 180_000,
    pool: 'forks',
    poolOptions: { forks: { maxForks: 2, minForks: 1 } },
    reporters: ['default'],
  },
});
