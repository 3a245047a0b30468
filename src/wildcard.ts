/**
 * The one wildcard matcher behind both pattern languages: `--select` path
 * globs (source/path-glob.ts) and the text patterns of rules files
 * (findings/text-pattern.ts). Each language parses its text into pieces;
 * this compiles pieces into a small automaton and runs it over the text
 * without backtracking (the set of states is followed in step), so a
 * pattern of any number of `*` costs at most 2 × text length × states: no RegExp, no exponential case
 * (issue 14: 24 `*` and a letter took minutes as a RegExp).
 *
 * Characters are UTF-16 code units, as a JavaScript string indexes them.
 * Imports only src/lang.ts; usable from every folder. Pure.
 */
import { assertNever } from './lang.js';

/** The code units one position of a pattern accepts. */
export type CharSet =
  | { readonly kind: 'any' }
  /** Code units in one of the inclusive ranges; all others when `negated`. */
  | { readonly kind: 'class'; readonly negated: boolean; readonly ranges: readonly (readonly [number, number])[] };

/** What a pattern is made of, in order. */
export type Piece =
  /** Exactly one code unit of the set. */
  | { readonly kind: 'one'; readonly set: CharSet }
  /** Any run of code units of the set, the empty run included. */
  | { readonly kind: 'star'; readonly set: CharSet }
  /** Nothing, or any run that ends with `end` (a path glob's `**\/`: zero or more whole segments). */
  | { readonly kind: 'upto'; readonly end: number };

export const ANY: CharSet = { kind: 'any' };

/** The set of one code unit. */
export function charSet(code: number): CharSet {
  return { kind: 'class', negated: false, ranges: [[code, code]] };
}

/** Every code unit but one. */
export function allBut(code: number): CharSet {
  return { kind: 'class', negated: true, ranges: [[code, code]] };
}

function contains(set: CharSet, c: number): boolean {
  if (set.kind === 'any') return true;
  const ranges = set.ranges;
  for (let i = 0; i < ranges.length; i++) if (c >= ranges[i][0] && c <= ranges[i][1]) return !set.negated;
  return set.negated;
}

function sameSet(a: CharSet, b: CharSet): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * Runs of `*` collapsed: adjacent stars of one set are one star, a star of
 * any character swallows the stars and `upto`s beside it (`.*` then
 * `[^/]*` is `.*`), and repeated `upto`s are one. The language is the same;
 * the automaton gets smaller.
 */
export function collapseStars(pieces: readonly Piece[]): Piece[] {
  const out: Piece[] = [];
  for (const p of pieces) {
    const last = out[out.length - 1];
    if (last !== undefined && absorbs(last, p)) continue;
    if (last !== undefined && absorbs(p, last)) out[out.length - 1] = p;
    else out.push(p);
  }
  return out;
}

/** `a` followed by `b` matches what `a` alone matches. */
function absorbs(a: Piece, b: Piece): boolean {
  if (a.kind === 'one' || b.kind === 'one') return false;
  if (a.kind === 'star' && a.set.kind === 'any') return true;
  if (a.kind === 'star' && b.kind === 'star') return sameSet(a.set, b.set);
  return a.kind === 'upto' && b.kind === 'upto' && a.end === b.end;
}

/** An automaton state: the moves that consume a code unit, and those that do not. */
interface State {
  readonly moves: readonly { readonly set: CharSet; readonly to: number }[];
  readonly free: readonly number[];
}

/**
 * A compiled pattern. `scan`: every star matches any code unit and there is
 * no `upto` (all text patterns, path globs without `*`, `**\/`), matched by
 * the greedy scan that returns to the last star: a later star can always do
 * what an earlier one would, so no choice but the last is ever revisited,
 * at most (text length + 1) × (pieces + 1) steps and a few per code unit
 * (rules ask every finding). `automaton`: the rest (a path glob's `*`
 * stops at `/`, where the last star is not always the one to retry).
 */
export type Wildcard =
  /** `head`, `tail`: how many pieces come before the first star and after the last (all of them without a star). */
  | { readonly kind: 'scan'; readonly pieces: readonly Piece[]; readonly head: number; readonly tail: number }
  | { readonly kind: 'automaton'; readonly states: readonly State[]; readonly scratch: Scratch };

/**
 * Sets of states as arrays of ids, and `seen[s] === mark` for "s is in the
 * set being built": bumping `mark` empties it without clearing. The stack
 * holds at most every free move once, so 2 × states + 1 entries. Reused
 * across runs of one automaton.
 */
interface Scratch {
  readonly current: Int32Array;
  readonly next: Int32Array;
  readonly seen: Int32Array;
  readonly stack: Int32Array;
  mark: number;
}

type Automaton = Extract<Wildcard, { kind: 'automaton' }>;
type Scan = Extract<Wildcard, { kind: 'scan' }>;

/** Compile pieces into the matcher `runWildcard` runs: the scan when it applies, else the automaton. */
export function compileWildcard(pieces: readonly Piece[]): Wildcard {
  const collapsed = collapseStars(pieces);
  const scans = collapsed.every((p) => p.kind === 'one' || (p.kind === 'star' && p.set.kind === 'any'));
  if (!scans) return compileAutomaton(collapsed);
  const stars = collapsed.flatMap((p, i) => (p.kind === 'star' ? [i] : []));
  if (stars.length === 0) return { kind: 'scan', pieces: collapsed, head: collapsed.length, tail: 0 };
  return { kind: 'scan', pieces: collapsed, head: stars[0], tail: collapsed.length - 1 - stars[stars.length - 1] };
}

/** The automaton of any pieces (exported so tests run it on patterns the scan would take). */
export function compileAutomaton(pieces: readonly Piece[]): Automaton {
  const states: State[] = [];
  for (const p of collapseStars(pieces)) {
    const here = states.length;
    switch (p.kind) {
      case 'one':
        states.push({ moves: [{ set: p.set, to: here + 1 }], free: [] });
        break;
      case 'star':
        states.push({ moves: [{ set: p.set, to: here }], free: [here + 1] });
        break;
      case 'upto':
        // here: skip it, or enter the run; here + 1: the run, left by its `end`.
        states.push({ moves: [], free: [here + 2, here + 1] });
        states.push({
          moves: [
            { set: ANY, to: here + 1 },
            { set: charSet(p.end), to: here + 2 },
          ],
          free: [],
        });
        break;
      default:
        assertNever(p);
    }
  }
  states.push({ moves: [], free: [] });
  const n = states.length;
  const scratch = { current: new Int32Array(n), next: new Int32Array(n), seen: new Int32Array(n), stack: new Int32Array(2 * n + 1), mark: 0 };
  return { kind: 'automaton', states, scratch };
}

/**
 * The greedy scan. The pieces before the first star and after the last one
 * are single code units, so they match the text's first and last code
 * units exactly (checked first: most rule patterns are `prefix *` or
 * `* suffix`). Between them: pieces left to right; at a star, remember
 * where it started; on a mismatch, let the last star take one more code
 * unit and go on after it.
 */
function scan(w: Scan, text: string): { matched: boolean; steps: number } {
  const { pieces, head, tail } = w;
  const no = (steps: number) => ({ matched: false, steps });
  if (head === pieces.length && text.length !== head) return no(1);
  const end = text.length - tail; // the middle is text[head, end)
  if (end < head) return no(1);
  for (let p = 0; p < head; p++) if (!fits(pieces[p], text, p)) return no(p + 1);
  for (let k = 1; k <= tail; k++) if (!fits(pieces[pieces.length - k], text, text.length - k)) return no(head + k);
  let steps = head + tail;
  if (head === pieces.length) return { matched: true, steps };
  const last = pieces.length - tail - 1; // the last star
  let p = head;
  let t = head;
  let star = -1;
  let starAt = 0;
  while (t < end) {
    steps++;
    if (p === last) return { matched: true, steps }; // the last star takes the rest of the middle
    if (pieces[p].kind === 'star') {
      star = p++;
      starAt = t;
    } else if (fits(pieces[p], text, t)) {
      p++;
      t++;
    } else if (star >= 0) {
      p = star + 1;
      t = ++starAt;
    } else return no(steps);
  }
  while (p < last && pieces[p].kind === 'star') p++;
  return { matched: p === last, steps };
}

/** A one-code-unit piece that accepts text[t]. */
function fits(piece: Piece, text: string, t: number): boolean {
  return piece.kind === 'one' && contains(piece.set, text.charCodeAt(t));
}

/** Add `s` and what its free moves reach to `set` (holding `size` states); the new size. */
function close(w: Automaton, set: Int32Array, size: number, s: number): number {
  const sc = w.scratch;
  const stack = sc.stack;
  let top = 0;
  stack[top++] = s;
  let n = size;
  while (top > 0) {
    const t = stack[--top];
    if (sc.seen[t] === sc.mark) continue;
    sc.seen[t] = sc.mark;
    set[n++] = t;
    const free = w.states[t].free;
    for (let f = 0; f < free.length; f++) stack[top++] = free[f];
  }
  return n;
}

/**
 * The whole text matches, and how many steps that took: for the scan at
 * most (text length + 1) × (pieces + 1), for the automaton at most
 * 2 × text length × states (each state has at most two moves).
 */
export function runWildcard(w: Wildcard, text: string): { matched: boolean; steps: number } {
  return w.kind === 'scan' ? scan(w, text) : runAutomaton(w, text);
}

/** The automaton's states followed as a set, one code unit at a time. */
function runAutomaton(w: Automaton, text: string): { matched: boolean; steps: number } {
  const sc = w.scratch;
  let current = sc.current;
  let next = sc.next;
  sc.mark++;
  let size = close(w, current, 0, 0);
  let steps = 0;
  for (let i = 0; i < text.length && size > 0; i++) {
    const c = text.charCodeAt(i);
    sc.mark++;
    let nextSize = 0;
    for (let k = 0; k < size; k++) {
      const moves = w.states[current[k]].moves;
      for (let j = 0; j < moves.length; j++) {
        steps++;
        if (contains(moves[j].set, c)) nextSize = close(w, next, nextSize, moves[j].to);
      }
    }
    const t = current;
    current = next;
    next = t;
    size = nextSize;
  }
  const accept = w.states.length - 1;
  let matched = false;
  for (let k = 0; k < size; k++) if (current[k] === accept) matched = true;
  return { matched, steps };
}

export function matchWildcard(w: Wildcard, text: string): boolean {
  return runWildcard(w, text).matched;
}
