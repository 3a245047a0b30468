/**
 * The raw records behind a finding, for bug reports: the bpftool-format
 * lines of the entity's type on one side, plus the anonymous types it
 * refers to (PTR, CONST, ARRAY, FUNC_PROTO, anonymous struct/union...),
 * followed through anonymous types only — a named type is shown by its own
 * finding, if it has one. Pure; the pipeline stores the text in
 * UnitResult.types.
 */
import { bpftoolLine } from '../btf/dump-bpftool.js';
import { typeRefs } from '../btf/refs.js';
import type { Btf, BtfType } from '../btf/types.js';
import { typeById } from '../btf/types.js';
import type { Finding, Side } from '../findings/finding.js';

/**
 * How many records one entity shows. Real entities reach a few dozen
 * anonymous types; a hostile chain reaches a million, and every finding on
 * it would list all of them (quadratic text). Past the limit the walk
 * stops and a last line says so.
 */
export const INVOLVED_LIMIT = 1024;

/** bpftool lines of type `id` and the anonymous types reachable from it through anonymous types, by id. */
export function typeWithAnonymousRefs(btf: Btf, id: number): string {
  const root = typeById(btf, id);
  if (!root) return '';
  const seen = new Map<number, BtfType>([[root.id, root]]);
  const work = [root];
  while (work.length) {
    if (seen.size >= INVOLVED_LIMIT) return `${lines(btf, seen)}\n… (stopped after ${INVOLVED_LIMIT} records)`;
    const t = work.pop()!;
    for (const ref of typeRefs(t)) {
      const r = typeById(btf, ref);
      if (!r || seen.has(r.id) || r.name !== '') continue;
      seen.set(r.id, r);
      work.push(r);
    }
  }
  return lines(btf, seen);
}

function lines(btf: Btf, seen: ReadonlyMap<number, BtfType>): string {
  return [...seen.values()]
    .sort((a, b) => a.id - b.id)
    .map((t) => bpftoolLine(btf, t))
    .join('\n');
}

/** The records of the finding's entity on `side`; '' when that side lacks it. */
export function involvedTypesText(btf: Btf, finding: Finding, side: Side): string {
  const id = side === 'left' ? finding.leftId : finding.rightId;
  return id === undefined ? '' : typeWithAnonymousRefs(btf, id);
}
