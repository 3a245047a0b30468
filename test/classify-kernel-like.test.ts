/**
 * The divergence families of the Linux 6.1 subset, reproduced by a small
 * kernel-like unit (test/fixtures/kernel-like) and classified end to end:
 * real gcc -O2 -g + pahole --btf_encode_detached vs real gcc -O2 -gbtf, the
 * real diff, the shipped rules, the object's real symbol table and the two
 * BTF graphs (record conditions read VAR linkage and DATASEC placement).
 *
 * What each avenue writes for the fixture (bpftool btf dump / readelf -sW,
 * gcc 12.2, pahole 1.24), which is what the expectations below rest on:
 * - cc_mask, kernel_read_file_str: gcc VAR linkage=static, in no DATASEC; no symbol; pahole nothing;
 * - this_cpu_off (.data..percpu), init_user_ns (.bss): gcc VAR linkage=global in a DATASEC;
 *   no symbol at all (the only references were folded away after inlining); pahole nothing;
 * - __preempt_count: same, but a surviving reference leaves an UND symbol;
 * - current_stack_pointer: gcc VAR linkage=global listed in .bss; no symbol (a register);
 * - dummy_callbacks: gcc VAR linkage=static listed in .rodata; no symbol (never emitted);
 *   libbpf skips static VARs in DATASEC fixups, so this is inaccurate but harmless;
 * - enum dev_dma_attr: pahole ENUM size=4 vlen=0, gcc FWD fwd_kind=struct.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { arch, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseElf, readSymbols } from '../src/artifact/elf.js';
import { loadBtf } from '../src/btf/load.js';
import { type ClassifyContext, classifyFindings } from '../src/findings/classify.js';
import { diffBtf } from '../src/findings/diff.js';
import type { ClassifiedFinding } from '../src/findings/finding.js';
import { loadRulesFile } from '../src/findings/rules-file.js';

const SRC = 'test/fixtures/kernel-like/unit.c';
const dir = mkdtempSync(join(tmpdir(), 'btfparity-kernel-like-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const firstLine = (cmd: string, args: string[]): string => execFileSync(cmd, args, { encoding: 'utf8' }).split('\n')[0].trim();
const tools = [
  { role: 'cc', command: 'gcc', version: firstLine('gcc', ['--version']) },
  { role: 'pahole', command: 'pahole', version: firstLine('pahole', ['--version']) },
];
// The rules were established for these versions; the fixture's register variable needs x86-64.
const applicable = arch() === 'x64' && /\b12\.\d/.test(tools[0].version) && /1\.24\b/.test(tools[1].version);

function build() {
  const dwarf = join(dir, 'unit.dwarf.o');
  const btfFile = join(dir, 'unit.btf');
  const gccBtf = join(dir, 'unit.gcc-btf.o');
  // -O2 as in kbuild: the folding that leaves variables without storage happens there.
  execFileSync('gcc', ['-O2', '-g', '-c', SRC, '-o', dwarf]);
  execFileSync('pahole', [`--btf_encode_detached=${btfFile}`, dwarf]);
  execFileSync('gcc', ['-O2', '-gbtf', '-c', SRC, '-o', gccBtf]);
  return {
    left: loadBtf(new Uint8Array(readFileSync(btfFile))).blobs[0],
    right: loadBtf(new Uint8Array(readFileSync(gccBtf))).blobs[0],
    symbols: readSymbols(parseElf(new Uint8Array(readFileSync(dwarf)))),
  };
}

describe.skipIf(!applicable)('kernel-like families on the real toolchain (gcc 12, pahole 1.24)', () => {
  const { left, right, symbols } = build();
  const rules = loadRulesFile();
  const base: ClassifyContext = { leftRecipe: 'pahole', rightRecipe: 'gcc-btf', tools, symbols, rules, btf: { left, right } };
  const findings = classifyFindings(diffBtf(left, right), base);
  const byEntity = (list: ClassifiedFinding[], entity: string): ClassifiedFinding => {
    const hits = list.filter((f) => f.entity === entity);
    expect(hits, entity).toHaveLength(1);
    return hits[0];
  };

  it.each([
    ['var cc_mask', 'gcc-btf-static-var-no-storage'],
    ['var kernel_read_file_str', 'gcc-btf-static-var-no-storage'],
    ['var this_cpu_off', 'gcc-btf-extern-var-dead-refs'],
    ['var init_user_ns', 'gcc-btf-extern-var-dead-refs'],
    ['var __preempt_count', 'gcc-btf-extern-var'],
    ['var dummy_callbacks', 'gcc-btf-static-var-phantom-datasec'],
    ['enum dev_dma_attr', 'gcc-lt14-enum-fwd-as-struct'],
  ])('%s is known as %s', (entity, rule) => {
    expect(byEntity(findings, entity)).toMatchObject({ status: 'known', reason: rule });
  });

  it('the finding shapes are the ones the rules were written from', () => {
    expect(byEntity(findings, 'enum dev_dma_attr')).toMatchObject({
      category: 'kind',
      left: "ENUM 'dev_dma_attr' size=4 vlen=0",
      right: "FWD 'dev_dma_attr' fwd_kind=struct",
    });
    expect(byEntity(findings, 'var cc_mask')).toMatchObject({ category: 'only-right', left: 'absent' });
  });

  it('only gcc defects stay unexplained: the register variable, a global VAR in .bss without storage (libbpf cannot fix it up), DATASECs listing no variable the object defines there', () => {
    const left = findings.filter((f) => f.status === 'unexplained').map((f) => f.entity);
    // The DATASECs hold only externs and eliminated statics: no pahole behaviour explains them (pahole-datasec-percpu-only needs a defined entry).
    expect(left).toEqual(['datasec .bss', 'datasec .data..percpu', 'datasec .rodata', 'var current_stack_pointer']);
  });

  it('record conditions need the graphs: without them the linkage/DATASEC rules cannot be confirmed', () => {
    const blind = classifyFindings(diffBtf(left, right), { ...base, btf: undefined });
    expect(byEntity(blind, 'var cc_mask').status).toBe('unexplained');
    expect(byEntity(blind, 'var this_cpu_off').status).toBe('unexplained');
    // Rules without record conditions are unaffected.
    expect(byEntity(blind, 'var __preempt_count').reason).toBe('gcc-btf-extern-var');
  });

  it('with the recipes swapped, the finding is mirrored and the graphs swap sides with it', () => {
    const swapped = classifyFindings(diffBtf(right, left), { ...base, leftRecipe: 'gcc-btf', rightRecipe: 'pahole', btf: { left: right, right: left } });
    expect(byEntity(swapped, 'var cc_mask')).toMatchObject({ category: 'only-left', status: 'known', reason: 'gcc-btf-static-var-no-storage' });
    expect(byEntity(swapped, 'var this_cpu_off').reason).toBe('gcc-btf-extern-var-dead-refs');
    expect(byEntity(swapped, 'var current_stack_pointer').status).toBe('unexplained');
  });

  it('the enum-forward rule is limited to gcc < 14 (fixed upstream, PR debug/111735)', () => {
    const gcc14 = { role: 'cc', command: 'gcc', version: 'gcc (GCC) 14.1.0' };
    const later = classifyFindings(diffBtf(left, right), { ...base, tools: [gcc14, tools[1]] });
    expect(byEntity(later, 'enum dev_dma_attr').status).toBe('unexplained');
  });
});
