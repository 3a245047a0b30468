/**
 * Every shipped rule, against one finding it must explain and one near
 * miss it must not: a finding that differs in the one fact its explanation
 * rests on (the other recipe, the other symbol state, a value that fits,
 * a DATASEC of externs only...). The records and symbol tables are small
 * hand-made graphs and symbol lists shaped like the probes'.
 */
import { describe, expect, it } from 'vitest';
import type { ElfSymbol } from '../src/artifact/elf.js';
import type { Btf } from '../src/btf/types.js';
import { type ClassifyContext, classifyFindings } from '../src/findings/classify.js';
import type { Finding } from '../src/findings/finding.js';
import { loadRulesFile } from '../src/findings/rules-file.js';
import { makeBtf } from './helpers/btf-transform.js';

const RULES = loadRulesFile();
const GCC12 = { role: 'cc', command: 'gcc', version: 'gcc (Debian 12.2.0-14) 12.2.0' };
const PAHOLE124 = { role: 'pahole', command: 'pahole', version: 'v1.24' };
const sym = (name: string, shndx: number, section: string, type: ElfSymbol['type'] = 'object'): ElfSymbol => ({
  name,
  value: 0n,
  size: 4n,
  binding: 'global',
  type,
  shndx,
  section,
});
const SYMBOLS: ElfSymbol[] = [
  sym('g_init', 2, '.data'),
  sym('pcpu', 3, '.data..percpu'),
  sym('ext_counter', 0, ''),
  sym('ext_call', 0, '', 'notype'),
  sym('defined_fn', 1, '.text', 'func'),
];
const INT = { kind: 'INT', name: 'int', size: 4, encoding: { signed: true, char: false, bool: false }, encodingBits: 1, bitsOffset: 0, bits: 32 } as const;
/** The gcc side's records: ids as written here, 1-based. */
const RIGHT: Btf = makeBtf([
  INT, // 1
  { kind: 'VAR', name: 'g_init', type: 1, linkage: 'global' }, // 2
  { kind: 'VAR', name: 'ext_counter', type: 1, linkage: 'global' }, // 3
  { kind: 'DATASEC', name: '.data', size: 0, vars: [{ type: 2, offset: 0, size: 4 }] }, // 4
  { kind: 'DATASEC', name: '.bss', size: 0, vars: [{ type: 3, offset: 0, size: 4 }] }, // 5
  { kind: 'VAR', name: 'dead_ref', type: 1, linkage: 'global' }, // 6
  { kind: 'VAR', name: 'folded', type: 1, linkage: 'static' }, // 7
  { kind: 'VAR', name: 'phantom', type: 1, linkage: 'static' }, // 8
  {
    kind: 'DATASEC',
    name: '.rodata',
    size: 0,
    vars: [
      { type: 8, offset: 0, size: 4 },
      { type: 6, offset: 0, size: 4 },
    ],
  }, // 9
  { kind: 'VAR', name: 'dead_extern', type: 1, linkage: 'extern' }, // 10
]);
const ctx: ClassifyContext = {
  leftRecipe: 'pahole',
  rightRecipe: 'gcc-btf',
  tools: [GCC12, PAHOLE124],
  symbols: SYMBOLS,
  rules: RULES,
  btf: { left: makeBtf([INT]), right: RIGHT },
};
const f = (entity: string, category: Finding['category'], left: string, right: string, extra: Partial<Finding> = {}): Finding => ({
  entity,
  path: '',
  category,
  left,
  right,
  ...extra,
});

/** The recipe pahole-all-vars, with a pahole that has no global_var (1.24) and one that has it (1.28). */
const ALL_VARS_124: Partial<ClassifyContext> = { leftRecipe: 'pahole-all-vars' };
const ALL_VARS_128: Partial<ClassifyContext> = { leftRecipe: 'pahole-all-vars', tools: [GCC12, { ...PAHOLE124, version: 'v1.28' }] };

/** gcc 14.2 (trixie) on the gcc side: the enum forwards it writes have size 0 (bpftool, `enum e;`). */
const GCC14: Partial<ClassifyContext> = { tools: [{ role: 'cc', command: 'trixie:gcc-14', version: 'gcc-14 (Debian 14.2.0-19) 14.2.0' }, PAHOLE124] };

/** pahole 1.30 (trixie) on the pahole side: it sanitizes base types above 16 bytes. */
const PAHOLE130: Partial<ClassifyContext> = { tools: [GCC12, { ...PAHOLE124, version: 'v1.30' }] };

/** Where a case's finding or near miss needs another run than `ctx` (another recipe, other tools). */
interface CaseRun {
  readonly hit?: Partial<ClassifyContext>;
  readonly miss?: Partial<ClassifyContext>;
}

/** rule id → [a finding it explains, a near miss it must not, the runs when not `ctx`'s]. */
const CASES: Readonly<Record<string, readonly [Finding, Finding, CaseRun?]>> = {
  // A surviving-copies finding of `btfparity binary` stands for the surplus copies; a plain
  // one-sided struct (one record, no copies) is not excused.
  'archive-dedup-surplus-copies': [
    f('struct inode', 'only-right', 'absent', "STRUCT 'inode' size=8 vlen=1 (35 copies survive dedup, 34 unpaired)"),
    f('struct inode', 'only-right', 'absent', "STRUCT 'inode' size=8 vlen=1"),
  ],
  'pahole-float-as-int': [
    f('double', 'kind', "INT 'double' size=8 (none)", "FLOAT 'double' size=8"),
    f('double', 'kind', "FLOAT 'double' size=8", "INT 'double' size=8 (none)"),
  ],
  'gcc-btf-char-bit': [
    f('char', 'encoding', "INT 'char' size=1 SIGNED", "INT 'char' size=1 SIGNED|CHAR"),
    f('short int', 'encoding', "INT 'short int' size=2 SIGNED", "INT 'short int' size=2 SIGNED|CHAR"),
  ],
  'pahole-vars-percpu-only': [f('var g_init', 'only-right', 'absent', 'int g_init'), f('var pcpu', 'only-right', 'absent', 'int pcpu')],
  'pahole-datasec-percpu-only': [
    f('datasec .data', 'only-right', 'absent', "DATASEC '.data' size=0 vlen=1", { rightId: 4 }),
    f('datasec .bss', 'only-right', 'absent', "DATASEC '.bss' size=0 vlen=1", { rightId: 5 }),
  ],
  // pahole-all-vars asks for global_var from 1.28 on: the same finding with pahole 1.28 is not excused.
  'pahole-lt128-all-vars-percpu-only': [
    f('var g_init', 'only-right', 'absent', 'int g_init'),
    f('var g_init', 'only-right', 'absent', 'int g_init'),
    { hit: ALL_VARS_124, miss: ALL_VARS_128 },
  ],
  'pahole-lt128-all-vars-datasec-percpu-only': [
    f('datasec .data', 'only-right', 'absent', "DATASEC '.data' size=0 vlen=1", { rightId: 4 }),
    f('datasec .data', 'only-right', 'absent', "DATASEC '.data' size=0 vlen=1", { rightId: 4 }),
    { hit: ALL_VARS_124, miss: ALL_VARS_128 },
  ],
  'pahole-array-index-int': [f('int', 'only-left', "INT 'int' size=4 SIGNED", 'absent'), f('int', 'only-right', 'absent', "INT 'int' size=4 SIGNED")],
  // pahole's fake INT is explained; gcc's 32-byte FLOAT left without a counterpart is not (the kernel refuses it).
  'pahole-sanitized-fake-int': [
    f('__SANITIZED_FAKE_INT__', 'only-left', "INT '__SANITIZED_FAKE_INT__' size=4 (none)", 'absent'),
    f('complex long double', 'only-right', 'absent', "FLOAT 'complex long double' size=32"),
    { hit: PAHOLE130, miss: PAHOLE130 },
  ],
  'gcc-btf-datasec-unplaced': [
    f('datasec .data', 'datasec', 'offset=32 size=32', 'offset=0 size=32', { path: 'v' }),
    f('datasec .data', 'datasec', 'offset=32 size=32', 'absent', { path: 'v' }),
  ],
  'gcc-btf-extern-var': [f('var ext_counter', 'only-right', 'absent', 'int ext_counter'), f('var ext_unused', 'only-right', 'absent', 'int ext_unused')],
  'gcc-btf-extern-var-dead-refs': [
    f('var dead_ref', 'only-right', 'absent', 'int dead_ref', { rightId: 6 }),
    f('var folded', 'only-right', 'absent', 'int folded', { rightId: 7 }),
  ],
  // gcc 14+: linkage extern, no DATASEC; dead_ref (global, listed in .rodata) is the older shape's.
  'gcc-ge14-extern-var-dead-refs': [
    f('var dead_extern', 'only-right', 'absent', 'int dead_extern', { rightId: 10 }),
    f('var dead_ref', 'only-right', 'absent', 'int dead_ref', { rightId: 6 }),
    { hit: GCC14, miss: GCC14 },
  ],
  'gcc-btf-static-var-no-storage': [
    f('var folded', 'only-right', 'absent', 'int folded', { rightId: 7 }),
    f('var phantom', 'only-right', 'absent', 'int phantom', { rightId: 8 }),
  ],
  'gcc-btf-static-var-phantom-datasec': [
    f('var phantom', 'only-right', 'absent', 'int phantom', { rightId: 8 }),
    f('var folded', 'only-right', 'absent', 'int folded', { rightId: 7 }),
  ],
  'gcc-btf-extern-func': [f('func ext_call', 'only-right', 'absent', 'int ext_call(int)'), f('func defined_fn', 'only-right', 'absent', 'int defined_fn(int)')],
  'gcc-btf-anon-func': [f('func (anon)', 'only-right', 'absent', 'int (int)'), f('func (anon)', 'only-left', 'int (int)', 'absent')],
  'gcc-btf-inlined-func': [f('func forced', 'only-right', 'absent', 'int forced(int)'), f('func defined_fn', 'only-right', 'absent', 'int defined_fn(int)')],
  // The symbol decides: ext_call is undefined in the object (an extern), so static → global there is not excused.
  'pahole-func-static-linkage': [f('func defined_fn', 'linkage', 'static', 'global'), f('func ext_call', 'linkage', 'static', 'global')],
  'gcc-lt13-enum-unsigned': [
    f('enum e', 'signedness', 'enum e encoding=SIGNED', 'enum e encoding=UNSIGNED'),
    f('enum e', 'signedness', 'enum e encoding=UNSIGNED', 'enum e encoding=SIGNED'),
  ],
  'gcc-lt13-no-enum64': [
    f('enum big64', 'kind', "ENUM64 'big64' size=8 vlen=3", "ENUM 'big64' size=8 vlen=1"),
    // The explanation is about an ENUM of size 8: a 4-byte ENUM is another story.
    f('enum big64', 'kind', "ENUM64 'big64' size=8 vlen=3", "ENUM 'big64' size=4 vlen=1"),
  ],
  'gcc-lt13-enumerator-dropped': [
    f('enum flags32', 'enum-value', 'F_HIGH = 2147483648', 'absent', { path: 'enumerator F_HIGH' }),
    // The explanation is about values beyond signed 32 bits: a small enumerator missing is not excused.
    f('enum flags32', 'enum-value', 'F_LOW = 1', 'absent', { path: 'enumerator F_LOW' }),
  ],
  // An enum forward's size 0 against pahole's 4; another size (8: a full enum of 64-bit values) is not that.
  'gcc-ge14-enum-fwd-size-0': [
    f('enum dev_dma_attr', 'size', 'size=4', 'size=0'),
    f('enum dev_dma_attr', 'size', 'size=4', 'size=8'),
    { hit: GCC14, miss: GCC14 },
  ],
  'gcc-lt14-enum-fwd-as-struct': [
    f('enum dev_dma_attr', 'kind', "ENUM 'dev_dma_attr' size=4 vlen=0", "FWD 'dev_dma_attr' fwd_kind=struct"),
    f('enum dev_dma_attr', 'kind', "ENUM 'dev_dma_attr' size=4 vlen=3", "FWD 'dev_dma_attr' fwd_kind=struct"),
  ],
};

describe('every shipped rule: one finding it explains, one near miss it does not', () => {
  it('the table covers every rule of the shipped file', () => {
    expect(Object.keys(CASES).sort()).toEqual(RULES.map((r) => r.id).sort());
  });
  it.each(Object.entries(CASES))('%s', (id, [hit, miss, run]) => {
    const [a] = classifyFindings([hit], { ...ctx, ...run?.hit });
    const [b] = classifyFindings([miss], { ...ctx, ...run?.miss });
    expect(a.reason, 'the finding it explains').toBe(id);
    expect(b.reason, 'the near miss').not.toBe(id);
  });
});
