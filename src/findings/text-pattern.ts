/**
 * The patterns rules match finding text with: `*` is any run of characters
 * (slashes, spaces and newlines included), `?` one character, the rest
 * literal (`[`, `\` too); the whole string must match. Every string is a
 * valid pattern, so the rules validator has nothing to reject here.
 * Matched by the shared automaton of src/wildcard.ts: linear in the text
 * whatever the number of `*` (a RegExp took minutes on 24 `*` and a
 * letter, issue 14). (Path globs with `**`, for `--select`, are
 * src/source/path-glob.ts.) Pure.
 */
import { ANY, charSet, compileWildcard, matchWildcard, type Piece, type Wildcard } from '../wildcard.js';

/** The pieces of a text pattern: one per code unit. */
export function parseTextPattern(pattern: string): Piece[] {
  const pieces: Piece[] = [];
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '*') pieces.push({ kind: 'star', set: ANY });
    else if (c === '?') pieces.push({ kind: 'one', set: ANY });
    else pieces.push({ kind: 'one', set: charSet(pattern.charCodeAt(i)) });
  }
  return pieces;
}

export function compileTextPattern(pattern: string): Wildcard {
  return compileWildcard(parseTextPattern(pattern));
}

/** Compiled patterns by their text: rules files hold a few hundred, asked for every finding. */
const compiled = new Map<string, Wildcard>();

export function textPatternMatches(pattern: string, text: string): boolean {
  let w = compiled.get(pattern);
  if (!w) {
    w = compileTextPattern(pattern);
    compiled.set(pattern, w);
  }
  return matchWildcard(w, text);
}

/** Some pattern matches; no list at all (a condition not given) holds too. */
export function anyTextPattern(patterns: readonly string[] | undefined, text: string): boolean {
  return patterns === undefined || patterns.some((p) => textPatternMatches(p, text));
}
