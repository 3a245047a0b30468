/**
 * The text-report options at the CLI (issue 12): one option table, so
 * every command that writes a run report has --only, --summary, --all,
 * --ascii and --format email; --only is validated before anything runs;
 * --update-baseline prints the summary only; ASCII by default under a
 * non-UTF-8 locale. Pure: `diff` of committed BTF fixtures runs no toolchain.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asciiByDefault } from '../src/cli/report-output.js';
import { reportUnitPaths } from '../src/cli/run-options.js';
import { runOf } from './fixtures/report-run.js';
import { ensureBuilt, ROOT, runCli } from './helpers/cli.js';

const F = join(ROOT, 'test', 'fixtures', 'btf');
const LEFT = join(F, '05-floats.pahole.btf');
const RIGHT = join(F, '05-floats.gcc-btf.o');
const dir = mkdtempSync(join(tmpdir(), 'btfparity-report-options-'));
beforeAll(() => ensureBuilt());
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the options exist wherever a text report is written', () => {
  it.each(['check', 'diff', 'merge', 'collect', 'binary'])('%s --help lists --only, --summary, --all, --ascii and the email format', (cmd) => {
    const r = runCli([cmd, '--help']);
    expect(r.status).toBe(0);
    for (const opt of ['--only <statuses>', '--summary', '--all', '--ascii', '--verbose']) expect(r.stdout, opt).toContain(opt);
    expect(r.stdout).toMatch(/"email"/);
  });
});

describe('--only', () => {
  it('a bad status is exit 2, one line, before anything runs', () => {
    // check would compile the corpus: the option is refused while parsing, so nothing runs (no stdout at all).
    for (const args of [
      ['check', '--only', 'unexplained,bogus'],
      ['diff', '--only', 'nope', LEFT, RIGHT],
    ]) {
      const r = runCli(args);
      expect(r.status).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(/^btfparity: --only: unknown status '(bogus|nope)' \(expected unexplained, known, equivalent, comma-separated\)\n$/);
    }
  });
});

describe('diff of the 05-floats fixtures (pahole vs gcc -gbtf; diff knows no tool versions, so every finding is unexplained)', () => {
  it('summary first, with the counts of the json report', () => {
    const json = JSON.parse(runCli(['diff', '--format', 'json', LEFT, RIGHT]).stdout);
    const text = runCli(['diff', LEFT, RIGHT]);
    expect(text.status).toBe(1);
    const s = json.summary;
    expect(text.stdout.split('\n')[0]).toBe(
      `1 unit (0 failed), ${s.findings} findings: ${s.byStatus.unexplained} unexplained, ${s.byStatus.known} known, ${s.byStatus.equivalent} equivalent`,
    );
    expect(text.stdout.indexOf('Unexplained findings')).toBeGreaterThan(0);
  });
  it('--summary and --update-baseline print the same summary block, and no finding', () => {
    const summary = runCli(['diff', '--summary', LEFT, RIGHT]);
    expect(summary.stdout).not.toMatch(/findings \(\d+\)/);
    const up = runCli(['diff', '--update-baseline', join(dir, 'b.json'), LEFT, RIGHT]);
    expect(up.status).toBe(0);
    expect(up.stdout).toBe(summary.stdout);
  });
  it('--ascii, and LANG=C by default, write no byte outside ASCII; a UTF-8 locale keeps the arrow', () => {
    const utf8 = runCli(['diff', LEFT, RIGHT], { env: { LANG: 'C.UTF-8', LC_ALL: '', LC_CTYPE: '' } }).stdout;
    expect(utf8).toContain(' → ');
    for (const env of [{}, { LANG: 'C', LC_ALL: '', LC_CTYPE: '' }]) {
      const args = Object.keys(env).length === 0 ? ['diff', '--ascii', LEFT, RIGHT] : ['diff', LEFT, RIGHT];
      const out = runCli(args, { env }).stdout;
      expect(out).toMatch(/^[\x20-\x7e\n]*$/);
      expect(out).toBe(utf8.replaceAll(' → ', ' -> '));
    }
  });
  it('--format email: at most 78 columns of ASCII', () => {
    const r = runCli(['diff', '--format', 'email', LEFT, RIGHT]);
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/^btfparity report\n/);
    expect(r.stdout).toMatch(/^[\x20-\x7e\n]*$/);
    for (const l of r.stdout.split('\n')) expect(l.length, l).toBeLessThanOrEqual(78);
  });
});

describe('asciiByDefault', () => {
  it('follows the first locale variable set: LC_ALL, LC_CTYPE, LANG; none set is UTF-8', () => {
    expect(asciiByDefault({})).toBe(false);
    expect(asciiByDefault({ LANG: 'C' })).toBe(true);
    expect(asciiByDefault({ LANG: 'en_US.UTF-8' })).toBe(false);
    expect(asciiByDefault({ LANG: 'de_DE.utf8' })).toBe(false);
    expect(asciiByDefault({ LC_ALL: 'POSIX', LANG: 'en_US.UTF-8' })).toBe(true);
    expect(asciiByDefault({ LC_ALL: '', LC_CTYPE: 'en_US.ISO-8859-1', LANG: 'C.UTF-8' })).toBe(true);
  });
});

describe('reportUnitPaths (merge, collect)', () => {
  it('names a failed unit of a report read back by the path the caller opens, as check does', () => {
    // check names corpus units relative to the corpus (probes/NN-name.c); from the repository root the file is corpus/probes/...
    const failed = { source: 'probes/53-complex-long-double.c', commands: [], findings: [], error: { step: 'left encode (pahole)', message: 'x' } };
    const gone = { ...failed, source: 'src/deleted.c' };
    const run = runOf([failed, gone, { source: 'probes/41-agree-plain-struct.c', commands: [], findings: [] }]);
    expect([...reportUnitPaths(run, ROOT, ROOT)]).toEqual([['probes/53-complex-long-double.c', 'corpus/probes/53-complex-long-double.c']]);
    expect(reportUnitPaths(run, ROOT, join(ROOT, 'corpus')).get(failed.source)).toBe('probes/53-complex-long-double.c');
    expect(reportUnitPaths(run, ROOT, '/').get(failed.source)).toBe(join(ROOT, 'corpus', 'probes', '53-complex-long-double.c').slice(1));
  });
});
