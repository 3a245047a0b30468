/**
 * POSIX shell word splitting for the `command` string of a compile
 * database entry, without expanding or running anything. Pure.
 */

/** Unquoted characters that would make a POSIX shell do more than split words. */
const SHELL_OPERATORS = new Set([';', '|', '&', '<', '>', '(', ')']);

/**
 * Split a command line into words the way a POSIX shell would before
 * running a simple command: blanks separate words; single quotes keep
 * everything literal; double quotes keep everything literal except that a
 * backslash escapes `$`, backquote, `"`, `\` and newline; an unquoted
 * backslash escapes the next character (backslash-newline joins lines); an
 * unquoted `#` at the start of a word begins a comment.
 *
 * Nothing is expanded or executed. A construct whose meaning needs a shell
 * (`$var`, `$(...)`, backquotes, `;`, `|`, `&`, redirections, subshells,
 * a newline followed by another command)
 * throws rather than being passed on literally, because the argv it would
 * produce would not be the one the build ran. Glob characters (`*?[`) and a
 * leading `~` are kept literally (a shell would expand them only if they
 * matched files; compile commands do not rely on that).
 *
 * Throws `Error` with a reason; callers wrap it with the entry's location.
 */
export function splitShellWords(line: string): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false; // distinguishes an empty quoted word ('') from no word
  let i = 0;
  const end = () => {
    if (inWord) words.push(word);
    word = '';
    inWord = false;
  };
  while (i < line.length) {
    const c = line[i];
    if (c === ' ' || c === '\t') {
      end();
      i++;
    } else if (c === '\n') {
      // A newline ends the command; a second command would need a shell.
      if (line.slice(i).trim() !== '') throw new Error(`unquoted newline at column ${i + 1} (a second command) is not supported`);
      end();
      i++;
    } else if (c === '\\') {
      if (i + 1 >= line.length) throw new Error(`trailing backslash at column ${i + 1}`);
      if (line[i + 1] !== '\n') {
        word += line[i + 1];
        inWord = true;
      }
      i += 2;
    } else if (c === "'") {
      const close = line.indexOf("'", i + 1);
      if (close < 0) throw new Error(`unterminated single quote at column ${i + 1}`);
      word += line.slice(i + 1, close);
      inWord = true;
      i = close + 1;
    } else if (c === '"') {
      const [text, next] = readDoubleQuoted(line, i);
      word += text;
      inWord = true;
      i = next;
    } else if (c === '#' && !inWord) {
      const nl = line.indexOf('\n', i);
      i = nl < 0 ? line.length : nl;
    } else if (c === '$' || c === '`') {
      throw new Error(`shell expansion '${c}' at column ${i + 1} is not supported (quote it)`);
    } else if (SHELL_OPERATORS.has(c)) {
      throw new Error(`shell operator '${c}' at column ${i + 1} is not supported (quote it)`);
    } else {
      word += c;
      inWord = true;
      i++;
    }
  }
  end();
  return words;
}

/** Characters a backslash escapes inside double quotes (POSIX 2.2.3). */
const DQ_ESCAPABLE = new Set(['$', '`', '"', '\\', '\n']);

/** Read a double-quoted run starting at `open` (the `"`); return its text and the index after the closing quote. */
function readDoubleQuoted(line: string, open: number): [string, number] {
  let text = '';
  let i = open + 1;
  while (i < line.length) {
    const c = line[i];
    if (c === '"') return [text, i + 1];
    if (c === '\\' && i + 1 < line.length && DQ_ESCAPABLE.has(line[i + 1])) {
      if (line[i + 1] !== '\n') text += line[i + 1];
      i += 2;
    } else if (c === '$' || c === '`') {
      throw new Error(`shell expansion '${c}' inside double quotes at column ${i + 1} is not supported (escape it)`);
    } else {
      text += c;
      i++;
    }
  }
  throw new Error(`unterminated double quote at column ${open + 1}`);
}
