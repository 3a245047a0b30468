/**
 * Comparing a whole binary (the archive avenue, `btfparity binary`): the
 * left side's BTF of the linked DWARF against libbpf's deduplication of
 * every object's compiler-emitted blob. Pure.
 *
 * What differs from a unit comparison:
 * - which objects each right record came from: the record a blob's type
 *   was merged into by the dedup (decided by structural equality between
 *   the blob and the deduplicated graph);
 * - pairing: among several copies of a FUNC that survived the dedup, the
 *   one an object that defines the symbol contributed, with its parameters
 *   named, is the definition and pairs with the left side's FUNC (gcc 12
 *   gives declarations and definitions the same linkage, so linkage cannot
 *   tell them apart, and a defining object holds the header's prototype
 *   too);
 * - copies that remain duplicated after dedup are reported once per name,
 *   with the count, not once per copy;
 * - DATASECs: every object keeps its own `.data..percpu` (dedup never
 *   merges DATASECs), so entries pair by variable over all of an
 *   object's sections of that name, and say which object holds them.
 */
import type { Btf } from '../btf/types.js';
import { typeById } from '../btf/types.js';
import { entityName } from '../canonical/entity.js';
import { type BlockerReport, dedupBlockers } from '../findings/dedup-blockers.js';
import { type BinaryObject, entityKeyOf as keyOf, entityRecords, RecordOrigins } from '../findings/binary-origins.js';
import { type ClassifyContext, classifyFindings } from '../findings/classify.js';
import { diffBtf } from '../findings/diff.js';
import type { ClassifiedFinding, Finding } from '../findings/finding.js';
import { involvedTypesText } from '../report/involved-types.js';
import type { UnitResult } from '../report/run-result.js';

export type { BinaryObject };

export interface BinaryComparison {
  readonly findings: ClassifiedFinding[];
  readonly types?: UnitResult['types'];
  /** Names whose right records remain duplicated after dedup: entity → number of copies. */
  readonly duplicated: ReadonlyMap<string, number>;
  /** Why the duplicated names did not merge, ranked causes. */
  readonly blockers: BlockerReport;
}

/**
 * The origin index of a deduplicated binary BTF, fed one object at a time:
 * `objects` yields each object's blob and symbols, and each is dropped once
 * taken in (memory: one object's blob beside the binary's).
 */
export function recordOrigins(right: Btf, objects: Iterable<BinaryObject>): RecordOrigins {
  const origins = new RecordOrigins(right);
  for (const o of objects) origins.add(o);
  return origins;
}

/**
 * What merged the objects' records into the right graph, as findings name it: libbpf's
 * dedup (`binary`), or `diff --union-right`'s union, which collapses only identical graphs.
 */
export type MergedBy = 'dedup' | 'the union';

export function compareBinary(left: Btf, right: Btf, origins: RecordOrigins, ctx: ClassifyContext, mergedBy: MergedBy = 'dedup'): BinaryComparison {
  const preference = (id: number): number => {
    const t = typeById(right, id);
    if (t?.kind !== 'FUNC') return 0;
    // An object that defines the symbol may hold its declaration's record too (a
    // header prototype with anonymous parameters): the definition's names them.
    const proto = typeById(right, t.type);
    const params = proto?.kind === 'FUNC_PROTO' ? proto.params.filter((p) => p.type !== 0) : [];
    const named = params.length === 0 ? 1 : params.filter((p) => p.name !== '').length / params.length;
    return (origins.objectsOf(id).some((i) => origins.definesFunction(i, t.name)) ? 1 : 0) + named / 2;
  };
  const raw = diffBtf(left, right, { rightPreference: preference });
  const multiSec = new Set(
    origins
      .duplicatedKeys()
      .filter((k) => k.startsWith('datasec\u0000'))
      .map((k) => k.slice('datasec\u0000'.length)),
  );
  const leftRecords = entityRecords(left);
  // Surplus copies: only-right findings of a name the left has, or the 2nd.. copies of a right-only name.
  const surplus = new Map<string, Finding[]>();
  const kept: Finding[] = [];
  for (const f of raw) {
    const t = f.rightId !== undefined ? typeById(right, f.rightId) : f.leftId !== undefined ? typeById(left, f.leftId) : undefined;
    if (t?.kind === 'DATASEC' && multiSec.has(t.name)) continue;
    if (f.category === 'only-right' && f.path === '' && t && keyOf(t) !== undefined && origins.copies(keyOf(t)!).length > 1) {
      const list = surplus.get(f.entity) ?? [];
      list.push(f);
      surplus.set(f.entity, list);
      continue;
    }
    kept.push(f);
  }
  const duplicated = new Map<string, number>();
  for (const k of origins.duplicatedKeys()) {
    const copies = origins.copies(k);
    duplicated.set(entityName(typeById(right, copies[0])!), copies.length);
  }
  for (const [entity, fs] of surplus) {
    const t = typeById(right, fs[0].rightId!)!;
    const onLeft = leftRecords.has(keyOf(t)!);
    const n = duplicated.get(entity) ?? fs.length;
    // One finding per name: the first unpaired copy stands for the others.
    kept.push({
      ...fs[0],
      right: `${fs[0].right} (${n} copies survive ${mergedBy}${onLeft ? `, ${fs.length} unpaired` : ''})`,
    });
  }
  for (const name of [...multiSec].sort()) kept.push(...datasecUnion(left, right, name, origins));
  const withObjects = kept.map((f) => {
    if (f.rightId === undefined || f.rightObjects) return f;
    const objs = origins.objectsOf(f.rightId).map((i) => origins.objectNames[i]);
    return objs.length > 0 ? { ...f, rightObjects: objs } : f;
  });
  const findings = classifyFindings(withObjects.sort(byEntityThenPath), { ...ctx, btf: { left, right } });
  const blockers = dedupBlockers(origins);
  if (findings.length === 0) return { findings, duplicated, blockers };
  const l: Record<string, string> = {};
  const r: Record<string, string> = {};
  for (const f of findings) {
    if (!Object.hasOwn(l, f.entity)) l[f.entity] = involvedTypesText(left, f, 'left');
    if (!Object.hasOwn(r, f.entity)) r[f.entity] = involvedTypesText(right, f, 'right');
  }
  return { findings, types: { left: l, right: r }, duplicated, blockers };
}

/**
 * A DATASEC every object keeps its own copy of: entries pair by variable
 * name over all copies. Offsets are per object (the linker places the
 * sections), so only membership is compared; each right entry names the
 * objects whose section holds it.
 */
function datasecUnion(left: Btf, right: Btf, name: string, origins: RecordOrigins): Finding[] {
  const entity = `datasec ${name}`;
  const key = `datasec\u0000${name}`;
  const leftSec = entityRecords(left).get(key)?.[0];
  const l = new Map<string, string>();
  if (leftSec !== undefined) {
    const t = typeById(left, leftSec)!;
    if (t.kind === 'DATASEC') for (const v of t.vars) l.set(typeById(left, v.type)?.name ?? '', `size=${v.size}`);
  }
  const r = new Map<string, { size: number; copy: number; objects: Set<string> }>();
  for (const copy of origins.copies(key)) {
    const t = typeById(right, copy)!;
    if (t.kind !== 'DATASEC') continue;
    const objs = origins.objectsOf(copy).map((i) => origins.objectNames[i]);
    for (const v of t.vars) {
      const vn = typeById(right, v.type)?.name ?? '';
      const e = r.get(vn) ?? { size: v.size, copy, objects: new Set<string>() };
      for (const o of objs) e.objects.add(o);
      r.set(vn, e);
    }
  }
  const out: Finding[] = [];
  if (leftSec === undefined) {
    const first = origins.copies(key)[0];
    const objs = [...new Set(origins.copies(key).flatMap((c) => origins.objectsOf(c).map((i) => origins.objectNames[i])))];
    return [
      {
        entity,
        path: '',
        category: 'only-right',
        left: 'absent',
        right: `DATASEC ${name} in ${origins.copies(key).length} objects, ${r.size} variables`,
        rightId: first,
        rightObjects: objs,
      },
    ];
  }
  for (const vn of [...new Set([...l.keys(), ...r.keys()])].sort()) {
    const a = l.get(vn);
    const b = r.get(vn);
    if (a !== undefined && b !== undefined && a === `size=${b.size}`) continue;
    out.push({
      entity,
      path: vn,
      category: 'datasec',
      left: a ?? 'absent',
      right: b ? `size=${b.size}` : 'absent',
      leftId: leftSec,
      ...(b ? { rightId: b.copy, rightObjects: [...b.objects] } : {}),
    });
  }
  return out;
}

function byEntityThenPath(a: Finding, b: Finding): number {
  return a.entity < b.entity ? -1 : a.entity > b.entity ? 1 : a.path < b.path ? -1 : a.path > b.path ? 1 : 0;
}
