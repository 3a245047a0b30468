/**
 * Synthetic users of a function or variable, for slices of a `func` or
 * `var` entity. Both compilers describe a function or variable only when
 * something emitted uses it: gcc -gbtf emits a FUNC for a static inline
 * only when it is called, and neither side describes an unused static or
 * extern variable. A slice holding just the entity's declaration therefore
 * loses the finding; one new, tiny user brings it back without dragging
 * in the unit's real callers (and their closures). Pure.
 *
 * Each text is only a guess: the caller adds it to a slice and keeps the
 * slice only when the real toolchain still shows the same entity and
 * category — a user that changes what the compilers emit (taking a static
 * inline's address makes it out of line, so pahole sees it too) simply
 * fails that check.
 */
import type { EntityRef } from '../canonical/entity.js';
import { innerLists } from './c-split.js';
import { isCName, tokenize } from './c-tokens.js';

/** Name reserved for the synthetic declarations; reports show it as an extra, unrelated entity. */
const USER = 'btfparity_anchor_user';

/**
 * Candidate users for `func F` or `var V`, most faithful first; empty for
 * other entities. `decls` are the declarations that define the name (the
 * function's parameter list is read from them).
 */
export function syntheticUsers(entity: EntityRef, definers: readonly string[]): string[] {
  const { keyword, name } = entity;
  if ((keyword !== 'func' && keyword !== 'var') || !isCName(name)) return [];
  if (keyword === 'var') {
    return [
      // Reading it keeps register and scalar variables; taking the address keeps anything addressable.
      `void ${USER}(void) { __typeof__(${name}) *volatile btfparity_p = &${name}; (void)btfparity_p; }`,
      `unsigned long ${USER}(void) { return (unsigned long)${name}; }`,
      `void *btfparity_anchor_ref = (void *)&${name};`,
    ];
  }
  const users: string[] = [];
  const params = paramsOf(name, definers);
  // A caller with the same parameters, passing them on: types are exactly
  // the callee's, so nothing new has to be declared. The call inlines, as
  // the unit's own callers did.
  if (params !== undefined) users.push(`void ${USER}(${params.text}) { ${name}(${params.names.join(', ')}); }`);
  users.push(`void *${USER}(void) { return (void *)${name}; }`);
  return users;
}

interface Params {
  /** The parameter list as written (`struct list_head *list`, `void`). */
  readonly text: string;
  /** Names to pass on, in order; empty for `(void)` and `()`. */
  readonly names: string[];
}

/** The parameter list of `name` in the first declaration (definition preferred) that has one with every parameter named. */
export function paramsOf(name: string, definers: readonly string[]): Params | undefined {
  const ordered = [...definers.filter((d) => d.trimEnd().endsWith('}')), ...definers.filter((d) => !d.trimEnd().endsWith('}'))];
  for (const decl of ordered) {
    for (const list of innerLists(decl)) {
      if (
        list.kind !== 'params' ||
        !decl
          .slice(0, list.innerStart - 1)
          .trimEnd()
          .endsWith(name)
      )
        continue;
      const items = list.items.map((s) => decl.slice(s.start, s.end).trim());
      const text = decl.slice(list.innerStart, list.innerEnd).trim();
      if (items.length === 0 || (items.length === 1 && items[0] === 'void')) return { text: text === '' ? 'void' : text, names: [] };
      const names = items.filter((p) => p !== '...').map(paramName);
      if (names.every((n): n is string => n !== undefined)) return { text, names };
    }
  }
  return undefined;
}

const NOT_NAMES = new Set([
  'const',
  'volatile',
  'restrict',
  '__restrict',
  '__restrict__',
  'unsigned',
  'signed',
  'int',
  'long',
  'short',
  'char',
  'void',
  '_Bool',
  'float',
  'double',
]);

/** The declared name of one parameter (`struct s *p` → p, `void (*fn)(int)` → fn, `int a[4]` → a), or undefined. */
export function paramName(param: string): string | undefined {
  const toks = tokenize(param);
  // `(*name)` or `(*const name)`: a function or array pointer.
  for (let i = 0; i + 1 < toks.length; i++) {
    if (toks[i].text !== '(' || toks[i + 1].text !== '*') continue;
    let k = i + 2;
    while (toks[k] && NOT_NAMES.has(toks[k].text)) k++;
    if (toks[k]?.kind === 'id' && toks[k + 1]?.text === ')') return toks[k].text;
  }
  // Otherwise the last identifier before any array brackets or attribute.
  let end = toks.length;
  const cut = toks.findIndex((t) => t.text === '[' || t.text === '__attribute__');
  if (cut >= 0) end = cut;
  const last = toks[end - 1];
  if (last?.kind !== 'id' || NOT_NAMES.has(last.text)) return undefined;
  const before = toks[end - 2];
  if (!before || ['struct', 'union', 'enum'].includes(before.text)) return undefined; // a bare type, unnamed
  return last.text;
}
