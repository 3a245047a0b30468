/**
 * The verdict on a linked `.BTF` section (src/findings/linker-btf.ts), on
 * committed fixture blobs: the inputs' bytes in link order are a
 * concatenation; one blob that is not is a linker's own BTF; the inputs in
 * another order are neither. The real linkers' behaviour is pinned in
 * test/binary-linker.test.ts.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConcatenationCheck, linkerBtfText } from '../src/findings/linker-btf.js';

const BTF = join(import.meta.dirname, 'fixtures', 'btf');
const a = new Uint8Array(readFileSync(join(BTF, '02-char-signedness.pahole.btf')));
const b = new Uint8Array(readFileSync(join(BTF, '05-floats.pahole.btf')));

function verdict(linked: Uint8Array, inputs: readonly Uint8Array[], blobs: number) {
  const check = new ConcatenationCheck(linked);
  for (const i of inputs) check.add(i);
  return check.verdict(blobs);
}

const concat = (...xs: Uint8Array[]): Uint8Array => new Uint8Array(Buffer.concat(xs));

describe('ConcatenationCheck', () => {
  it('the inputs back to back, in order, are a concatenation', () => {
    expect(verdict(concat(a, b), [a, b], 2)).toEqual({ kind: 'concatenation', blobs: 2 });
    expect(linkerBtfText({ kind: 'concatenation', blobs: 2 })).toBe('linker concatenates .BTF (2 blobs)');
  });

  it('an input without .BTF adds nothing, as the linker adds nothing for it', () => {
    expect(verdict(concat(a, b), [a, new Uint8Array(0), b], 2)).toEqual({ kind: 'concatenation', blobs: 2 });
  });

  it("one blob that is not the inputs' bytes is the linker's own BTF", () => {
    // b alone stands for a deduplicated result: one blob, shorter than a + b.
    expect(verdict(b, [a, b], 1)).toEqual({ kind: 'single-blob' });
  });

  it('the inputs in another order, or with bytes left over, are rearranged', () => {
    expect(verdict(concat(b, a), [a, b], 2)).toEqual({ kind: 'rearranged', blobs: 2 });
    expect(verdict(concat(a, b, a), [a, b], 3)).toEqual({ kind: 'rearranged', blobs: 3 });
  });
});
