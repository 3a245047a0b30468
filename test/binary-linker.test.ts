/**
 * The linker side of the archive avenue, pinned on today's linkers: GNU ld
 * 2.40 (the host's) and 2.47.50 (the sid root's) concatenate the objects'
 * `.BTF` sections byte for byte, in link order — so `binary` reports
 * "linker concatenates .BTF (2 blobs)" and compares no `linker` side. The
 * day a linker deduplicates BTF, the byte comparison here fails first.
 * The oracle for the sections' bytes is objcopy --dump-section, not our
 * ELF reader. The sid linker is skipped, saying so, when the root is absent.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, type TestContext } from 'vitest';
import { readRoot, rootsDir } from '../src/toolchain/roots.js';
import { ensureBuilt, ROOT, runCli } from './helpers/cli.js';

const FIXTURE = join(ROOT, 'test', 'fixtures', 'archive');
const UNITS = ['first', 'second'];
const sid = readRoot('sid', rootsDir());
let dir: string;
let objects: string[];

beforeAll(() => {
  ensureBuilt();
  dir = mkdtempSync(join(tmpdir(), 'btfparity-linker-'));
  objects = UNITS.map((u) => {
    const o = join(dir, `${u}.o`);
    execFileSync('gcc', ['-O2', '-g', '-gbtf', '-c', join(FIXTURE, `${u}.c`), '-o', o]);
    return o;
  });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The `.BTF` section's bytes, as objcopy writes them out. */
function btfSection(object: string): Buffer {
  const out = `${object}.BTF`;
  execFileSync('objcopy', [`--dump-section`, `.BTF=${out}`, object, join(dir, 'discard.o')]);
  return readFileSync(out);
}

function needSid(ctx: TestContext): void {
  if (sid) return;
  process.stderr.write(`binary-linker: sid linker skipped, no toolchain root 'sid' in ${rootsDir()} (make it with: scripts/setup --toolchains)\n`);
  ctx.skip();
}

const LINKERS = [
  { name: 'host ld (2.40)', command: 'ld', sid: false },
  { name: 'sid ld (2.47.50)', command: 'sid:ld', sid: true },
];

describe.each(LINKERS)('$name', (linker) => {
  it("ld -r writes the byte concatenation of the inputs' .BTF sections, in link order", (ctx) => {
    if (linker.sid) needSid(ctx);
    const linked = join(dir, `${linker.command.replace(':', '-')}.o`);
    const args = ['-r', '-o', linked, ...objects];
    if (linker.sid) {
      const r = runCli(['toolchain', 'run', '--rw', dir, '--', linker.command, ...args]);
      expect(r.status, r.stderr).toBe(0);
    } else execFileSync(linker.command, args);
    const inputs = objects.map(btfSection);
    // Both inputs carry BTF, so a deduplicating linker would write fewer bytes than their sum.
    for (const b of inputs) expect(b.length).toBeGreaterThan(24);
    expect(btfSection(linked).equals(Buffer.concat(inputs))).toBe(true);
  });

  it('binary recognises the concatenation and compares no linker side', (ctx) => {
    if (linker.sid) needSid(ctx);
    const db = join(dir, 'compile_commands.json');
    writeFileSync(db, JSON.stringify(UNITS.map((u) => ({ directory: FIXTURE, file: `${u}.c`, arguments: ['gcc', '-O2', '-c', `${u}.c`, '-o', `${u}.o`] }))));
    const r = runCli(['binary', '--compile-commands', db, '--ld', linker.command, '--format', 'json']);
    expect(r.stderr).toContain('btfparity: linker concatenates .BTF (2 blobs)\n');
    const report = JSON.parse(r.stdout) as { units: Array<{ source: string }>; toolchain: Array<{ role: string; command: string }> };
    // The binary and its two units; no "(linker side ...)" unit.
    expect(report.units.map((u) => u.source).filter((s) => s.includes('linker side'))).toEqual([]);
    expect(report.units).toHaveLength(3);
    expect(report.toolchain.find((t) => t.role === 'ld')?.command).toBe(linker.command);
  });
});
