import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { unitCacheKey, type UnitCacheFacts } from '../src/cache/key.js';
import { ArtifactCache, defaultCacheDir } from '../src/cache/store.js';

const facts: UnitCacheFacts = {
  preprocessed: ['aa'],
  steps: [
    ['gcc', '-g', '-gbtf', '-c', 'x.c', '-o', '$TMP/unit.o'],
    ['pahole', '--btf_encode_detached=$TMP/left.btf', '$TMP/unit.o'],
  ],
  tools: [
    { role: 'pahole', path: '/usr/bin/pahole', sha256: 'p1' },
    { role: 'cc', path: '/usr/bin/gcc-12', sha256: 'c1' },
  ],
};

describe('unit cache key', () => {
  test('is stable and independent of tool order', () => {
    const k = unitCacheKey(facts);
    expect(k).toMatch(/^[0-9a-f]{64}$/);
    expect(unitCacheKey({ ...facts, tools: [...facts.tools].reverse() })).toBe(k);
  });

  // Each fact the issue names must change the key on its own.
  test.each([
    ['a header changed the preprocessed source', { ...facts, preprocessed: ['ab'] }],
    ['a flag changed', { ...facts, steps: [[...facts.steps[0], '-O2'], facts.steps[1]] }],
    ['an encoder flag changed', { ...facts, steps: [facts.steps[0], ['pahole', '--btf_gen_floats', ...facts.steps[1].slice(1)]] }],
    ['a wrapper script resolved instead', { ...facts, tools: [{ ...facts.tools[0], path: '/tmp/wrap/pahole' }, facts.tools[1]] }],
    ['pahole rebuilt with the same version', { ...facts, tools: [{ ...facts.tools[0], sha256: 'p2' }, facts.tools[1]] }],
  ])('changes when %s', (_why, changed) => {
    expect(unitCacheKey(changed as UnitCacheFacts)).not.toBe(unitCacheKey(facts));
  });
});

describe('artifact cache store', () => {
  const dir = mkdtempSync(join(tmpdir(), 'btfparity-cache-test-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('round-trips bytes and meta, counting hits and misses', () => {
    const cache = new ArtifactCache(dir);
    expect(cache.get('00ff')).toBeUndefined();
    cache.put('00ff', { left: new Uint8Array([1, 2]), right: new Uint8Array([3]), meta: { symbols: ['a'] } });
    const got = cache.get('00ff');
    expect(got && [...got.left]).toEqual([1, 2]);
    expect(got && [...got.right]).toEqual([3]);
    expect(got?.meta).toEqual({ symbols: ['a'] });
    expect([cache.hits, cache.misses]).toEqual([1, 1]);
  });

  // A key is a digest of everything that makes the entry, so a second put
  // of it is a concurrent run that computed the same thing: the first entry
  // stays, because a reader may be between its files (test/cache-race).
  test('a second put of the same key keeps the first, complete entry', () => {
    const cache = new ArtifactCache(dir);
    cache.put('1234', { left: new Uint8Array([1]), right: new Uint8Array([1]), meta: 1 });
    cache.put('1234', { left: new Uint8Array([9]), right: new Uint8Array([9]), meta: 2 });
    expect(cache.get('1234')?.meta).toBe(1);
    expect(readdirSync(join(dir, 'units', '12'))).toEqual(['1234']);
  });

  test('a damaged entry is a miss, not an error', () => {
    const cache = new ArtifactCache(dir);
    cache.put('abcd', { left: new Uint8Array([1]), right: new Uint8Array([1]), meta: 1 });
    writeFileSync(join(dir, 'units', 'ab', 'abcd', 'meta.json'), '{not json');
    expect(cache.get('abcd')).toBeUndefined();
  });

  test('default dir honours BTFPARITY_CACHE_DIR, then XDG_CACHE_HOME', () => {
    expect(defaultCacheDir({ BTFPARITY_CACHE_DIR: '/x' })).toBe('/x');
    expect(defaultCacheDir({ XDG_CACHE_HOME: '/y' })).toBe('/y/btfparity');
  });
});

describe('tool digests', () => {
  test("are kept in the cache directory by the file's stamp, and a changed file is digested again", async () => {
    const { digestFile, ToolDigestBook } = await import('../src/cache/tool-digest.js');
    const { sha256 } = await import('../src/cache/key.js');
    const { readdirSync, readFileSync: read } = await import('node:fs');
    const d = mkdtempSync(join(tmpdir(), 'btfparity-digest-book-'));
    const book = new ToolDigestBook(join(d, 'cache'));
    const entries = () =>
      readdirSync(join(d, 'cache', 'tool-digests'), { recursive: true, withFileTypes: true })
        .filter((e) => e.isFile())
        .map((e) => read(join(e.parentPath, e.name), 'latin1'));
    try {
      const tool = join(d, 'cc1');
      writeFileSync(tool, 'first bytes');
      // Just written (mtime and ctime within RECENT_NS): digested, but remembered nowhere.
      expect(digestFile(tool, book)).toBe(sha256('first bytes'));
      expect(() => entries()).toThrow(); // no tool-digests/ yet
      await new Promise((r) => setTimeout(r, 150));
      expect(digestFile(tool, book)).toBe(sha256('first bytes'));
      expect(entries()).toEqual([sha256('first bytes')]);
      // Rewritten with the same size: a new ctime, so a new stamp and a new digest (the old entry stays, unused).
      writeFileSync(tool, 'other bytes');
      await new Promise((r) => setTimeout(r, 150));
      expect(digestFile(tool, book)).toBe(sha256('other bytes'));
      expect(entries().sort()).toEqual([sha256('first bytes'), sha256('other bytes')].sort());
    } finally {
      rmSync(d, { recursive: true, force: true });
    }
  });

  test('a malformed book entry is a miss', async () => {
    const { ToolDigestBook } = await import('../src/cache/tool-digest.js');
    const d = mkdtempSync(join(tmpdir(), 'btfparity-digest-book-'));
    try {
      const book = new ToolDigestBook(d);
      book.put('stamp', 'a'.repeat(64));
      expect(book.get('stamp')).toBe('a'.repeat(64));
      book.put('stamp', 'not a digest');
      expect(book.get('stamp')).toBeUndefined();
      expect(book.get('another stamp')).toBeUndefined();
    } finally {
      rmSync(d, { recursive: true, force: true });
    }
  });

  test('follow content, not names: a wrapper with other bytes differs, a rewrite with new bytes differs', async () => {
    const { digestTool } = await import('../src/cache/tool-digest.js');
    const { chmodSync, utimesSync } = await import('node:fs');
    const d = mkdtempSync(join(tmpdir(), 'btfparity-digest-'));
    try {
      const tool = join(d, 'pahole');
      writeFileSync(tool, '#!/bin/sh\nexec /usr/bin/pahole "$@"\n');
      chmodSync(tool, 0o755);
      const first = digestTool('pahole', tool);
      expect(first.path).toBe(tool);
      // Same version string, different bytes (a rebuilt tool): a different digest.
      writeFileSync(tool, '#!/bin/sh\nexec /usr/bin/pahole --btf_gen_floats "$@"\n');
      utimesSync(tool, new Date(), new Date(Date.now() + 5000));
      expect(digestTool('pahole', tool).sha256).not.toBe(first.sha256);
    } finally {
      rmSync(d, { recursive: true, force: true });
    }
  });
});
