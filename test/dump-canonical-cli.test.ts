/**
 * `dump --format canonical` from the CLI: the ID-free form. Oracles: bpftool
 * shows the two inputs differ in numbering; the canonical texts must not.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { ensureBuilt, PROBES, ROOT, runCli } from './helpers/cli.js';

const work = mkdtempSync(join(tmpdir(), 'btfparity-canon-'));
beforeAll(ensureBuilt);
afterAll(() => rmSync(work, { recursive: true, force: true }));

const canonical = (file: string) => {
  const r = runCli(['dump', '--format', 'canonical', file]);
  expect(r.status).toBe(0);
  return r.stdout;
};

test('a renumbered copy of a recursive-struct object dumps identically', () => {
  const obj = join(work, 'r30.o');
  const renum = join(work, 'r30.renum');
  execFileSync('gcc', ['-gbtf', '-c', join(PROBES, '30-recursive.c'), '-o', obj]);
  execFileSync(process.execPath, [join(ROOT, 'scripts', 'renumber-btf'), obj, renum, '--seed', '7']);
  const bpftool = (f: string) => execFileSync('bpftool', ['btf', 'dump', 'file', f], { encoding: 'utf8' });
  expect(bpftool(renum)).not.toBe(bpftool(obj));
  const a = canonical(obj);
  expect(a).toContain("STRUCT 'list'");
  expect(canonical(renum)).toBe(a);
});

test('two avenues that agree on a plain struct give the same canonical text', () => {
  // 41-agree-plain-struct: checked with bpftool, both sides hold the same types in another order.
  const src = join(PROBES, '41-agree-plain-struct.c');
  const obj = join(work, 'p41.o');
  const btf = join(work, 'p41.btf');
  execFileSync('gcc', ['-g', '-gbtf', '-c', src, '-o', obj]);
  execFileSync('pahole', [`--btf_encode_detached=${btf}`, obj]);
  expect(canonical(btf)).toBe(canonical(obj));
});
