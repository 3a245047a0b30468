/**
 * Path globs as `--select` writes them: `*`, `?` and classes stay within
 * one path segment, `**` spans segments (`fs/**` is everything under fs/,
 * `**\/*.c` any .c file; `**\/` is zero or more whole segments), `[abc]` /
 * `[!abc]` are character classes with ranges (`[a-z]`; `]` first and `-`
 * first or last are members; an unclosed `[` is a literal; no class
 * matches `/`, as in fnmatch's FNM_PATHNAME). Backslash is a literal.
 * Matched by the shared automaton of src/wildcard.ts (linear time; rules
 * files match finding text with another pattern language:
 * findings/text-pattern.ts). Pure.
 */
import { InputError } from '../errors.js';
import { ANY, allBut, type CharSet, charSet, compileWildcard, matchWildcard, type Piece, type Wildcard } from '../wildcard.js';

const SLASH = '/'.charCodeAt(0);
const IN_SEGMENT = allBut(SLASH);

/** A class starting at `glob[open]` (`[`): its set and the index of its `]`; undefined when unclosed. */
function readClass(glob: string, open: number): { set: CharSet; close: number } | undefined {
  let i = open + 1;
  const negated = glob[i] === '!';
  if (negated) i++;
  // The first member may be `]`: the class closes at the next `]` after it.
  const close = glob.indexOf(']', i + 1);
  if (close < 0) return undefined;
  const ranges: [number, number][] = [];
  while (i < close) {
    const lo = glob.charCodeAt(i);
    if (glob[i + 1] === '-' && i + 2 < close) {
      const hi = glob.charCodeAt(i + 2);
      if (lo > hi) throw new InputError(`invalid glob '${glob}': range ${glob[i]}-${glob[i + 2]} is out of order`);
      ranges.push([lo, hi]);
      i += 3;
    } else {
      ranges.push([lo, lo]);
      i++;
    }
  }
  // A class stays within its segment too: it never matches `/`.
  const set: CharSet = negated ? { kind: 'class', negated, ranges: [...ranges, [SLASH, SLASH]] } : { kind: 'class', negated, ranges: withoutSlash(ranges) };
  return { set, close };
}

/** The ranges less the code unit `/` (a range across it is split in two). */
function withoutSlash(ranges: readonly [number, number][]): [number, number][] {
  return ranges.flatMap(([lo, hi]): [number, number][] => {
    if (SLASH < lo || SLASH > hi) return [[lo, hi]];
    const parts: [number, number][] = [];
    if (lo < SLASH) parts.push([lo, SLASH - 1]);
    if (hi > SLASH) parts.push([SLASH + 1, hi]);
    return parts;
  });
}

/** The pieces of a path glob. Throws InputError (no location; the caller names the option) for a range out of order. */
export function parsePathGlob(glob: string): Piece[] {
  const pieces: Piece[] = [];
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*' && glob[i + 1] === '*') {
      // `**/` matches zero or more whole segments; `**` elsewhere any run.
      if (glob[i + 2] === '/') {
        pieces.push({ kind: 'upto', end: SLASH });
        i += 2;
      } else {
        pieces.push({ kind: 'star', set: ANY });
        i += 1;
      }
    } else if (c === '*') pieces.push({ kind: 'star', set: IN_SEGMENT });
    else if (c === '?') pieces.push({ kind: 'one', set: IN_SEGMENT });
    else if (c === '[') {
      const cls = readClass(glob, i);
      if (cls === undefined) pieces.push({ kind: 'one', set: charSet(glob.charCodeAt(i)) });
      else {
        pieces.push({ kind: 'one', set: cls.set });
        i = cls.close;
      }
    } else pieces.push({ kind: 'one', set: charSet(glob.charCodeAt(i)) });
  }
  return pieces;
}

/** A compiled path glob; throws InputError for an invalid one (see parsePathGlob). */
export function compilePathGlob(glob: string): Wildcard {
  return compileWildcard(parsePathGlob(glob));
}

/** The whole path matches the compiled glob. */
export function pathMatches(glob: Wildcard, path: string): boolean {
  return matchWildcard(glob, path);
}
