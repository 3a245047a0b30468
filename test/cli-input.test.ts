/**
 * readEachOnce (src/cli/input.ts): `diff` looks at each input three times
 * (the verifier's blob, the decoder, the ELF type) and reads it once. A
 * read that fails is not remembered, so each reader meets the loader's own
 * one-line error.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readEachOnce } from '../src/cli/input.js';
import { InputError } from '../src/errors.js';

const dir = mkdtempSync(join(tmpdir(), 'cli-input-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('readEachOnce', () => {
  it('reads a file once and hands every later reader the same bytes', () => {
    const file = join(dir, 'a.btf');
    writeFileSync(file, Buffer.from([0x9f, 0xeb, 1, 0]));
    const read = readEachOnce();
    const first = read(file);
    writeFileSync(file, Buffer.from([0, 0])); // a second read would see this
    expect(read(file)).toBe(first);
    expect([...first]).toEqual([0x9f, 0xeb, 1, 0]);
    expect([...readEachOnce()(file)]).toEqual([0, 0]); // another memo reads the file as it is now
  });

  it('does not remember a failed read: each reader gets the error', () => {
    const read = readEachOnce();
    for (let i = 0; i < 2; i++) expect(() => read(dir)).toThrow(InputError);
    const missing = join(dir, 'later.btf');
    expect(() => read(missing)).toThrow(InputError);
    writeFileSync(missing, Buffer.from([1]));
    expect([...read(missing)]).toEqual([1]);
  });
});
