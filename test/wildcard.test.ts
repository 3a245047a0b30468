/**
 * The one wildcard matcher (src/wildcard.ts) behind `--select` path globs
 * and rule text patterns (issue 14, items 2 and 12).
 *
 * Oracle: a RegExp translation of each language written here from the
 * documented semantics (source/path-glob.ts, findings/text-pattern.ts):
 * every literal is written as a `\uXXXX` escape, so no glob character can
 * mean anything to the RegExp engine but what the translation says. The
 * RegExp engine also judges which globs are invalid (a class range out of
 * order is a SyntaxError there). Globs stay short (≤ 12 characters) so the
 * backtracking oracle itself stays fast.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InputError } from '../src/errors.js';
import { compileTextPattern, parseTextPattern, textPatternMatches } from '../src/findings/text-pattern.js';
import { compilePathGlob, pathMatches } from '../src/source/path-glob.js';
import { compileSelection } from '../src/source/select.js';
import { collapseStars, compileAutomaton, runWildcard } from '../src/wildcard.js';

const u = (c: string) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;

/** The `--select` glob as a RegExp, or 'invalid' when the RegExp engine rejects the class. */
function pathOracle(glob: string): RegExp | 'invalid' {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*' && glob[i + 1] === '*') {
      if (glob[i + 2] === '/') {
        re += '(?:[^/]*/)*'; // zero or more whole segments
        i += 2;
      } else {
        re += '[\\s\\S]*';
        i += 1;
      }
    } else if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '[') {
      let j = i + 1;
      const negated = glob[j] === '!';
      if (negated) j++;
      const close = glob.indexOf(']', j + 1); // a `]` right after `[` or `[!` is a member
      if (close < 0) {
        re += u('[');
        continue;
      }
      let body = '';
      for (let k = j; k < close; ) {
        if (glob[k + 1] === '-' && k + 2 < close) {
          body += `${u(glob[k])}-${u(glob[k + 2])}`;
          k += 3;
        } else body += u(glob[k++]);
      }
      re += `(?!/)[${negated ? '^' : ''}${body}]`; // a class never matches `/`
      i = close;
    } else re += u(c);
  }
  try {
    return new RegExp(`^${re}$`);
  } catch {
    return 'invalid';
  }
}

/** A rules-file text pattern as a RegExp: `*` any run, `?` any one code unit. */
function textOracle(pattern: string): RegExp {
  let re = '';
  for (const c of pattern.split('')) re += c === '*' ? '[\\s\\S]*' : c === '?' ? '[\\s\\S]' : u(c);
  return new RegExp(`^${re}$`);
}

/** Short strings over characters that matter to globs and paths. */
const globText = fc.string({
  unit: fc.constantFrom('a', 'b', 'z', '/', '*', '*', '?', '[', '[', ']', ']', '!', '-', '-', '.', '\\', '^', '\n'),
  maxLength: 12,
});
const pathText = fc.string({ unit: fc.constantFrom('a', 'b', 'z', '/', '.', '-', ']', '[', '!', '\\', '^', '*', '\n'), maxLength: 14 });

/** A text likely to match: the glob with its wildcards filled in at random (with `/` alone: the segment rules). */
function instantiate(glob: string, fill: readonly string[]): string {
  let k = 0;
  return glob.replace(/\*+|\?|\[!?\]?[^\]]*\]/g, () => fill[k++ % fill.length]);
}

describe('path globs against the RegExp oracle', () => {
  it('10,000 random globs: invalid exactly when the RegExp engine says so, else the same answer on every text', () => {
    fc.assert(
      fc.property(globText, fc.array(pathText, { minLength: 1, maxLength: 4 }), fc.array(pathText, { minLength: 1, maxLength: 3 }), (glob, texts, fill) => {
        const oracle = pathOracle(glob);
        if (oracle === 'invalid') {
          expect(() => compilePathGlob(glob)).toThrow(InputError);
          return;
        }
        const w = compilePathGlob(glob);
        for (const t of [...texts, instantiate(glob, fill), instantiate(glob, ['/'])])
          expect(pathMatches(w, t), `${JSON.stringify(glob)} on ${JSON.stringify(t)}`).toBe(oracle.test(t));
      }),
      { numRuns: 10_000, seed: 14 },
    );
  });

  it('the documented cases', () => {
    const m = (g: string, p: string) => pathMatches(compilePathGlob(g), p);
    expect(m('fs/**', 'fs/ext4/inode.c')).toBe(true);
    expect(m('fs/*', 'fs/ext4/inode.c')).toBe(false); // `*` stays in its segment
    expect(m('**/*.c', 'lib/sort.c')).toBe(true);
    expect(m('**/*.c', 'sort.c')).toBe(true); // `**/` is zero segments too
    expect(m('lib/[!a-r]ort.c', 'lib/sort.c')).toBe(true);
    expect(m('lib/[!a-s]ort.c', 'lib/sort.c')).toBe(false);
    expect(m('[]]', ']')).toBe(true); // `]` first is a member
    expect(m('[a-]', '-')).toBe(true); // `-` last is a member
    expect(m('[ab', '[ab')).toBe(true); // unclosed: literal
    expect(m('a[!x]b', 'a/b')).toBe(false); // a class stays in its segment, negated or not
    expect(m('a[.-0]b', 'a/b')).toBe(false); // `/` lies in the range `.`..`0`, and still does not match
    expect(m('a[.-0]b', 'a.b')).toBe(true);
    expect(m('a[.-0]b', 'a0b')).toBe(true);
  });

  it('a range out of order is an InputError naming the pattern and the range, not a RegExp SyntaxError', () => {
    expect(() => compilePathGlob('[z-a].c')).toThrow(new InputError("invalid glob '[z-a].c': range z-a is out of order"));
    // The selection compiles includes and excludes alike.
    expect(() => compileSelection(['lib/*', '!x/[9-0]'])).toThrow(/range 9-0 is out of order/);
  });
});

describe('text patterns against the RegExp oracle', () => {
  it('10,000 random patterns give the RegExp answer', () => {
    fc.assert(
      fc.property(globText, fc.array(pathText, { minLength: 1, maxLength: 4 }), fc.array(pathText, { minLength: 1, maxLength: 3 }), (pattern, texts, fill) => {
        const oracle = textOracle(pattern);
        // Every string is a pattern (never throws). Text patterns take the scan; the
        // automaton must agree on them too (path globs with `*` exercise it on its own).
        const scan = compileTextPattern(pattern);
        expect(scan.kind).toBe('scan');
        const automaton = compileAutomaton(parseTextPattern(pattern));
        for (const t of [...texts, instantiate(pattern, fill)]) {
          expect(runWildcard(scan, t).matched, `${JSON.stringify(pattern)} on ${JSON.stringify(t)}`).toBe(oracle.test(t));
          expect(runWildcard(automaton, t).matched, `automaton: ${JSON.stringify(pattern)} on ${JSON.stringify(t)}`).toBe(oracle.test(t));
        }
      }),
      { numRuns: 10_000, seed: 14 },
    );
  });

  it('`[` and `\\` are literals, `*` crosses slashes and newlines', () => {
    expect(textPatternMatches('[z-a]', '[z-a]')).toBe(true);
    expect(textPatternMatches('[z-a]', 'z')).toBe(false);
    expect(textPatternMatches('a\\b', 'a\\b')).toBe(true);
    expect(textPatternMatches('struct *', 'struct a/b\nc')).toBe(true);
  });
});

describe('linear time: steps counted, not time (issue 14 item 12)', () => {
  // The case: n `*` then a letter, on a probe-length text without that letter. As a
  // RegExp (`.*` n times) that backtracks through every split of the text (12 s for 16 `*`).
  // Collapsed, the pattern is one star and one letter. The scan then checks the last code
  // unit against the letter and stops: 1 step. The automaton of it has 3 states of at
  // most 2 moves each: ≤ 2 × L × 3 moves on a text of L code units.
  const text = 'struct '.padEnd(200, 'x');
  for (const n of [16, 24, 1000]) {
    it(`${n} '*' then a letter: the scan in 1 step, the automaton in at most 6 × ${text.length}, for both languages`, () => {
      const stars = '*'.repeat(n);
      for (const w of [compileTextPattern(`${stars}q`), compilePathGlob(`${stars}q`)]) {
        expect(w).toMatchObject({ kind: 'scan', head: 0, tail: 1 });
        expect(runWildcard(w, text)).toEqual({ matched: false, steps: 1 });
        expect(runWildcard(w, `${text}q`).matched).toBe(true);
      }
      const a = compileAutomaton(parseTextPattern(`${stars}q`));
      expect(a.states.length).toBe(3);
      const r = runWildcard(a, text);
      expect(r.matched).toBe(false);
      expect(r.steps).toBeLessThanOrEqual(6 * text.length);
      // A path glob of single `*` (stops at `/`) is an automaton too, as small.
      const seg = compilePathGlob(`${'*/'.repeat(n)}q`);
      expect(seg.kind).toBe('automaton');
      expect(runWildcard(seg, text).steps).toBeLessThanOrEqual(2 * text.length * (2 * n + 2));
    });
  }

  it('without stars to collapse the bounds still hold: 500 × `a*` then `b` on 2,000 `a`', () => {
    // No run collapses (each star sits between letters); the text has no `b`, so no match.
    // Scan: the head `a` against the first `a`, the tail `b` against the last: 2 steps. Without that check
    // (the `b` is followed by a star) it is at most (L + 1) × (pieces + 1) steps.
    const pattern = `${'a*'.repeat(500)}b`;
    expect(runWildcard(compileTextPattern(pattern), 'a'.repeat(2000))).toEqual({ matched: false, steps: 2 });
    const r = runWildcard(compileTextPattern(`${pattern}*`), 'a'.repeat(2000));
    expect(r.matched).toBe(false);
    expect(r.steps).toBeLessThanOrEqual(2001 * 1003);
    // Automaton: states = 1,000 + 1 (`b`) + 1 (accept), each at most 2 moves.
    const a = compileAutomaton(parseTextPattern(pattern));
    expect(a.states.length).toBe(1002);
    const ra = runWildcard(a, 'a'.repeat(2000));
    expect(ra.matched).toBe(false);
    expect(ra.steps).toBeLessThanOrEqual(2 * 2000 * 1002);
  });

  it('collapsing keeps the language: `*` runs, `**` beside `*`, repeated `**/`', () => {
    const pieces = [
      { kind: 'star', set: { kind: 'any' } },
      { kind: 'star', set: { kind: 'class', negated: true, ranges: [[47, 47]] } },
      { kind: 'upto', end: 47 },
    ] as const;
    expect(collapseStars(pieces)).toEqual([{ kind: 'star', set: { kind: 'any' } }]);
    expect(
      collapseStars([
        { kind: 'upto', end: 47 },
        { kind: 'upto', end: 47 },
      ]),
    ).toEqual([{ kind: 'upto', end: 47 }]);
    // The path glob `***/a`: `**` (any run) swallows the `*` after it: star, '/', 'a'.
    expect(compilePathGlob('***/a')).toMatchObject({ kind: 'scan', head: 0, tail: 2 });
    expect(pathMatches(compilePathGlob('***/a'), 'x/y/a')).toBe(true);
  });
});
