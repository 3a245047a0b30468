/**
 * The BTF-archive avenue end to end on a small real archive: two objects,
 * one defining check_entry (named parameters), the other declaring it
 * (anonymous parameters) and holding the per-CPU variable discard_pa_seq;
 * both have a `.data..percpu`. Needs gcc, ld, pahole and build/btf-dedup
 * (scripts/setup builds it against libbpf-dev).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadBtf } from '../src/btf/load.js';
import type { BlockerReport } from '../src/findings/dedup-blockers.js';
import type { ClassifiedFinding } from '../src/findings/finding.js';
import { defaultDedupHelper } from '../src/recipe/archive.js';
import { ensureBuilt, ROOT, runCli } from './helpers/cli.js';

const FIXTURE = join(ROOT, 'test', 'fixtures', 'archive');
const UNITS = ['first', 'second'];
let dir: string;
let db: string;

beforeAll(() => {
  ensureBuilt();
  dir = mkdtempSync(join(tmpdir(), 'btfparity-archive-'));
  db = join(dir, 'compile_commands.json');
  writeFileSync(db, JSON.stringify(UNITS.map((u) => ({ directory: FIXTURE, file: `${u}.c`, arguments: ['gcc', '-O2', '-c', `${u}.c`, '-o', `${u}.o`] }))));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The fixture linked by hand as the archive recipe does: gcc -O2 -g -gbtf each, ld -r. */
function linkByHand(): string {
  const objs = UNITS.map((u) => {
    const o = join(dir, `${u}.o`);
    execFileSync('gcc', ['-O2', '-g', '-gbtf', '-c', join(FIXTURE, `${u}.c`), '-o', o]);
    return o;
  });
  const linked = join(dir, 'linked.o');
  execFileSync('ld', ['-r', '-o', linked, ...objs]);
  return linked;
}

function binaryReport(): { findings: ClassifiedFinding[]; stderr: string; status: number | null } {
  const r = runCli(['binary', '--compile-commands', db, '--format', 'json', '-j', '2']);
  const report = JSON.parse(r.stdout) as { units: Array<{ findings: ClassifiedFinding[] }> };
  return { findings: report.units[0].findings, stderr: r.stderr, status: r.status };
}

describe('btfparity binary (archive avenue)', () => {
  it("the installed GNU ld concatenates the objects' .BTF: one blob per object, not deduplicated", () => {
    const linked = loadBtf(readFileSync(linkByHand()));
    expect(linked.blobs.length).toBe(2);
  });

  it("deduplicates with libbpf: btfparity's type count is the helper's, run directly", () => {
    const out = execFileSync(defaultDedupHelper(), [join(dir, 'direct.btf'), linkByHand()], { encoding: 'utf8' });
    const m = /blobs=2 types_in=(\d+) types_out=(\d+)/.exec(out);
    expect(m).not.toBeNull();
    // bpftool reads the helper's output: the count is libbpf's, not ours.
    const dump = execFileSync('bpftool', ['btf', 'dump', 'file', join(dir, 'direct.btf')], { encoding: 'utf8' });
    expect(dump.split('\n').filter((l) => /^\[\d+\]/.test(l)).length).toBe(Number(m?.[2]));
    expect(Number(m?.[2])).toBeLessThan(Number(m?.[1]));
    const r = binaryReport();
    expect(r.stderr).toContain(`dedup: 2 blobs, ${m?.[1]} types in, ${m?.[2]} out`);
  });

  it('pairs the FUNC with its definition and reports the surviving declaration once, from its object', () => {
    const { findings, status } = binaryReport();
    // The default --fail-on is unexplained (issue 12): the status follows the report's own statuses.
    expect(status).toBe(findings.some((f) => f.status === 'unexplained') ? 1 : 0);
    const func = findings.filter((f) => f.entity === 'func check_entry');
    expect(func).toHaveLength(1);
    expect(func[0]).toMatchObject({ category: 'only-right', rightObjects: ['second.o'] });
    // The unpaired copy is the declaration (anonymous parameters), not the definition.
    expect(func[0].right).toMatch(/^int check_entry\(struct inode \*, int\) \(2 copies survive dedup, 1 unpaired\)$/);
    expect(findings.some((f) => f.entity === 'func check_entry' && f.category === 'proto')).toBe(false);
  });

  it('pairs DATASEC entries by variable over every object: discard_pa_seq is not absent', () => {
    const { findings } = binaryReport();
    const sec = findings.filter((f) => f.entity === 'datasec .data..percpu');
    expect(sec.some((f) => f.right === 'absent' || f.left === 'absent')).toBe(false);
    for (const f of sec) expect(f.rightObjects?.length).toBe(1);
  });

  it('names the objects of merged records and classifies with the gcc-btf rules', () => {
    const { findings } = binaryReport();
    const char = findings.find((f) => f.entity === 'char');
    expect(char).toMatchObject({ status: 'known', rightObjects: ['first.o', 'second.o'] });
    // The surviving declaration is known: its cause is in the blocker report.
    expect(findings.find((f) => f.entity === 'func check_entry')).toMatchObject({ status: 'known', reason: 'archive-dedup-surplus-copies' });
    expect(findings.filter((f) => f.status === 'unexplained')).toEqual([]);
  });

  it('reports dedup blockers by cause: a declaration with anonymous parameters, DATASECs per object', () => {
    const out = join(dir, 'blockers.json');
    runCli(['binary', '--compile-commands', db, '--format', 'json', '--output', join(dir, 'r.json'), '--blockers', out]);
    const b = JSON.parse(readFileSync(out, 'utf8')) as BlockerReport;
    expect(b).toMatchObject({ duplicatedNames: 2, surplusTypes: 2 });
    expect(b.causes.find((c) => c.entity === 'func check_entry')).toMatchObject({
      path: 'param 1 name',
      reference: { view: 'named parameter', objects: ['first.o'] },
      surplus: { view: 'anonymous parameter', objects: ['second.o'] },
      surplusTypes: 1,
    });
    expect(b.causes.find((c) => c.entity === 'datasec .data..percpu')?.surplusTypes).toBe(1);
  });

  it('groups the surplus types of a flag difference into one cause at the innermost type (char under -funsigned-char)', () => {
    const uc = join(dir, 'unsigned-char.json');
    writeFileSync(
      uc,
      JSON.stringify(
        UNITS.map((u) => ({
          directory: FIXTURE,
          file: `${u}.c`,
          arguments: ['gcc', '-O2', ...(u === 'second' ? ['-funsigned-char'] : []), '-c', `${u}.c`, '-o', `${u}.o`],
        })),
      ),
    );
    const out = join(dir, 'blockers-uc.json');
    runCli(['binary', '--compile-commands', uc, '-q', '--output', join(dir, 'r.txt'), '--blockers', out]);
    const b = JSON.parse(readFileSync(out, 'utf8')) as BlockerReport;
    // struct inode does not merge because its member c is a differently encoded char: one cause, two surplus types.
    expect(b.causes[0]).toMatchObject({
      entity: 'char',
      path: '',
      reference: { view: "INT 'char' size=1 SIGNED|CHAR", objects: ['first.o'] },
      surplus: { view: "INT 'char' size=1 CHAR", objects: ['second.o'] },
      surplusTypes: 2,
      names: ['char', 'struct inode'],
    });
    expect(b.surplusTypes).toBe(b.causes.reduce((n, c) => n + c.surplusTypes, 0));
  });

  it('rejects --left/--right and a selection of nothing (exit 2)', () => {
    expect(runCli(['binary', '--compile-commands', db, '--left', 'pahole']).status).toBe(2);
    expect(runCli(['binary', '--compile-commands', db, '--select', 'nothing/**']).status).toBe(2);
  });
});
