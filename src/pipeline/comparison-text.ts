/**
 * A stored comparison's text (cache/store.ts putComparison writes
 * JSON.stringify of a Comparison), checked and read without JSON.parse
 * (issue 13). A warm run serves every unit from such a text: parsing all of
 * them (26 MB for the 71-unit kernel subset) was the largest part of the
 * run's CPU, and the unit spill then wrote the findings and type dumps out
 * as text again. Here one pass over the bytes checks that the text is JSON
 * of the shape checkCachedComparison accepts, finds where the findings and
 * the type dumps lie, and counts the findings as countFindings would, so
 * the run can spill the texts as they are and parse them only when a report
 * reads them.
 *
 * Exactness: the pass says "served" only for texts on which JSON.parse and
 * checkCachedComparison would agree, and gives the same counts. Anything it
 * does not read with certainty (whitespace between tokens, which a spill
 * line cannot hold; a duplicate top-level key; an escaped key; a field of
 * an unexpected type) gives undefined, and the caller parses and checks the
 * text as before, which decides. So the pass never serves an entry that
 * the parse would call damaged.
 */
import { type FindingCounts, FindingTally } from '../report/render.js';
import type { Category, Normalisation, Status } from '../findings/finding.js';

/** A stored comparison as read: where its parts lie in the text, and its findings' counts. */
export interface ScannedComparison {
  /** The findings array's JSON text (JSON.parse of it is the comparison's findings). */
  readonly findings: Buffer;
  /** The type dumps' JSON text, when the comparison has them. */
  readonly types?: Buffer;
  readonly counts: FindingCounts;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COLON = 0x3a;
const COMMA = 0x2c;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const MINUS = 0x2d;
const PLUS = 0x2b;
const DOT = 0x2e;
const DIGIT_0 = 0x30;
const DIGIT_9 = 0x39;

/** Deeper nesting than a comparison has: left to JSON.parse, which decides. */
const MAX_DEPTH = 256;

const isDigit = (b: number): boolean => b >= DIGIT_0 && b <= DIGIT_9;
const isHex = (b: number): boolean => isDigit(b) || (b >= 0x61 && b <= 0x66) || (b >= 0x41 && b <= 0x46);
/** The characters a JSON string may have after a backslash, other than `u`. */
const SIMPLE_ESCAPES = new Set([QUOTE, BACKSLASH, 0x2f, 0x62, 0x66, 0x6e, 0x72, 0x74]);
const LITERALS = [Buffer.from('true'), Buffer.from('false'), Buffer.from('null')];

/** Per byte, what it is inside a JSON string: 0 a plain character, 1 the closing quote, 2 a backslash, 3 a raw control character (invalid). */
const IN_STRING = (() => {
  const c = new Uint8Array(256);
  c.fill(3, 0, 0x20);
  c[QUOTE] = 1;
  c[BACKSLASH] = 2;
  return c;
})();

/** The index just past the JSON string starting at `at`, or -1 when it is not one. */
function stringEnd(t: Buffer, at: number): number {
  if (t[at] !== QUOTE) return -1;
  const n = t.length;
  for (let j = at + 1; j < n; ) {
    const k = IN_STRING[t[j]];
    if (k === 0) {
      j++;
      continue;
    }
    if (k === 1) return j + 1;
    if (k === 3) return -1;
    const e = t[j + 1];
    if (SIMPLE_ESCAPES.has(e)) j += 2;
    else if (e === 0x75 && isHex(t[j + 2]) && isHex(t[j + 3]) && isHex(t[j + 4]) && isHex(t[j + 5])) j += 6;
    else return -1;
  }
  return -1;
}

/** The index just past the run of digits at `at` (at itself when there is none). */
function digitsEnd(t: Buffer, at: number): number {
  let i = at;
  while (i < t.length && isDigit(t[i])) i++;
  return i;
}

/** The index just past the JSON number at `at`, or -1: `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`. */
function numberEnd(t: Buffer, at: number): number {
  let i = t[at] === MINUS ? at + 1 : at;
  if (t[i] === DIGIT_0) i++;
  else if (isDigit(t[i])) i = digitsEnd(t, i);
  else return -1;
  if (t[i] === DOT) {
    const j = digitsEnd(t, i + 1);
    if (j === i + 1) return -1;
    i = j;
  }
  if (t[i] === 0x65 || t[i] === 0x45) {
    const from = t[i + 1] === PLUS || t[i + 1] === MINUS ? i + 2 : i + 1;
    const j = digitsEnd(t, from);
    if (j === from) return -1;
    i = j;
  }
  return i;
}

/** The index just past the compact JSON value at `at` (no whitespace anywhere outside strings), or -1. */
function valueEnd(t: Buffer, at: number, depth: number): number {
  const b = t[at];
  if (b === QUOTE) return stringEnd(t, at);
  if (b === OPEN_ARRAY || b === OPEN_OBJECT) {
    if (depth >= MAX_DEPTH) return -1;
    const close = b === OPEN_ARRAY ? CLOSE_ARRAY : CLOSE_OBJECT;
    let i = at + 1;
    if (t[i] === close) return i + 1;
    for (;;) {
      if (b === OPEN_OBJECT) {
        i = stringEnd(t, i);
        if (i < 0 || t[i] !== COLON) return -1;
        i++;
      }
      i = valueEnd(t, i, depth + 1);
      if (i < 0) return -1;
      if (t[i] === close) return i + 1;
      if (t[i] !== COMMA) return -1;
      i++;
    }
  }
  if (b === MINUS || isDigit(b)) return numberEnd(t, at);
  for (const lit of LITERALS) if (t[at] === lit[0] && lit.every((c, k) => t[at + k] === c)) return at + lit.length;
  return -1;
}

/** A key as its quoted bytes (`"status"`), to compare with a member's key text. */
const quotedKey = (k: string): Buffer => Buffer.from(JSON.stringify(k), 'utf8');

/** Which of the fields countFindings and checkCachedComparison read a finding's key is, by its quoted bytes; -1 for any other. */
const FINDING_KEYS = ['entity', 'status', 'category', 'normalisation'].map(quotedKey);
const ENTITY = 0;
const STATUS = 1;
const CATEGORY = 2;
const NORMALISATION = 3;

/** The FINDING_KEYS index of the key text t[from, to), -1 for another key, -2 for an escaped one (which could be any). */
function findingKey(t: Buffer, from: number, to: number): number {
  for (let k = from + 1; k < to - 1; k++) if (t[k] === BACKSLASH) return -2;
  for (let f = 0; f < FINDING_KEYS.length; f++) {
    const key = FINDING_KEYS[f];
    if (to - from !== key.length) continue;
    let same = true;
    for (let k = 1; k < key.length - 1 && same; k++) same = t[from + k] === key[k];
    if (same) return f;
  }
  return -1;
}

/**
 * Decoded string values, by their bytes: a kernel run's 29k findings have
 * a handful of statuses and categories, each decoded once.
 */
class Words {
  private readonly known = new Map<string, string>();
  /** JSON.parse of the string text t[from, to) (quotes included). */
  of(t: Buffer, from: number, to: number): string {
    const raw = t.toString('latin1', from, to);
    let w = this.known.get(raw);
    if (w === undefined) {
      w = JSON.parse(t.toString('utf8', from, to)) as string;
      this.known.set(raw, w);
    }
    return w;
  }
}

/** countFindings' counts of the findings array at `at`, each finding checked as checkCachedComparison does; undefined when not read with certainty. */
function countedFindings(t: Buffer, at: number): { counts: FindingCounts; end: number } | undefined {
  if (t[at] !== OPEN_ARRAY) return undefined;
  const tally = new FindingTally();
  const words = new Words();
  // Where the last value of each FINDING_KEYS field of the finding being read starts and ends (JSON.parse keeps the last).
  const from = new Int32Array(FINDING_KEYS.length);
  const to = new Int32Array(FINDING_KEYS.length);
  let i = at + 1;
  if (t[i] === CLOSE_ARRAY) return { counts: tally.counts(), end: i + 1 };
  for (;;) {
    if (t[i] !== OPEN_OBJECT) return undefined;
    from.fill(-1);
    i++;
    if (t[i] !== CLOSE_OBJECT) {
      for (;;) {
        const keyEnd = stringEnd(t, i);
        if (keyEnd < 0 || t[keyEnd] !== COLON) return undefined;
        const f = findingKey(t, i, keyEnd);
        if (f === -2) return undefined;
        const end = valueEnd(t, keyEnd + 1, 3);
        if (end < 0) return undefined;
        if (f >= 0) {
          from[f] = keyEnd + 1;
          to[f] = end;
        }
        i = end;
        if (t[i] === CLOSE_OBJECT) break;
        if (t[i] !== COMMA) return undefined;
        i++;
      }
    }
    i++;
    // entity, status and category must be strings; a normalisation a string when there is one.
    for (const f of [ENTITY, STATUS, CATEGORY]) if (from[f] < 0 || t[from[f]] !== QUOTE) return undefined;
    if (from[NORMALISATION] >= 0 && t[from[NORMALISATION]] !== QUOTE) return undefined;
    const norm = from[NORMALISATION] >= 0 ? words.of(t, from[NORMALISATION], to[NORMALISATION]) : undefined;
    tally.add(words.of(t, from[STATUS], to[STATUS]) as Status, words.of(t, from[CATEGORY], to[CATEGORY]) as Category, norm as Normalisation | undefined);
    if (t[i] === CLOSE_ARRAY) return { counts: tally.counts(), end: i + 1 };
    if (t[i] !== COMMA) return undefined;
    i++;
  }
}

/** The index past the object at `at` when it holds only string values (checkCachedComparison's "text by entity"), else -1. */
function textsEnd(t: Buffer, at: number): number {
  if (t[at] !== OPEN_OBJECT) return -1;
  let i = at + 1;
  if (t[i] === CLOSE_OBJECT) return i + 1;
  for (;;) {
    const keyEnd = stringEnd(t, i);
    if (keyEnd < 0 || t[keyEnd] !== COLON) return -1;
    const end = stringEnd(t, keyEnd + 1);
    if (end < 0) return -1;
    if (t[end] === CLOSE_OBJECT) return end + 1;
    if (t[end] !== COMMA) return -1;
    i = end + 1;
  }
}

/**
 * The members of the object at `at`, each value read by `read` (given the
 * member's key, it returns the index past the value or -1); undefined when
 * the object is not compact JSON, or has an escaped or a duplicate key.
 */
function eachMember(t: Buffer, at: number, read: (key: string, from: number) => number): number | undefined {
  if (t[at] !== OPEN_OBJECT) return undefined;
  const keys = new Set<string>();
  let i = at + 1;
  if (t[i] === CLOSE_OBJECT) return i + 1;
  for (;;) {
    const keyEnd = stringEnd(t, i);
    if (keyEnd < 0 || t[keyEnd] !== COLON) return undefined;
    const key = t.toString('latin1', i + 1, keyEnd - 1);
    if (key.includes('\\') || keys.has(key)) return undefined;
    keys.add(key);
    const end = read(key, keyEnd + 1);
    if (end < 0) return undefined;
    if (t[end] === CLOSE_OBJECT) return end + 1;
    if (t[end] !== COMMA) return undefined;
    i = end + 1;
  }
}

/**
 * A stored comparison's parts and counts, read from its text; undefined
 * when the text is not one this pass reads with certainty (then JSON.parse
 * and checkCachedComparison decide, see the module comment).
 */
export function scanComparison(body: Buffer): ScannedComparison | undefined {
  let findings: { counts: FindingCounts; from: number; to: number } | undefined;
  let types: { from: number; to: number; sides: number } | undefined;
  // One pass: each part is checked as it is read (duplicate keys are left to the parse, so each is met once).
  const end = eachMember(body, 0, (key, from) => {
    if (key === 'findings') {
      const got = countedFindings(body, from);
      if (got !== undefined) findings = { counts: got.counts, from, to: got.end };
      return got === undefined ? -1 : got.end;
    }
    if (key !== 'types') return valueEnd(body, from, 1);
    let sides = 0;
    const to = eachMember(body, from, (side, at) => {
      if (side !== 'left' && side !== 'right') return valueEnd(body, at, 2);
      sides++;
      return textsEnd(body, at);
    });
    if (to === undefined) return -1;
    types = { from, to, sides };
    return to;
  });
  if (end !== body.length || findings === undefined) return undefined;
  const found = { findings: body.subarray(findings.from, findings.to), counts: findings.counts };
  if (types === undefined) return findings.counts.findings === 0 ? found : undefined;
  return types.sides === 2 ? { ...found, types: body.subarray(types.from, types.to) } : undefined;
}
