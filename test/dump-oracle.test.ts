/**
 * The bpftool-format dump must equal the installed bpftool's output byte
 * for byte, over every input shape the reader claims to handle. bpftool
 * (7.1, libbpf 1.1) is the oracle: every expected text below is bpftool's
 * own output on the same file, produced in the test.
 *
 * Split BTF and bpftool: bpftool 7.1 has no `base FILE` keyword after
 * `btf dump file F`; the base is the global option `-B FILE` (--base-btf),
 * placed before `btf`. `bpftool btf dump file split.btf base base.btf`
 * therefore loads split.btf *without* a base, and libbpf's string-section
 * check (btf_parse_str_sec: a BTF without base must start its string
 * section with the empty string) rejects it — pahole's split string section
 * starts with its first new name — as "Invalid BTF string section" (visible
 * with `bpftool -d`), reported as "failed to load BTF ...: Invalid
 * argument". With `-B base.btf` bpftool accepts pahole 1.24's
 * `--btf_base` output, and the tests below use that. See docs/dump-json.md
 * ("Split BTF") for the same note.
 */
import { copyFileSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bpftoolLine, dumpBpftool } from '../src/btf/dump-bpftool.js';
import { loadBtf } from '../src/btf/load.js';
import { BTF_KIND } from '../src/btf/kinds.js';
import { VMLINUX, bpftoolDump, cli, haveVmlinux, probeName, probes, run, tempDir, tryRun } from './reader-toolchain.js';

const { dir, cleanup } = tempDir('oracle');
afterAll(cleanup);

/** Our dump of a file, in-process (the CLI path is covered separately). */
function ourDump(file: string, basePath?: string): string {
  const base = basePath ? loadBtf(readFileSync(basePath)).blobs[0] : undefined;
  return dumpBpftool(loadBtf(readFileSync(file), { base }).blobs[0]);
}

describe('vmlinux', () => {
  it.skipIf(!haveVmlinux())(`dump of ${VMLINUX} via the CLI is byte-identical to bpftool`, () => {
    const r = cli(['dump', VMLINUX]);
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
    const expected = bpftoolDump(VMLINUX);
    // Sanity that the comparison is not vacuous: a real kernel has >10k types.
    expect(expected.split('\n').filter((l) => l.startsWith('[')).length).toBeGreaterThan(10_000);
    expect(r.stdout === expected).toBe(true);
  });
  if (!haveVmlinux()) it('vmlinux tests skipped: /sys/kernel/btf/vmlinux is absent on this machine', () => {});
});

describe('kernel module BTF in /sys/kernel/btf', () => {
  const modules = haveVmlinux() ? readdirSync('/sys/kernel/btf').filter((f) => f !== 'vmlinux') : [];
  if (modules.length === 0) {
    it('skipped: no module BTF files besides vmlinux in /sys/kernel/btf (modules built in, or none loaded)', () => {});
  }
  for (const m of modules.slice(0, 5)) {
    it(`module ${m} split over vmlinux equals bpftool -B vmlinux`, () => {
      const file = join('/sys/kernel/btf', m);
      expect(ourDump(file, VMLINUX)).toBe(bpftoolDump(file, VMLINUX));
    });
  }
});

/** Compile every probe with one avenue; returns [probe, artifact] for those that built. */
function buildAll(tag: string, build: (src: string, out: string) => boolean): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (const src of probes()) {
    const artifact = join(dir, `${probeName(src)}.${tag}`);
    if (build(src, artifact)) out.push([probeName(src), artifact]);
  }
  return out;
}

describe('probe objects: whole dump equals bpftool', () => {
  const all = probes();
  let gccBtf: Array<[string, string]> = [];
  let pahole: Array<[string, string]> = [];
  let clang: Array<[string, string]> = [];
  beforeAll(() => {
    gccBtf = buildAll('gcc-btf.o', (src, o) => tryRun('gcc', ['-gbtf', '-c', src, '-o', o]).ok);
    pahole = buildAll('pahole.btf', (src, o) => {
      const obj = `${o}.dwarf.o`;
      return tryRun('gcc', ['-g', '-c', src, '-o', obj]).ok && tryRun('pahole', [`--btf_encode_detached=${o}`, obj]).ok;
    });
    clang = buildAll('clang-bpf.o', (src, o) => tryRun('clang-16', ['--target=bpf', '-g', '-c', src, '-o', o]).ok);
  });

  it('gcc -gbtf -c: every probe builds and dumps identically', () => {
    expect(gccBtf.length).toBe(all.length);
    for (const [name, o] of gccBtf) {
      const expected = bpftoolDump(o);
      expect(ourDump(o), name).toBe(expected);
      // bpftoolLine (one type, used by reports) shares the writer; pin it too.
      const btf = loadBtf(readFileSync(o)).blobs[0];
      expect(`${btf.types.map((t) => bpftoolLine(btf, t)).join('\n')}\n`, name).toBe(expected);
    }
  });

  it('gcc -g + pahole --btf_encode_detached: every probe pahole accepts dumps identically', () => {
    // pahole 1.24 fails on 53-complex-long-double (no BTF for complex long
    // double); every other probe must get through.
    const failed = all.map(probeName).filter((n) => !pahole.some(([p]) => p === n));
    expect(failed.filter((n) => n !== '53-complex-long-double')).toEqual([]);
    for (const [name, o] of pahole) expect(ourDump(o), name).toBe(bpftoolDump(o));
  });

  it('clang-16 --target=bpf -g: every probe dumps identically (.BTF written by LLVM, with .BTF.ext)', () => {
    expect(clang.length).toBe(all.length);
    for (const [name, o] of clang) {
      expect(ourDump(o), name).toBe(bpftoolDump(o));
      // clang writes .BTF.ext (func/line info) when the unit has functions;
      // readelf is the oracle for whether the section is there.
      const hasExt = run('readelf', ['-SW', o]).includes(' .BTF.ext ');
      expect(loadBtf(readFileSync(o)).hasBtfExt, name).toBe(hasExt);
      if (name.startsWith('35-')) expect(hasExt).toBe(true);
    }
  });
});

describe('coverage of the oracle comparisons above', () => {
  it('the probe artifacts exercise every kind 1..19 and every kind_flag meaning', () => {
    const kinds = new Set<string>();
    const flags = new Set<string>();
    for (const f of readdirSync(dir)) {
      if (!/\.(gcc-btf\.o|pahole\.btf|clang-bpf\.o)$/.test(f)) continue;
      for (const t of loadBtf(readFileSync(join(dir, f))).blobs[0].types) {
        kinds.add(t.kind);
        if (t.kind === 'FWD') flags.add(`FWD ${t.fwdKind}`);
        if ((t.kind === 'ENUM' || t.kind === 'ENUM64') && t.signed) flags.add(`${t.kind} signed`);
        if ((t.kind === 'STRUCT' || t.kind === 'UNION') && t.kindFlag) flags.add('bitfield kind_flag');
      }
    }
    expect([...kinds].sort()).toEqual(Object.keys(BTF_KIND).sort());
    expect([...flags].sort()).toEqual(['ENUM signed', 'ENUM64 signed', 'FWD struct', 'FWD union', 'bitfield kind_flag']);
  });
});

describe('split BTF', () => {
  it('pahole --btf_base split output, read with --base, equals bpftool -B base', () => {
    const a = join(dir, 'split-a.c');
    const b = join(dir, 'split-b.c');
    writeFileSync(a, 'struct s { int a; long b; } gs;\nint f(struct s *p) { return p->a; }\n');
    writeFileSync(b, 'struct s { int a; long b; };\nstruct t { struct s x; char *y; } gt;\nint g(struct t *p) { return p->x.a; }\n');
    run('gcc', ['-g', '-c', a, '-o', `${a}.o`]);
    run('gcc', ['-g', '-c', b, '-o', `${b}.o`]);
    run('pahole', [`--btf_encode_detached=${dir}/base.btf`, `${a}.o`]);
    run('pahole', ['--btf_base', `${dir}/base.btf`, `--btf_encode_detached=${dir}/split.btf`, `${b}.o`]);
    const expected = bpftoolDump(`${dir}/split.btf`, `${dir}/base.btf`);
    // Split ids continue after the base's types; struct t reuses base's struct s.
    expect(expected).toMatch(/^\[\d+\] STRUCT 't' size=24 vlen=2\n\t'x' type_id=1 bits_offset=0\n/);
    const r = cli(['dump', '--base', `${dir}/base.btf`, `${dir}/split.btf`]);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(expected);
    // The finding documented at the top: without -B, bpftool refuses the blob.
    const noBase = tryRun('bpftool', ['-d', 'btf', 'dump', 'file', `${dir}/split.btf`, 'base', `${dir}/base.btf`]);
    expect(noBase.ok).toBe(false);
    expect(noBase.stderr).toContain('Invalid BTF string section');
  });

  it.skipIf(!haveVmlinux())('module-like split BTF over vmlinux (pahole --btf_base vmlinux) equals bpftool -B vmlinux', () => {
    const src = join(dir, 'mod.c');
    writeFileSync(
      src,
      'struct mod_private { struct list_head *lh; int n; } mp;\nstruct list_head { struct list_head *next, *prev; };\nint mod_fn(struct mod_private *p) { return p->n; }\n',
    );
    run('gcc', ['-g', '-c', src, '-o', `${src}.o`]);
    run('pahole', ['--btf_base', VMLINUX, `--btf_encode_detached=${dir}/mod.btf`, `${src}.o`]);
    const expected = bpftoolDump(`${dir}/mod.btf`, VMLINUX);
    const firstId = Number(/^\[(\d+)\]/.exec(expected)?.[1]);
    // Ids continue after vmlinux's last id.
    expect(firstId).toBe(loadBtf(readFileSync(VMLINUX)).blobs[0].types.length + 1);
    expect(ourDump(`${dir}/mod.btf`, VMLINUX)).toBe(expected);
  });
});

describe('BTF archive (.BTF sections concatenated by ld -r)', () => {
  it('reads both blobs; each dumps like bpftool on that blob alone', () => {
    const o1 = join(dir, 'arch1.o');
    const o2 = join(dir, 'arch2.o');
    run('gcc', ['-gbtf', '-c', probes().find((p) => p.includes('06-enum-basic'))!, '-o', o1]);
    run('gcc', ['-gbtf', '-c', probes().find((p) => p.includes('18-union'))!, '-o', o2]);
    const merged = join(dir, 'archive.o');
    // GNU ld does not know BTF: it concatenates the input .BTF sections.
    run('ld', ['-r', o1, o2, '-o', merged]);
    const loaded = loadBtf(readFileSync(merged));
    expect(loaded.blobs.length).toBe(2);
    // Each blob compared with bpftool on the single-blob object it came from.
    expect(dumpBpftool(loaded.blobs[0])).toBe(bpftoolDump(o1));
    expect(dumpBpftool(loaded.blobs[1])).toBe(bpftoolDump(o2));
    // And on the blob bytes extracted from the archive itself (bpftool reads
    // a raw file only up to the first blob's end, so extract blob 2 alone).
    run('objcopy', [`--dump-section=.BTF=${merged}.btf`, merged]);
    const sec = readFileSync(`${merged}.btf`);
    const rel = loaded.blobOffsets[1] - loaded.blobOffsets[0];
    writeFileSync(`${merged}.2.btf`, sec.subarray(rel, rel + loaded.blobs[1].byteLength));
    expect(dumpBpftool(loaded.blobs[1])).toBe(bpftoolDump(`${merged}.2.btf`));
    // The CLI says how many blobs there are and prints the one asked for.
    const r = cli(['dump', '--blob', '2', merged]);
    expect(r.status).toBe(0);
    expect(r.stderr).toContain('BTF archive with 2 blobs');
    expect(r.stdout).toBe(bpftoolDump(o2));
    const bad = cli(['dump', '--blob', '3', merged]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('the file has 2 BTF blob(s)');
  });
});

describe('other containers', () => {
  it('an executable (ET_EXEC) and a shared object (ET_DYN) with .BTF', () => {
    const src = probes().find((p) => p.includes('41-agree-plain-struct'))!;
    const c = join(dir, 'main.c');
    copyFileSync(src, c);
    writeFileSync(`${c}.main.c`, 'int main(void) { return 0; }\n');
    run('gcc', ['-gbtf', '-no-pie', c, `${c}.main.c`, '-o', `${dir}/exe`]);
    run('gcc', ['-gbtf', '-shared', '-fPIC', c, '-o', `${dir}/lib.so`]);
    for (const f of [`${dir}/exe`, `${dir}/lib.so`]) {
      const loaded = loadBtf(readFileSync(f));
      expect(loaded.container).toBe('elf');
      expect(dumpBpftool(loaded.blobs[0]), f).toBe(bpftoolDump(f));
    }
    expect(loadBtf(readFileSync(`${dir}/exe`)).elf?.type).toBe(2); // ET_EXEC
    expect(loadBtf(readFileSync(`${dir}/lib.so`)).elf?.type).toBe(3); // ET_DYN
  });
});
