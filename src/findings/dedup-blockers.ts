/**
 * Dedup blockers: why named types survive libbpf's dedup of a BTF archive
 * in more than one copy. Pure.
 *
 * For every name with several copies, the copy most objects contributed is
 * the reference; every other copy is one surplus type. A surplus copy is
 * walked against the reference, member by member, parameter by parameter,
 * following references, until the first place they differ. When that
 * place is inside another named type (the copies refer to two different
 * copies of `struct super_block`), the walk goes on inside it, so the
 * cause is the innermost difference: the one fixing which would let the
 * whole chain merge. Causes are grouped across the binary and ranked by
 * how many surplus types each accounts for.
 *
 * DATASECs are never merged by the dedup (each object keeps its own), so
 * their surplus copies form one cause of their own.
 */
import type { Btf, BtfType } from '../btf/types.js';
import { typeById } from '../btf/types.js';
import { entityName } from '../canonical/entity.js';
import { entityKeyOf, type RecordOrigins } from './binary-origins.js';
import { kindText } from './diff-types.js';

/** One side of a cause: how a copy reads there, and the objects whose copies read that way. */
export interface BlockerView {
  readonly view: string;
  readonly objects: readonly string[];
}

export interface BlockerCause {
  /** The named type the difference lives in: `struct super_block`. */
  readonly entity: string;
  /** Path inside it (`s_op`, `param 2`, `` for the type itself). */
  readonly path: string;
  /** The reference copies' view and the surplus copies' view. */
  readonly reference: BlockerView;
  readonly surplus: BlockerView;
  /** Surplus types this cause accounts for (copies beyond the first, over all names). */
  readonly surplusTypes: number;
  /** The names whose surplus copies it explains, most frequent first (capped). */
  readonly names: readonly string[];
  /** Where the walks met it (named type and path), most frequent first (capped); the first is `entity`/`path`. */
  readonly locations: ReadonlyArray<{ readonly entity: string; readonly path: string; readonly surplusTypes: number }>;
}

export interface BlockerReport {
  /** Names left with more than one copy, and the surplus types over all of them. */
  readonly duplicatedNames: number;
  readonly surplusTypes: number;
  readonly causes: readonly BlockerCause[];
}

interface Difference {
  readonly entity: string;
  readonly path: string;
  readonly a: string;
  readonly b: string;
  /** The two differing named records (dedup ids), when the difference is between two of them. */
  readonly ids?: readonly [number, number];
}

/** How deep the walk follows references before giving up on a difference. */
const MAX_DEPTH = 64;
const NAMES_SHOWN = 10;
/** The surplus view of a leaf whose two copies are identical. */
const IDENTICAL = 'an identical copy, not merged by btf__dedup';
const LOCATIONS_SHOWN = 5;

/** The first (innermost) difference between ids `a` and `b` of one graph; undefined when none is found. */
export function firstDifference(btf: Btf, a: number, b: number, memo: Map<string, Difference | null> = new Map()): Difference | undefined {
  const onPath = new Set<string>();
  // A "no difference" that leaned on a cycle assumption is not final: memoise it only when no cycle was met.
  let cycles = 0;
  const local = new Map<string, Difference | null>();
  const walk = (x: number, y: number, entity: string, path: string, depth: number): Difference | undefined => {
    if (x === y || depth > MAX_DEPTH) return undefined;
    const pair = `${x},${y}`;
    if (onPath.has(pair)) {
      cycles++;
      return undefined; // co-inductive: a cycle back to a pair being compared
    }
    // A pair of named types is compared once per graph (its difference does not depend on the path to it).
    const T = typeById(btf, x);
    const named = T !== undefined && T.name !== '' && T.kind !== 'FUNC' && T.kind !== 'VAR';
    if (named && depth > 0) {
      if (memo.has(pair)) return memo.get(pair) ?? undefined;
      if (local.has(pair)) return local.get(pair) ?? undefined;
    }
    onPath.add(pair);
    const before = cycles;
    try {
      const d = step(x, y, entity, path, depth);
      if (named && depth > 0) {
        // Within this walk a "no difference" under a cycle assumption stands (if the
        // assumption fails, the walk has found its difference and ends).
        local.set(pair, d ?? null);
        if (d !== undefined || cycles === before) memo.set(pair, d ?? null);
      }
      return d;
    } finally {
      onPath.delete(pair);
    }
  };
  const leaf = (entity: string, path: string, a: string, b: string): Difference => ({ entity, path, a, b });
  const view = (id: number): string => (id === 0 ? 'void' : kindText(typeById(btf, id)!));
  const step = (x: number, y: number, entity: string, path: string, depth: number): Difference | undefined => {
    if (x === 0 || y === 0) return leaf(entity, path, view(x), view(y));
    const X = typeById(btf, x)!;
    const Y = typeById(btf, y)!;
    if (X.kind !== Y.kind || X.name !== Y.name) return { ...leaf(entity, path, view(x), view(y)), ...(X.name !== '' ? { ids: [x, y] as const } : {}) };
    // Entering a named type: the difference is located inside it from here on.
    const named = X.name !== '' && X.kind !== 'FUNC' && X.kind !== 'VAR' && X.kind !== 'DATASEC';
    const [e, p] = named && depth > 0 ? [entityName(X), ''] : [entity, path];
    const at = (sub: string): string => (p === '' ? sub : `${p}.${sub}`);
    const Yt = Y as typeof X;
    switch (X.kind) {
      // Leaves: two distinct ids that read the same are two identical copies the
      // dedup kept apart, and everything that refers to them stays apart too.
      case 'INT':
      case 'FLOAT':
      case 'FWD':
        return view(x) !== view(y) ? { ...leaf(e, p, view(x), view(y)), ids: [x, y] } : { ...leaf(entityName(X), '', view(x), IDENTICAL), ids: [x, y] };
      case 'ENUM':
      case 'ENUM64': {
        const Ye = Yt as typeof X;
        const text = (t: typeof X): string => `${kindText(t)} ${t.signed ? 'signed' : 'unsigned'} ${t.values.map((v) => `${v.name}=${v.value}`).join(',')}`;
        return text(X) !== text(Ye) ? leaf(e, p, text(X), text(Ye)) : { ...leaf(entityName(X), '', kindText(X), IDENTICAL), ids: [x, y] };
      }
      case 'STRUCT':
      case 'UNION': {
        const Ys = Yt as typeof X;
        if (X.size !== Ys.size || X.members.length !== Ys.members.length) return leaf(e, p, kindText(X), kindText(Ys));
        for (let i = 0; i < X.members.length; i++) {
          const m = X.members[i];
          const n = Ys.members[i];
          const label = m.name === '' ? `(anon ${i + 1})` : m.name;
          if (m.name !== n.name) return leaf(e, at(`member ${i + 1}`), `'${m.name}'`, `'${n.name}'`);
          if (m.bitsOffset !== n.bitsOffset || m.bitfieldSize !== n.bitfieldSize)
            return leaf(e, at(label), `offset=${m.bitsOffset} bits=${m.bitfieldSize}`, `offset=${n.bitsOffset} bits=${n.bitfieldSize}`);
          const d = walk(m.type, n.type, e, at(label), depth + 1);
          if (d) return d;
        }
        return undefined;
      }
      case 'ARRAY': {
        const Ya = Yt as typeof X;
        if (X.nelems !== Ya.nelems) return leaf(e, p, `[${X.nelems}]`, `[${Ya.nelems}]`);
        return walk(X.type, Ya.type, e, at('[]'), depth + 1) ?? walk(X.indexType, Ya.indexType, e, at('index'), depth + 1);
      }
      case 'FUNC_PROTO': {
        const Yp = Yt as typeof X;
        if (X.params.length !== Yp.params.length) return leaf(e, p, `${X.params.length} params`, `${Yp.params.length} params`);
        const r = walk(X.returnType, Yp.returnType, e, at('return'), depth + 1);
        if (r) return r;
        for (let i = 0; i < X.params.length; i++) {
          const a = X.params[i];
          const b = Yp.params[i];
          if (a.name !== b.name) {
            // One cause however the parameters are called: named on one side, anonymous (a prototype) on the other.
            const pv = (n: string, o: string): string => (n === '' ? 'anonymous parameter' : o === '' ? 'named parameter' : `parameter '${n}'`);
            return leaf(e, at(`param ${i + 1} name`), pv(a.name, b.name), pv(b.name, a.name));
          }
          const d = walk(a.type, b.type, e, at(`param ${i + 1}`), depth + 1);
          if (d) return d;
        }
        return undefined;
      }
      case 'FUNC':
      case 'VAR': {
        const Yf = Yt as typeof X;
        if (X.linkage !== Yf.linkage) return leaf(e, at('linkage'), String(X.linkage), String(Yf.linkage));
        return walk(X.type, Yf.type, e, p, depth + 1);
      }
      case 'DECL_TAG': {
        const Yd = Yt as typeof X;
        if (X.componentIdx !== Yd.componentIdx) return leaf(e, p, `component ${X.componentIdx}`, `component ${Yd.componentIdx}`);
        if (X.kindFlag !== Yd.kindFlag) return leaf(e, p, `kind_flag ${X.kindFlag ? 1 : 0}`, `kind_flag ${Yd.kindFlag ? 1 : 0}`);
        return walk(X.type, Yd.type, e, p, depth + 1);
      }
      case 'DATASEC':
        return leaf(e, p, `DATASEC '${X.name}' of one object`, `DATASEC '${X.name}' of another (btf__dedup never merges DATASECs)`);
      default: {
        // PTR, TYPEDEF, CONST, VOLATILE, RESTRICT, TYPE_TAG: one reference each (a TYPE_TAG also its kind_flag).
        const flag = (t: BtfType): boolean => t.kind === 'TYPE_TAG' && t.kindFlag === true;
        if (flag(X) !== flag(Y)) return leaf(e, p, `kind_flag ${flag(X) ? 1 : 0}`, `kind_flag ${flag(Y) ? 1 : 0}`);
        const ref = (t: BtfType): number => ('type' in t ? (t.type as number) : 0);
        const sub = X.kind === 'PTR' ? at('*') : p;
        return walk(ref(X), ref(Y), e, sub, depth + 1);
      }
    }
  };
  const A = typeById(btf, a);
  const found = walk(a, b, A ? entityName(A) : '', '', 0);
  // No difference anywhere: every assumption held, so every pair met is the same.
  if (found === undefined) for (const [k, v] of local) memo.set(k, v);
  return found;
}

/**
 * The blocker analysis of a deduplicated archive (`origins` knows which
 * objects each copy came from). A cause is a pair of views of one type
 * (`FWD 'user_namespace'` vs `STRUCT 'user_namespace'`), whichever copy
 * shows which, wherever in the binary it is met; its locations (the named
 * type and path where the walk met it) are listed by frequency.
 */
export function dedupBlockers(origins: RecordOrigins): BlockerReport {
  const btf = origins.dedup;
  interface Acc {
    first: Difference;
    objects: Map<string, Set<string>>;
    count: number;
    names: Map<string, number>;
    locations: Map<string, { entity: string; path: string; n: number }>;
  }
  const causes = new Map<string, Acc>();
  let surplusTypes = 0;
  const keys = origins.duplicatedKeys();
  const memo = new Map<string, Difference | null>();
  for (const key of keys) {
    const copies = origins.copies(key);
    const owners = copies.map((c) => origins.objectsOf(c));
    // The reference: the copy most objects contributed (then the lowest id).
    let ref = 0;
    for (let i = 1; i < copies.length; i++) if (owners[i].length > owners[ref].length) ref = i;
    const name = entityName(typeById(btf, copies[0])!);
    for (let i = 0; i < copies.length; i++) {
      if (i === ref) continue;
      surplusTypes++;
      // Structurally identical copies the dedup still kept apart: one cause per kind.
      const kind = typeById(btf, copies[ref])!.kind;
      const d = firstDifference(btf, copies[ref], copies[i], memo) ?? {
        entity: name,
        path: '',
        a: `identical ${kind} copies`,
        b: 'left unmerged by btf__dedup',
      };
      const ck = d.a < d.b ? `${d.a}\u0000${d.b}` : `${d.b}\u0000${d.a}`;
      let c = causes.get(ck);
      if (!c) {
        c = {
          first: d,
          objects: new Map([
            [d.a, new Set<string>()],
            [d.b, new Set<string>()],
          ]),
          count: 0,
          names: new Map(),
          locations: new Map(),
        };
        causes.set(ck, c);
      }
      c.count++;
      c.names.set(name, (c.names.get(name) ?? 0) + 1);
      const lk = `${d.entity}\u0000${d.path}`;
      const loc = c.locations.get(lk) ?? { entity: d.entity, path: d.path, n: 0 };
      loc.n++;
      c.locations.set(lk, loc);
      for (const o of owners[ref]) c.objects.get(d.a)?.add(origins.objectNames[o]);
      for (const o of owners[i]) c.objects.get(d.b)?.add(origins.objectNames[o]);
    }
  }
  const byCount = <T>(m: Map<string, T>, n: (t: T) => number): Array<[string, T]> => [...m].sort((x, y) => n(y[1]) - n(x[1]) || (x[0] < y[0] ? -1 : 1));
  const ranked = byCount(causes, (c) => c.count).map(([, c]): BlockerCause => {
    const locations = byCount(c.locations, (l) => l.n).map(([, l]) => l);
    // Objects by what their own blob holds for the differing record (FWD in 14, STRUCT in 21),
    // when the cause is between two named records; else the owners of the copies compared.
    const leafObjs = leafObjects(origins, c.first);
    const objs = (view: string): string[] => leafObjs?.get(view) ?? [...(c.objects.get(view) ?? [])].sort();
    return {
      entity: locations[0].entity,
      path: locations[0].path,
      reference: { view: c.first.a, objects: objs(c.first.a) },
      surplus: { view: c.first.b, objects: objs(c.first.b) },
      surplusTypes: c.count,
      names: byCount(c.names, (n) => n)
        .slice(0, NAMES_SHOWN)
        .map(([n]) => n),
      locations: locations.slice(0, LOCATIONS_SHOWN).map((l) => ({ entity: l.entity, path: l.path, surplusTypes: l.n })),
    };
  });
  return { duplicatedNames: keys.length, surplusTypes, causes: ranked };
}

/** For a difference between two named records: per view, the objects whose own blob holds a record that reads so. */
function leafObjects(origins: RecordOrigins, d: Difference): Map<string, string[]> | undefined {
  if (!d.ids) return undefined;
  const out = new Map<string, string[]>();
  const identical = d.b === IDENTICAL;
  for (const [view, id] of [
    [d.a, d.ids[0]],
    [d.b, d.ids[1]],
  ] as const) {
    const t = typeById(origins.dedup, id);
    if (!t) continue;
    if (identical && view === d.b) continue;
    // FWD and STRUCT/UNION of one name share the entity key.
    const key = entityKeyOf(t);
    if (key === undefined) continue;
    out.set(
      view,
      origins
        .objectsWithKind(key, kindText(t))
        .map((o) => origins.objectNames[o])
        .sort(),
    );
  }
  if (identical) out.set(d.b, []);
  return out;
}

/** The blocker report as text: one block per cause, ranked. */
export function blockersText(r: BlockerReport, top = Number.POSITIVE_INFINITY): string {
  const lines = [`${r.duplicatedNames} names survive dedup in more than one copy: ${r.surplusTypes} surplus types, ${r.causes.length} causes`];
  r.causes.slice(0, top).forEach((c, i) => {
    lines.push('');
    lines.push(`${i + 1}. ${c.reference.view} vs ${c.surplus.view}: ${c.surplusTypes} surplus types`);
    lines.push(`   ${c.reference.view}: ${objectsList(c.reference.objects)}`);
    lines.push(`   ${c.surplus.view}: ${objectsList(c.surplus.objects)}`);
    lines.push(`   at: ${c.locations.map((l) => `${l.path === '' ? l.entity : `${l.entity} ${l.path}`} (${l.surplusTypes})`).join('; ')}`);
    lines.push(`   names: ${c.names.join(', ')}`);
  });
  if (r.causes.length > top) lines.push('', `... ${r.causes.length - top} more causes`);
  return `${lines.join('\n')}\n`;
}

function objectsList(objs: readonly string[]): string {
  // A copy no object's record is identical to was assembled by the dedup itself (e.g. FWDs resolved in part).
  if (objs.length === 0) return 'no object has this copy as such (made by the dedup)';
  const shown = objs.slice(0, 6).join(' ');
  return `${objs.length} objects: ${shown}${objs.length > 6 ? ' ...' : ''}`;
}
