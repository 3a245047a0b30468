/**
 * Each side's own defects, whatever the other side holds: BTF the kernel
 * would refuse (category `rejected`, from src/lint, which agrees with the
 * running kernel), and BTF that disagrees with its own object (category
 * `self-inconsistent`): a VAR or DATASEC entry for a symbol the object
 * does not define, a DATASEC for a section the object lacks, two VARs or
 * FUNCs of one name and linkage, an ARRAY whose index type is void, a
 * `.BTF` header whose section lengths disagree with the bytes present.
 * Each finding is at the offending entity, on that side only. Pure.
 */
import type { ElfSymbol } from '../artifact/elf.js';
import { type Btf, type BtfType, typeById } from '../btf/types.js';
import { entityName, isInlineType } from '../canonical/entity.js';
import type { Category, Finding, Side } from '../findings/finding.js';
import type { LintResult } from '../lint/types.js';
import { lintBlob } from '../lint/verify.js';

/** What the side's BTF is checked against: the object it describes. */
export interface ObjectFacts {
  readonly symbols?: readonly ElfSymbol[];
  /** Names of the object's sections; absent when unknown. */
  readonly sections?: readonly string[];
}

/** Where an id is reported: itself when it is an entity, else the first named entity (and path) reaching it. */
export function placesOf(btf: Btf): Map<number, { entity: string; path: string }> {
  const out = new Map<number, { entity: string; path: string }>();
  const reach = (id: number, entity: string, path: string, depth: number): void => {
    const t = typeById(btf, id);
    if (!t || depth > 32 || out.has(id) || !isInlineType(t)) return;
    out.set(id, { entity, path });
    for (const [ref, sub] of refsOf(t)) reach(ref, entity, sub === '' ? path : path === '' ? sub : `${path}.${sub}`, depth + 1);
  };
  for (const t of btf.types) {
    if (isInlineType(t)) continue;
    const entity = entityName(t);
    out.set(t.id, { entity, path: '' });
    for (const [ref, sub] of refsOf(t)) reach(ref, entity, sub, 1);
  }
  return out;
}

/** A type's references with the path step each is at (a member's name, `param N`, `return`). */
function refsOf(t: BtfType): [number, string][] {
  switch (t.kind) {
    case 'STRUCT':
    case 'UNION':
      return t.members.map((m) => [m.type, m.name]);
    case 'FUNC_PROTO':
      return [[t.returnType, 'return'], ...t.params.map((p, i): [number, string] => [p.type, `param ${i + 1}`])];
    case 'ARRAY':
      return [
        [t.type, ''],
        [t.indexType, ''],
      ];
    case 'DATASEC':
      return [];
    case 'INT':
    case 'FLOAT':
    case 'ENUM':
    case 'ENUM64':
    case 'FWD':
      return [];
    default:
      return [[t.type, '']];
  }
}

function finding(side: Side, category: Category, place: { entity: string; path: string }, text: string, id: number | undefined): Finding {
  return side === 'left'
    ? { entity: place.entity, path: place.path, category, left: text, right: 'n/a', ...(id !== undefined ? { leftId: id } : {}) }
    : { entity: place.entity, path: place.path, category, left: 'n/a', right: text, ...(id !== undefined ? { rightId: id } : {}) };
}

/**
 * `rejected` findings of one side: every problem the kernel's verifier
 * (re-implemented in src/lint) finds in the blob, at the offending entity,
 * once per entity, place and message.
 *
 * `objectSections`: the sections of the relocatable object the blob is the
 * `.BTF` of. Such a blob reaches the kernel only through libbpf, which sets
 * a DATASEC's size 0 to its ELF section's size before loading
 * (btf_fixup_datasec), so `size == 0` is no rejection there when the object
 * has that section (without it libbpf fails too, and it stays one; the
 * `self-inconsistent` check names the missing section).
 *
 * `verified`: the verifier's result for these bytes when the caller ran it
 * already (`diff` runs it before decoding either side, so its garbage is
 * not on top of two decoded graphs).
 */
export function rejectedFindings(side: Side, bytes: Uint8Array, btf: Btf | undefined, objectSections?: readonly string[], verified?: LintResult): Finding[] {
  const result = verified ?? lintBlob(bytes);
  if (result.accepted) return [];
  const places = btf ? placesOf(btf) : new Map<number, { entity: string; path: string }>();
  const out: Finding[] = [];
  const seen = new Set<string>();
  for (const r of result.rejections) {
    if (r.rule === 'datasec-size' && objectSections && btf && r.typeId !== undefined) {
      const t = typeById(btf, r.typeId);
      if (t?.kind === 'DATASEC' && objectSections.includes(t.name)) continue;
    }
    const place =
      r.typeId !== undefined
        ? (places.get(r.typeId) ?? { entity: `${(r.kind ?? 'type').toLowerCase()} #${r.typeId}`, path: '' })
        : { entity: 'btf header', path: '' };
    const text = `kernel refuses: ${r.message}`;
    const key = `${place.entity}\0${place.path}\0${text}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(finding(side, 'rejected', place, text, r.typeId));
  }
  return out;
}

/** Whether the object defines `name` (a static local is `name.N` in the symbol table). */
function defines(symbols: readonly ElfSymbol[], name: string): ElfSymbol | undefined {
  return symbols.find((s) => s.shndx !== 0 && s.type !== 'section' && s.type !== 'file' && (s.name === name || s.name.startsWith(`${name}.`)));
}

/** `self-inconsistent` findings of one side against its own object. */
export function selfFindings(side: Side, btf: Btf, object: ObjectFacts): Finding[] {
  const found: Finding[] = [];
  const seen = new Set<string>();
  const out = {
    push(x: Finding): void {
      const key = `${x.entity}\0${x.path}\0${x.left}\0${x.right}`;
      if (!seen.has(key)) found.push(x);
      seen.add(key);
    },
  };
  // Only an ARRAY indexed by void is reported at its place: walk the graph for places only then.
  let places: Map<number, { entity: string; path: string }> | undefined;
  const placeOf = (id: number): { entity: string; path: string } | undefined => {
    places ??= placesOf(btf);
    return places.get(id);
  };
  const symbols = object.symbols;
  // Two VARs or FUNCs of one name and linkage.
  const count = new Map<string, BtfType[]>();
  for (const t of btf.types) {
    if ((t.kind === 'VAR' || t.kind === 'FUNC') && t.name !== '') {
      const k = `${t.kind}\0${t.name}\0${t.linkage}`;
      count.set(k, [...(count.get(k) ?? []), t]);
    }
  }
  for (const ts of count.values()) {
    if (ts.length < 2) continue;
    const t = ts[0];
    const text = `${ts.length} ${t.kind}s '${t.name}' (${String((t as { linkage: unknown }).linkage)}), ids ${ts.map((x) => x.id).join(', ')}`;
    out.push(finding(side, 'self-inconsistent', { entity: entityName(t), path: '' }, text, t.id));
  }
  // ARRAY indexed by void.
  for (const t of btf.types) {
    if (t.kind === 'ARRAY' && t.indexType === 0) {
      out.push(finding(side, 'self-inconsistent', placeOf(t.id) ?? { entity: `array #${t.id}`, path: '' }, `ARRAY #${t.id} index_type_id=0 (void)`, t.id));
    }
  }
  // DATASECs against the object's sections and symbols.
  for (const t of btf.types) {
    if (t.kind !== 'DATASEC') continue;
    const entity = entityName(t);
    if (object.sections && !object.sections.includes(t.name)) {
      out.push(finding(side, 'self-inconsistent', { entity, path: '' }, `DATASEC ${t.name}: the object has no section ${t.name}`, t.id));
    }
    if (!symbols) continue;
    for (const v of t.vars) {
      const vt = typeById(btf, v.type);
      if (!vt || vt.name === '') continue;
      if (!defines(symbols, vt.name)) {
        const s = symbols.find((x) => x.name === vt.name);
        const why = s ? `${vt.name} is undefined in the object (extern)` : `the object has no symbol ${vt.name}`;
        out.push(finding(side, 'self-inconsistent', { entity, path: vt.name }, `DATASEC ${t.name} lists ${vt.name}: ${why}`, t.id));
      }
    }
  }
  // A VAR allocated here (not extern) for a symbol the object does not define.
  if (symbols) {
    for (const t of btf.types) {
      if (t.kind !== 'VAR' || t.name === '' || t.linkage === 'extern') continue;
      if (!defines(symbols, t.name)) {
        out.push(
          finding(
            side,
            'self-inconsistent',
            { entity: entityName(t), path: '' },
            `VAR ${t.name} (${String(t.linkage)}): the object defines no symbol ${t.name}`,
            t.id,
          ),
        );
      }
    }
  }
  return found;
}

/**
 * `.BTF` section lengths against the bytes present: the header's type and
 * string sections must lie within the blob. Undefined when they do.
 */
export function lengthDefect(bytes: Uint8Array): string | undefined {
  if (bytes.length < 24) return `${bytes.length} bytes: shorter than a BTF header (24)`;
  const le = bytes[0] === 0x9f && bytes[1] === 0xeb;
  const be = bytes[0] === 0xeb && bytes[1] === 0x9f;
  if (!le && !be) return undefined;
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const u32 = (at: number): number => dv.getUint32(at, le);
  const hdrLen = u32(4);
  const [typeOff, typeLen, strOff, strLen] = [u32(8), u32(12), u32(16), u32(20)];
  const have = bytes.length - hdrLen;
  if (typeOff + typeLen > have) return `header: type section ${typeOff}+${typeLen} bytes, but only ${have} bytes follow the header`;
  if (strOff + strLen > have) return `header: string section ${strOff}+${strLen} bytes, but only ${have} bytes follow the header`;
  return undefined;
}

/** The `self-inconsistent` finding of a side whose `.BTF` lengths disagree with its bytes; undefined when they agree. */
export function lengthFinding(side: Side, bytes: Uint8Array): Finding | undefined {
  const bad = lengthDefect(bytes);
  return bad === undefined ? undefined : finding(side, 'self-inconsistent', { entity: 'btf header', path: '' }, bad, undefined);
}
