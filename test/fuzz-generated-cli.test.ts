/**
 * A sample of the structure-aware generator's cases (test/helpers/btf-gen.ts)
 * through the CLI as a subprocess: exit 0, 1 or 2 only, one stderr line on
 * 2, no hang, bounded RSS (GNU time's maxrss; hence the toolchain project).
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { encodeBtf } from '../src/btf/encode.js';
import { btfCase, DEFAULT_SETTINGS, type GenSettings } from './helpers/btf-gen.js';
import { intType } from './helpers/btf-transform.js';
import { ROOT } from './helpers/cli.js';
import { tempDir } from './reader-toolchain.js';

const { dir, cleanup } = tempDir('fuzz-cli');
afterAll(cleanup);

/** The same settings as test/fuzz-generated.test.ts: the generator's defaults. */
const GEN: GenSettings = DEFAULT_SETTINGS;
const MEMORY_FACTOR = 64;
const FORMATS = ['text', 'json', 'markdown', 'junit', 'sarif'] as const;
const PARTNER = { types: [intType(1, 'int'), { kind: 'VAR' as const, id: 2, name: 'v', nameOff: 0, type: 1, linkage: 'global' as const }] };

describe('fuzz: structure-aware generator through the CLI', () => {
  it('a sample through the CLI: exit 0, 1 or 2 only, one stderr line on 2, no hang (20 s each), bounded RSS', { timeout: 600_000 }, () => {
    const cases = fc.sample(btfCase({ ...GEN, weights: { ...GEN.weights, split: 0 } }), { numRuns: 30, seed: 0xc11 });
    const partner = join(dir, 'partner.btf');
    writeFileSync(partner, encodeBtf(PARTNER));
    let maxRss = 0;
    for (const [i, c] of cases.entries()) {
      const f = join(dir, `cli-case-${i}.bin`);
      writeFileSync(f, c.bytes);
      const args =
        i % 3 === 0 ? ['diff', '--format', FORMATS[i % FORMATS.length], f, partner] : ['dump', '--format', ['bpftool', 'json', 'canonical'][i % 3], f];
      const r = spawnSync('/usr/bin/time', ['-f', 'maxrss=%M', process.execPath, join(ROOT, 'dist', 'cli.js'), ...args], {
        encoding: 'utf8',
        timeout: 20_000,
        maxBuffer: 1 << 28,
      });
      const rss = Number(/maxrss=(\d+)/.exec(r.stderr)?.[1] ?? 0) * 1024;
      maxRss = Math.max(maxRss, rss);
      // GNU time adds its own lines: the RSS, and "Command exited with non-zero status N".
      const stderr = r.stderr.replace(/^maxrss=\d+\n?/m, '').replace(/^Command exited with non-zero status \d+\n?/m, '');
      const label = `${c.family}: ${c.note}: btfparity ${args.join(' ')}`;
      expect([0, 1, 2], `${label}: status ${r.status} signal ${r.signal} ${stderr}`).toContain(r.status);
      if (r.status === 2)
        expect(
          stderr.split('\n').filter((l) => l !== ''),
          label,
        ).toHaveLength(1);
      expect(stderr, label).not.toMatch(/internal error/);
      expect(rss, label).toBeLessThan(256 * 1024 * 1024 + MEMORY_FACTOR * c.bytes.length);
    }
    console.log(`CLI sample: ${cases.length} cases, max RSS ${(maxRss / 1e6).toFixed(0)} MB`);
  });
});
