/**
 * Text for a terminal or a markdown page that cannot be steered by what
 * it quotes. BTF names, file names and JSON snippets are data: a name
 * holding `\n` must not start a new stderr line, and one holding ESC must
 * not reach the terminal as an escape sequence.
 *
 * bpftool 7.1 itself writes names raw in its plain dump: `bpftool btf dump
 * file` prints the name bytes as they are — newline, tab, ESC, DEL, C1
 * controls and bytes that are not UTF-8 included (checked with blobs from
 * src/btf/encode.ts; pinned in test/escape-names.test.ts). With -j it
 * escapes tab, newline, CR and `"` (and prints a backslash as `\n`) but
 * still writes ESC and the other controls raw. btfparity's bpftool-format
 * dump stays byte-identical to the plain dump; everything else btfparity
 * writes for people (stderr lines, the text and markdown reports) goes
 * through escapeControls, C-style:
 *
 *   \\  \n  \r  \t          backslash, newline, carriage return, tab
 *   \xNN                     other C0 controls and DEL; and a name byte that
 *                            is not UTF-8 (U+DC80..U+DCFF, see artifact/name-bytes.ts)
 *   \uNNNN                   C1 controls (U+0080..U+009F), bidirectional
 *                            overrides and isolates, other lone surrogates
 *
 * Backslash is doubled so the escaped text is unambiguous: `\n` always
 * means a newline was there, `\\n` a backslash and an n.
 */

// Everything that needs escaping, as one test for the common clean case.
const NEEDS = /[\u0000-\u001f\u007f-\u009f\\\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]/;

const hex = (n: number, width: number): string => n.toString(16).padStart(width, '0');

export function escapeControls(s: string): string {
  if (!NEEDS.test(s)) return s;
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x5c) out += '\\\\';
    else if (c === 0x0a) out += '\\n';
    else if (c === 0x0d) out += '\\r';
    else if (c === 0x09) out += '\\t';
    else if (c < 0x20 || c === 0x7f) out += `\\x${hex(c, 2)}`;
    else if (c >= 0x80 && c <= 0x9f) out += `\\u${hex(c, 4)}`;
    else if (c === 0x061c || c === 0x200e || c === 0x200f || (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069)) out += `\\u${hex(c, 4)}`;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && s.charCodeAt(i + 1) >= 0xdc00 && s.charCodeAt(i + 1) <= 0xdfff) {
      out += s[i] + s[i + 1]; // a surrogate pair: an ordinary character outside the BMP
      i++;
    } else if (c >= 0xdc80 && c <= 0xdcff) out += `\\x${hex(c - 0xdc00, 2)}`;
    else if (c >= 0xd800 && c <= 0xdfff) out += `\\u${hex(c, 4)}`;
    else out += s[i];
  }
  return out;
}

/** Each line of a multi-line text escaped on its own; the newlines between lines stay. */
export function escapeLines(s: string): string {
  return NEEDS.test(s) ? s.split('\n').map(escapeControls).join('\n') : s;
}

/**
 * Punctuation btfparity itself writes (arrows, dashes, quotes) in ASCII,
 * for `--ascii` and the email format. Applied to prose (rule
 * explanations); names and other data go through asciiEscape only, so a
 * name's own `→` stays distinguishable from the report's arrow.
 */
const ASCII_PUNCTUATION: Readonly<Record<string, string>> = {
  '→': '->',
  '←': '<-',
  '—': '-',
  '–': '-',
  '‘': "'",
  '’': "'",
  '“': '"',
  '”': '"',
  '…': '...',
  '×': 'x',
  '≤': '<=',
  '≥': '>=',
};

/** Every character outside ASCII as `\uNNNN` (`\U00NNNNNN` beyond the BMP); run after escapeControls. */
export function asciiEscape(s: string): string {
  if (!/[^\x20-\x7e\n]/.test(s)) return s;
  let out = '';
  for (const ch of s) {
    const cp = ch.codePointAt(0) ?? 0;
    if (cp < 0x80) out += ch;
    else if (cp <= 0xffff) out += `\\u${hex(cp, 4)}`;
    else out += `\\U${hex(cp, 8)}`;
  }
  return out;
}

/** Prose in ASCII: the report's own punctuation spelled in ASCII, anything else escaped. */
export function asciiProse(s: string): string {
  return asciiEscape(s.replace(/[→←—–‘’“”…×≤≥]/g, (c) => ASCII_PUNCTUATION[c] ?? c));
}
