/**
 * ByteSink.name copies a name's code units while they are ASCII and, at
 * the first that is not, writes the whole name through the encoder
 * instead; the partial copy must leave no trace, also when the encoder's
 * bytes do not fit the chunk and it is flushed in between. The oracle is
 * the encoders themselves: Node's UTF-8 for 'utf8', and decodeName's
 * inverse (encodeName) for 'original', which must give back the bytes a
 * name was decoded from.
 */
import { describe, expect, it } from 'vitest';
import { decodeName, encodeName } from '../src/artifact/name-bytes.js';
import { ByteSink, type NameEncoding } from '../src/btf/byte-sink.js';

/** What `names` written in turn (with a `|` byte after each) give through a sink of `chunk` bytes. */
function written(names: readonly string[], encoding: NameEncoding, chunk: number): Buffer {
  const out: Buffer[] = [];
  const sink = new ByteSink((c) => out.push(Buffer.from(c)), chunk);
  for (const n of names) {
    sink.name(n, encoding);
    sink.byte(0x7c);
  }
  sink.flush();
  return Buffer.concat(out);
}

const expected = (names: readonly string[], encode: (s: string) => Uint8Array): Buffer =>
  Buffer.concat(names.flatMap((n) => [Buffer.from(encode(n)), Buffer.from('|')]));

// Non-ASCII at the start, in the middle, at the end; a name decoded from bytes that are not UTF-8 (U+DC80 + byte).
const NAMES = ['plain', 'abcé', 'é', 'abcdefgh\u00e9ij', 'x\u{1f600}y', decodeName(Uint8Array.from([0x61, 0x62, 0xff, 0x63])), '', 'tail'];

describe('ByteSink.name', () => {
  for (const chunk of [1, 2, 3, 5, 8, 64]) {
    it(`writes UTF-8 and the original bytes, no partial ASCII copy left behind (chunk ${chunk})`, () => {
      expect(written(NAMES, 'utf8', chunk)).toEqual(expected(NAMES, (s) => Buffer.from(s, 'utf8')));
      expect(written(NAMES, 'original', chunk)).toEqual(expected(NAMES, encodeName));
    });
  }

  it('gives back the bytes a non-UTF-8 name was decoded from', () => {
    const raw = Uint8Array.from([0x61, 0x62, 0xff, 0x63]);
    expect(written([decodeName(raw)], 'original', 64)).toEqual(Buffer.from([0x61, 0x62, 0xff, 0x63, 0x7c]));
  });
});
