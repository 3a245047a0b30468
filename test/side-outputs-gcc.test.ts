/**
 * A rebuilt database unit writes nothing into the build tree (issue 14
 * item 9), whatever output-producing flags its entry carries (toolchain
 * project: gcc 12, pahole). One entry per flag (SIDE_OUTPUTS and the list
 * items of source/gcc-options.ts), each on its own source file; every file
 * of the tree is hashed before and after `check --compile-commands`.
 *
 * The oracle that these flags do write into the tree is gcc itself: the
 * same commands run as the build runs them (cwd = the tree, `-o` in
 * scratch) leave new files in a copy of the tree. Before the change,
 * `check` left aux.txt, dump.txt and the .i/.s of -save-temps=cwd there.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunResult } from '../src/report/run-result.js';
import { ensureBuilt, runCliAsync } from './helpers/cli.js';

beforeAll(ensureBuilt);

const work = mkdtempSync(join(tmpdir(), 'btfparity-side-outputs-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/**
 * The flags, each as one entry. The first group writes into cwd (the tree) as gcc 12 runs
 * them, checked below; the rest write next to the object or are other compilers' spellings
 * (gcc 13's SARIF file, clang's -MJ), which gcc 12 would reject if they were kept.
 */
const WRITES_IN_CWD: readonly (readonly string[])[] = [
  ['-aux-info', 'aux.txt'],
  ['-save-temps=cwd'],
  ['-fdump-tree-original=dump.txt'],
  ['-fdump-ada-spec'],
  ['-fdump-go-spec=go.txt'],
  ['-fdump-final-insns=fi.txt'],
  ['-fopt-info-all=opt.txt'],
  ['-fstack-usage', '-dumpdir', './'],
  ['--coverage', '-fprofile-note=notes.gcno'],
  ['-Wp,-MD,wp.d'],
  ['-Wp,-MMD,wpm.d,-MT,x.o'],
  ['-Wa,-adhln=listing.txt'],
  ['-Wa,--MD,as.d'],
  ['-Xassembler', '-a=xlisting.txt'],
  ['-Xpreprocessor', '-MD', '-Xpreprocessor', 'xp.d'],
];
const OTHERS: readonly (readonly string[])[] = [
  ['-save-temps'],
  ['-save-temps=obj'],
  ['-fdump-tree-all'],
  ['-fdump-rtl-expand'],
  ['-fdump-ipa-all'],
  ['-fcallgraph-info'],
  ['-fopt-info'],
  ['-fsave-optimization-record'],
  ['--coverage'],
  ['-ftest-coverage'],
  ['-fprofile-arcs'],
  ['-fprofile-generate'],
  ['-gsplit-dwarf'],
  ['-flto'],
  ['-MD'],
  ['-MMD', '-MT', 'x.o', '-MQ', 'y.o'],
  ['-MD', '-MF', 'mf.d'],
  ['-Wl,-Map,map.txt'],
  ['-fdiagnostics-format=sarif-file'],
  ['-MJ', 'frag.json'],
];

const SRC = 'struct pair { int a; long b; };\nstruct pair p;\nint f(int x) { return x + p.a; }\n';

/** Every file under dir (relative path → sha256 of its bytes). */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out[relative(dir, p)] = createHash('sha256').update(readFileSync(p)).digest('hex');
    }
  };
  walk(dir);
  return out;
}

/** A build tree holding t0.c … tN.c and a database whose entry i carries flags[i]. */
function makeTree(name: string, flags: readonly (readonly string[])[]): { tree: string; db: string } {
  const tree = join(work, name);
  mkdirSync(tree);
  const entries = flags.map((f, i) => {
    writeFileSync(join(tree, `t${i}.c`), SRC);
    return { directory: tree, file: `t${i}.c`, arguments: ['gcc', '-O2', ...f, '-c', `t${i}.c`, '-o', `t${i}.o`] };
  });
  const db = join(tree, 'compile_commands.json');
  writeFileSync(db, JSON.stringify(entries));
  return { tree, db };
}

describe('check --compile-commands leaves the build tree as it was', () => {
  it('gcc, run as the build runs it, writes into the tree for each flag of the first group (the oracle)', () => {
    const { tree } = makeTree('oracle', WRITES_IN_CWD);
    const copy = join(work, 'oracle-copy');
    cpSync(tree, copy, { recursive: true });
    const scratch = join(work, 'oracle-scratch');
    mkdirSync(scratch);
    const wrote = WRITES_IN_CWD.map((f, i) => {
      const before = new Set(readdirSync(copy));
      execFileSync('gcc', ['-O2', ...f, '-c', `t${i}.c`, '-o', join(scratch, `t${i}.o`)], { cwd: copy, stdio: 'ignore' });
      return readdirSync(copy).filter((n) => !before.has(n)).length > 0;
    });
    expect(wrote).toEqual(WRITES_IN_CWD.map(() => true));
  });

  it('one entry per flag: every file of the tree unchanged, every unit checked', async () => {
    const all = [...WRITES_IN_CWD, ...OTHERS];
    const { tree, db } = makeTree('tree', all);
    const before = snapshot(tree);
    const r = await runCliAsync(['check', '--no-cache', '-q', '-j', '2', '--compile-commands', db, '--format', 'json']);
    expect(r.stderr).toBe('');
    const report = JSON.parse(r.stdout) as RunResult;
    expect(report.units.map((u) => [u.source, u.error])).toEqual(all.map((_, i) => [`t${i}.c`, undefined]));
    expect(report.summary.failedUnits).toBe(0);
    expect([0, 1]).toContain(r.status); // findings may fail the gate; no unit failed (that would be 3)
    expect(snapshot(tree)).toEqual(before);
  }, 600_000);
});
