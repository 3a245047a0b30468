/**
 * `btfparity check` end to end, as a user runs it: the built CLI
 * (dist/cli.js) as a subprocess, with the real gcc 12 and pahole 1.24.
 *
 * Build policy: beforeAll runs `tsc` when dist/ is missing or older than
 * any file under src/ (so a fresh checkout or an edit is picked up, and an
 * up-to-date tree costs nothing).
 *
 * Every run gets its own TMPDIR, so "the temp dir is removed" is checked
 * as "TMPDIR is empty afterwards" without racing other tests.
 */
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunResult } from '../src/report/run-result.js';
import { fnv1a32 } from '../src/source/shard.js';
import { CLI, type CliOptions, type CliRun, type CliRunWithLeftover, ensureBuilt, PROBES, runCliWithLeftoverAsync } from './helpers/cli.js';

const work = mkdtempSync(join(tmpdir(), 'btfparity-test-check-'));

/** The CLI in `work` (unless opts.cwd says otherwise), its private TMPDIR there too. */
function btfparity(args: string[], opts: Pick<CliOptions, 'env' | 'cwd'> = {}): Promise<CliRunWithLeftover> {
  return runCliWithLeftoverAsync(args, { cwd: work, tmpParent: work, ...opts });
}

function json(run: CliRun): RunResult {
  return JSON.parse(run.stdout) as RunResult;
}

function nonEmptyLines(text: string): string[] {
  return text.split('\n').filter((l) => l.trim() !== '');
}

/** A directory holding one executable script named `name`; put it first on PATH to shadow the real tool. */
function wrapperDir(tag: string, name: string, script: string): string {
  const dir = join(work, tag);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, name), script);
  chmodSync(join(dir, name), 0o755);
  return dir;
}

beforeAll(ensureBuilt);
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('check on probes', () => {
  it('21-multidim-array: variables only gcc -gbtf emits, and flattened vs nested arrays', async () => {
    const r = await btfparity(['check', join(PROBES, '21-multidim-array.c'), '--format', 'json']);
    expect(r.stderr).toBe('');
    expect(r.leftover).toEqual([]);
    const res = json(r);
    expect(res.units).toHaveLength(1);
    const u = res.units[0];
    expect(u.error).toBeUndefined();
    const view = (entity: string) =>
      u.findings.filter((f) => f.entity === entity).map((f) => `${f.path}|${f.category}|${f.left}|${f.right}|${f.status}|${f.normalisation ?? ''}`);
    // Oracle: `bpftool btf dump` of both avenues (gcc -g -gbtf; pahole
    // --btf_encode_detached). pahole 1.24 encodes no VARs for non-percpu
    // globals, gcc -gbtf encodes all six in DATASEC .bss, so each variable
    // exists only on the right.
    const onlyRight = u.findings.filter((f) => f.category === 'only-right' && f.left === 'absent').map((f) => f.entity);
    for (const v of ['grid', 'cube', 'rows', 'names', 'grid_row_ptr', 'mat_var']) expect(onlyRight).toContain(`var ${v}`);
    // gcc 12 nests the dimensions in reverse (VAR grid -> ARRAY nr_elems=4 of
    // ARRAY nr_elems=3 of int, for C `int grid[3][4]`); the report shows the
    // right side exactly as its BTF says.
    expect(u.findings.find((f) => f.entity === 'var grid' && f.category === 'only-right')?.right).toBe('int grid[4][3]');
    // ... which the DWARF of the same compile (DW_TAG_subrange_type upper_bound 2, 3) shows reversed: an array finding, right departs.
    expect(u.findings.find((f) => f.entity === 'var grid' && f.category === 'array')).toMatchObject({
      left: 'absent',
      right: 'int[4][3]',
      status: 'unexplained',
      verdict: { departs: 'right', dwarf: 'DW_TAG_variable grid: DW_TAG_subrange_type upper_bound 2, upper_bound 3 (int[3][4])' },
    });
    // pahole flattens `double m[4][4]` into one ARRAY of 16 (index type int),
    // gcc nests 4 of 4 (index type long unsigned int): same layout, so
    // equivalent, each under its named normalisation.
    expect(view('struct matrix').sort()).toEqual([
      'm|array|double[16]|double[4][4]|equivalent|flattened-array',
      'm|array|int|long unsigned int|equivalent|array-index-type',
      'tri|array|int|long unsigned int|equivalent|array-index-type',
      'tri|array|short int[8]|short int[2][2][2]|equivalent|flattened-array',
    ]);
    // The variable findings are known divergences (pahole 1.24 encodes no
    // non-percpu VARs). What fails the default --fail-on unexplained (issue 12)
    // is only gcc 12's own defects: the reversed array variables (above) and
    // the char the kernel refuses.
    expect(u.findings.filter((f) => f.category === 'only-right').every((f) => f.status === 'known')).toBe(true);
    expect(
      u.findings
        .filter((f) => f.status === 'unexplained')
        .map((f) => `${f.entity}|${f.category}`)
        .sort(),
    ).toEqual(['char|rejected', 'var cube|array', 'var grid|array', 'var rows|array']);
    expect(r.status).toBe(1);
  });

  it('54-array-dims-order: gcc 12 reverses int m[2][3]; against pahole (flattened) that is an array finding, right departs from the DWARF, not equivalent', async () => {
    const r = await btfparity(['check', join(PROBES, '54-array-dims-order.c'), '--format', 'json', '--no-rules']);
    const u = json(r).units[0];
    expect(u.findings.find((f) => f.entity === 'struct grid' && f.path === 'm' && f.left === 'int[6]')).toMatchObject({
      category: 'array',
      right: 'int[3][2]',
      status: 'unexplained',
      verdict: { departs: 'right', dwarf: 'DW_TAG_subrange_type upper_bound 1, upper_bound 2 (int[2][3])' },
    });
    expect(u.findings.find((f) => f.entity === 'var table' && f.category === 'array')).toMatchObject({
      right: 'short int[7][5]',
      verdict: { departs: 'right' },
    });
    // The index types still differ only in representation.
    expect(u.findings.filter((f) => f.status === 'equivalent').map((f) => f.reason)).toEqual(['array-index-type', 'array-index-type']);
  });

  it("02-char-signedness: the kernel refuses gcc 12's char (SIGNED|CHAR): rejected, on the right, whatever the rules say", async () => {
    const r = await btfparity(['check', join(PROBES, '02-char-signedness.c'), '--format', 'json']);
    const u = json(r).units[0];
    expect(u.findings.find((f) => f.entity === 'char' && f.category === 'rejected')).toMatchObject({
      left: 'n/a',
      right: 'kernel refuses: Unsupported encoding',
      status: 'unexplained',
    });
    expect(u.findings.filter((f) => f.category === 'rejected').every((f) => f.left === 'n/a')).toBe(true);
    // The encoding finding itself stays known, with the DWARF fact that gcc departs from.
    expect(u.findings.find((f) => f.entity === 'char' && f.category === 'encoding')).toMatchObject({
      status: 'known',
      verdict: { departs: 'right', dwarf: 'DW_TAG_base_type char DW_AT_encoding DW_ATE_signed_char, DW_AT_byte_size 1' },
    });
  });

  it('agree-* probes give no findings other than equivalent ones, exit 0', async () => {
    const agree = readdirSync(PROBES).filter((n) => n.includes('-agree-'));
    expect(agree.length).toBeGreaterThanOrEqual(2);
    const r = await btfparity(['check', ...agree.map((n) => join(PROBES, n)), '--format', 'json']);
    const res = json(r);
    expect(res.units.map((u) => u.error)).toEqual(agree.map(() => undefined));
    // Oracle for 41: the two bpftool dumps are the same records up to type
    // ids (PTR/FUNC_PROTO swap places), so not even an equivalent finding.
    expect(res.units.find((u) => u.source.endsWith('41-agree-plain-struct.c'))?.findings).toEqual([]);
    const notEquivalent = res.units.flatMap((u) =>
      u.findings.filter((f) => f.status !== 'equivalent').map((f) => `${u.source}: ${f.entity} ${f.path} ${f.category}`),
    );
    expect(notEquivalent).toEqual([]);
    expect(r.status).toBe(0);
  });

  it('records the exact commands with $TMP and the resolved toolchain', async () => {
    const r = await btfparity(['check', join(PROBES, '01-int-widths.c'), '--format', 'json']);
    const res = json(r);
    const src = join(PROBES, '01-int-widths.c');
    // The unit's scratch dir is named from the unit alone (stem + FNV-1a of its report name).
    const dir = `$TMP/01-int-widths-${fnv1a32(res.units[0].source).toString(16).padStart(8, '0')}`;
    expect(res.units[0].commands).toEqual([
      { side: 'both', argv: ['gcc', '-g', '-gbtf', '-c', src, '-o', `${dir}/unit.o`] },
      { side: 'left', argv: ['pahole', `--btf_encode_detached=${dir}/left.btf`, `${dir}/unit.o`] },
    ]);
    // Oracle: `gcc --version` / `pahole --version` first lines, as the shell sees them.
    const gccVersion = spawnSync('gcc', ['--version'], { encoding: 'utf8' }).stdout.split('\n')[0].trim();
    const paholeVersion = spawnSync('pahole', ['--version'], { encoding: 'utf8' }).stdout.split('\n')[0].trim();
    const which = (t: string) => spawnSync('sh', ['-c', `command -v ${t}`], { encoding: 'utf8' }).stdout.trim();
    expect(res.toolchain).toEqual([
      { role: 'cc', command: 'gcc', path: which('gcc'), version: gccVersion },
      { role: 'pahole', command: 'pahole', path: which('pahole'), version: paholeVersion },
    ]);
    expect(res.recipes.map((x) => `${x.side}:${x.name}`)).toEqual(['left:pahole', 'right:gcc-btf']);
  });

  it('--output writes the report to the file and nothing to stdout', async () => {
    const out = join(work, 'report.json');
    const r = await btfparity(['check', join(PROBES, '41-agree-plain-struct.c'), '--format', 'json', '--output', out]);
    expect(r.stdout).toBe('');
    expect((JSON.parse(readFileSync(out, 'utf8')) as RunResult).units[0].source).toBe(join(PROBES, '41-agree-plain-struct.c'));
  });
});

describe('the embedded corpus (no SRC)', () => {
  it('checks every corpus/probes/*.c under a stable name; pahole 1.24 failing on 53 makes the run exit 3, with the rest reported', async () => {
    const r = await btfparity(['check', '--format', 'json']);
    const res = json(r);
    const expected = readdirSync(PROBES)
      .filter((n) => n.endsWith('.c'))
      .sort()
      .map((n) => `probes/${n}`);
    expect(res.units.map((u) => u.source)).toEqual(expected);
    // Oracle: `pahole --btf_encode_detached=x.btf 53.o` on gcc -g output exits 1
    // with "[1] INT complex long double Error emitting BTF type" (a 256-bit INT
    // is invalid BTF; the probe documents this).
    const failed = res.units.filter((u) => u.error);
    expect(failed.map((u) => [u.source, u.error?.step])).toEqual([['probes/53-complex-long-double.c', 'left encode (pahole)']]);
    expect(failed[0].error?.message).toMatch(/^exited with status 1: .*complex long double/);
    // Commands name the probe relative to the corpus: no install path leaks into reports.
    expect(res.units[0].commands[0].argv).toContain(expected[0]);
    expect(res.summary.units).toBe(expected.length);
    expect(res.summary.failedUnits).toBe(1);
    // The report names the unit `probes/53-...` (stable across installs); the
    // stderr line names it by a path that exists from the caller's directory
    // (here a temp dir outside the package, so the absolute path; issue 12).
    // A run over 10 s (a loaded machine) also prints progress lines on a non-TTY stderr (cli/progress.ts).
    const progress = /^btfparity: \d+\/\d+ units, [\d.]+\/s, ETA \d+s, \d+ findings, \d+ failed$/;
    expect(nonEmptyLines(r.stderr).filter((l) => !progress.test(l))).toEqual([
      `btfparity: ${join(PROBES, '53-complex-long-double.c')}: left encode (pahole): ${failed[0].error?.message}`,
    ]);
    expect(r.status).toBe(3);
    expect(r.leftover).toEqual([]);
  });
});

describe('exit status and gate options (issue 12)', () => {
  const floats = join(PROBES, '05-floats.c'); // only known findings (pahole-float-as-int, pahole-vars-percpu-only)

  it('--fail-on applies without a baseline: default unexplained, known and any fail on known findings', async () => {
    expect((await btfparity(['check', '-q', floats])).status).toBe(0);
    expect((await btfparity(['check', '-q', '--fail-on', 'unexplained', floats])).status).toBe(0);
    expect((await btfparity(['check', '-q', '--fail-on', 'known', floats])).status).toBe(1);
    expect((await btfparity(['check', '-q', '--fail-on', 'any', floats])).status).toBe(1);
  });

  it('--cflags is split like a shell: a quoted define with a space reaches gcc as one argument', async () => {
    const dir = join(work, 'greeting');
    mkdirSync(dir, { recursive: true });
    // No char in the unit: gcc 12's char is a finding of its own (rejected), and this test is about the flags.
    writeFileSync(join(dir, 'greet.c'), '#define STR(x) #x\n#define XSTR(x) STR(x)\nint greeting_len = sizeof XSTR(GREETING);\n');
    const r = await btfparity(['check', '-q', '--format', 'json', '--cflags', '-DGREETING="hello world"', 'greet.c'], { cwd: dir });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(json(r).units[0].commands[0].argv).toContain('-DGREETING=hello world');
  });

  it('a missing baseline is exit 2 before any compile or tool lookup', async () => {
    const marker = join(work, 'cc-called');
    const dir = wrapperDir('marker-cc', 'gcc', `#!/bin/sh\ntouch ${marker}\nexec /usr/bin/gcc "$@"\n`);
    const r = await btfparity(['check', '--baseline', join(work, 'nosuch.json'), floats], { env: { PATH: `${dir}:${process.env.PATH}` } });
    expect(r.status).toBe(2);
    expect(nonEmptyLines(r.stderr)).toEqual([`btfparity: ${join(work, 'nosuch.json')}: cannot read baseline (ENOENT)`]);
    expect(existsSync(marker)).toBe(false);
    expect(r.stdout).toBe('');
  });

  it('--update-baseline prints the summary only, not the report', async () => {
    const b = join(work, 'summary-only.json');
    const r = await btfparity(['check', '-q', '--update-baseline', b, floats]);
    expect(r.status).toBe(0);
    // The summary block (issue 12: summary first): its head line, then the counts by category and rule; no finding listed.
    const lines = nonEmptyLines(r.stdout);
    expect(lines[0]).toMatch(/^1 unit \(0 failed\), \d+ findings: 0 unexplained, \d+ known, 0 equivalent$/);
    expect(lines.slice(1).map((l) => l.trim().split(/ {2,}/)[0])).toEqual(['categories', 'top rules']);
    expect(r.stdout).toBe((await btfparity(['check', '-q', '--summary', floats])).stdout);
    expect(r.stderr).toContain(`baseline written to ${b}`);
  });

  it('`cc --help` is help, not a compiler named --help', async () => {
    const r = await btfparity(['cc', '--help']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^Usage: btfparity cc \[options\] <compiler>/);
  });

  it("commander's usage errors carry the one prefix `btfparity: `", async () => {
    const r = await btfparity(['check', '--bogus']);
    expect([r.status, nonEmptyLines(r.stderr)]).toEqual([2, ["btfparity: unknown option '--bogus'"]]);
    const r2 = await btfparity(['check', '--fail-on', 'sometimes']);
    expect(r2.status).toBe(2);
    expect(r2.stderr).toMatch(/^btfparity: option '--fail-on <which>' argument 'sometimes' is invalid/);
  });
});

describe('toolchain failures', () => {
  it("a compiler error fails only its unit: one stderr line naming the step and gcc's first error line, exit 3", async () => {
    const dir = join(work, 'broken');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'broken.c'), 'int ok;\nint f(void) { return 1 }\n');
    writeFileSync(join(dir, 'good.c'), 'struct s { int a; };\nstruct s v;\n');
    // Oracle: gcc's own first line containing "error".
    const gcc = spawnSync('gcc', ['-c', 'broken.c', '-o', '/dev/null'], { cwd: dir, encoding: 'utf8', env: { ...process.env, LC_ALL: 'C' } });
    const gccError = gcc.stderr
      .split('\n')
      .find((l) => l.includes('error'))
      ?.trim();
    expect(gccError).toMatch(/^broken\.c:2:\d+: error: /);

    const r = await btfparity(['check', 'broken.c', 'good.c', '--format', 'json'], { cwd: dir });
    expect(r.status).toBe(3);
    expect(nonEmptyLines(r.stderr)).toEqual([`btfparity: broken.c: both compile (gcc): exited with status 1: ${gccError}`]);
    const res = json(r);
    expect(res.units.map((u) => u.source)).toEqual(['broken.c', 'good.c']);
    expect(res.units[0].error).toEqual({ step: 'both compile (gcc)', message: `exited with status 1: ${gccError}` });
    expect(res.units[0].commands).toHaveLength(1); // stopped after the failing step
    expect(res.units[1].error).toBeUndefined();
    expect(res.units[1].commands).toHaveLength(2);
    expect(res.summary.failedUnits).toBe(1);
    expect(r.leftover).toEqual([]);
  });

  it('a hung compiler is killed at --timeout 1 with its children, exit 3', async () => {
    // The wrapper answers --version (tool detection) but otherwise starts a
    // sleeping child and waits: only a process-group kill ends the child.
    const pidFile = join(work, 'sleep.pid');
    const dir = wrapperDir(
      'hang',
      'gcc',
      `#!/bin/sh\nif [ "$1" = "--version" ]; then exec /usr/bin/gcc --version; fi\nsleep 300 &\necho $! > ${pidFile}\nwait\n`,
    );
    const r = await btfparity(['check', join(PROBES, '01-int-widths.c'), '--timeout', '1', '--format', 'json'], {
      env: { PATH: `${dir}:${process.env.PATH}` },
    });
    expect(r.status).toBe(3);
    expect(nonEmptyLines(r.stderr)).toEqual([`btfparity: ${join(PROBES, '01-int-widths.c')}: both compile (gcc): timed out after 1s`]);
    const res = json(r);
    expect(res.toolchain[0]).toMatchObject({ role: 'cc', command: 'gcc', path: join(dir, 'gcc') }); // the wrapper first on PATH was used
    expect(res.units[0].error).toEqual({ step: 'both compile (gcc)', message: 'timed out after 1s' });
    expect(r.leftover).toEqual([]);
    expectDead(Number(readFileSync(pidFile, 'utf8')));
  });

  it('a missing tool is one line and exit 3, no report', async () => {
    const r = await btfparity(['check', join(PROBES, '01-int-widths.c')], { env: { BTFPARITY_PAHOLE: 'no-such-pahole' } });
    expect(r.status).toBe(3);
    expect(r.stdout).toBe('');
    expect(nonEmptyLines(r.stderr)).toEqual(["btfparity: pahole 'no-such-pahole': not found on PATH (set --pahole or BTFPARITY_PAHOLE)"]);
    expect(r.leftover).toEqual([]);
  });

  it('a missing source or an unknown recipe is a usage error, exit 2', async () => {
    const r = await btfparity(['check', 'nope.c']);
    expect([r.status, nonEmptyLines(r.stderr)]).toEqual([2, ['btfparity: nope.c: no such file']]);
    const r2 = await btfparity(['check', '--right', 'gcc-dwarf', join(PROBES, '01-int-widths.c')]);
    expect(r2.status).toBe(2);
    expect(nonEmptyLines(r2.stderr)).toHaveLength(1);
    expect(r2.stderr).toMatch(/--right: unknown recipe 'gcc-dwarf'/);
  });

  it('SIGINT during a step kills the tool, removes the temp dir and ends by SIGINT', async () => {
    const pidFile = join(work, 'sigint-sleep.pid');
    rmSync(pidFile, { force: true });
    const dir = wrapperDir(
      'hang-int',
      'gcc',
      `#!/bin/sh\nif [ "$1" = "--version" ]; then exec /usr/bin/gcc --version; fi\nsleep 300 &\necho $! > ${pidFile}\nwait\n`,
    );
    const tmp = mkdtempSync(join(work, 'tmp-int-'));
    const child = spawn(process.execPath, [CLI, 'check', join(PROBES, '01-int-widths.c')], {
      cwd: work,
      env: { ...process.env, TMPDIR: tmp, PATH: `${dir}:${process.env.PATH}` },
      stdio: 'ignore',
    });
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((res) => child.on('exit', (code, signal) => res({ code, signal })));
    await waitFor(() => existsSync(pidFile) && readFileSync(pidFile, 'utf8').trim() !== '');
    expect(readdirSync(tmp).length).toBeGreaterThan(0); // the run's btfparity-XXXXXX dirs exist while the step runs
    child.kill('SIGINT');
    const end = await exited;
    expect(end.signal === 'SIGINT' || end.code === 130).toBe(true);
    // btfparity ends at once; its reaper stops the tool and removes the dirs right after.
    await waitFor(() => readdirSync(tmp).length === 0);
    expectDead(Number(readFileSync(pidFile, 'utf8')));
  });
});

/** Poll until cond holds (no wall-clock assertion: the test timeout bounds it). */
async function waitFor(cond: () => boolean): Promise<void> {
  while (!cond()) await new Promise((r) => setTimeout(r, 50));
}

/** The process is gone (allowing init a moment to reap it). */
function expectDead(pid: number): void {
  expect(pid).toBeGreaterThan(1);
  let alive = true;
  for (let i = 0; i < 100 && alive; i++) {
    try {
      process.kill(pid, 0);
      // A killed process whose new parent does not reap it stays a zombie: dead all the same.
      if (/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'))) alive = false;
      else spawnSync('sleep', ['0.05']);
    } catch {
      alive = false;
    }
  }
  expect(alive).toBe(false);
}
