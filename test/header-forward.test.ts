/**
 * Headers longer than 24 bytes, read forward-compatibly as libbpf reads
 * them: the 32-byte header (layout_off, layout_len; libbpf 1.8, bpftool
 * 7.8) and its kind layout section between types and strings, checked
 * where they are; header bytes past the fields known are ignored, as
 * libbpf ignores them (the kernel refuses non-zero ones, and so does
 * `lint`: header-unsupported). Blobs made by hand (helpers/layout-blob.ts),
 * each field checked against its byte offset; test/dump-sid-bpftool.test.ts
 * checks the same blobs against sid's bpftool 7.8.
 */
import { describe, expect, it } from 'vitest';
import { InputError } from '../src/errors.js';
import { decodeBtf, decodeHeader, dumpBpftool, lintBlob, loadBtf } from '../src/index.js';
import { BAD_LAYOUTS, LAYOUT_DUMP, layoutBlob } from './helpers/layout-blob.js';

describe('the 32-byte header with a kind layout section', () => {
  it('reads every field at its offset', () => {
    const bytes = layoutBlob();
    // 28 bytes of types (INT 16, PTR 12), 20 layout entries (80 bytes), strings "\0int\0" (5).
    const { header, byteLength } = decodeHeader(bytes);
    expect(header).toEqual({ magic: 0xeb9f, version: 1, flags: 0, hdrLen: 32, typeOff: 0, typeLen: 28, strOff: 108, strLen: 5, layoutOff: 28, layoutLen: 80 });
    expect(byteLength).toBe(32 + 108 + 5);
    expect(bytes.length).toBe(byteLength);
    expect(dumpBpftool(decodeBtf(bytes))).toBe(LAYOUT_DUMP);
  });

  it('without a layout section (layout_len 0), and with 8 more header bytes, zero or not', () => {
    expect(decodeHeader(layoutBlob({ entries: 0 })).header).toMatchObject({ hdrLen: 32, strOff: 28, layoutOff: 0, layoutLen: 0 });
    expect(dumpBpftool(decodeBtf(layoutBlob({ entries: 0 })))).toBe(LAYOUT_DUMP);
    expect(dumpBpftool(decodeBtf(layoutBlob({ extra: 8 })))).toBe(LAYOUT_DUMP);
    expect(dumpBpftool(decodeBtf(layoutBlob({ extra: 8, tail: 7 })))).toBe(LAYOUT_DUMP);
    // The kernel's verifier (lint) refuses the non-zero byte past its header, not the zero ones.
    const rules = (b: Uint8Array) => lintBlob(b).rejections.map((p) => p.rule);
    expect(rules(layoutBlob({ extra: 8, tail: 7 }))).toContain('header-unsupported');
  });

  it('a 24-byte header has no layout fields', () => {
    const h = loadBtf(layoutBlob({ entries: 0 }).slice(0)).blobs[0].header;
    expect(h.layoutOff).toBe(0);
    const short = decodeHeader(Uint8Array.from([0x9f, 0xeb, 1, 0, 24, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0])).header;
    expect('layoutOff' in short).toBe(false);
  });

  it.each(BAD_LAYOUTS.map((b) => [b.name, b]))('a broken layout section (%s) is an InputError, as libbpf refuses it', (_, b) => {
    // The message names the header field at fault by its offset (InputError.where), the reason says why.
    let err: unknown;
    try {
      decodeBtf(b.blob());
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(InputError);
    expect((err as InputError).oneLine()).toMatch(b.ours);
  });
});
