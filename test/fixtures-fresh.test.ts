/**
 * The committed fixtures (test/fixtures/btf, test/fixtures/fuzz-seeds) are
 * what the installed toolchain writes: scripts/make-fixtures rebuilds them
 * into a temporary directory, and every file must equal the committed one
 * byte for byte. When the installed tools report other versions than the
 * manifest records, the comparison is skipped (loudly): regenerate with
 * scripts/make-fixtures and review the diff.
 *
 * Also the one substitution the pure tests make: classify-rules takes the
 * symbol tables of the gcc -gbtf fixtures where the pipeline reads those of
 * `gcc -g -c`; both must list the same symbols.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseElf, readSymbols } from '../src/index.js';
import { ROOT } from './helpers/cli.js';
import { FIXTURES_DIR, fixtureBytes, manifest, SEEDS_DIR } from './helpers/fixtures.js';

const work = mkdtempSync(join(tmpdir(), 'btfparity-fresh-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

let fresh: { tools: Record<string, string> };
beforeAll(() => {
  execFileSync(join(ROOT, 'scripts', 'make-fixtures'), ['--out', work], { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
  fresh = JSON.parse(readFileSync(join(work, 'btf', 'manifest.json'), 'utf8'));
});

const files = (dir: string): string[] =>
  readdirSync(dir)
    .filter((f) => f !== 'README.md')
    .sort();

describe('scripts/make-fixtures with the installed toolchain', () => {
  it('rebuilds every committed fixture and seed byte for byte', (ctx) => {
    if (JSON.stringify(fresh.tools) !== JSON.stringify(manifest().tools)) {
      console.warn(`fixtures-fresh skipped: installed tools ${JSON.stringify(fresh.tools)} differ from the manifest's ${JSON.stringify(manifest().tools)}`);
      ctx.skip();
    }
    for (const [committed, rebuilt] of [
      [FIXTURES_DIR, join(work, 'btf')],
      [SEEDS_DIR, join(work, 'fuzz-seeds')],
    ]) {
      expect(files(rebuilt)).toEqual(files(committed));
      // Compare as hex-free equality first (fast), naming the file that differs.
      for (const f of files(committed)) expect(readFileSync(join(rebuilt, f)).equals(readFileSync(join(committed, f))), f).toBe(true);
    }
  });
});

describe('symbol tables of the gcc -gbtf fixtures', () => {
  const symbols = (bytes: Uint8Array): string[] =>
    readSymbols(parseElf(bytes))
      .filter((s) => s.type !== 'file' && s.type !== 'section')
      .map((s) => `${s.name} ${s.binding} ${s.type} ${s.section} ${s.size}`);

  it('list what gcc -g -c writes (names, bindings, types, sections, sizes)', () => {
    const gccBtf = manifest().fixtures.filter((f) => f.avenue === 'gcc-btf');
    expect(gccBtf.length).toBeGreaterThan(10);
    for (const f of gccBtf) {
      const obj = join(work, `${f.file}.dwarf.o`);
      execFileSync('gcc', ['-g', '-c', f.source, '-o', obj], { cwd: ROOT });
      const want = symbols(new Uint8Array(readFileSync(obj)));
      expect(want.length, f.file).toBeGreaterThan(0);
      expect(symbols(fixtureBytes(f.file)), f.file).toEqual(want);
    }
  });
});
