/**
 * Render a BTF exactly as `bpftool -j btf dump file F` (bpftool 7.x, JSON
 * output) does: `{"types":[...]}` and a newline, one object per type with
 * bpftool's field names and order, compact, as its json_writer writes it.
 * For split BTF only the split types are printed, as bpftool does with
 * `-B base`.
 *
 * Differences from the plain dump that bpftool makes and this keeps: DATASEC
 * entries carry no name of their var; ENUM values are printed through a
 * signed 32-bit value, as an unsigned 64-bit number when the enum is not
 * signed (so `-1` in an unsigned enum is 18446744073709551615); ENUM64 values
 * have no C suffix. The tests compare whole outputs with the installed
 * bpftool, so each rule is pinned by the oracle.
 */
import { assertNever } from '../lang.js';
import { isRef } from './kinds.js';
import type { Btf, BtfType } from './types.js';
import { enumSignWord, intEncodingOf, intEncodingWords, linkageText, shownName } from './words.js';

/** A JSON string as bpftool's json_writer escapes it (it also escapes `'`; other bytes pass through). */
export function bpftoolJsonString(s: string): string {
  let out = '"';
  for (const c of s) {
    switch (c) {
      case '\t':
        out += '\\t';
        break;
      case '\n':
        out += '\\n';
        break;
      case '\r':
        out += '\\r';
        break;
      case '\f':
        out += '\\f';
        break;
      case '\b':
        out += '\\b';
        break;
      case '\\':
        out += '\\\\';
        break;
      case '"':
        out += '\\"';
        break;
      case "'":
        out += "\\'";
        break;
      default:
        out += c;
    }
  }
  return `${out}"`;
}

/** bpftool names single encoding flags only; other bit combinations are UNKN. */
const encodingText = (bits: number): string => (bits === 0 || bits === 1 || bits === 2 || bits === 4 ? intEncodingWords(intEncodingOf(bits)) : 'UNKN');

const unknownLinkage = (): string => '(unknown)';

/** Fields of one type object after id, kind and name, as `"k":v` texts. */
function fields(t: BtfType): string[] {
  const f = (k: string, v: number | string | bigint): string => `"${k}":${typeof v === 'string' ? bpftoolJsonString(v) : v.toString()}`;
  if (isRef(t)) return [f('type_id', t.type)];
  switch (t.kind) {
    case 'INT':
      return [f('size', t.size), f('bits_offset', t.bitsOffset), f('nr_bits', t.bits), f('encoding', encodingText(t.encodingBits))];
    case 'ARRAY':
      return [f('type_id', t.type), f('index_type_id', t.indexType), f('nr_elems', t.nelems)];
    case 'STRUCT':
    case 'UNION': {
      const members = t.members.map(
        (m) =>
          `{${[f('name', shownName(m.name)), f('type_id', m.type), f('bits_offset', m.bitsOffset), ...(m.bitfieldSize ? [f('bitfield_size', m.bitfieldSize)] : [])].join(',')}}`,
      );
      return [f('size', t.size), f('vlen', t.members.length), `"members":[${members.join(',')}]`];
    }
    case 'ENUM':
    case 'ENUM64': {
      // bpftool: ENUM's val is an s32, printed with jsonw_int (signed) or jsonw_uint (u64 of the sign-extended value);
      // ENUM64's is the u64 of hi:lo, printed signed or unsigned the same way.
      const width = t.kind === 'ENUM' ? 32 : 64;
      const values = t.values.map((v) => {
        const s = BigInt.asIntN(width, v.value);
        return `{${f('name', shownName(v.name))},${f('val', t.signed ? s : BigInt.asUintN(64, s))}}`;
      });
      return [f('encoding', enumSignWord(t.signed)), f('size', t.size), f('vlen', t.values.length), `"values":[${values.join(',')}]`];
    }
    case 'FWD':
      return [f('fwd_kind', t.fwdKind)];
    case 'FUNC':
    case 'VAR':
      return [f('type_id', t.type), f('linkage', linkageText(t.linkage, unknownLinkage))];
    case 'FUNC_PROTO': {
      const params = t.params.map((p) => `{${f('name', shownName(p.name))},${f('type_id', p.type)}}`);
      return [f('ret_type_id', t.returnType), f('vlen', t.params.length), `"params":[${params.join(',')}]`];
    }
    case 'DATASEC': {
      const vars = t.vars.map((v) => `{${f('type_id', v.type)},${f('offset', v.offset)},${f('size', v.size)}}`);
      return [f('size', t.size), f('vlen', t.vars.length), `"vars":[${vars.join(',')}]`];
    }
    case 'FLOAT':
      return [f('size', t.size)];
    case 'DECL_TAG':
      return [f('type_id', t.type), f('component_idx', t.componentIdx)];
  }
  return assertNever(t);
}

/** One type's object, as bpftool -j prints it. */
export function bpftoolJsonType(t: BtfType): string {
  return `{${[`"id":${t.id}`, `"kind":"${t.kind}"`, `"name":${bpftoolJsonString(shownName(t.name))}`, ...fields(t)].join(',')}}`;
}

/**
 * Stream the dump as UTF-8 bytes, one type at a time (vmlinux: no
 * whole-text string). `write` gets chunks valid only during the call.
 */
export function writeBpftoolJson(btf: Btf, write: (chunk: Uint8Array) => void): void {
  const enc = new TextEncoder();
  const CHUNK = 1 << 20;
  let pending = '{"types":[';
  const types = btf.types;
  for (let i = 0; i < types.length; i++) {
    pending += (i > 0 ? ',' : '') + bpftoolJsonType(types[i]);
    if (pending.length >= CHUNK) {
      write(enc.encode(pending));
      pending = '';
    }
  }
  write(enc.encode(`${pending}]}\n`));
}

/** The whole dump, as `bpftool -j btf dump file` prints it (newline-terminated). */
export function dumpBpftoolJson(btf: Btf): string {
  let out = '';
  const dec = new TextDecoder();
  writeBpftoolJson(btf, (c) => {
    out += dec.decode(c);
  });
  return out;
}
