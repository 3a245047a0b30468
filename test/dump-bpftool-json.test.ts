/**
 * `dump --format bpftool-json` must equal `bpftool -j btf dump file F`
 * (bpftool 7.1) byte for byte, so scripts written against bpftool's JSON
 * port. Oracle: the installed bpftool, run in the test on every committed
 * fixture of test/fixtures/btf that bpftool reads (its manifest's
 * oracleCommand with -j: both byte orders, every avenue, ELF32, split BTF,
 * an archive), on the running kernel's vmlinux through the CLI, and on
 * module BTF split over it.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bpftoolJsonString, dumpBpftoolJson } from '../src/btf/dump-bpftool-json.js';
import { loadBtf } from '../src/btf/load.js';
import { ROOT } from './helpers/cli.js';
import { VMLINUX, cli, haveVmlinux, run } from './reader-toolchain.js';

const FIXTURES = join(ROOT, 'test', 'fixtures', 'btf');
interface Fixture {
  file: string;
  base?: string;
  oracleCommand?: string[];
}
const manifest = JSON.parse(readFileSync(join(FIXTURES, 'manifest.json'), 'utf8')) as { fixtures: Fixture[] };
// Fixtures whose oracle is the host's bpftool; the distilled-base module's is sid's bpftool 7.8
// (bpftool 7.1 cannot read .BTF.base), run on it by test/dump-sid-bpftool.test.ts.
const withOracle = manifest.fixtures.filter((f) => f.oracleCommand?.[0] === 'bpftool');

function ours(file: string, base?: string): string {
  const b = base ? loadBtf(readFileSync(base)).blobs[0] : undefined;
  return dumpBpftoolJson(loadBtf(readFileSync(file), { base: b }).blobs[0]);
}

/** bpftool -j on a file, from the oracle command the manifest records. */
function bpftoolJson(argv: readonly string[]): string {
  const [tool, ...rest] = argv;
  expect(tool).toBe('bpftool');
  return run('bpftool', ['-j', ...rest], FIXTURES);
}

describe('committed fixtures: whole dump equals bpftool -j', () => {
  it('covers both byte orders, split BTF and an archive', () => {
    expect(withOracle.length).toBeGreaterThan(40);
    expect(withOracle.some((f) => f.base)).toBe(true);
    expect(withOracle.some((f) => f.file.includes('bpfeb'))).toBe(true);
  });
  for (const f of withOracle) {
    it(f.file, () => {
      const expected = bpftoolJson(f.oracleCommand ?? []);
      expect(JSON.parse(expected).types.length).toBeGreaterThan(0);
      expect(ours(join(FIXTURES, f.file), f.base ? join(FIXTURES, f.base) : undefined)).toBe(expected);
    });
  }
});

describe('the running kernel', () => {
  it.skipIf(!haveVmlinux())(`dump --format bpftool-json of ${VMLINUX} via the CLI is byte-identical to bpftool -j`, () => {
    const r = cli(['dump', '--format', 'bpftool-json', VMLINUX]);
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
    const expected = run('bpftool', ['-j', 'btf', 'dump', 'file', VMLINUX]);
    expect(JSON.parse(expected).types.length).toBeGreaterThan(10_000);
    expect(r.stdout === expected).toBe(true);
  });
  const modules = haveVmlinux() ? readdirSync('/sys/kernel/btf').filter((f) => f !== 'vmlinux') : [];
  for (const m of modules.slice(0, 3)) {
    it(`module ${m} split over vmlinux equals bpftool -j -B vmlinux`, () => {
      const file = join('/sys/kernel/btf', m);
      expect(ours(file, VMLINUX)).toBe(run('bpftool', ['-j', '-B', VMLINUX, 'btf', 'dump', 'file', file]));
    });
  }
});

describe("bpftool's json_writer escapes", () => {
  it('escapes quotes, backslashes, the apostrophe and the C control escapes; passes other bytes', () => {
    expect(bpftoolJsonString(`a"b\\c'd\te\nf\rg\fh\bi/é`)).toBe(`"a\\"b\\\\c\\'d\\te\\nf\\rg\\fh\\bi/é"`);
  });
});
