/**
 * scanComparison reads a stored comparison's text without JSON.parse
 * (issue 13). The oracle is what it replaces: JSON.parse, then
 * checkCachedComparison, then countFindings. On every text it serves, those
 * must accept the text, its slices must parse to the parsed members, and its
 * counts must be countFindings' (keys in the same order); on texts it does
 * not read with certainty it gives undefined, and the caller parses. Random
 * comparisons, and random damage to their texts, check both ways.
 */
import { describe, expect, it } from 'vitest';
import { scanComparison } from '../src/pipeline/comparison-text.js';
import { checkCachedComparison } from '../src/pipeline/unit-cache.js';
import { countFindings, type FindingCounts } from '../src/report/render.js';

const utf8 = (s: string) => Buffer.from(s, 'utf8');
const plainCounts = (c: FindingCounts) => ({
  findings: c.findings,
  byStatus: [...c.byStatus],
  byCategory: [...c.byCategory],
  normalisations: [...c.normalisations],
});

/** A deterministic generator (xorshift32), so a failure reproduces. */
function rng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
}

const NAMES = ['struct s', 'union \u00fc', 'enum "q"', 'func\\x', 'struct \udcff', 'tab\there', '', 'a/b', 'nl\nx', '\u2028'];
const STATUSES = ['unexplained', 'known', 'equivalent'];
const CATEGORIES = ['size', 'only-left', 'only-right', 'encoding', 'array'];

function randomValue(r: () => number, depth: number): unknown {
  const k = Math.floor(r() * (depth > 2 ? 5 : 7));
  switch (k) {
    case 0:
      return NAMES[Math.floor(r() * NAMES.length)];
    case 1:
      return [0, -1, 1.5, -2.5e-7, 1e21, 123456789][Math.floor(r() * 6)];
    case 2:
      return [true, false, null][Math.floor(r() * 3)];
    case 3:
      return Math.floor(r() * 1000);
    case 4:
      return '';
    case 5:
      return Array.from({ length: Math.floor(r() * 3) }, () => randomValue(r, depth + 1));
    default:
      return Object.fromEntries(Array.from({ length: Math.floor(r() * 3) }, (_, i) => [`k${i}`, randomValue(r, depth + 1)]));
  }
}

function randomComparison(r: () => number): { findings: Record<string, unknown>[]; types?: unknown } {
  const findings = Array.from({ length: Math.floor(r() * 6) }, () => {
    const f: Record<string, unknown> = {
      entity: NAMES[Math.floor(r() * NAMES.length)],
      path: NAMES[Math.floor(r() * NAMES.length)],
      category: CATEGORIES[Math.floor(r() * CATEGORIES.length)],
      left: randomValue(r, 0),
      status: STATUSES[Math.floor(r() * STATUSES.length)],
    };
    if (r() < 0.4) f.normalisation = ['array-index-type', 'flattened-array', ''][Math.floor(r() * 3)];
    if (r() < 0.3) f.chain = [randomValue(r, 1)];
    return f;
  });
  const texts = () =>
    Object.fromEntries(
      Array.from({ length: Math.floor(r() * 3) }, () => [NAMES[Math.floor(r() * NAMES.length)], `[1] ${NAMES[Math.floor(r() * NAMES.length)]}`]),
    );
  return findings.length > 0 || r() < 0.5 ? { findings, types: { left: texts(), right: texts() } } : { findings };
}

/** What scanComparison must agree with: parse, check, count. */
function oracle(text: Buffer): { findings: unknown[]; types?: unknown; counts: FindingCounts } | undefined {
  let value: { findings: never[]; types?: unknown };
  try {
    value = JSON.parse(text.toString('utf8'));
  } catch {
    return undefined;
  }
  if (checkCachedComparison(value) !== undefined) return undefined;
  return { findings: value.findings, types: value.types, counts: countFindings(value.findings) };
}

/** Every served text is one the oracle accepts, with the same parts and counts. */
function agrees(text: Buffer): 'served' | 'left to the parse' {
  const got = scanComparison(text);
  if (got === undefined) return 'left to the parse';
  const want = oracle(text);
  expect(want, text.toString('utf8')).toBeDefined();
  expect(JSON.parse(got.findings.toString('utf8'))).toEqual(want?.findings);
  expect(got.types === undefined ? undefined : JSON.parse(got.types.toString('utf8'))).toEqual(want?.types);
  expect(plainCounts(got.counts)).toEqual(plainCounts(want!.counts));
  return 'served';
}

describe('scanComparison', () => {
  it('serves what JSON.stringify writes of random comparisons, with the parts and counts of the parse', () => {
    const r = rng(13);
    for (let i = 0; i < 400; i++) expect(agrees(utf8(JSON.stringify(randomComparison(r))))).toBe('served');
  });

  it('never serves a damaged text the parse would refuse, nor with other parts or counts (random damage)', () => {
    const r = rng(7);
    const seen = { served: 0, 'left to the parse': 0 };
    const alphabet = utf8('{}[]":,\\ u0123456789-+.eEtfn"\t\nab');
    for (let i = 0; i < 3000; i++) {
      const text = utf8(JSON.stringify(randomComparison(r)));
      const bytes = Array.from(text);
      const edits = 1 + Math.floor(r() * 3);
      for (let e = 0; e < edits; e++) {
        const at = Math.floor(r() * (bytes.length + 1));
        const c = alphabet[Math.floor(r() * alphabet.length)];
        const op = r();
        if (op < 0.4) bytes[at] = c;
        else if (op < 0.7) bytes.splice(at, 1);
        else bytes.splice(at, 0, c);
      }
      seen[agrees(Buffer.from(bytes))]++;
    }
    // Both ways are exercised: some damage leaves valid JSON of the same shape (a changed letter in a name).
    expect(seen.served).toBeGreaterThan(100);
    expect(seen['left to the parse']).toBeGreaterThan(1000);
  });

  it.each([
    ['whitespace between tokens', '{"findings": []}'],
    ['a duplicate top-level key', '{"findings":[],"findings":[]}'],
    ['an escaped top-level key', '{"\\u0066indings":[]}'],
    ['an escaped key in a finding', '{"findings":[{"entity":"e","st\\u0061tus":"known","category":"size"}],"types":{"left":{},"right":{}}}'],
    ['types null', '{"findings":[],"types":null}'],
    ['types as arrays of text', '{"findings":[],"types":{"left":["a"],"right":[]}}'],
    ['a finding without a category', '{"findings":[{"entity":"e","status":"known"}],"types":{"left":{},"right":{}}}'],
    ['a non-string entity', '{"findings":[{"entity":1,"status":"known","category":"size"}],"types":{"left":{},"right":{}}}'],
    ['a finding without an entity', '{"findings":[{"status":"known","category":"size"}],"types":{"left":{},"right":{}}}'],
    ['a non-string status', '{"findings":[{"entity":"e","status":1,"category":"size"}],"types":{"left":{},"right":{}}}'],
    ['findings without types', '{"findings":[{"entity":"e","status":"known","category":"size"}]}'],
    ['a number with a leading zero', '{"findings":[],"n":01}'],
    ['a number ending in a point', '{"findings":[],"n":1.}'],
    ['a raw control character in a string', '{"findings":[],"s":"a\u0001"}'],
    ['a bad escape', '{"findings":[],"s":"\\x"}'],
    ['a cut text', '{"findings":[],"types":{"left":{},"right":{}}'],
    ['text after the object', '{"findings":[]}x'],
  ])('leaves %s to the parse', (_, text) => {
    expect(scanComparison(utf8(text))).toBeUndefined();
  });

  it('reads escapes in values and keeps the last of duplicate finding fields, as JSON.parse does', () => {
    const text = utf8(
      '{"findings":[{"entity":"e\\"","status":"unknown","status":"kn\\u006fwn","category":"si\\/ze","normalisation":"","n":-0.5e+3,"x":[true,false,null,{}]}],"types":{"left":{"a":"\\ud800"},"right":{}}}',
    );
    expect(agrees(text)).toBe('served');
    expect(plainCounts(scanComparison(text)!.counts)).toEqual({ findings: 1, byStatus: [['known', 1]], byCategory: [['si/ze', 1]], normalisations: [] });
  });
});
