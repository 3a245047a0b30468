/**
 * Sharding and merging through the built CLI: shards of one run are
 * disjoint, cover it, and `btfparity merge` of their json reports is the
 * report of the whole run; `--compile-commands` rebuilds database units with
 * their own flags without touching the build tree.
 */
import { fnv1a32 } from '../src/source/shard.js';
import { cpSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import type { RunResult } from '../src/report/run-result.js';
import { ensureBuilt, PROBES, ROOT, runCliAsync } from './helpers/cli.js';

const work = mkdtempSync(join(tmpdir(), 'btfparity-test-merge-'));
const SRCS = ['01-int-widths.c', '06-enum-basic.c', '11-bitfields-basic.c', '18-union.c', '21-multidim-array.c'].map((p) => join(PROBES, p));

const cli = (args: string[]) => runCliAsync(args, { cwd: work });

beforeAll(ensureBuilt);

describe('--shard and merge', () => {
  test('shards are disjoint, cover the run, and merge back into the full report', async () => {
    const full = await cli(['check', '--no-cache', '-j2', '--format', 'json', ...SRCS]);
    const whole = JSON.parse(full.stdout) as RunResult;
    const files: string[] = [];
    const seen: string[] = [];
    for (const k of [1, 2, 3]) {
      const out = join(work, `shard-${k}.json`);
      await cli(['check', '--no-cache', '--shard', `${k}/3`, '--format', 'json', '--output', out, ...SRCS]);
      files.push(out);
      seen.push(...(JSON.parse(readFileSync(out, 'utf8')) as RunResult).units.map((u) => u.source));
    }
    expect([...seen].sort()).toEqual([...SRCS].sort()); // each unit in exactly one shard
    const merged = await cli(['merge', '--format', 'json', ...files]);
    const m = JSON.parse(merged.stdout) as RunResult;
    // The full run lists units in argument order, which is already sorted here. Scratch
    // dirs are named from the unit alone, so even the recorded commands agree.
    expect(m.units).toEqual(whole.units);
    expect(m.summary).toEqual(whole.summary);
    expect(m.toolchain).toEqual(whole.toolchain);
    expect(merged.status).toBe(full.status);
    expect(merged.stderr).toBe('');
  });

  test('merge gates like check: --update-baseline, --baseline and --fail-on (issue 12)', async () => {
    const files = [1, 2, 3].map((k) => join(work, `shard-${k}.json`));
    const b = join(work, 'merged-baseline.json');
    const rec = await cli(['merge', '--update-baseline', b, ...files]);
    expect(rec.status).toBe(0);
    // The summary only (issue 12): what --summary prints, no finding listed.
    expect(rec.stdout).toMatch(/^5 units \(0 failed\), \d+ findings: /);
    expect(rec.stdout).toBe((await cli(['merge', '--summary', ...files])).stdout);
    expect(rec.stdout).not.toMatch(/findings \(\d+\)/);
    const gate = await cli(['merge', '--baseline', b, ...files.slice(0, 2)]);
    expect(gate.stderr).toMatch(/0 new findings \(0 failing with --fail-on any\), 0 changed \(0 failing\), 0 new unit failures, 0 resolved/);
    expect(gate.status).toBe(0);
    const empty = join(work, 'empty-baseline.json');
    writeFileSync(empty, '{"schemaVersion": 1, "entries": [], "failures": []}\n');
    expect((await cli(['merge', '--baseline', empty, ...files])).status).toBe(1);
    // With --fail-on unexplained only the new unexplained findings fail (gcc 12's own defects, e.g. the refused char, are).
    const merged = JSON.parse((await cli(['merge', '--format', 'json', ...files])).stdout) as RunResult;
    const unexplained = merged.units.flatMap((u) => u.findings).filter((f) => f.status === 'unexplained').length;
    expect((await cli(['merge', '--baseline', empty, '--fail-on', 'unexplained', ...files])).status).toBe(unexplained > 0 ? 1 : 0);
    expect((await cli(['merge', '--baseline', join(work, 'nosuch.json'), ...files])).status).toBe(2);
  });

  test('toolchains that disagree are both recorded and reported on stderr', async () => {
    const a = join(work, 'gcc12.json');
    const b = join(work, 'gcc11.json');
    await cli(['check', '--no-cache', '--format', 'json', '--output', a, SRCS[0]]);
    await cli(['check', '--no-cache', '--cc', 'gcc-11', '--right', 'pahole', '--format', 'json', '--output', b, SRCS[1]]);
    const r = await cli(['merge', '--format', 'json', a, b]);
    const m = JSON.parse(r.stdout) as RunResult;
    expect(
      m.toolchain
        .filter((t) => t.role === 'cc')
        .map((t) => t.command)
        .sort(),
    ).toEqual(['gcc', 'gcc-11']);
    expect(r.stderr).toMatch(/toolchains differ: cc is /);
    expect(r.stderr).toMatch(/recipes differ: right is gcc-btf \/ pahole/);
  });

  test('a file that is not a report is one line, exit 2', async () => {
    const bad = join(work, 'bad.json');
    writeFileSync(bad, '{"units": 3}');
    const r = await cli(['merge', bad]);
    expect([r.status, r.stderr.trim()]).toEqual([2, `btfparity: ${bad}: not a btfparity json report (expected units, toolchain, recipes)`]);
  });
});

describe('--compile-commands', () => {
  test('rebuilds each unit with its own flags and directory, names it relative to the database, leaves the tree alone', async () => {
    const proj = join(work, 'proj');
    cpSync(join(ROOT, 'test', 'fixtures', 'wrapper-project'), proj, { recursive: true });
    const db = ['main', 'shapes', 'queue', 'state'].map((n) => ({
      directory: proj,
      file: `${n}.c`,
      command: `gcc -O2 -Wall -DPROJECT_NAME='"db"' -g -MD -c ${n}.c -o ${n}.o`,
    }));
    writeFileSync(join(proj, 'compile_commands.json'), JSON.stringify(db));
    const before = readdirSync(proj).sort();
    const r = await cli(['check', '--no-cache', '--compile-commands', join(proj, 'compile_commands.json'), '--select', 's*.c', '--format', 'json']);
    const rep = JSON.parse(r.stdout) as RunResult;
    expect(rep.units.map((u) => u.source)).toEqual(['shapes.c', 'state.c']);
    expect(rep.summary.failedUnits).toBe(0);
    // The entry's flags minus -g/-MD/-c/-o, then each avenue's own (single compile: -g -gbtf).
    expect(rep.units[0].commands[0].argv).toEqual([
      'gcc',
      '-g',
      '-gbtf',
      '-O2',
      '-Wall',
      '-DPROJECT_NAME="db"',
      '-c',
      join(proj, 'shapes.c'),
      '-o',
      `$TMP/shapes-${fnv1a32('shapes.c').toString(16).padStart(8, '0')}/unit.o`,
    ]);
    expect(readdirSync(proj).sort()).toEqual(before); // no .o, no .d written into the tree
    // main.c uses PROJECT_NAME: without the database's -D it would not compile; shard 1/1 is everything.
    const all = await cli(['check', '--no-cache', '--compile-commands', join(proj, 'compile_commands.json'), '--shard', '1/1', '--format', 'json']);
    expect((JSON.parse(all.stdout) as RunResult).units.map((u) => [u.source, u.error])).toEqual([
      ['main.c', undefined],
      ['shapes.c', undefined],
      ['queue.c', undefined],
      ['state.c', undefined],
    ]);
  });
});
