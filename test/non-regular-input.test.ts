/**
 * Non-regular files as inputs (issue 14, item 5): a FIFO, a character
 * device, a directory, a file over the size cap. Every command that reads
 * a file answers at once with exit 2 and one line naming the file and what
 * it is — it never blocks on a FIFO without a writer and never reads
 * /dev/zero into memory. Runs are bounded by a spawn timeout, so the old
 * behaviour (blocking forever, growing to gigabytes) fails instead of hanging.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeBtf } from '../src/btf/encode.js';
import { readRegularFile } from '../src/io/regular-file.js';
import { InputError } from '../src/errors.js';
import { ensureBuilt, PROBES, runCli } from './helpers/cli.js';
import { tempDir } from './reader-toolchain.js';

const { dir, cleanup } = tempDir('nonregular');
afterAll(cleanup);
beforeAll(ensureBuilt);

const fifo = (name: string): string => {
  const p = join(dir, name);
  execFileSync('mkfifo', [p]);
  return p;
};

/** Exit 2 and exactly one stderr line matching `line`, within 20 s (a blocked read is killed and fails). */
function failsAtOnce(args: string[], line: RegExp): void {
  const r = runCli(args, { cwd: dir, timeout: 20_000 });
  expect(r.status, `exit status (stderr: ${r.stderr})`).toBe(2);
  const lines = r.stderr.split('\n').filter((l) => l !== '');
  expect(lines, r.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(line);
}

describe('FIFOs and devices are refused, never read', () => {
  it('dump of a FIFO named x.o', () => {
    const p = fifo('x.o');
    failsAtOnce(['dump', p], new RegExp(`^btfparity: ${p}: is a FIFO \\(named pipe\\), expected an ELF or BTF file$`));
  });

  it('dump /dev/zero (a character device) answers at once instead of reading it into memory', () => {
    failsAtOnce(['dump', '/dev/zero'], /^btfparity: \/dev\/zero: is a character device, expected an ELF or BTF file$/);
  });

  it('diff with a FIFO on either side, and as --base', () => {
    const good = join(dir, 'good.btf');
    writeFileSync(good, encodeBtf({ types: [] }));
    const p = fifo('right.btf');
    failsAtOnce(['diff', good, p], /right\.btf: is a FIFO/);
    failsAtOnce(['dump', '--base', p, good], /right\.btf: is a FIFO/);
  });

  it('collect over a directory holding a FIFO named x.json', () => {
    const res = join(dir, 'results');
    mkdirSync(res);
    execFileSync('mkfifo', [join(res, 'x.json')]);
    failsAtOnce(['collect', res], /results\/x\.json: is a FIFO \(named pipe\), expected a btfparity json report$/);
  });

  it('merge, --baseline, --rules, --config and --compile-commands', () => {
    const p = fifo('in.json');
    const src = join(PROBES, '01-int-widths.c');
    failsAtOnce(['merge', p], /in\.json: is a FIFO/);
    const good = join(dir, 'g.btf');
    writeFileSync(good, encodeBtf({ types: [] }));
    failsAtOnce(['diff', '--baseline', p, good, good], /in\.json: is a FIFO/);
    failsAtOnce(['diff', '--rules', p, good, good], /in\.json: is a FIFO/);
    failsAtOnce(['check', '--config', p, src], /in\.json: is a FIFO/);
    failsAtOnce(['check', '--compile-commands', p], /in\.json: is a FIFO/);
  });

  it('a directory still says so', () => {
    failsAtOnce(['dump', dir], /: is a directory, expected an ELF or BTF file$/);
  });
});

describe('size caps', () => {
  it('a BTF/ELF input over 1 GiB is refused from its size alone (a sparse file: nothing is read)', () => {
    const big = join(dir, 'huge.btf');
    writeFileSync(big, '');
    truncateSync(big, 1024 ** 3 + 1);
    failsAtOnce(['dump', big], /huge\.btf: is 1073741825 bytes, more than the limit of 1 GiB for this input$/);
  });

  it('a JSON input over 256 MiB likewise', () => {
    const big = join(dir, 'huge.json');
    writeFileSync(big, '');
    truncateSync(big, 256 * 1024 ** 2 + 1);
    failsAtOnce(['merge', big], /huge\.json: is 268435457 bytes, more than the limit of 256 MiB for this input$/);
  });

  it('readRegularFile: open+fstat on the descriptor, a FIFO returns at once as an InputError', () => {
    const p = fifo('lib.fifo');
    const t0 = Date.now();
    expect(() => readRegularFile(p, { maxBytes: 10 })).toThrow(InputError);
    expect(Date.now() - t0).toBeLessThan(5000);
    const f = join(dir, 'small');
    writeFileSync(f, 'abc');
    expect(readRegularFile(f, { maxBytes: 3 }).toString()).toBe('abc');
    expect(() => readRegularFile(f, { maxBytes: 2 })).toThrow(/is 3 bytes, more than the limit of 2 bytes/);
  });
});
