/**
 * BTF blobs with headers longer than 24 bytes, made by hand: the 32-byte
 * header of libbpf 1.8 (layout_off, layout_len at 24..31) with a kind
 * layout section between the types and the strings, longer headers with
 * trailing bytes, and broken layouts. Shared by test/header-forward.test.ts
 * and test/dump-sid-bpftool.test.ts. Not a test file.
 */
import { type BtfType, encodeBtf } from '../../src/index.js';

const TYPES: BtfType[] = [
  { kind: 'INT', id: 1, name: 'int', nameOff: 0, size: 4, encoding: { signed: true, char: false, bool: false }, encodingBits: 1, bitsOffset: 0, bits: 32 },
  { kind: 'PTR', id: 2, name: '', nameOff: 0, type: 1 },
];
/** What bpftool 7.8 printed for every readable blob here (the same two types). */
export const LAYOUT_DUMP = "[1] INT 'int' size=4 bits_offset=0 nr_bits=32 encoding=SIGNED\n[2] PTR '(anon)' type_id=1\n";

/** info_sz and elem_sz per kind code 0..19, as Documentation/bpf/btf.rst lays the kinds out. */
const LAYOUT: readonly (readonly [number, number])[] = [
  [0, 0],
  [4, 0],
  [0, 0],
  [12, 0],
  [0, 12],
  [0, 12],
  [0, 8],
  [0, 0],
  [0, 0],
  [0, 0],
  [0, 0],
  [0, 0],
  [0, 0],
  [0, 8],
  [4, 0],
  [0, 12],
  [0, 0],
  [4, 0],
  [0, 0],
  [0, 12],
];

export interface LayoutBlobOptions {
  /** Header bytes past 32 (zero unless `tail`). */
  readonly extra?: number;
  /** A byte written at offset 32 (past every field known). */
  readonly tail?: number;
  /** Layout entries written (0: no layout section, layout_off = layout_len = 0). */
  readonly entries?: number;
  /** Overwrite layout_off / layout_len after laying out (broken blobs). */
  readonly layoutOff?: number;
  readonly layoutLen?: number;
}

/** [header 32 + extra][types (28 bytes)][layout: 4 × entries][strings ("\0int\0", 5 bytes)]. */
export function layoutBlob(o: LayoutBlobOptions = {}): Uint8Array {
  const plain = encodeBtf({ types: TYPES });
  const pv = new DataView(plain.buffer, plain.byteOffset, plain.byteLength);
  const typeLen = pv.getUint32(12, true);
  const strLen = pv.getUint32(20, true);
  const n = o.entries ?? LAYOUT.length;
  const hdr = 32 + (o.extra ?? 0);
  const out = new Uint8Array(hdr + typeLen + 4 * n + strLen);
  const v = new DataView(out.buffer);
  v.setUint16(0, 0xeb9f, true);
  out[2] = 1;
  v.setUint32(4, hdr, true);
  v.setUint32(8, 0, true);
  v.setUint32(12, typeLen, true);
  v.setUint32(16, typeLen + 4 * n, true);
  v.setUint32(20, strLen, true);
  v.setUint32(24, o.layoutOff ?? (n > 0 ? typeLen : 0), true);
  v.setUint32(28, o.layoutLen ?? 4 * n, true);
  if (o.tail !== undefined) out[32] = o.tail;
  out.set(plain.subarray(24, 24 + typeLen), hdr);
  for (let i = 0; i < n; i++) {
    out[hdr + typeLen + 4 * i] = LAYOUT[i][0];
    out[hdr + typeLen + 4 * i + 1] = LAYOUT[i][1];
  }
  out.set(plain.subarray(24 + typeLen), hdr + typeLen + 4 * n);
  return out;
}

/** Broken layouts, each with the message of ours and of libbpf 1.8 (bpftool 7.8 -d). */
export const BAD_LAYOUTS: readonly { readonly name: string; readonly blob: () => Uint8Array; readonly ours: RegExp; readonly libbpf: string }[] = [
  {
    name: 'unaligned',
    blob: () => layoutBlob({ layoutOff: 30 }),
    ours: /at offset 24: BTF layout section offset 30 is not 4-byte aligned/,
    libbpf: 'BTF layout section is not aligned to 4 bytes',
  },
  {
    name: 'over the types',
    blob: () => layoutBlob({ layoutOff: 24 }),
    ours: /at offset 24: BTF layout section \(at 24\) overlaps the type section \(ends at 28\)/,
    libbpf: 'Invalid BTF data sections layout',
  },
  {
    name: 'over the strings',
    blob: () => layoutBlob({ layoutLen: 84 }),
    ours: /BTF layout section \(ends at 112\) overlaps the string section \(starts at 108\)/,
    libbpf: 'Invalid BTF data sections layout',
  },
  {
    name: 'not whole entries',
    blob: () => layoutBlob({ layoutLen: 78 }),
    ours: /at offset 28: BTF layout section length 78 is not a multiple of 4/,
    libbpf: 'Invalid BTF kind layout section',
  },
];
