/**
 * `dump` against bpftool 7.8 of the sid root (docs/TOOLCHAINS.md): tags
 * with kind_flag (a hand-built blob, and clang 21's btf_type_tag and
 * btf_decl_tag), and modules with a distilled base, which bpftool 7.8 reads
 * (`.BTF.base`): on the committed
 * fixture, and on a module made here by sid's pahole 1.32 over the running
 * kernel's vmlinux as the kernel's build makes one (scripts/Makefile.modfinal:
 * `pahole -J --btf_features=...,distilled_base --btf_base vmlinux`). Plain
 * and `-j` dumps, with and without the base (`-B`), must be byte-identical.
 * Skips, saying why, without the sid root or /sys/kernel/btf/vmlinux.
 */
import { copyFileSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, runCli } from './helpers/cli.js';
import { fixturePath } from './helpers/fixtures.js';
import { BAD_LAYOUTS, LAYOUT_DUMP, layoutBlob } from './helpers/layout-blob.js';
import { BPFTOOL_78_TAGS, tagTypes } from './helpers/tag-blob.js';
import { encodeBtf } from '../src/index.js';

const SID = join(homedir(), '.cache', 'btfparity', 'roots', 'sid', 'fs');
const VMLINUX = '/sys/kernel/btf/vmlinux';
const work = mkdtempSync(join(tmpdir(), 'btfparity-distilled-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
beforeAll(() => ensureBuilt());

/** `btfparity toolchain run sid:TOOL ARGS` in `work` (writable); its stdout. */
function sid(tool: string, args: readonly string[]): string {
  const r = runCli(['toolchain', 'run', '--rw', work, '--', `sid:${tool}`, ...args], { cwd: work });
  if (r.status !== 0) throw new Error(`sid:${tool} ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

/** Ours and bpftool 7.8's dump of `file` over `base` (or over its .BTF.base), plain and json. */
function compare(file: string, base: string | undefined): void {
  const b = base ? ['-B', base] : [];
  for (const [ours, theirs] of [
    [['dump'], ['btf', 'dump', 'file', file]],
    [
      ['dump', '--format', 'bpftool-json'],
      ['-j', 'btf', 'dump', 'file', file],
    ],
  ]) {
    const mine = runCli([...ours, ...(base ? ['--base', base] : []), file], { cwd: work });
    expect(mine.stderr).toBe('');
    expect(mine.stdout.length).toBeGreaterThan(0);
    expect(mine.stdout).toBe(sid('bpftool', [...b, ...theirs]));
  }
}

describe.skipIf(!existsSync(SID))('dump equals sid bpftool 7.8 on distilled-base modules', () => {
  it('the committed fixture, with and without its base', () => {
    copyFileSync(fixturePath('distilled.pahole-module.o'), join(work, 'fixture.o'));
    copyFileSync(fixturePath('distilled-base.pahole.btf'), join(work, 'fixture-base.btf'));
    compare('fixture.o', undefined);
    compare('fixture.o', 'fixture-base.btf');
  });

  it.skipIf(!existsSync(VMLINUX))('a module over the running kernel (vmlinux: 100k+ types), with and without -B vmlinux', () => {
    // The sandbox shows no /sys: the base is a copy.
    copyFileSync(VMLINUX, join(work, 'vmlinux'));
    writeFileSync(
      join(work, 'm.c'),
      [
        'struct task_struct;',
        'struct list_head { struct list_head *next, *prev; };',
        'struct mod_thing { int a; unsigned char b; struct list_head link; struct task_struct *owner; long (*fn)(int, char *); };',
        'int mod_fn(struct mod_thing *t, unsigned int x) { return t->a + x; }',
        '',
      ].join('\n'),
    );
    sid('gcc', ['-g', '-c', 'm.c', '-o', 'm.o']);
    sid('pahole', ['-J', '--btf_features=default,distilled_base', '--btf_base', join(work, 'vmlinux'), 'm.o']);
    compare('m.o', undefined);
    compare('m.o', 'vmlinux');
  });
});

describe.skipIf(!existsSync(SID))('dump equals sid bpftool 7.8 on tags', () => {
  it('a hand-built blob with attribute tags (kind_flag 1): bpftool 7.8 prints no kind_flag, nor do we', () => {
    writeFileSync(join(work, 'tags.btf'), encodeBtf({ types: tagTypes(true, true) }));
    expect(sid('bpftool', ['btf', 'dump', 'file', 'tags.btf'])).toBe(BPFTOOL_78_TAGS);
    compare('tags.btf', undefined);
    const json = JSON.parse(runCli(['dump', '--format', 'json', 'tags.btf'], { cwd: work }).stdout) as { types: { kindFlag?: boolean }[] };
    expect(json.types.map((t) => t.kindFlag ?? null)).toEqual([null, false, true, null, null, false, true]);
  });

  it('clang 21 --target=bpf with btf_type_tag and btf_decl_tag: same dumps; its tags are plain (kind_flag 0)', () => {
    writeFileSync(
      join(work, 'tag.c'),
      [
        '#define __user __attribute__((btf_type_tag("user")))',
        '#define __dtag __attribute__((btf_decl_tag("dtag")))',
        'struct s { int __user *p; int x __dtag; };',
        'struct s g __dtag;',
        'int f(struct s *a __dtag) { return a->x; }',
        '',
      ].join('\n'),
    );
    sid('clang-21', ['--target=bpf', '-g', '-c', 'tag.c', '-o', 'tag.o']);
    compare('tag.o', undefined);
    const json = JSON.parse(runCli(['dump', '--format', 'json', 'tag.o'], { cwd: work }).stdout) as { types: { kind: string; kindFlag?: boolean }[] };
    const tags = json.types.filter((t) => t.kind.endsWith('_TAG'));
    // One TYPE_TAG (user), decl tags on member x and on g (clang 21 wrote none for f's parameter
    // here, as its bpftool dump shows, which compare() pinned above).
    expect(tags.map((t) => `${t.kind} ${t.kindFlag}`)).toEqual(['TYPE_TAG false', 'DECL_TAG false', 'DECL_TAG false']);
  });
});

describe.skipIf(!existsSync(SID))('longer headers (libbpf 1.8: layout_off, layout_len) against sid bpftool 7.8', () => {
  it('the 32-byte header with a layout section, without one, and with 8 more header bytes (zero or not): the same dumps', () => {
    for (const [name, bytes] of [
      ['h32-layout.btf', layoutBlob()],
      ['h32-nolayout.btf', layoutBlob({ entries: 0 })],
      ['h40-zero.btf', layoutBlob({ extra: 8 })],
      ['h40-tail.btf', layoutBlob({ extra: 8, tail: 7 })],
    ] as const) {
      writeFileSync(join(work, name), bytes);
      expect(sid('bpftool', ['btf', 'dump', 'file', name]), name).toBe(LAYOUT_DUMP);
      compare(name, undefined);
    }
  });

  it.each(BAD_LAYOUTS.map((b) => [b.name, b]))('a broken layout section (%s): bpftool 7.8 refuses it too', (_, b) => {
    const name = `bad-${b.name.replace(/ /g, '-')}.btf`;
    writeFileSync(join(work, name), b.blob());
    const theirs = runCli(['toolchain', 'run', '--', 'sid:bpftool', '-d', 'btf', 'dump', 'file', name], { cwd: work });
    expect(theirs.status).not.toBe(0);
    expect(theirs.stderr).toContain(b.libbpf);
    const ours = runCli(['dump', name], { cwd: work });
    expect(ours.status).toBe(2);
    expect(ours.stderr).toMatch(b.ours);
  });
});

describe.skipIf(existsSync(SID))('without the sid root', () => {
  it('skips: bpftool 7.8 (the oracle that reads .BTF.base) is in the sid root; make it with `btfparity toolchain add sid`', () => {
    expect(existsSync(SID)).toBe(false);
  });
});
