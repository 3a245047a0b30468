/**
 * The bpftool-format and json dumps through LazyBtf (decodeBtfLazy: the
 * scanned table, each type made when written and dropped), which
 * `btfparity dump` uses:
 *
 * - against the oracle: every committed fixture bpftool reads, over its
 *   base when split and blob by blob for archives, prints bpftool's own
 *   committed dump byte for byte (test/fixtures/btf/*.bpftool.txt);
 * - against the graph decoder on hostile input: for mutants of every fuzz
 *   seed, the lazy path prints the same bytes as loadBtf + writeBpftool
 *   (and the same json document as dumpJson of the graph, itself pinned by
 *   test/dump-json.test.ts), or fails with the same InputError (message
 *   and location). The two share
 *   the scan that checks, so a difference here is a bug in one of them.
 *
 * - the bpftool-format dump makes no object per type: it reads the records'
 *   bytes (record.ts), never LazyBtf.typeAt or typeById, split chains too.
 *
 * Pure: committed fixtures and seeds only.
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { LazyBtf } from '../src/btf/decode.js';
import { writeBpftool, writeBpftoolLazy } from '../src/btf/dump-bpftool.js';
import { dumpJson, writeDumpJson } from '../src/btf/dump-json.js';
import { loadBtf, loadBtfLazy } from '../src/btf/load.js';
import type { Btf } from '../src/btf/types.js';
import { InputError } from '../src/errors.js';
import { fixture, fixtureBytes, fixturePath, readableFixtures, seedBytes, seeds } from './helpers/fixtures.js';

/** The dump as bytes: what the CLI writes. */
function bytesOf(write: (sink: (c: Uint8Array) => void) => void): Buffer {
  const chunks: Buffer[] = [];
  write((c) => chunks.push(Buffer.from(c)));
  return Buffer.concat(chunks);
}

function lazyFixture(file: string): LazyBtf[] {
  const base = fixture(file).base;
  return loadBtfLazy(fixtureBytes(file), { base: base ? lazyFixture(base)[0] : undefined }).blobs;
}

describe('lazy bpftool dump of the fixtures is bpftool’s own output', () => {
  const fixtures = readableFixtures();
  it('covers split BTF, both byte orders and an archive', () => {
    expect(fixtures.some((f) => f.base !== undefined)).toBe(true);
    expect(fixtures.some((f) => f.byteOrder === 'big')).toBe(true);
    expect(fixtures.some((f) => (f.blobs ?? 1) > 1)).toBe(true);
  });

  it.each(fixtures.map((f) => f.file))('%s', (file) => {
    const f = fixture(file);
    const blobs = lazyFixture(file);
    const oracles = f.blobOracles ?? [f.oracle as string];
    expect(blobs.length).toBe(oracles.length);
    for (let i = 0; i < blobs.length; i++) {
      const got = bytesOf((sink) => writeBpftoolLazy(blobs[i], sink));
      expect(got.equals(readFileSync(fixturePath(oracles[i]))), `${file} blob ${i + 1}`).toBe(true);
    }
  });
});

describe('the lazy bpftool dump reads records, not objects', () => {
  it('never makes a type object, over a base or not, and still prints every type', () => {
    // A split blob read as it is (a module with a distilled base is relocated: objects, by design).
    const split = readableFixtures().find((f) => f.base !== undefined && lazyFixture(f.file)[0] instanceof LazyBtf);
    expect(split).toBeDefined();
    const blobs = lazyFixture(split!.file);
    expect(blobs[0].startId).toBeGreaterThan(1);
    const typeAt = vi.spyOn(LazyBtf.prototype, 'typeAt');
    const typeById = vi.spyOn(LazyBtf.prototype, 'typeById');
    try {
      const text = bytesOf((sink) => writeBpftoolLazy(blobs[0], sink)).toString('latin1');
      expect(text.split('\n').filter((l) => l.startsWith('[')).length).toBe(blobs[0].count);
      expect(typeAt).not.toHaveBeenCalled();
      expect(typeById).not.toHaveBeenCalled();
    } finally {
      typeAt.mockRestore();
      typeById.mockRestore();
    }
  });
});

/** What a path made of the input: the dump of each blob, or the error's one line. */
type Outcome = { readonly dumps: readonly string[] } | { readonly error: string };

function outcome(run: () => Buffer[]): Outcome {
  try {
    return { dumps: run().map((b) => b.toString('latin1')) };
  } catch (e) {
    if (e instanceof InputError) return { error: `${e.oneLine()} ${JSON.stringify(e.where)}` };
    throw e;
  }
}

describe('lazy and graph decoders agree on mutated input', () => {
  const all = seeds();
  const cases = all.map((s) => {
    const bytes = seedBytes(s.name);
    const baseBytes = s.base ? seedBytes(s.base) : undefined;
    return { name: s.name, bytes, graphBase: baseBytes && loadBtf(baseBytes).blobs[0], lazyBase: baseBytes && loadBtfLazy(baseBytes).blobs[0] };
  });

  const graph = (bytes: Uint8Array, base: Btf | undefined): Outcome =>
    outcome(() => loadBtf(bytes, { base }).blobs.flatMap((b) => [bytesOf((sink) => writeBpftool(b, sink)), Buffer.from(dumpJson(b), 'utf8')]));
  const lazy = (bytes: Uint8Array, base: LazyBtf | undefined): Outcome =>
    outcome(() =>
      loadBtfLazy(bytes, { base }).blobs.flatMap((b) => [
        bytesOf((sink) => writeBpftoolLazy(b, sink)),
        bytesOf((sink) => writeDumpJson(b, undefined, (text) => sink(Buffer.from(text, 'utf8')))),
      ]),
    );

  it.each(cases.map((c) => c.name))('%s: the seed itself, then its mutants', (name) => {
    const c = cases.find((x) => x.name === name)!;
    expect(lazy(c.bytes, c.lazyBase)).toEqual(graph(c.bytes, c.graphBase));
    const outcomes = { dumps: 0, errors: 0 };
    fc.assert(
      fc.property(fc.array(fc.record({ at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }), { minLength: 1, maxLength: 3 }), fc.nat(), (writes, cut) => {
        const b = new Uint8Array(c.bytes);
        for (const w of writes) b[w.at % b.length] = w.value;
        // Every fourth mutant is also truncated (the type section's extent checks).
        const m = cut % 4 === 0 ? b.subarray(0, cut % b.length) : b;
        const want = graph(m, c.graphBase);
        if ('error' in want) outcomes.errors++;
        else outcomes.dumps++;
        expect(lazy(m, c.lazyBase)).toEqual(want);
      }),
      { numRuns: 300, seed: 0x1a2b + all.indexOf(all.find((s) => s.name === name)!) },
    );
    // Not vacuous: both the printing and the rejecting paths ran.
    expect(outcomes.dumps).toBeGreaterThan(10);
    expect(outcomes.errors).toBeGreaterThan(10);
  });
});
