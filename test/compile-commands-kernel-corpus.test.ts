// The kernel corpus script builds a real kernel subset (minutes, network):
// too slow for the suite. What the suite can check cheaply: the script
// parses, and the documented default subset is as wide as promised.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';

const script = fileURLToPath(new URL('../scripts/kernel-corpus', import.meta.url));
const subsetFile = fileURLToPath(new URL('../scripts/kernel-subset.txt', import.meta.url));

/** Same rule as the script's subset_sources: drop comments and blank lines. */
const subset = readFileSync(subsetFile, 'utf8')
  .split('\n')
  .map((l) => l.replace(/#.*/, '').trim())
  .filter((l) => l !== '');

describe('scripts/kernel-corpus', () => {
  test('is valid bash', () => {
    // bash -n exits non-zero (and execFileSync throws) on a syntax error.
    expect(() => execFileSync('bash', ['-n', script], { stdio: 'pipe' })).not.toThrow();
  });

  test('--help prints the usage without building anything', () => {
    const out = execFileSync('bash', [script, '--help'], { encoding: 'utf8' });
    expect(out).toMatch(/KERNEL_CORPUS_DIR/);
    expect(out).toMatch(/--subset FILE/);
  });
});

describe('scripts/kernel-subset.txt', () => {
  test('has at least 50 distinct C units', () => {
    expect(subset.length).toBeGreaterThanOrEqual(50);
    expect(new Set(subset).size).toBe(subset.length);
    for (const f of subset) expect(f).toMatch(/^[a-z0-9_-]+(\/[A-Za-z0-9_.-]+)+\.c$/);
  });

  test('spans at least 5 top-level kernel directories', () => {
    const tops = new Set(subset.map((f) => f.split('/')[0]));
    expect(tops.size).toBeGreaterThanOrEqual(5);
    for (const d of ['kernel', 'mm', 'fs', 'net', 'lib', 'block', 'drivers']) expect(tops).toContain(d);
  });
});
