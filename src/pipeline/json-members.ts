/**
 * Where the members of a JSON object's text lie, found without parsing it
 * (issue 13): a warm run serves each unit's stored comparison, whose
 * findings and type dumps the unit spill writes out as JSON text again; the
 * stored text of each member is that text already (JSON.parse of a member's
 * slice is the parsed member), so it is copied instead of re-stringified.
 *
 * Only the compact form JSON.stringify writes is read (no whitespace
 * outside strings, no duplicate keys); anything else gives undefined, and
 * the caller stringifies as before. The text must already be known to be
 * valid JSON (it was parsed): this finds boundaries, it does not validate.
 */

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COLON = 0x3a;
const COMMA = 0x2c;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const SCALAR = /^[0-9a-zA-Z+.-]$/;

/**
 * The index just past the string whose opening quote is at `at` (-1 when
 * the text ends first): the next quote not escaped, i.e. after an even run
 * of backslashes (found natively: the texts are mostly strings).
 */
function stringEnd(text: Uint8Array, at: number): number {
  for (let from = at + 1; ; ) {
    const q = text.indexOf(QUOTE, from);
    if (q < 0) return -1;
    let backslashes = 0;
    while (text[q - 1 - backslashes] === BACKSLASH) backslashes++;
    if (backslashes % 2 === 0) return q + 1;
    from = q + 1;
  }
}

/** The index just past the value that starts at `at` (-1 when the text ends first). */
function valueEnd(text: Uint8Array, at: number): number {
  const c = text[at];
  if (c === QUOTE) return stringEnd(text, at);
  if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
    let depth = 0;
    for (let i = at; i < text.length; i++) {
      const b = text[i];
      if (b === QUOTE) {
        i = stringEnd(text, i) - 1;
        if (i < 0) return -1;
      } else if (b === OPEN_OBJECT || b === OPEN_ARRAY) depth++;
      else if ((b === CLOSE_OBJECT || b === CLOSE_ARRAY) && --depth === 0) return i + 1;
    }
    return -1;
  }
  // A number, true, false or null: its letters, digits, signs and points (whitespace is no part of the compact form).
  let i = at;
  while (i < text.length && SCALAR.test(String.fromCharCode(text[i]))) i++;
  return i === at ? -1 : i;
}

/** Each member's value text of the object `text` (compact JSON), by key; undefined when it is not in that form. */
export function jsonMembers(text: Buffer): Map<string, Buffer> | undefined {
  if (text[0] !== OPEN_OBJECT || text[text.length - 1] !== CLOSE_OBJECT) return undefined;
  const out = new Map<string, Buffer>();
  let i = 1;
  if (text[i] === CLOSE_OBJECT) return i + 1 === text.length ? out : undefined;
  for (;;) {
    if (text[i] !== QUOTE) return undefined;
    const keyEnd = stringEnd(text, i);
    if (keyEnd < 0 || text[keyEnd] !== COLON) return undefined;
    const key: unknown = JSON.parse(text.toString('utf8', i, keyEnd));
    if (typeof key !== 'string') return undefined;
    const end = valueEnd(text, keyEnd + 1);
    if (end < 0 || out.has(key)) return undefined;
    out.set(key, text.subarray(keyEnd + 1, end));
    if (text[end] === CLOSE_OBJECT) return end + 1 === text.length ? out : undefined;
    if (text[end] !== COMMA) return undefined;
    i = end + 1;
  }
}
