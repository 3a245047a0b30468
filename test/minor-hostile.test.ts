/**
 * The minor items of issue 14, item 14: a second `.BTF` section is
 * mentioned instead of silently ignored; 64-bit ELF fields are printed
 * exactly in errors; `--output` (or `--update-baseline`) naming an input
 * file is refused before anything is written.
 */
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { intType } from './helpers/btf-transform.js';
import { encodeBtf } from '../src/btf/encode.js';
import { loadBtf } from '../src/btf/load.js';
import { InputError } from '../src/errors.js';
import { buildElf } from './helpers/elf-build.js';
import { ensureBuilt, PROBES, runCli } from './helpers/cli.js';
import { tempDir } from './reader-toolchain.js';

const { dir, cleanup } = tempDir('minor');
afterAll(cleanup);
beforeAll(ensureBuilt);

const INT = intType();
const btf = encodeBtf({ types: [INT] });

function lines(s: string): string[] {
  return s.split('\n').filter((l) => l !== '');
}

describe('two .BTF sections', () => {
  it('the first is used and stderr says so, naming both section headers', () => {
    const f = join(dir, 'two.o');
    writeFileSync(
      f,
      buildElf({
        sections: [
          { name: '.BTF', data: btf },
          { name: '.BTF', data: new TextEncoder().encode('garbage, not BTF at all') },
        ],
      }),
    );
    const r = runCli(['dump', f], { cwd: dir });
    expect(r.status).toBe(0);
    expect(r.stdout).toBe("[1] INT 'int' size=4 bits_offset=0 nr_bits=32 encoding=SIGNED\n");
    expect(lines(r.stderr)).toEqual([`btfparity: ${f}: ELF file has 2 .BTF sections (section headers 1, 2); using the first, at offset 64`]);
    expect(loadBtf(readFileSync(f)).notes).toHaveLength(1);
  });
});

describe('64-bit ELF fields in errors are exact', () => {
  const fails = (bytes: Uint8Array): string => {
    try {
      loadBtf(bytes);
    } catch (e) {
      if (e instanceof InputError) return e.oneLine();
      throw e;
    }
    throw new Error('loaded');
  };
  it('a section header table offset near 2^64', () => {
    const msg = fails(buildElf({ sections: [{ name: '.BTF', data: btf }], shoff: 0xfffffffffffffff0n }));
    expect(msg).toContain('section header table (64 bytes at 18446744073709551600) runs past the end of the file');
  });
  it('a section offset and size near 2^64', () => {
    const msg = fails(buildElf({ sections: [{ name: '.BTF', data: btf, offset: 0xffffffffffffffffn, size: 0x8000000000000001n }] }));
    expect(msg).toContain('section data (9223372036854775809 bytes at 18446744073709551615) runs past the end of the file');
  });
  it('an extended section count (section 0 size) near 2^64', () => {
    const elf = buildElf({ sections: [{ name: '.BTF', data: btf }], shnum: 0 });
    const v = new DataView(elf.buffer);
    const shoff = Number(v.getBigUint64(0x28, true));
    v.setBigUint64(shoff + 32, 0xfffffffffffffffen, true); // section 0's sh_size: the real count
    expect(fails(elf)).toContain(`section header table (${0xfffffffffffffffen * 64n} bytes at ${shoff})`);
  });
});

describe('--output naming an input', () => {
  it('diff refuses to overwrite either input (by any name), and writes nothing', () => {
    const a = join(dir, 'a.btf');
    const b = join(dir, 'b.btf');
    writeFileSync(a, btf);
    writeFileSync(b, btf);
    for (const out of [a, b, `${dir}/./a.btf`]) {
      const r = runCli(['diff', a, b, '--output', out], { cwd: dir });
      expect([r.status, lines(r.stderr)]).toEqual([2, [expect.stringMatching(/--output names the input file .*; refusing to overwrite it$/)]]);
    }
    expect(Buffer.compare(readFileSync(a), btf)).toBe(0);
    expect(Buffer.compare(readFileSync(b), btf)).toBe(0);
    const ok = runCli(['diff', a, b, '--output', join(dir, 'report.txt')], { cwd: dir });
    expect(ok.status).toBe(0);
  });

  it('merge, check and --update-baseline too', () => {
    const a = join(dir, 'a.btf');
    const report = join(dir, 'r.json');
    expect(runCli(['diff', '--format', 'json', '--output', report, a, a], { cwd: dir }).status).toBe(0);
    const before = readFileSync(report);
    expect(runCli(['merge', report, '--output', report], { cwd: dir }).status).toBe(2);
    expect(Buffer.compare(readFileSync(report), before)).toBe(0);
    const src = join(dir, 'x.c');
    copyFileSync(join(PROBES, '01-int-widths.c'), src);
    const check = runCli(['check', '--no-cache', src, '--output', src], { cwd: dir });
    expect([check.status, check.stderr]).toEqual([2, `btfparity: ${src}: --output names the input file ${src}; refusing to overwrite it\n`]);
    expect(readFileSync(src, 'utf8')).toBe(readFileSync(join(PROBES, '01-int-widths.c'), 'utf8'));
    expect(runCli(['diff', a, a, '--update-baseline', a], { cwd: dir }).status).toBe(2);
    expect(Buffer.compare(readFileSync(a), btf)).toBe(0);
  });
});
