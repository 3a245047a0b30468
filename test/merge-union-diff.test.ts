/**
 * Whole-binary mode: `diff --union-right BINARY.btf OBJ...`. Three objects
 * compiled with gcc 12 `-g -gbtf` (each carrying .BTF) are linked into an
 * executable; pahole 1.24 encodes the executable's DWARF (all CUs, which it
 * deduplicates into one graph); the right side is the union of the objects'
 * .BTF, where struct point (from the shared header) exists three times.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import type { RunResult } from '../src/report/run-result.js';
import { ensureBuilt, runCli } from './helpers/cli.js';

const work = mkdtempSync(join(tmpdir(), 'btfparity-test-union-'));

function sh(cmd: string, args: string[]): string {
  const r = spawnSync(cmd, args, { cwd: work, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

const OBJS = ['a.o', 'b.o', 'c.o'];

beforeAll(() => {
  ensureBuilt();
  writeFileSync(join(work, 'p.h'), 'struct point { int x, y; };\nint fa(struct point *p);\nint fb(struct point *p);\n');
  writeFileSync(join(work, 'a.c'), '#include "p.h"\nint main(void) { struct point p = {1, 2}; return fa(&p) + fb(&p); }\n');
  writeFileSync(join(work, 'b.c'), '#include "p.h"\nint grid[2][3];\nint fa(struct point *p) { return p->x + grid[1][2]; }\n');
  writeFileSync(join(work, 'c.c'), '#include "p.h"\nstruct pair { struct point a, b; } the_pair;\nint fb(struct point *p) { return p->y + the_pair.a.x; }\n');
  for (const n of ['a', 'b', 'c']) sh('gcc', ['-O1', '-g', '-gbtf', '-c', `${n}.c`, '-o', `${n}.o`]);
  sh('gcc', ['-o', 'prog', ...OBJS]);
  sh('pahole', ['--btf_encode_detached=prog.btf', 'prog']);
});

describe('diff --union-right', () => {
  test('compares the binary against the union of its objects, one finding per type', () => {
    // Oracle: bpftool sees struct point in each object's .BTF, so the union holds it three times.
    for (const o of OBJS) expect(sh('bpftool', ['btf', 'dump', 'file', o])).toMatch(/STRUCT 'point' size=8 vlen=2/);
    const r = runCli(['diff', '--no-rules', '--format', 'json', '--union-right', 'prog.btf', ...OBJS], { cwd: work });
    expect(r.stderr).toBe('');
    const rep = JSON.parse(r.stdout) as RunResult;
    expect(rep.units).toHaveLength(1);
    expect(rep.units[0].source).toBe('prog.btf vs union of 3 files (a.o b.o c.o)');
    const findings = rep.units[0].findings;
    // struct point is identical in the binary and in all three objects: collapsed, so no finding names it.
    expect(findings.filter((f) => /\bpoint\b/.test(f.entity))).toEqual([]);
    // Per type: no (entity, category, path) is reported twice although types repeat across objects.
    const keys = findings.map((f) => JSON.stringify([f.entity, f.category, f.path ?? null, f.leftId ?? null, f.rightId ?? null]));
    expect(new Set(keys).size).toBe(keys.length);
    // Section DATASECs are not merged by the union (a linker would merge them): b.o's and
    // c.o's .bss, each holding its own variable, are paired as one section by variable, as
    // `binary` does; pahole has no .bss, so one finding names both objects and both variables.
    const bss = findings.filter((f) => f.entity === 'datasec .bss');
    expect(bss).toHaveLength(1);
    expect(bss[0]).toMatchObject({ category: 'only-right', right: 'DATASEC .bss in 2 objects, 2 variables', rightObjects: ['b.o', 'c.o'] });
    // pahole 1.24 encodes only per-cpu variables, gcc -gbtf every global: grid and the_pair exist only on the right, once each.
    const onlyRightVars = findings.filter((f) => f.category === 'only-right' && /^var /.test(f.entity)).map((f) => f.entity);
    expect(onlyRightVars.sort()).toEqual(['var grid', 'var the_pair']);
  });

  test('without --union-right a second right file is a usage error', () => {
    const r = runCli(['diff', 'prog.btf', 'a.o', 'b.o'], { cwd: work });
    expect(r.status).toBe(2);
    expect(r.stderr.trim()).toBe('btfparity: b.o: diff takes one right file, got 2 (merge several with --union-right)');
  });
});
