/**
 * Find where a C entity is declared in a unit's source text, for report
 * locations (SARIF regions). A lexical search, not a C parser: comments and
 * string literals are blanked out (newlines kept, so offsets map to lines),
 * definitions are preferred over declarations, file scope over block scope.
 * Returns a 1-based line, or undefined when the entity has no spelled-out
 * declaration (base types, datasecs, anonymous types, macro-generated names).
 */
import { type EntityKeyword, type EntityRef, formatEntity } from '../canonical/entity.js';

/** The text with comments and string/char literals replaced by spaces; same length, same newlines. */
export function blankCommentsAndStrings(src: string): string {
  return src.replace(/\/\*[\s\S]*?(?:\*\/|$)|\/\/[^\n]*|"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'/g, (m) => m.replace(/[^\n]/g, ' '));
}

function lineAt(text: string, index: number): number {
  let line = 1;
  for (let i = 0; i < index; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

/** Brace depth at each position is needed often; compute once. */
function braceDepths(text: string): Int32Array {
  const d = new Int32Array(text.length + 1);
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    d[i] = depth;
    const ch = text[i];
    if (ch === '{') depth++;
    else if (ch === '}') depth = Math.max(0, depth - 1);
  }
  d[text.length] = depth;
  return d;
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Index just past the `)` matching the `(` at `open`, or -1. */
function closeParen(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    if (text[i] === '(') depth++;
    else if (text[i] === ')' && --depth === 0) return i + 1;
  }
  return -1;
}

const ATTR = String.raw`(?:__attribute__\s*\(\([^;{}]*?\)\)\s*|\w+\s+(?=\w))*`;

function locateTagged(text: string, tag: string, name: string): number | undefined {
  const n = escapeRe(name);
  // Definition: `struct [attrs] name [attrs] {`
  const def = new RegExp(String.raw`\b${tag}\s+${ATTR}${n}\s*(?:__attribute__\s*\(\([^;{}]*?\)\)\s*)?\{`, 'g').exec(text);
  if (def) return def.index;
  const decl = new RegExp(String.raw`\b${tag}\s+${n}\s*;`, 'g').exec(text);
  return decl?.index;
}

function locateTypedef(text: string, name: string): number | undefined {
  const n = escapeRe(name);
  // typedef ... name;  |  typedef ... (*name)(...);  |  typedef ... name[...];
  const re = new RegExp(
    String.raw`\btypedef\b(?:[^;{}]|\{[^]*?\})*?(?:\(\s*\*\s*${n}\s*\)|\b${n}\b)\s*(?:\[[^\];]*\]\s*|\([^;]*\)\s*)*(?:__attribute__\s*\(\([^;]*?\)\)\s*)?;`,
    'g',
  );
  return re.exec(text)?.index;
}

/** Start of the line containing index (where a declaration's specifiers begin). */
function lineStart(text: string, index: number): number {
  const nl = text.lastIndexOf('\n', index - 1);
  return nl + 1;
}

function locateFunc(text: string, depth: Int32Array, name: string): number | undefined {
  const re = new RegExp(String.raw`(?<![\w.>])${escapeRe(name)}\s*\(`, 'g');
  let decl: number | undefined;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (depth[m.index] !== 0) continue;
    const end = closeParen(text, m.index + m[0].length - 1);
    if (end < 0) continue;
    const after = text.slice(end).match(/^\s*(\S)/)?.[1];
    // `{` opens a body; an identifier starts K&R parameter declarations (or an attribute before the body).
    if (after === '{' || (after !== undefined && /[A-Za-z_]/.test(after) && !/^\s*__attribute__[^;]*;/.test(text.slice(end)))) return lineStart(text, m.index);
    if (after === ';' || after === ',' || after === '_') decl ??= lineStart(text, m.index);
  }
  return decl;
}

/**
 * The declaration specifiers before a declarator on this line; when the line
 * starts with the `}` of an inline struct/union/enum body, the line where
 * that body opened (so `extern struct s { ... } v;` is seen as extern).
 */
function specifiers(text: string, start: number, before: string): string {
  if (!/^\s*\}/.test(before)) return before;
  let depth = 0;
  for (let i = start + before.indexOf('}'); i >= 0; i--) {
    if (text[i] === '}') depth++;
    else if (text[i] === '{' && --depth === 0) return text.slice(lineStart(text, i), i);
  }
  return before;
}

function locateVar(text: string, depth: Int32Array, name: string): number | undefined {
  const re = new RegExp(String.raw`(?<![\w.>])${escapeRe(name)}\b(?!\s*\()`, 'g');
  let ext: number | undefined;
  let local: number | undefined;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const start = lineStart(text, m.index);
    const before = text.slice(start, m.index);
    const after = text.slice(m.index + m[0].length);
    if (/\btypedef\b/.test(before)) continue;
    // A plain declarator: a type precedes it on the line (or the `}` of an inline
    // struct definition), and `=`, `;`, `,`, `[` or an attribute follows.
    const plain = /^\s*(?:\[[^\]]*\]\s*)*(?:=|;|,|__attribute__|\[)/.test(after) && /[\w}]/.test(before) && !/[=(]/.test(before);
    // A pointer-to-function/array declarator: `int (*name)(...)`.
    const pointer = /\(\s*\*\s*$/.test(before) && /^\s*\)/.test(after) && !/=/.test(before);
    if (!plain && !pointer) continue;
    if (depth[m.index] !== 0) {
      if (/\bstatic\b/.test(before)) local ??= start;
      continue;
    }
    if (/\bextern\b/.test(specifiers(text, start, before))) ext ??= start;
    else return start;
  }
  return ext ?? local;
}

/** Entities C spells out a declaration of. */
const DECLARED: ReadonlySet<EntityKeyword> = new Set(['struct', 'union', 'enum', 'typedef', 'func', 'var']);

/** 1-based line of the entity's declaration in `sourceText`, preferring definitions. */
export function locateDeclaration(sourceText: string, entity: EntityRef): number | undefined {
  return declarationLocator(sourceText)(entity);
}

/** locateDeclaration over one text for many entities: the text is blanked and its brace depths computed once. */
export function declarationLocator(sourceText: string): (entity: EntityRef) => number | undefined {
  let text: string | undefined;
  let depth: Int32Array | undefined;
  return ({ keyword: what, name }) => {
    if (!DECLARED.has(what) || !/^[A-Za-z_]\w*$/.test(name)) return undefined;
    text ??= blankCommentsAndStrings(sourceText);
    let at: number | undefined;
    if (what === 'struct' || what === 'union' || what === 'enum') at = locateTagged(text, what, name);
    else if (what === 'typedef') at = locateTypedef(text, name);
    else {
      depth ??= braceDepths(text);
      at = what === 'func' ? locateFunc(text, depth, name) : locateVar(text, depth, name);
    }
    return at === undefined ? undefined : lineAt(text, at);
  };
}

/** Where a report points a finding: a 1-based line, and a note when it is not the entity's own declaration. */
export interface FindingLocation {
  readonly line: number;
  readonly note?: string;
}

/**
 * The variables a DATASEC record holds, read from its bpftool lines as the
 * pipeline stores them (UnitResult.types): one `\ttype_id=N offset=N size=N
 * (VAR 'name')` line per entry. The report keeps no graph, so this text is
 * what it has of the section's members.
 */
export function datasecVarNames(records: string | undefined): string[] {
  if (records === undefined) return [];
  return [...records.matchAll(/^\ttype_id=\d+ offset=\d+ size=\d+ \(VAR '([^'\n]*)'\)$/gm)].map((m) => `var ${m[1]}`);
}

/**
 * A finding's line in its unit's source: the entity's declaration; for what
 * C spells no declaration of (base types, DATASECs), the first declaration
 * that uses it (`users`: the entities referring to it, the variables of a
 * section); else line 1 of the unit, with a note saying so. Code-scanning
 * UIs need a line for every result.
 */
export function locateFinding(locate: ((e: EntityRef) => number | undefined) | undefined, entity: EntityRef, users: readonly EntityRef[]): FindingLocation {
  const what = formatEntity(entity);
  if (locate === undefined) return { line: 1, note: `the unit's source text is not at hand: line 1 of the unit stands for ${what}` };
  const own = locate(entity);
  if (own !== undefined) return { line: own };
  let first: { line: number; user: EntityRef } | undefined;
  for (const user of users) {
    const line = locate(user);
    if (line !== undefined && (first === undefined || line < first.line)) first = { line, user };
  }
  if (first !== undefined)
    return { line: first.line, note: `${what} has no declaration in the source: the first declaration that uses it (${formatEntity(first.user)})` };
  return { line: 1, note: `${what} has no declaration in the source and no located user: line 1 of the unit` };
}
