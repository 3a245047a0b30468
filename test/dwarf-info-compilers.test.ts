/**
 * The in-process DWARF reader against its oracle, llvm-dwarfdump: the probe
 * corpus compiled by every compiler here that writes DWARF (host gcc 12,
 * gcc-11, clang-16; the trixie and sid roots' gcc and clang when those roots
 * exist, run through bubblewrap as a user would), as DWARF 4 and 5, and for
 * each object the facts built from the reader's DIE tree must equal the
 * facts parsed from `llvm-dwarfdump --debug-info` text. clang's DWARF 5 names
 * its strings by strx forms through .debug_str_offsets; gcc's DWARF 5 uses
 * line_strp and implicit_const; both leave the string offsets to
 * .rela.debug_info, so every object also exercises the relocations.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { readDwarfDies } from '../src/artifact/dwarf-info.js';
import { parseElf } from '../src/artifact/elf.js';
import { readRoot, rootsDir } from '../src/toolchain/roots.js';
import { dwarfFacts, parseDwarfFacts } from '../src/verdict/dwarf-facts.js';
import { findDwarfDump } from '../src/witness/dwarf.js';
import { PROBES } from './helpers/cli.js';

const work = mkdtempSync(join(tmpdir(), 'btfparity-test-dwarfin-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const ALL = readdirSync(PROBES)
  .filter((f) => f.endsWith('.c'))
  .sort();
/** Every n-th probe: each compiler writes the same forms in every probe, and the whole test stays within ~30 s of CPU. */
const every = (n: number): readonly string[] => ALL.filter((_, i) => i % n === 0);

interface Compiler {
  readonly name: string;
  /** The command that compiles in `dir`. */
  readonly argv: (dir: string) => readonly string[];
  /** Probes compiled as DWARF 4 and as DWARF 5. */
  readonly probes: { readonly 4: readonly string[]; readonly 5: readonly string[] };
}

const onPath = (tool: string): boolean => spawnSync(tool, ['--version'], { stdio: 'ignore' }).status === 0;

function compilers(): Compiler[] {
  const out: Compiler[] = [];
  // The default host compilers see every probe as DWARF 5 (what the pipeline meets); the rest a share.
  for (const cc of ['gcc', 'gcc-11', 'clang-16']) {
    const main = cc !== 'gcc-11';
    if (onPath(cc)) out.push({ name: cc, argv: () => [cc], probes: { 4: every(main ? 3 : 6), 5: every(main ? 1 : 3) } });
  }
  if (!onPath('bwrap')) return out;
  for (const [suite, tools] of [
    ['trixie', ['gcc-14', 'clang-19']],
    ['sid', ['gcc-16', 'clang-21']],
  ] as const) {
    const root = readRoot(suite, rootsDir());
    if (!root) continue;
    const fs = root.fs;
    const bwrap = ['bwrap', '--ro-bind', `${fs}/usr`, '/usr', '--ro-bind', `${fs}/etc`, '/etc', '--symlink', 'usr/bin', '/bin', '--symlink', 'usr/lib', '/lib'];
    const rest = [
      '--symlink',
      'usr/lib64',
      '/lib64',
      '--dev',
      '/dev',
      '--proc',
      '/proc',
      '--bind',
      '/tmp',
      '/tmp',
      '--bind',
      work,
      work,
      '--ro-bind',
      PROBES,
      PROBES,
    ];
    for (const tool of tools) {
      out.push({ name: `${suite}:${tool}`, argv: (dir) => [...bwrap, ...rest, '--chdir', dir, '--', tool], probes: { 4: every(9), 5: every(4) } });
    }
  }
  return out;
}

const dwarfdump = findDwarfDump();
const FOUND = compilers();

/**
 * Compile `probes` in a fresh directory with `argv(dir)` plus `flags`, and
 * check every object's in-process facts against llvm-dwarfdump's; returns
 * how many objects carry .debug_str_offsets (clang's strx forms).
 */
function agreeWithDwarfdump(name: string, argv: readonly string[], flags: readonly string[], probes: readonly string[], dir: string): number {
  const [cmd, ...args] = argv;
  const run = spawnSync(cmd, [...args, ...flags, '-O2', '-c', ...probes.map((p) => join(PROBES, p))], { cwd: dir, encoding: 'utf8' });
  // A probe a compiler refuses (clang and _Float128, say) leaves no object; the others must be there.
  const objects = readdirSync(dir).filter((f) => f.endsWith('.o'));
  expect(objects.length, run.stderr).toBeGreaterThan(probes.length * 0.8);
  const declined: string[] = [];
  let strx = 0;
  for (const o of objects) {
    const path = join(dir, o);
    const bytes = readFileSync(path);
    const read = readDwarfDies(parseElf(bytes));
    if (read.kind === 'declined') {
      declined.push(`${o}: ${read.reason}`);
      continue;
    }
    if (bytes.includes('.debug_str_offsets')) strx++;
    const text = spawnSync(dwarfdump as string, ['--debug-info', path], { encoding: 'utf8', maxBuffer: 1 << 28 }).stdout;
    expect(dwarfFacts(read.tree), `${name} ${o}`).toEqual(parseDwarfFacts(text));
  }
  expect(declined).toEqual([]);
  return strx === objects.length ? -1 : strx;
}

/**
 * Other shapes of the same input, each on a share of the probes: DWARF 2
 * and 3, i386 (ELF32, REL relocations), zlib-compressed sections, BPF in
 * both byte orders (REL, R_BPF_64_ABS32/NODYLD32) and big-endian aarch64.
 */
const VARIANTS: readonly { readonly name: string; readonly cc: string; readonly flags: readonly string[] }[] = [
  { name: 'gcc -gdwarf-2', cc: 'gcc', flags: ['-gdwarf-2'] },
  { name: 'gcc -gdwarf-3', cc: 'gcc', flags: ['-gdwarf-3'] },
  { name: 'gcc -m32 -g', cc: 'gcc', flags: ['-m32', '-g'] },
  { name: 'gcc -g -gz=zlib', cc: 'gcc', flags: ['-g', '-gz=zlib'] },
  { name: 'clang-16 --target=bpfel -g', cc: 'clang-16', flags: ['--target=bpfel', '-g'] },
  { name: 'clang-16 --target=bpfeb -g', cc: 'clang-16', flags: ['--target=bpfeb', '-g'] },
  { name: 'clang-16 --target=aarch64_be-linux-gnu -g', cc: 'clang-16', flags: ['--target=aarch64_be-linux-gnu', '-g'] },
];

describe.skipIf(dwarfdump === undefined)('in-process DWARF facts equal llvm-dwarfdump text facts', () => {
  test('the host compilers are all here (the roots are optional)', () => {
    expect(FOUND.map((c) => c.name).slice(0, 3)).toEqual(['gcc', 'gcc-11', 'clang-16']);
  });

  for (const cc of FOUND) {
    for (const version of [4, 5] as const) {
      test(`${cc.name} -gdwarf-${version}`, () => {
        const dir = join(work, `${cc.name.replace(/[^a-z0-9-]/g, '_')}-${version}`);
        mkdirSync(dir);
        const strx = agreeWithDwarfdump(cc.name, cc.argv(dir), [`-gdwarf-${version}`], cc.probes[version], dir);
        // clang's DWARF 5 is read through .debug_str_offsets (the strx forms) in every object; DWARF 4 has none.
        if (cc.name.includes('clang')) expect(strx).toBe(version === 5 ? -1 : 0);
      });
    }
  }

  for (const [i, v] of VARIANTS.entries()) {
    test.skipIf(!onPath(v.cc))(v.name, () => {
      const dir = join(work, `variant-${i}`);
      mkdirSync(dir);
      agreeWithDwarfdump(v.name, [v.cc], v.flags, every(6), dir);
    });
  }
});
