/**
 * `dump --format canonical` from the CLI: the ID-free form. Oracles: bpftool
 * shows the two inputs differ in numbering; the canonical texts must not.
 * Inputs are committed fixtures (test/fixtures/btf) with their bpftool
 * dumps; the renumbered copy is made by scripts/renumber-btf. No toolchain.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { ensureBuilt, ROOT, runCli } from './helpers/cli.js';
import { fixturePath, oracleText, probeFixture } from './helpers/fixtures.js';

const work = mkdtempSync(join(tmpdir(), 'btfparity-canon-'));
beforeAll(ensureBuilt);
afterAll(() => rmSync(work, { recursive: true, force: true }));

const canonical = (file: string) => {
  const r = runCli(['dump', '--format', 'canonical', file]);
  expect(r.status).toBe(0);
  return r.stdout;
};

test('a renumbered copy of a recursive-struct object dumps identically', () => {
  const obj = fixturePath(probeFixture('30-recursive', 'gcc-btf'));
  const renum = join(work, 'r30.renum');
  execFileSync(process.execPath, [join(ROOT, 'scripts', 'renumber-btf'), obj, renum, '--seed', '7']);
  // Our bpftool-format dump of the copy (the reader is pinned to bpftool elsewhere) against bpftool's of the original.
  const dumped = runCli(['dump', renum]);
  expect(dumped.status).toBe(0);
  expect(dumped.stdout).not.toBe(oracleText(probeFixture('30-recursive', 'gcc-btf')));
  const a = canonical(obj);
  expect(a).toContain("STRUCT 'list'");
  expect(canonical(renum)).toBe(a);
});

test('two avenues that agree on a plain struct give the same canonical text', () => {
  // 41-agree-plain-struct: checked with bpftool, both sides hold the same types in another order.
  const obj = fixturePath(probeFixture('41-agree-plain-struct', 'gcc-btf'));
  const btf = fixturePath(probeFixture('41-agree-plain-struct', 'pahole'));
  expect(oracleText(probeFixture('41-agree-plain-struct', 'pahole'))).not.toBe(oracleText(probeFixture('41-agree-plain-struct', 'gcc-btf')));
  expect(canonical(btf)).toBe(canonical(obj));
});
