/**
 * The baseline gate under a simulated toolchain upgrade, with the real
 * gcc 12 and pahole 1.24. The "old" toolchain is pahole behind a wrapper
 * script first on PATH that adds --btf_gen_floats; the "upgrade" removes
 * the wrapper. Why the findings are what they are (checked with bpftool
 * dumps of both sides): pahole 1.24 writes C floating types as INT unless
 * --btf_gen_floats is given, while gcc -gbtf always writes FLOAT, so
 * dropping the flag makes `float`/`double`/`long double` differ in kind.
 */
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { CATEGORIES } from '../src/findings/finding.js';
import { ensureBuilt, PROBES, runCliAsync } from './helpers/cli.js';
import { githubSarifProblems } from './helpers/github-sarif.js';
import { junitSchemaProblems } from './helpers/junit-xsd.js';
import { sarifValidator } from './helpers/sarif-schema.js';

const work = mkdtempSync(join(tmpdir(), 'btfparity-gate-'));
const wrapDir = join(work, 'old-toolchain');
const baseline = join(work, 'baseline.json');
const units = ['05-floats.c', '08-enum-unsigned.c', '41-agree-plain-struct.c'].map((p) => join(PROBES, p));
const oldPath = { PATH: `${wrapDir}:${process.env.PATH}` };

beforeAll(() => {
  ensureBuilt();
  mkdirSync(wrapDir);
  const wrapper = join(wrapDir, 'pahole');
  writeFileSync(wrapper, '#!/bin/sh\nexec /usr/bin/pahole --btf_gen_floats "$@"\n');
  chmodSync(wrapper, 0o755);
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('baseline gate across a toolchain change', () => {
  test('recording a baseline exits 0 and writes no type ids or temp paths', async () => {
    const r = await runCliAsync(['check', '--update-baseline', baseline, '--format', 'json', ...units], { env: oldPath });
    expect(r.stderr).toContain(`baseline written to ${baseline}`);
    expect(r.status).toBe(0);
    const text = readFileSync(baseline, 'utf8');
    expect(text).not.toMatch(/btfparity-[A-Za-z0-9]{6}|Id"/);
    // The old toolchain encodes floats, so no float finding is accepted.
    expect(text).not.toContain("INT 'double'");
  });

  test('the same toolchain against its baseline passes', async () => {
    const r = await runCliAsync(['check', '--baseline', baseline, ...units], { env: oldPath });
    expect(r.stderr).toMatch(/0 new findings .* 0 new unit failures, 0 resolved/);
    expect(r.status).toBe(0);
  });

  test('the upgraded toolchain fails the gate, naming the new findings', async () => {
    const r = await runCliAsync(['check', '--baseline', baseline, ...units]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/new: .*05-floats\.c: double: kind: INT 'double' size=8 \(none\) → FLOAT 'double' size=8 \[known\]/);
    expect(r.stderr).toMatch(/new: .*05-floats\.c: float: kind: INT 'float'/);
    // Nothing in the unrelated units is new.
    expect(r.stderr).not.toMatch(/new: .*41-agree-plain-struct/);
  });

  test('--fail-on unexplained lets known findings through', async () => {
    const r = await runCliAsync(['check', '--baseline', baseline, '--fail-on', 'unexplained', ...units]);
    expect(r.stderr).toMatch(/[1-9]\d* new findings \(0 failing with --fail-on unexplained\)/);
    expect(r.status).toBe(0);
  });

  test("junit failures == sarif errors == the gate's failing findings, for each --fail-on (issue 12)", async () => {
    const out = join(work, 'report');
    for (const failOn of ['any', 'known', 'unexplained'] as const) {
      const junit = await runCliAsync(['check', '--baseline', baseline, '--fail-on', failOn, '--format', 'junit', '--output', out, ...units]);
      const xml = readFileSync(out, 'utf8');
      const sarif = await runCliAsync(['check', '--baseline', baseline, '--fail-on', failOn, '--format', 'sarif', '--output', out, ...units]);
      const text = readFileSync(out, 'utf8');
      // The gate's own words: the `new:` lines with their status; a new finding fails when its
      // status is one --fail-on names (any: all; known: known and unexplained; unexplained: only those).
      const fails = (st: string) => failOn === 'any' || st === 'unexplained' || (failOn === 'known' && st === 'known');
      const gate = newLines(junit.stderr)
        .filter((n) => fails(n.status))
        .map((n) => n.name)
        .sort();
      expect(newLines(sarif.stderr)).toEqual(newLines(junit.stderr));
      // The upgrade makes the float findings new and known (see the file's comment).
      expect(gate.length > 0).toBe(failOn !== 'unexplained');
      expect(junit.status).toBe(gate.length > 0 ? 1 : 0);
      expect(sarif.status).toBe(junit.status);
      expect(junitFailures(xml)).toEqual(gate);
      expect(sarifErrors(text)).toEqual(gate);
      expect(junitSchemaProblems(xml)).toBe('');
      expect(githubSarifProblems(text)).toEqual([]);
      const validate = sarifValidator();
      expect(validate(JSON.parse(text)), JSON.stringify(validate.errors)).toBe(true);
      // Every result carries its state against the baseline.
      const states = new Set(JSON.parse(text).runs[0].results.map((r: { baselineState: string }) => r.baselineState));
      expect([...states].sort()).toEqual(['new', 'unchanged']);
    }
  });

  test('refreshing the baseline makes the upgraded toolchain pass', async () => {
    expect((await runCliAsync(['check', '--update-baseline', baseline, ...units])).status).toBe(0);
    const r = await runCliAsync(['check', '--baseline', baseline, ...units]);
    expect(r.status).toBe(0);
  });

  test('going back reports the float entries as resolved, exit 0 with a note', async () => {
    const r = await runCliAsync(['check', '--baseline', baseline, ...units], { env: oldPath });
    expect(r.stderr).toMatch(/resolved: .*05-floats\.c: double: kind/);
    expect(r.stderr).toContain('refresh the baseline');
    expect(r.status).toBe(0);
  });

  test('a unit failure not in the baseline exits 3; once recorded it passes', async () => {
    // pahole 1.24 cannot encode `complex long double` (it exits 1): a failing unit.
    const failing = join(PROBES, '53-complex-long-double.c');
    const r = await runCliAsync(['check', '--baseline', baseline, failing, ...units]);
    expect(r.stderr).toMatch(/new failure: .*53-complex-long-double\.c: left encode \(pahole\)/);
    expect(r.status).toBe(3);
    const b2 = join(work, 'with-failure.json');
    expect((await runCliAsync(['check', '--update-baseline', b2, failing, ...units])).status).toBe(0);
    expect((await runCliAsync(['check', '--baseline', b2, failing, ...units])).status).toBe(0);
  });
});

describe('reproducible reports', () => {
  // gcc 12 -gbtf numbers VARs by heap-address hashes; btfparity runs steps
  // without address randomisation so the same input gives the same bytes.
  test('two runs of the same units give byte-identical json reports (type ids included)', async () => {
    const probes = ['38-decl-tag.c', '21-multidim-array.c', '02-char-signedness.c'].map((p) => join(PROBES, p));
    const a = await runCliAsync(['check', '--format', 'json', ...probes]);
    const b = await runCliAsync(['check', '--format', 'json', ...probes]);
    expect(a.stdout).toContain('"rightId"');
    expect(b.stdout).toBe(a.stdout);
  });
});

describe('accepted failures that go away', () => {
  test('are reported as resolved, exit 0 with a note to refresh', async () => {
    // With --btf_gen_floats pahole 1.24 fails on complex types (45-complex);
    // without the flag it encodes them (as INT): the recorded failure is gone.
    const b = join(work, 'complex.json');
    const unit = join(PROBES, '45-complex.c');
    expect((await runCliAsync(['check', '--update-baseline', b, unit], { env: oldPath })).stderr).toContain('1 unit failures');
    const r = await runCliAsync(['check', '--baseline', b, '--fail-on', 'unexplained', unit]);
    // The baseline names the step without its tool (issue 9).
    expect(r.stderr).toMatch(/resolved failure: .*45-complex\.c: left encode no longer fails/);
    expect(r.stderr).toContain('refresh the baseline');
  });
});

describe('a changed tool path alone is never a new failure (issue 9)', () => {
  // pahole 1.24 exits 1 on `complex long double` (probe 53) and gcc rejects broken.c: two units
  // that fail at a step, recorded with the tools found on PATH as `pahole` and `gcc`. The same
  // binaries reached another way — symlinks named on the command line, or a wrapper script first
  // on PATH — must fail the same steps and be accepted.
  const alt = join(work, 'alt-tools');
  const wrap = join(work, 'wrap-tools');
  const broken = join(work, 'broken.c');
  const failing = [join(PROBES, '53-complex-long-double.c'), broken];
  const bl = join(work, 'failures.json');
  beforeAll(() => {
    mkdirSync(alt);
    mkdirSync(wrap);
    symlinkSync('/usr/bin/pahole', join(alt, 'pahole'));
    symlinkSync(realpathSync('/usr/bin/gcc'), join(alt, 'gcc'));
    for (const tool of ['pahole', 'gcc']) {
      writeFileSync(join(wrap, tool), `#!/bin/sh\nexec /usr/bin/${tool} "$@"\n`);
      chmodSync(join(wrap, tool), 0o755);
    }
    writeFileSync(broken, 'int x = ;\n');
  });

  test('recorded failures name the step without the tool', async () => {
    const r = await runCliAsync(['check', '-q', '--update-baseline', bl, ...failing]);
    expect(r.stderr).toContain('0 findings, 2 unit failures');
    const steps = JSON.parse(readFileSync(bl, 'utf8')).failures.map((f: { unit: string; step: string }) => `${f.unit.replace(/.*\//, '')}: ${f.step}`);
    expect(steps.sort()).toEqual(['53-complex-long-double.c: left encode', 'broken.c: both compile']);
  });

  test('the same tools through symlinks given as --pahole/--cc: 0 new failures, exit 0', async () => {
    const r = await runCliAsync(['check', '-q', '--baseline', bl, '--pahole', join(alt, 'pahole'), '--cc', join(alt, 'gcc'), ...failing]);
    // The run names the tool as given; the gate does not count it.
    expect(r.stderr).toContain(`left encode (${join(alt, 'pahole')}): exited with status 1`);
    expect(r.stderr).toMatch(/0 new findings .*, 0 new unit failures, 0 resolved$/m);
    expect(r.stderr).not.toContain('new failure:');
    expect(r.status).toBe(0);
  });

  test('the same tools behind wrapper scripts first on PATH: 0 new failures, exit 0', async () => {
    const r = await runCliAsync(['check', '-q', '--baseline', bl, ...failing], { env: { PATH: `${wrap}:${process.env.PATH}` } });
    expect(r.stderr).toMatch(/0 new findings .*, 0 new unit failures, 0 resolved$/m);
    expect(r.status).toBe(0);
  });
});

describe('baselines across checkouts (issue 12)', () => {
  test('a baseline made in one checkout holds in another: units are named relative to the repository', async () => {
    const checkout = (name: string) => {
      const dir = join(work, name);
      mkdirSync(join(dir, '.git'), { recursive: true });
      mkdirSync(join(dir, 'src'), { recursive: true });
      writeFileSync(join(dir, 'src', 'floats.c'), readFileSync(join(PROBES, '05-floats.c')));
      return dir;
    };
    const a = checkout('checkout-a');
    const b = checkout('elsewhere/checkout-b');
    const bl = join(work, 'checkouts.json');
    // Recorded with an absolute path from the repository root...
    expect((await runCliAsync(['check', '-q', '--update-baseline', bl, join(a, 'src', 'floats.c')], { cwd: a })).status).toBe(0);
    expect(JSON.parse(readFileSync(bl, 'utf8')).entries.map((e: { unit: string }) => e.unit)).toContain('src/floats.c');
    // ...and checked from a subdirectory of another checkout with a relative path.
    const r = await runCliAsync(['check', '-q', '--baseline', bl, 'floats.c'], { cwd: join(b, 'src') });
    expect(r.stderr).toMatch(/0 new findings .* 0 resolved/);
    expect(r.status).toBe(0);
    // --root names units relative to another directory.
    const j = await runCliAsync(['check', '-q', '--format', 'json', '--root', join(b, 'src'), 'floats.c'], { cwd: join(b, 'src') });
    expect(JSON.parse(j.stdout).units[0].source).toBe('floats.c');
    expect((await runCliAsync(['check', '--root', join(work, 'nope'), 'floats.c'], { cwd: join(b, 'src') })).status).toBe(2);
  });
});

/** The gate's `new: UNIT: ENTITY[ PATH]: CATEGORY: LEFT → RIGHT [STATUS]` lines, as junit test case names and statuses. */
function newLines(stderr: string): { name: string; status: string }[] {
  const re = new RegExp(`^btfparity: new: \\S+: (.*?: (?:${CATEGORIES.join('|')})): .* \\[(unexplained|known|equivalent)\\]$`, 'gm');
  return [...stderr.matchAll(re)].map((m) => ({ name: m[1], status: m[2] })).sort((a, b) => (a.name < b.name ? -1 : 1));
}

function junitFailures(xml: string): string[] {
  const names = [...xml.matchAll(/<testcase name="([^"]*)"[^>]*>\n\s*<failure/g)].map((m) => unescapeXml(m[1]));
  return names.sort();
}

function unescapeXml(s: string): string {
  return s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');
}

function sarifErrors(text: string): string[] {
  const results = JSON.parse(text).runs[0].results as { level: string; properties: { entity: string; path: string; category: string } }[];
  return results
    .filter((r) => r.level === 'error')
    .map((r) => `${r.properties.entity}${r.properties.path ? ` ${r.properties.path}` : ''}: ${r.properties.category}`)
    .sort();
}
