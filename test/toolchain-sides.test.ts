/**
 * Per-side toolchains for real: `check` with a different gcc, pahole or
 * clang on each side, the host's (Debian 12) against the sid root's, and
 * the kernel's pahole flags as the report's commands show them. The
 * versions a report records are compared with what the tools themselves
 * answer to `--version` (the host's directly, the root's through
 * `btfparity toolchain run`), not with hard-coded strings. Skipped, saying
 * so, when the sid root is not there (`scripts/setup --toolchains` makes it).
 */
import { spawnSync } from 'node:child_process';
import { beforeAll, describe, expect, type TestContext, test } from 'vitest';
import { kernelPaholeFlags, paholeVersionOf } from '../src/recipe/pahole-flags.js';
import type { RunResult, StepRecord } from '../src/report/run-result.js';
import { readRoot, rootsDir } from '../src/toolchain/roots.js';
import { ensureBuilt, PROBES, runCli } from './helpers/cli.js';

const sid = readRoot('sid', rootsDir());

beforeAll(() => ensureBuilt());

function needSid(ctx: TestContext): void {
  if (sid) return;
  process.stderr.write(`toolchain-sides: skipped, no toolchain root 'sid' in ${rootsDir()} (make it with: scripts/setup --toolchains)\n`);
  ctx.skip();
}

/** The first non-empty line of a tool's `--version`, on the host or (ROOT:TOOL) in its root. */
function versionLine(command: string): string {
  const r = command.includes(':') ? runCli(['toolchain', 'run', '--', command, '--version']) : spawnSync(command, ['--version'], { encoding: 'utf8' });
  const text = (r.stdout ?? '').trim() !== '' ? r.stdout : r.stderr;
  const line = text
    .split('\n')
    .map((l) => l.trim())
    .find((l) => l !== '');
  if (line === undefined) throw new Error(`${command} --version said nothing`);
  return line;
}

function check(args: readonly string[]): RunResult {
  const r = runCli(['check', '--no-cache', '-q', '--format', 'json', ...args]);
  expect(r.status, r.stderr).not.toBe(3);
  expect(r.status, r.stderr).not.toBe(2);
  return JSON.parse(r.stdout) as RunResult;
}

function toolOf(result: RunResult, role: string, side: 'left' | 'right') {
  return result.toolchain.find((t) => t.role === role && t.side === side);
}

function sides(commands: readonly StepRecord[]): string[] {
  return commands.map((c) => `${c.side} ${c.argv[0]}`);
}

describe('per-side tools', () => {
  test('gcc 12 -gbtf vs sid gcc 16 -gbtf: both versions recorded, and a divergence that comes from the version', (ctx) => {
    needSid(ctx);
    const r = check(['--left-cc', 'gcc', '--right-cc', 'sid:gcc-16', '--left', 'gcc-btf', '--right', 'gcc-btf', `${PROBES}/07-enum-negative.c`]);
    const [left, right] = [toolOf(r, 'cc', 'left'), toolOf(r, 'cc', 'right')];
    expect(left?.command).toBe('gcc');
    expect(left?.version).toBe(versionLine('gcc'));
    expect(right?.command).toBe('sid:gcc-16');
    expect(right?.version).toBe(versionLine('sid:gcc-16'));
    expect(left?.version).toMatch(/ 12\.2\.\d+$/); // Debian 12's gcc
    expect(right?.version).toMatch(/ 16\.\d+\.\d+$/);
    // Two compilers: two compiles, never a shared one.
    expect(sides(r.units[0].commands)).toEqual(['left gcc', 'right sid:gcc-16']);
    // gcc before 13 never sets the ENUM kind_flag that marks signed enumerators (it came with
    // ENUM64), so gcc 12 writes enum all_negative (all values negative) as UNSIGNED; gcc 16
    // sets it. The same probe's DWARF has signed enumerators, so the right side is the one
    // that agrees with the source. The shipped rule for this (cc < 13) does not hold here:
    // the right side's gcc is 16, so the finding is unexplained.
    const f = r.units[0].findings.find((x) => x.entity === 'enum all_negative' && x.category === 'signedness');
    expect([f?.left, f?.right, f?.status]).toEqual(['enum all_negative encoding=UNSIGNED', 'enum all_negative encoding=SIGNED', 'unexplained']);
  });

  test('pahole 1.24 vs sid pahole 1.32 on one compile', (ctx) => {
    needSid(ctx);
    const r = check(['--left-pahole', 'pahole', '--right-pahole', 'sid:pahole', '--left', 'pahole', '--right', 'pahole', `${PROBES}/31-vars-global-static.c`]);
    // The compile steps are identical (same gcc, same flags): one compile serves both encoders.
    const compiles = r.units[0].commands.filter((c) => !c.argv[0].includes('pahole'));
    expect(compiles.map((c) => c.side)).toEqual(['both']);
    expect(sides(r.units[0].commands)).toEqual(['both gcc', 'left pahole', 'right sid:pahole']);
    expect(toolOf(r, 'pahole', 'left')?.version).toBe(versionLine('pahole'));
    expect(toolOf(r, 'pahole', 'right')?.version).toBe(versionLine('sid:pahole'));
    expect(toolOf(r, 'pahole', 'left')?.version).not.toBe(toolOf(r, 'pahole', 'right')?.version);
    // One compiler for both sides: listed once, without a side.
    expect(r.toolchain.filter((t) => t.role === 'cc').map((t) => t.side)).toEqual([undefined]);
  });

  test('clang 16 vs sid clang 21, clang-bpf on both sides', (ctx) => {
    needSid(ctx);
    const r = check(['--left-clang', 'clang-16', '--right-clang', 'sid:clang', '--left', 'clang-bpf', '--right', 'clang-bpf', `${PROBES}/21-multidim-array.c`]);
    expect(sides(r.units[0].commands)).toEqual(['left clang-16', 'right sid:clang']);
    expect(toolOf(r, 'clang', 'left')?.version).toBe(versionLine('clang-16'));
    expect(toolOf(r, 'clang', 'right')?.version).toBe(versionLine('sid:clang'));
    expect(r.units[0].error).toBeUndefined();
  });

  test('bpf-gcc-btf beside clang-bpf (the host bpf-gcc)', () => {
    const r = check(['--left', 'clang-bpf', '--right', 'bpf-gcc-btf', `${PROBES}/01-int-widths.c`]);
    expect(r.units[0].error).toBeUndefined();
    expect(r.units[0].commands.map((c) => [c.side, c.argv[0], c.argv[1]])).toEqual([
      ['left', 'clang-16', '--target=bpf'],
      ['right', 'bpf-gcc', '-gbtf'],
    ]);
    expect(r.toolchain.find((t) => t.role === 'bpf-gcc')?.version).toBe(versionLine('bpf-gcc'));
  });
});

describe("pahole-kernel: the kernel's flags for each side's pahole", () => {
  test('pahole 1.24 and sid pahole 1.32: each encode step carries its row of the table', (ctx) => {
    needSid(ctx);
    const r = check(['--left', 'pahole-kernel', '--right', 'pahole-kernel', '--right-pahole', 'sid:pahole', `${PROBES}/05-floats.c`]);
    const encodes = r.units[0].commands.filter((c) => c.side !== 'both');
    expect(encodes.map((c) => c.side)).toEqual(['left', 'right']);
    for (const c of encodes) {
      const version = paholeVersionOf(versionLine(c.argv[0]));
      const row = kernelPaholeFlags({ pahole: version ?? '' });
      expect(row).toBeDefined();
      // argv: pahole, the row's flags, then --btf_encode_detached=OUT OBJ.
      expect(c.argv.slice(1, -2)).toEqual(row);
      expect(c.argv.at(-2)).toMatch(/^--btf_encode_detached=\$TMP\//);
    }
    // The rows differ: 1.24 has no --btf_features, 1.32 says everything with them.
    expect(encodes[0].argv.slice(1, -2)).toEqual(['--btf_gen_floats', '--lang_exclude=rust']);
    expect(encodes[1].argv.some((a) => a.startsWith('--btf_features='))).toBe(true);
  });

  test('--kernel-version picks the row an older tree passes', () => {
    const r = check(['--left', 'pahole-kernel', '--kernel-version', '6.1', `${PROBES}/05-floats.c`]);
    const encode = r.units[0].commands.find((c) => c.side === 'left');
    // Kernel 6.1's scripts/pahole-flags.sh: --btf_gen_floats (>= 1.21) and -j (>= 1.22, left out); no Rust exclusion yet.
    expect(encode?.argv.slice(1, -2)).toEqual(['--btf_gen_floats']);
  });

  test('the shipped rules that name the pahole recipe name pahole-kernel too: the same findings get the same reasons', () => {
    // Probe 02: char encodings differ between pahole and gcc -gbtf whatever flags pahole gets
    // (--btf_gen_floats and --lang_exclude touch neither char nor its encoding bits).
    const reasons = (left: string) =>
      check(['--left', left, `${PROBES}/02-char-signedness.c`])
        .units[0].findings.filter((f) => f.category === 'encoding')
        .map((f) => `${f.entity} ${f.status} ${f.reason ?? ''}`);
    const plain = reasons('pahole');
    expect(plain.length).toBeGreaterThan(0);
    expect(plain.every((r) => r.includes(' known '))).toBe(true);
    expect(reasons('pahole-kernel')).toEqual(plain);
  });
});
