/**
 * Build-wrapper mode with a real `make -j2` over test/fixtures/wrapper-project:
 * four C objects and a link step, CC="node dist/cli.js cc gcc".
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import type { RunResult } from '../src/report/run-result.js';
import { unitFromCompilerArgv } from '../src/source/compiler-invocation.js';
import { CLI, ensureBuilt, ROOT, runCli } from './helpers/cli.js';

const FIXTURE = join(ROOT, 'test', 'fixtures', 'wrapper-project');
const work = mkdtempSync(join(tmpdir(), 'btfparity-test-wrapper-'));
const OUTPUTS = ['main.o', 'shapes.o', 'queue.o', 'state.o', 'app'];

function make(dir: string, cc: string, env: Record<string, string> = {}) {
  return spawnSync('make', ['-j2', `CC=${cc}`], { cwd: dir, encoding: 'utf8', env: { ...process.env, ...env } });
}

const digest = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

let plain: string;
let wrapped: string;
let results: string;
let build: ReturnType<typeof make>;

beforeAll(() => {
  ensureBuilt();
  plain = join(work, 'plain');
  wrapped = join(work, 'wrapped');
  results = join(work, 'results');
  cpSync(FIXTURE, plain, { recursive: true });
  cpSync(FIXTURE, wrapped, { recursive: true });
  expect(make(plain, 'gcc').status).toBe(0);
  build = make(wrapped, `${process.execPath} ${CLI} cc gcc`, { BTFPARITY_RESULTS: results, BTFPARITY_ROOT: wrapped });
});

describe('make CC="btfparity cc gcc"', () => {
  test('the build succeeds and its outputs are byte-identical to a build without the wrapper', () => {
    expect(build.status).toBe(0);
    for (const f of OUTPUTS) expect([f, digest(join(wrapped, f))]).toEqual([f, digest(join(plain, f))]);
    // The link step went through the wrapper unchanged and produced a working program:
    // area((1,2),(4,6)) = 12, queue_len = 0, state_code = 5, 'w' = 119 → (12+0+5+119) & 0x7f = 8.
    expect(spawnSync(join(wrapped, 'app')).status).toBe(8);
  });

  test('one result per object, named by the digest of its absolute path; collect lists each unit', () => {
    const names = readdirSync(results).sort();
    const expected = ['main.o', 'shapes.o', 'queue.o', 'state.o'].map((o) => `${createHash('sha256').update(join(wrapped, o)).digest('hex')}.json`).sort();
    expect(names).toEqual(expected); // the link step wrote none
    const r = runCli(['collect', results, '--format', 'json']);
    const report = JSON.parse(r.stdout) as RunResult;
    expect(report.units.map((u) => u.source)).toEqual(['main.c', 'queue.c', 'shapes.c', 'state.c']);
    expect(report.summary.units).toBe(4);
    expect(report.summary.failedUnits).toBe(0);
    // Each unit was rebuilt with the build's own flags (-O2 -Wall -D...) plus each avenue's debug flags.
    const compile = report.units[0].commands[0].argv;
    expect(compile).toEqual(expect.arrayContaining(['-O2', '-Wall', '-DPROJECT_NAME="wrapper"', '-g', '-gbtf']));
    // shapes.c has 2-D array members: pahole flattens them, gcc 12 nests them in reverse (probes 21, 54),
    // which the same compile's DWARF shows: an array finding, right departs, not an equivalent flattening.
    const shapes = report.units.find((u) => u.source === 'shapes.c');
    const corners = shapes?.findings.find((f) => f.path === 'corners' && f.category === 'array' && f.right.includes(']['));
    expect(corners).toMatchObject({ status: 'unexplained', verdict: { departs: 'right' } });
    expect(corners?.normalisation).toBeUndefined();
    // gcc 12's reversed nesting is unexplained: the default --fail-on unexplained fails collect.
    expect(r.status).toBe(1);
    // collect gates like check: record, then compare (issue 12: collect had no --baseline).
    const b = join(work, 'collect-baseline.json');
    const rec = runCli(['collect', results, '--update-baseline', b]);
    expect(rec.status).toBe(0);
    expect(rec.stdout).toMatch(/^4 units \(0 failed\), \d+ findings/);
    const gate = runCli(['collect', results, '--baseline', b]);
    expect(gate.stderr).toMatch(/0 new findings \(0 failing with --fail-on any\)/);
    expect(gate.status).toBe(0);
    // Any format renders the same facts.
    const md = runCli(['collect', results, '--format', 'markdown']);
    for (const s of ['main.c', 'queue.c', 'shapes.c', 'state.c']) expect(md.stdout).toContain(s);
  });
});

describe('btfparity failing never fails the compile', () => {
  test("a missing pahole becomes an error result; the object is still built and the status is the compiler's", () => {
    const dir = mkdtempSync(join(work, 'fail-'));
    cpSync(join(FIXTURE, 'queue.c'), join(dir, 'queue.c'));
    cpSync(join(FIXTURE, 'common.h'), join(dir, 'common.h'));
    const r = runCli(['cc', 'gcc', '-c', 'queue.c', '-o', 'q.o'], { cwd: dir, env: { BTFPARITY_PAHOLE: '/nonexistent/pahole' } });
    expect([r.status, r.stdout, r.stderr]).toEqual([0, '', '']);
    expect(existsSync(join(dir, 'q.o'))).toBe(true);
    // Default results dir: <cwd>/btfparity-results; the file is named by the object's absolute path.
    const file = join(dir, 'btfparity-results', `${createHash('sha256').update(join(dir, 'q.o')).digest('hex')}.json`);
    const res = JSON.parse(readFileSync(file, 'utf8')) as RunResult;
    expect(res.units).toHaveLength(1);
    expect(res.units[0].source).toBe(join(dir, 'queue.c'));
    expect(res.units[0].error?.message).toMatch(/pahole '\/nonexistent\/pahole': not found/);
  });

  test("a compile error is the compiler's exit status and stderr, with no result written", () => {
    const dir = mkdtempSync(join(work, 'err-'));
    writeFileSync(join(dir, 'bad.c'), 'int f(void) { return nope; }\n');
    const r = runCli(['cc', 'gcc', '-c', 'bad.c'], { cwd: dir });
    expect(r.status).toBe(1); // gcc's status for a compile error
    expect(r.stderr).toMatch(/nope. undeclared/); // the build's own locale: quotes may be typographic
    expect(existsSync(join(dir, 'btfparity-results'))).toBe(false);
  });
});

describe('which compiler invocations are units', () => {
  const dir = '/src/proj';
  test.each([
    [['gcc', '-O2', '-c', 'a.c', '-o', 'obj/a.o'], { file: '/src/proj/a.c', output: '/src/proj/obj/a.o', flags: ['-O2'] }],
    [['gcc', '-c', 'sub/b.c'], { file: '/src/proj/sub/b.c', output: '/src/proj/b.o', flags: [] }],
    [
      ['gcc', '-Iinc', '-include', 'x.c', '-c', 'a.c', '-MD', '-MF', 'a.d', '-g'],
      { file: '/src/proj/a.c', output: '/src/proj/a.o', flags: ['-Iinc', '-include', 'x.c'] },
    ],
  ])('%j compiles one C unit', (argv, want) => {
    expect(unitFromCompilerArgv(argv, dir)).toMatchObject(want);
  });
  test.each([
    [['gcc', '-o', 'app', 'a.o', 'b.o']], // link
    [['gcc', '-E', 'a.c']],
    [['gcc', '-S', '-c', 'a.c']],
    [['gcc', '-M', '-c', 'a.c']],
    [['gcc', '-c', 'a.S']],
    [['gcc', '-c', 'a.c', 'b.c']],
    [['gcc', '-c', '-x', 'c', '/dev/null', '-o', '/tmp/x.o']], // kbuild's cc-option probe
    [['gcc', '-c', '-']],
    [['gcc', '--version']],
  ])('%j is passed through only', (argv) => {
    expect(unitFromCompilerArgv(argv, dir)).toBeUndefined();
  });
});
