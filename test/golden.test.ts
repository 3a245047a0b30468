/**
 * The probe corpus against its golden expected findings, one golden per
 * toolchain of golden/toolchains.json (debian12: the host's gcc and pahole;
 * trixie, sid: the tools of those toolchain roots). Each is
 * golden/<name>.baseline.json, pinned to the tool versions recorded in
 * golden/<name>.toolchain.txt; scripts/update-golden regenerates them and
 * the diff is reviewed. A toolchain that is not here (a root missing, a
 * tool not on PATH) is skipped, and so is one whose tools answer other
 * versions than recorded (other versions legitimately give other
 * findings); either says why. The runs and comparisons are
 * scripts/golden.mjs, which scripts/update-golden uses too.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { goldenDifferences, goldenFiles, loadToolchains, toolchainText, whyAbsent, writeGolden } from '../scripts/golden.mjs';
import { ensureBuilt } from './helpers/cli.js';

const work = mkdtempSync(join(tmpdir(), 'btfparity-golden-'));
beforeAll(ensureBuilt);
afterAll(() => rmSync(work, { recursive: true, force: true }));

const toolchains = loadToolchains();

test('golden/toolchains.json names debian12, trixie and sid, and each has its golden files', () => {
  expect(toolchains.map((t) => t.name)).toEqual(['debian12', 'trixie', 'sid']);
  for (const t of toolchains) {
    const files = goldenFiles(t.name);
    expect(JSON.parse(readFileSync(files.baseline, 'utf8')).schemaVersion, files.baseline).toBe(2);
    // The corpus has more than 50 probes; each golden has findings in at least 40 of them.
    const units = new Set((JSON.parse(readFileSync(files.baseline, 'utf8')).entries as { unit: string }[]).map((e) => e.unit));
    expect(units.size, files.baseline).toBeGreaterThanOrEqual(40);
    // One line per tool the toolchain sets: cc and pahole.
    expect(readFileSync(files.toolchain, 'utf8').split('\n').filter(Boolean), files.toolchain).toHaveLength(2);
  }
});

for (const toolchain of toolchains) {
  const absent = whyAbsent(toolchain);
  const files = goldenFiles(toolchain.name);
  const pinned = readFileSync(files.toolchain, 'utf8');
  describe.skipIf(absent !== undefined)(`golden corpus findings, ${toolchain.name} (${pinned.trim().replace(/\n/g, ', ')})`, () => {
    test('check on the embedded corpus gives exactly the golden findings, statuses and unit failures', async (ctx) => {
      const installed = await toolchainText(toolchain);
      if (installed !== pinned) {
        console.warn(`golden ${toolchain.name} skipped: the tools here answer\n${installed}which differs from ${files.toolchain}\n${pinned}`);
        ctx.skip();
      }
      const dir = join(work, toolchain.name);
      mkdirSync(dir);
      const r = await writeGolden(toolchain, dir, { cacheDir: join(work, 'cache') });
      expect(r.status, r.stderr).toBe(0);
      const now = goldenFiles(toolchain.name, dir);
      // By finding first (readable), then the whole file; on failure run scripts/update-golden and review the diff.
      expect(goldenDifferences(readFileSync(files.baseline, 'utf8'), readFileSync(now.baseline, 'utf8'))).toEqual([]);
      expect(readFileSync(now.baseline, 'utf8')).toBe(readFileSync(files.baseline, 'utf8'));
      expect(readFileSync(now.toolchain, 'utf8')).toBe(pinned);
    });
  });
  if (absent) console.warn(`golden ${toolchain.name} skipped: ${absent}`);
}
