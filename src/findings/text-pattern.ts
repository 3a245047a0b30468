/**
 * The patterns rules match finding text with: `*` is any run of characters
 * (slashes and spaces included), `?` one character, the rest literal; the
 * whole string must match. (Path globs with `**`, for `--select`, are
 * src/source/path-glob.ts.) Pure.
 */

export function textPatternToRegExp(glob: string): RegExp {
  let re = '';
  for (const ch of glob) {
    if (ch === '*') re += '.*';
    else if (ch === '?') re += '.';
    else re += ch.replace(/[.+^${}()|[\]\\/-]/g, '\\$&');
  }
  return new RegExp(`^${re}$`, 's');
}

/** Compiled patterns by their text: rules files hold a few hundred, asked for every finding. */
const compiled = new Map<string, RegExp>();

export function textPatternMatches(pattern: string, text: string): boolean {
  let re = compiled.get(pattern);
  if (!re) {
    re = textPatternToRegExp(pattern);
    compiled.set(pattern, re);
  }
  return re.test(text);
}

/** Some pattern matches; no list at all (a condition not given) holds too. */
export function anyTextPattern(patterns: readonly string[] | undefined, text: string): boolean {
  return patterns === undefined || patterns.some((p) => textPatternMatches(p, text));
}
