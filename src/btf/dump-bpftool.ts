/**
 * Render a BTF exactly as `bpftool btf dump file F` (bpftool 7.x, plain
 * output) does: one `[id] KIND 'name' fields...` line per type, with
 * members, enumerators, parameters and datasec entries on tab-indented
 * continuation lines. For split BTF only the split types are printed, as
 * bpftool does with `base`.
 *
 * The tests compare whole outputs against the installed bpftool, so any
 * formatting rule here is pinned by the oracle, not by memory.
 */
import type { Btf, BtfType, Linkage } from './types.js';
import { typeById } from './types.js';

const INT_ENCODINGS: Record<number, string> = { 0: '(none)', 1: 'SIGNED', 2: 'CHAR', 4: 'BOOL' };

function quoted(name: string): string {
  return `'${name === '' ? '(anon)' : name}'`;
}

function linkageText(l: Linkage): string {
  return typeof l === 'number' ? '(unknown)' : l;
}

/** The text of one type, without the trailing newline. */
export function bpftoolLine(btf: Btf, t: BtfType): string {
  const head = `[${t.id}] ${t.kind} ${quoted(t.name)}`;
  switch (t.kind) {
    case 'INT':
      return `${head} size=${t.size} bits_offset=${t.bitsOffset} nr_bits=${t.bits} encoding=${INT_ENCODINGS[t.encodingBits] ?? 'UNKN'}`;
    case 'PTR':
    case 'TYPEDEF':
    case 'VOLATILE':
    case 'CONST':
    case 'RESTRICT':
    case 'TYPE_TAG':
      return `${head} type_id=${t.type}`;
    case 'ARRAY':
      return `${head} type_id=${t.type} index_type_id=${t.indexType} nr_elems=${t.nelems}`;
    case 'STRUCT':
    case 'UNION': {
      let s = `${head} size=${t.size} vlen=${t.members.length}`;
      for (const m of t.members) {
        s += `\n\t${quoted(m.name)} type_id=${m.type} bits_offset=${m.bitsOffset}`;
        if (m.bitfieldSize) s += ` bitfield_size=${m.bitfieldSize}`;
      }
      return s;
    }
    case 'ENUM':
    case 'ENUM64': {
      let s = `${head} encoding=${t.signed ? 'SIGNED' : 'UNSIGNED'} size=${t.size} vlen=${t.values.length}`;
      // ENUM64 values carry a C literal suffix in bpftool; ENUM values do not.
      const suffix = t.kind === 'ENUM64' ? (t.signed ? 'LL' : 'ULL') : '';
      for (const v of t.values) s += `\n\t${quoted(v.name)} val=${v.value}${suffix}`;
      return s;
    }
    case 'FWD':
      return `${head} fwd_kind=${t.fwdKind}`;
    case 'FUNC':
      return `${head} type_id=${t.type} linkage=${linkageText(t.linkage)}`;
    case 'FUNC_PROTO': {
      let s = `${head} ret_type_id=${t.returnType} vlen=${t.params.length}`;
      for (const p of t.params) s += `\n\t${quoted(p.name)} type_id=${p.type}`;
      return s;
    }
    case 'VAR':
      return `${head} type_id=${t.type}, linkage=${linkageText(t.linkage)}`;
    case 'DATASEC': {
      let s = `${head} size=${t.size} vlen=${t.vars.length}`;
      for (const v of t.vars) {
        s += `\n\ttype_id=${v.type} offset=${v.offset} size=${v.size}`;
        // bpftool names the entry's type whenever the id exists; id 0 is void.
        if (v.type === 0) s += ` (UNKN '(anon)')`;
        const vt = typeById(btf, v.type);
        if (vt) s += ` (${vt.kind} ${quoted(vt.name)})`;
      }
      return s;
    }
    case 'FLOAT':
      return `${head} size=${t.size}`;
    case 'DECL_TAG':
      return `${head} type_id=${t.type} component_idx=${t.componentIdx}`;
  }
}

/** The whole dump, as bpftool prints it (every line newline-terminated). */
export function dumpBpftool(btf: Btf): string {
  const lines = new Array<string>(btf.types.length + 1);
  for (let i = 0; i < btf.types.length; i++) lines[i] = bpftoolLine(btf, btf.types[i]);
  lines[btf.types.length] = '';
  return lines.join('\n');
}
