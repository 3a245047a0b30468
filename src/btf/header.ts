/**
 * The BTF header: detecting the magic (and so the byte order), reading and
 * checking the header, and writing one. Offsets in errors are relative to
 * the start of the bytes given.
 */
import { InputError } from '../errors.js';
import type { BtfHeader, ByteOrder } from './types.js';

export const BTF_MAGIC = 0xeb9f;
/** The header every BTF version starts with; longer headers add fields after it. */
export const BTF_MIN_HEADER = 24;
/** The header with the kind layout section's offset and length (bytes 24..31). */
export const BTF_LAYOUT_HEADER = 32;
/** Bytes per kind layout entry: info_sz (u8), elem_sz (u8), flags (u16). */
const LAYOUT_ENTRY = 4;

/** Detect BTF magic at `offset`; returns the byte order or undefined. */
export function btfByteOrderAt(bytes: Uint8Array, offset = 0): ByteOrder | undefined {
  if (offset + 2 > bytes.length) return undefined;
  if (bytes[offset] === 0x9f && bytes[offset + 1] === 0xeb) return 'little';
  if (bytes[offset] === 0xeb && bytes[offset + 1] === 0x9f) return 'big';
  return undefined;
}

/** Parse and validate the header; the blob's extent is hdrLen + max section end. */
export function decodeHeader(bytes: Uint8Array): { header: BtfHeader; byteOrder: ByteOrder; byteLength: number } {
  if (bytes.length < BTF_MIN_HEADER) {
    throw new InputError(`BTF header truncated: ${bytes.length} bytes, need ${BTF_MIN_HEADER}`, { offset: bytes.length });
  }
  const byteOrder = btfByteOrderAt(bytes);
  if (!byteOrder) {
    const got = ((bytes[0] << 8) | bytes[1]).toString(16).padStart(4, '0');
    throw new InputError(`bad BTF magic 0x${got} (expected 0xeb9f)`, { offset: 0 });
  }
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const le = byteOrder === 'little';
  const header: BtfHeader = {
    magic: BTF_MAGIC,
    version: bytes[2],
    flags: bytes[3],
    hdrLen: v.getUint32(4, le),
    typeOff: v.getUint32(8, le),
    typeLen: v.getUint32(12, le),
    strOff: v.getUint32(16, le),
    strLen: v.getUint32(20, le),
    ...(v.byteLength >= BTF_LAYOUT_HEADER && v.getUint32(4, le) >= BTF_LAYOUT_HEADER ? { layoutOff: v.getUint32(24, le), layoutLen: v.getUint32(28, le) } : {}),
  };
  if (header.version !== 1) throw new InputError(`unsupported BTF version ${header.version}`, { offset: 2 });
  if (header.hdrLen < BTF_MIN_HEADER) throw new InputError(`BTF header length ${header.hdrLen} is shorter than ${BTF_MIN_HEADER}`, { offset: 4 });
  if (header.hdrLen > bytes.length)
    throw new InputError(`BTF header length ${header.hdrLen} is past the end of the data (${bytes.length} bytes)`, { offset: 4 });
  // Header bytes past the fields known here are read as libbpf reads them:
  // ignored, whatever they hold (the kernel refuses non-zero ones: `lint`
  // reports that as header-unsupported).
  const typeEnd = header.typeOff + header.typeLen;
  const strEnd = header.strOff + header.strLen;
  if (header.typeOff % 4 !== 0) throw new InputError(`BTF type section offset ${header.typeOff} is not 4-byte aligned`, { offset: 8 });
  if (typeEnd > header.strOff && header.strLen > 0) {
    throw new InputError(`BTF type section (ends at ${typeEnd}) overlaps the string section (starts at ${header.strOff})`, { offset: 8 });
  }
  checkLayout(header);
  const byteLength = header.hdrLen + Math.max(typeEnd, strEnd);
  if (byteLength > bytes.length) {
    const field = strEnd >= typeEnd ? 16 : 8;
    throw new InputError(`BTF sections end at ${byteLength}, past the end of the data (${bytes.length} bytes)`, { offset: field });
  }
  return { header, byteOrder, byteLength };
}

/** The kind layout section, where there is one, lies between the types and the strings, in whole 4-byte entries (libbpf's checks). */
function checkLayout(h: BtfHeader): void {
  if (h.layoutOff === undefined || h.layoutLen === undefined || h.layoutLen === 0) return;
  if (h.layoutOff % 4 !== 0) throw new InputError(`BTF layout section offset ${h.layoutOff} is not 4-byte aligned`, { offset: 24 });
  if (h.layoutLen % LAYOUT_ENTRY !== 0) throw new InputError(`BTF layout section length ${h.layoutLen} is not a multiple of ${LAYOUT_ENTRY}`, { offset: 28 });
  const typeEnd = h.typeOff + h.typeLen;
  if (h.layoutOff < typeEnd) throw new InputError(`BTF layout section (at ${h.layoutOff}) overlaps the type section (ends at ${typeEnd})`, { offset: 24 });
  if (h.layoutOff + h.layoutLen > h.strOff) {
    throw new InputError(`BTF layout section (ends at ${h.layoutOff + h.layoutLen}) overlaps the string section (starts at ${h.strOff})`, { offset: 24 });
  }
}

/**
 * Write a version 1 header at the start of `out`: the type section right
 * after the header, the string section right after the types. Bytes of a
 * longer header past the 24 known ones are left as they are (zero).
 */
export function writeHeader(out: Uint8Array, le: boolean, hdrLen: number, typeLen: number, strLen: number): void {
  const v = new DataView(out.buffer, out.byteOffset, out.byteLength);
  v.setUint16(0, BTF_MAGIC, le);
  out[2] = 1; // version
  out[3] = 0; // flags
  v.setUint32(4, hdrLen, le);
  v.setUint32(8, 0, le); // type_off
  v.setUint32(12, typeLen, le);
  v.setUint32(16, typeLen, le); // str_off
  v.setUint32(20, strLen, le);
}
