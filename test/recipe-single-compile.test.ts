/**
 * Single-compile mode (default for pahole vs gcc-btf): one `gcc -g -gbtf`
 * object feeds its DWARF to pahole and its .BTF to the other side. This is
 * only honest if that object carries the same information as two separate
 * compiles; these tests check it with the real gcc 12 and pahole 1.24.
 *
 * gcc 12 -gbtf orders VARs by a pointer hash, so its .BTF differs from
 * run to run under ASLR (seen: probe 38 gave 2 different .BTF md5s in 6
 * runs; under `setarch -R` all runs agree). Byte comparisons therefore run
 * the compilers with address randomisation off (`setarch -R`, inherited by
 * every child), which changes no code generation decision.
 *
 * Build policy as in check-cli.test.ts: tsc in beforeAll only when dist/
 * is older than src/.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunResult } from '../src/report/run-result.js';
import { ensureBuilt, PROBES, runCli } from './helpers/cli.js';

const work = mkdtempSync(join(tmpdir(), 'btfparity-test-single-'));

beforeAll(ensureBuilt);
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Run a tool; the outcome as data (status and output file bytes), so failures compare too. */
function tool(cmd: string, args: string[]): { status: number | null; stderr: string } {
  const r = spawnSync('setarch', ['-R', cmd, ...args], { cwd: work, encoding: 'utf8' });
  return { status: r.status, stderr: r.stderr };
}

function bytesOrNone(path: string): string {
  return existsSync(path) ? readFileSync(path).toString('hex') : 'none';
}

const probes = readdirSync(PROBES)
  .filter((n) => n.endsWith('.c'))
  .sort();

describe('gcc 12: -g -gbtf keeps both debug formats', () => {
  it("for every probe, .BTF equals -gbtf alone and pahole's BTF equals that of -g alone (byte for byte)", () => {
    const differ: string[] = [];
    for (const name of probes) {
      const src = join(PROBES, name);
      const o = (tag: string) => join(work, `${name}.${tag}`);
      for (const [tag, flags] of [
        ['g', ['-g']],
        ['gbtf', ['-gbtf']],
        ['both', ['-g', '-gbtf']],
      ] as const) {
        expect(tool('gcc', [...flags, '-c', src, '-o', o(`${tag}.o`)]).status).toBe(0);
      }
      // Oracle for the .BTF bytes: binutils objcopy, independent of our ELF reader.
      // (--dump-section, not -O binary: .BTF is not SHF_ALLOC, -O binary would write nothing.)
      for (const tag of ['gbtf', 'both']) expect(tool('objcopy', ['--dump-section', `.BTF=${o(`${tag}.sec`)}`, o(`${tag}.o`)]).status).toBe(0);
      for (const tag of ['g', 'both']) tool('pahole', [`--btf_encode_detached=${o(`${tag}.btf`)}`, o(`${tag}.o`)]);
      if (statSync(o('both.sec')).size === 0) differ.push(`${name}: empty .BTF`);
      if (bytesOrNone(o('gbtf.sec')) !== bytesOrNone(o('both.sec'))) differ.push(`${name}: .BTF`);
      if (bytesOrNone(o('g.btf')) !== bytesOrNone(o('both.btf'))) differ.push(`${name}: pahole BTF`);
      // The shared object really carries both: a .BTF section and DWARF.
      const sections = spawnSync('readelf', ['-SW', o('both.o')], { encoding: 'utf8' }).stdout;
      if (!sections.includes(' .BTF ') || !sections.includes(' .debug_info ')) differ.push(`${name}: sections`);
    }
    expect(differ).toEqual([]);
  });
});

describe('check: single-compile and two compiles give the same findings', () => {
  const sample = ['05-floats.c', '11-bitfields-basic.c', '21-multidim-array.c', '26-func-ptr.c', '31-vars-global-static.c', '38-decl-tag.c'];

  function check(mode: string): RunResult {
    // setarch -R: see the header; raw type ids in findings are then reproducible.
    const r = runCli(['check', ...sample.map((n) => join(PROBES, n)), '--format', 'json', mode], { cwd: work, via: ['setarch', '-R'] });
    expect(r.status === 0 || r.status === 1).toBe(true);
    return JSON.parse(r.stdout) as RunResult;
  }

  it('on several probes, finding for finding', () => {
    const one = check('--single-compile');
    const two = check('--no-single-compile');
    // The modes really differ in what ran: one shared compile vs one per side.
    expect(one.units[0].commands.filter((c) => c.argv.includes('-c')).map((c) => c.side)).toEqual(['both']);
    expect(two.units[0].commands.filter((c) => c.argv.includes('-c')).map((c) => c.side)).toEqual(['left', 'right']);
    expect(one.units.map((u) => u.error)).toEqual(sample.map(() => undefined));
    // Non-vacuous: the sample has findings to compare.
    expect(one.summary.findings).toBeGreaterThan(10);
    expect(one.units.map((u) => u.findings)).toEqual(two.units.map((u) => u.findings));
  });
});
