/**
 * Names (BTF strings, ELF symbol and section names) as byte strings held in
 * JS strings, losslessly. The BTF format does not promise UTF-8, and
 * bpftool writes name bytes out as they are; replacing bad bytes with
 * U+FFFD would both change the bpftool-format dump and make two different
 * names equal.
 *
 * Valid UTF-8 decodes as usual. Each byte that is not part of a valid UTF-8
 * sequence becomes the lone low surrogate U+DC00 + byte (U+DC80..U+DCFF,
 * the "surrogateescape" convention). Valid UTF-8 never encodes a
 * surrogate, so the mapping is one-to-one and encodeName gives back the
 * exact bytes. Lone surrogates are what displays then escape (`\xff`, see
 * src/report/escape.ts) and what JSON writes as `\udcff`.
 */

const fatal = new TextDecoder('utf-8', { fatal: true });

/** Index just past the valid UTF-8 sequence starting at `i`, or -1 (Unicode 15, table 3-7). */
function sequenceEnd(b: Uint8Array, i: number): number {
  const c = b[i];
  if (c < 0x80) return i + 1;
  const cont = (k: number, lo = 0x80, hi = 0xbf): boolean => i + k < b.length && b[i + k] >= lo && b[i + k] <= hi;
  if (c >= 0xc2 && c <= 0xdf) return cont(1) ? i + 2 : -1;
  if (c >= 0xe0 && c <= 0xef) {
    const lo = c === 0xe0 ? 0xa0 : 0x80;
    const hi = c === 0xed ? 0x9f : 0xbf;
    return cont(1, lo, hi) && cont(2) ? i + 3 : -1;
  }
  if (c >= 0xf0 && c <= 0xf4) {
    const lo = c === 0xf0 ? 0x90 : 0x80;
    const hi = c === 0xf4 ? 0x8f : 0xbf;
    return cont(1, lo, hi) && cont(2) && cont(3) ? i + 4 : -1;
  }
  return -1;
}

/** Bytes → string: UTF-8 where valid, U+DC00+byte for every other byte. */
export function decodeName(bytes: Uint8Array): string {
  try {
    return fatal.decode(bytes);
  } catch {
    // Not valid UTF-8: decode the valid runs, escape the rest byte by byte.
  }
  let out = '';
  let runStart = 0;
  let i = 0;
  while (i < bytes.length) {
    const end = sequenceEnd(bytes, i);
    if (end > 0) {
      i = end;
      continue;
    }
    if (i > runStart) out += fatal.decode(bytes.subarray(runStart, i));
    out += String.fromCharCode(0xdc00 + bytes[i]);
    i++;
    runStart = i;
  }
  if (i > runStart) out += fatal.decode(bytes.subarray(runStart, i));
  return out;
}

/**
 * Encode `s` into `out` at `at` as decodeName's inverse: U+DC80..U+DCFF
 * back to their byte, other lone surrogates as U+FFFD (what TextEncoder
 * writes), everything else as UTF-8. `out` needs up to 3 bytes per UTF-16
 * code unit. Returns the index after the last byte written.
 */
export function encodeNameInto(s: string, out: Uint8Array, at: number): number {
  let p = at;
  for (let i = 0; i < s.length; i++) {
    let c = s.charCodeAt(i);
    if (c < 0x80) {
      out[p++] = c;
      continue;
    }
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        const cp = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
        out[p++] = 0xf0 | (cp >> 18);
        out[p++] = 0x80 | ((cp >> 12) & 0x3f);
        out[p++] = 0x80 | ((cp >> 6) & 0x3f);
        out[p++] = 0x80 | (cp & 0x3f);
        i++;
        continue;
      }
    }
    if (c >= 0xdc80 && c <= 0xdcff) {
      out[p++] = c - 0xdc00;
      continue;
    }
    if (c >= 0xd800 && c <= 0xdfff) c = 0xfffd;
    if (c < 0x800) {
      out[p++] = 0xc0 | (c >> 6);
      out[p++] = 0x80 | (c & 0x3f);
    } else {
      out[p++] = 0xe0 | (c >> 12);
      out[p++] = 0x80 | ((c >> 6) & 0x3f);
      out[p++] = 0x80 | (c & 0x3f);
    }
  }
  return p;
}

/** decodeName's inverse as a fresh array. */
export function encodeName(s: string): Uint8Array {
  const buf = new Uint8Array(s.length * 3);
  return buf.subarray(0, encodeNameInto(s, buf, 0));
}
