/**
 * Long reference chains of every kind through the whole pure pipeline
 * (issue 14 items 3 and 4): the canonical form and its dump, the
 * comparison (diff + classification) against a renumbered copy and
 * against a small partner, and a report writer. Before, the canonical
 * form took one refinement round per level with a full re-sort each round
 * (100k links: many minutes), the renderer and the inline comparison
 * recursed once per level (stack overflow), and 20k definitions of one
 * name were compared pairwise. No timings are asserted: at these sizes the
 * old code does not finish within the test timeout, or throws.
 *
 * Oracles: a renumbered copy means the same types, so its canonical dump
 * is byte-identical and the diff is empty; against a partner that has only
 * `int`, every entity of the chain is only-left, and their count follows
 * from the chain's construction.
 */
import { describe, expect, it } from 'vitest';
import type { Btf } from '../src/btf/types.js';
import { canonicalize, dumpCanonical } from '../src/canonical/graph.js';
import { ELIDED } from '../src/canonical/render.js';
import { loadRulesFile } from '../src/findings/rules-file.js';
import { compareBtf } from '../src/pipeline/compare.js';
import { encodeBtf } from '../src/btf/encode.js';
import { lintBlob } from '../src/lint/verify.js';
import { INVOLVED_LIMIT, typeWithAnonymousRefs } from '../src/report/involved-types.js';
import { buildSummary, writeReport } from '../src/report/render.js';
import { REPORT_SCHEMA_VERSION } from '../src/report/run-result.js';
import { intType, makeBtf, renumber, seededPermutation, type TypeSpec } from './helpers/btf-transform.js';

const N = 100_000;
const RULES = loadRulesFile();
const PARTNER = makeBtf([intType(1, 'int')]);

type Link = (prev: number, i: number) => TypeSpec;
const member = (type: number) => ({ name: 'm', type, bitsOffset: 0, bitfieldSize: 0 }) as never;

/** The chain kinds: each link refers to the one before; link 0 to `int` (id 1). */
const LINKS: Record<string, { link: Link; entities: number }> = {
  PTR: { link: (prev) => ({ kind: 'PTR', name: '', type: prev }), entities: 0 },
  ARRAY: { link: (prev) => ({ kind: 'ARRAY', name: '', type: prev, indexType: 1, nelems: 3 }), entities: 0 },
  TYPEDEF: { link: (prev, i) => ({ kind: 'TYPEDEF', name: `t${i}`, type: prev }), entities: N },
  'CONST/VOLATILE': { link: (prev, i) => ({ kind: i % 2 ? 'VOLATILE' : 'CONST', name: '', type: prev }), entities: 0 },
  'STRUCT member': { link: (prev, i) => ({ kind: 'STRUCT', name: `s${i}`, size: 4, kindFlag: false, members: [member(prev)] }), entities: N },
  'anonymous STRUCT member': { link: (prev) => ({ kind: 'STRUCT', name: '', size: 4, kindFlag: false, members: [member(prev)] }), entities: 0 },
  'FUNC_PROTO param': { link: (prev) => ({ kind: 'FUNC_PROTO', name: '', returnType: 0, params: [{ name: 'p', type: prev } as never] }), entities: 0 },
};

/** `int`, n links, and VAR root over the last link (so the diff has an entity that reaches the whole chain). */
function chain(n: number, link: Link, bottom = intType(1, 'int')): Btf {
  const types: TypeSpec[] = [bottom];
  for (let i = 0; i < n; i++) types.push(link(i + 1, i));
  types.push({ kind: 'VAR', name: 'root', type: n + 1, linkage: 'global' });
  return makeBtf(types);
}

function compare(left: Btf, right: Btf) {
  return compareBtf(left, right, { leftRecipe: 'file', rightRecipe: 'file', tools: [], rules: RULES });
}

function jsonReport(findings: ReturnType<typeof compare>) {
  const units = [{ source: 'chain', commands: [], findings: findings.findings, ...(findings.types ? { types: findings.types } : {}) }];
  let out = '';
  writeReport({ schemaVersion: REPORT_SCHEMA_VERSION, toolchain: [], recipes: [], units, summary: buildSummary(units) }, 'json', { verbose: true }, (s) => {
    out += s;
  });
  return JSON.parse(out);
}

describe.each(Object.entries(LINKS))('a %s chain of 100k links', (_kind, { link, entities }) => {
  const b = chain(N, link);

  it('has one canonical class per link, and the same dump after renumbering', () => {
    const g = canonicalize(b);
    // int, N links of distinct depth (so N classes), root.
    expect(g.classes.length).toBe(N + 2);
    const dump = dumpCanonical(g);
    expect(dump.split('\n').length).toBe(N + 3);
    expect(dumpCanonical(canonicalize(renumber(b, seededPermutation(N + 2, 14))))).toBe(dump);
  });

  it('diffs empty against a renumbered copy', () => {
    expect(compare(b, renumber(b, seededPermutation(N + 2, 3))).findings).toEqual([]);
  });

  it('diffs against a small partner: every entity only-left, the root rendered with `…`, and reports', () => {
    const r = compare(b, PARTNER);
    // The chain's named links, plus var root; int is on both sides and the same.
    expect(r.findings.length).toBe(entities + 1);
    expect(r.findings.every((f) => f.category === 'only-left')).toBe(true);
    const root = r.findings.find((f) => f.entity === 'var root')!;
    // Named links stop the C text at the last link's name; anonymous ones are cut at RENDER_LIMIT.
    if (entities === 0 && !_kind.includes('STRUCT')) expect(root.left).toContain(ELIDED);
    const report = jsonReport(r);
    expect(report.units[0].findings.length).toBe(entities + 1);
  });
});

describe('a 1M-link PTR chain', () => {
  const n = 1_000_000;
  const b = chain(n, LINKS.PTR.link);
  it('canonicalizes to 1M + 2 classes, the links in chain order, and diffs empty against a renumbered copy', () => {
    const dump = dumpCanonical(canonicalize(b));
    const lines = dump.split('\n');
    expect(lines.length).toBe(n + 3);
    // Shapes sort INT < PTR < VAR; PTRs in order of depth (the one over int first, see canonical-refine.test.ts).
    expect(lines[0]).toBe("[1] INT 'int' size=4 bits_offset=0 nr_bits=32 encoding=SIGNED");
    expect(lines[1]).toBe("[2] PTR '(anon)' type_id=1");
    expect(lines[n]).toBe(`[${n + 1}] PTR '(anon)' type_id=${n}`);
    expect(lines[n + 1]).toBe(`[${n + 2}] VAR 'root' type_id=${n + 1}, linkage=global`);
    expect(compare(b, renumber(b, seededPermutation(n + 2, 5))).findings).toEqual([]);
  });
});

describe('chains that differ at the bottom only', () => {
  const char = { ...intType(1, 'char'), size: 1, bits: 8 };
  it('an anonymous struct chain: one finding where inline comparison stops (INLINE_DEPTH levels down)', () => {
    const r = compare(chain(N, LINKS['anonymous STRUCT member'].link), chain(N, LINKS['anonymous STRUCT member'].link, char));
    // int vs char differ as base types (their own entities), and var root reaches different types 100k levels down:
    // reported once, at 64 levels of `m`, as the anonymous structs there differ.
    const rootFindings = r.findings.filter((f) => f.entity === 'var root');
    expect(rootFindings.map((f) => [f.path, f.category, f.left, f.right])).toEqual([
      [Array(64).fill('m').join('.'), 'member-type', 'struct (anon)', 'struct (anon)'],
    ]);
  });

  it('a prototype chain in parameter position: the same, at 64 levels of `param 1`', () => {
    const r = compare(chain(N, LINKS['FUNC_PROTO param'].link), chain(N, LINKS['FUNC_PROTO param'].link, char));
    const paths = r.findings.filter((f) => f.entity === 'var root').map((f) => [f.path, f.category]);
    expect(paths).toEqual([[Array(64).fill('param 1').join('.'), 'proto']]);
  });

  it('20k typedefs of one name over each other: each its own definition, paired with its copy', () => {
    const same: Link = (prev) => ({ kind: 'TYPEDEF', name: 't', type: prev });
    const b = chain(20_000, same);
    // All 20k are different types (different depth), so none collapses; the renumbered copy pairs each with its twin.
    expect(compare(b, renumber(b, seededPermutation(20_002, 9))).findings).toEqual([]);
    const r = compare(b, PARTNER);
    expect(r.findings.filter((f) => f.entity === 'typedef t').length).toBe(20_000);
  });
});

describe('a 100k chain of forward references through the kernel verifier and the involved records', () => {
  // Link i points at link i + 1 (the last at int): the verifier resolves in id order, so every link
  // but the last MAX_RESOLVE_DEPTH needs more than 32 levels and is refused. Before, each refusal
  // scanned every type to forget the half-visited ones: 100k refusals x 100k types.
  const n = 100_000;
  const types: TypeSpec[] = [];
  for (let i = 0; i < n; i++) types.push({ kind: 'PTR', name: '', type: i === n - 1 ? n + 1 : i + 2 });
  types.push(intType(n + 1, 'int'));
  const b = makeBtf(types);

  it('refuses it with the resolve-depth rule, the recorded refusals capped', () => {
    const r = lintBlob(encodeBtf(b));
    expect(r.accepted).toBe(false);
    // verify.ts records at most 200 refusals (MAX_REJECTIONS); 99,968 links are refused.
    expect(r.rejections.length).toBe(200);
    expect(r.rejections[0]).toMatchObject({ rule: 'resolve-depth', typeId: 1 });
  });

  it('lists at most INVOLVED_LIMIT records for an entity reaching the whole chain', () => {
    const text = typeWithAnonymousRefs(b, 1);
    const lines = text.split('\n');
    expect(lines.length).toBe(INVOLVED_LIMIT + 1);
    expect(lines[0]).toBe("[1] PTR '(anon)' type_id=2");
    expect(lines[INVOLVED_LIMIT]).toBe(`… (stopped after ${INVOLVED_LIMIT} records)`);
  });
});
