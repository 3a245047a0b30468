/** The lookups rule conditions make, built once per context by the caller (pure, synthetic facts). */
import { describe, expect, it } from 'vitest';
import type { ElfSymbol } from '../src/artifact/elf.js';
import type { Btf, BtfType } from '../src/btf/types.js';
import { RuleIndex, type RuleContext } from '../src/findings/rule-index.js';

const sym = (name: string, shndx: number, type: ElfSymbol['type'] = 'object'): ElfSymbol => ({
  name,
  value: 0n,
  size: 4n,
  binding: 'global',
  type,
  shndx,
  section: shndx === 0 ? '' : '.data',
});

function graph(types: BtfType[], base?: Btf): Btf {
  const startId = base ? base.startId + base.types.length : 1;
  const header = { magic: 0xeb9f, version: 1, flags: 0, hdrLen: 24, typeOff: 0, typeLen: 0, strOff: 0, strLen: 0 };
  return { header, byteOrder: 'little', startId, types, byteLength: 0, ...(base ? { base } : {}) };
}
const v = (id: number, name: string): BtfType => ({ id, name, nameOff: 0, kind: 'VAR', type: 1, linkage: 'global' });
const sec = (id: number, name: string, vars: number[]): BtfType => ({
  id,
  name,
  nameOff: 0,
  kind: 'DATASEC',
  size: 8,
  vars: vars.map((type) => ({ type, offset: 0, size: 4 })),
});

const ctx = (over: Partial<RuleContext> = {}): RuleContext => ({ leftRecipe: 'pahole', rightRecipe: 'gcc-btf', tools: [], ...over });

describe('RuleIndex', () => {
  it('a name stands for its defining symbol; section and file symbols stand for nothing', () => {
    const index = new RuleIndex(ctx({ symbols: [sym('x', 0), sym('x', 3), sym('y', 0), sym('.text', 1, 'section')] }));
    expect(index.hasSymbols).toBe(true);
    expect(index.symbol('x')?.shndx).toBe(3);
    expect(index.symbol('y')?.shndx).toBe(0);
    expect(index.symbol('.text')).toBeUndefined();
    expect(new RuleIndex(ctx()).hasSymbols).toBe(false);
  });
  it('each index answers for its own context only', () => {
    const a = new RuleIndex(ctx({ symbols: [sym('x', 2)] }));
    const b = new RuleIndex(ctx({ symbols: [sym('x', 0)] }));
    expect(a.symbol('x')?.shndx).toBe(2);
    expect(b.symbol('x')?.shndx).toBe(0);
  });
  it('lists the DATASECs placing a record, across the base chain, per side', () => {
    const base = graph([v(1, 'a'), sec(2, '.data', [1])]);
    const split = graph([v(3, 'b'), sec(4, '.bss', [1, 3])], base);
    const index = new RuleIndex(ctx({ btf: { left: base, right: split } }));
    expect(index.datasecsListing('left', 1)).toEqual(['.data']);
    expect(index.datasecsListing('right', 1)).toEqual(['.bss', '.data']);
    expect(index.datasecsListing('right', 3)).toEqual(['.bss']);
    expect(index.record('right', 3)?.name).toBe('b');
    expect(index.record('left', undefined)).toBeUndefined();
    expect(new RuleIndex(ctx()).record('left', 1)).toBeUndefined();
  });
  it("fits a rule's recipes to the run's, as they are or swapped", () => {
    const index = new RuleIndex(ctx());
    expect(index.recipeFit({})).toEqual({ direct: true, swapped: false });
    expect(index.recipeFit({ recipes: { left: ['pahole'], right: ['gcc-*'] } })).toEqual({ direct: true, swapped: false });
    expect(index.recipeFit({ recipes: { left: ['gcc-btf'], right: ['pahole'] } })).toEqual({ direct: false, swapped: true });
    expect(new RuleIndex(ctx({ leftRecipe: 'clang-bpf' })).recipeFit({ recipes: { left: ['pahole'] } })).toEqual({ direct: false, swapped: false });
  });
});
