/**
 * Fitting people-facing lines to a width (the text report: 100 columns,
 * the email format: 78). A line is broken only at break points that keep
 * each piece readable:
 *
 * - `words`: any space (prose: rule explanations);
 * - `clauses`: a space after `,` `;` or `:` outside brackets (verdict
 *   facts: `DW_TAG_base_type signed char DW_AT_encoding ...` keeps a type
 *   name such as `long unsigned int` on one line, and `int (int, char)`
 *   whole);
 *
 * Continuation lines get `indent`. A piece that is still too wide stays
 * whole (a type name is never cut) unless `hard` is set (email: a hard
 * width), where it is cut into width-sized slices. Columns are counted in
 * code points: every character the reports write is one column wide once
 * escaped (controls are escaped; wide East Asian glyphs in names are the
 * accepted exception, they stay ASCII-escaped in the email format).
 */

export type BreakAt = 'words' | 'clauses';

export interface WrapOptions {
  readonly width: number;
  /** Prefix of the first line (counted in the width). */
  readonly first: string;
  /** Prefix of every continuation line. */
  readonly indent: string;
  readonly breakAt: BreakAt;
  /** Cut pieces wider than the width (email); otherwise they overflow whole. */
  readonly hard?: boolean;
}

const ANSI = /\u001b\[[0-9;]*m/g;

/** Columns of `s`: code points, colour codes not counted. */
export function columns(s: string): number {
  let n = 0;
  for (const _ of s.includes('\u001b') ? s.replace(ANSI, '') : s) n++;
  return n;
}

/** `text` split into pieces at the break points; each piece but the first starts with its space. */
function pieces(text: string, breakAt: BreakAt): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 1; i < text.length; i++) {
    const c = text[i - 1];
    if (c === '(' || c === '[' || c === '{') depth++;
    else if ((c === ')' || c === ']' || c === '}') && depth > 0) depth--;
    if (text[i] !== ' ') continue;
    const ok = breakAt === 'words' || (depth === 0 && (c === ',' || c === ';' || c === ':'));
    if (ok && i > start) {
      out.push(text.slice(start, i));
      start = i;
    }
  }
  out.push(text.slice(start));
  return out;
}

/** Slices of `s` of at most `n` code points (n ≥ 1). */
function slices(s: string, n: number): string[] {
  const cps = [...s];
  const out: string[] = [];
  for (let i = 0; i < cps.length; i += n) out.push(cps.slice(i, i + n).join(''));
  return out;
}

/** `text` with its prefix as lines of at most `width` columns where the break points allow. */
export function wrap(text: string, o: WrapOptions): string[] {
  if (columns(o.first) + columns(text) <= o.width) return [o.first + text];
  const lines: string[] = [];
  let cur = o.first;
  let fresh = true; // nothing but the first line's prefix on `cur` yet
  const room = (prefix: string): number => Math.max(1, o.width - columns(prefix));
  const push = (piece: string): void => {
    if (o.hard && columns(piece) > room(o.indent)) {
      // Cut it: fill the current line, then whole slices on continuation lines.
      const cps = [...piece];
      const head = Math.max(0, o.width - columns(cur));
      cur += cps.slice(0, head).join('');
      const rest = cps.slice(head).join('');
      for (const s of slices(rest, room(o.indent))) {
        lines.push(cur);
        cur = o.indent + s;
      }
      fresh = false;
      return;
    }
    cur += piece;
    fresh = false;
  };
  for (const piece of pieces(text, o.breakAt)) {
    if (!fresh && columns(cur) + columns(piece) > o.width) {
      lines.push(cur);
      cur = o.indent;
      push(piece.replace(/^ +/, ''));
    } else push(piece);
  }
  lines.push(cur);
  return lines;
}

/** Tabs as spaces to the next multiple of 8 columns (what a terminal shows), so mail and markdown get none. */
export function expandTabs(line: string): string {
  if (!line.includes('\t')) return line;
  let out = '';
  for (const ch of line) {
    if (ch === '\t') out += ' '.repeat(8 - (columns(out) % 8));
    else out += ch;
  }
  return out;
}
