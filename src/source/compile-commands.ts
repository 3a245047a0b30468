/**
 * compile_commands.json (a JSON compilation database, as written by the
 * kernel's scripts/clang-tools/gen_compile_commands.py, bear, CMake or meson)
 * turned into compilation units btfparity can rebuild through both avenues.
 *
 * Pure: the caller reads the file; nothing here touches the file system or
 * spawns a process, and paths are resolved only against absolute
 * directories (never against the process's cwd).
 *
 * What a unit keeps and drops: the flags that decide what the compiler sees
 * (defines, include paths, -include, -std, -m*, -f*, warnings) are kept
 * verbatim, in order; relative paths in them stay relative to `directory`,
 * so the runner must compile with cwd = directory. Dropped: everything that
 * names outputs or debug-info format, because each avenue writes its own
 * outputs to a scratch dir (never into the build tree) and adds its own
 * debug flags (`-g` for DWARF+pahole, `-gbtf` for compiler BTF).
 */
import { posix as path } from 'node:path';
import { InputError } from '../errors.js';

/** One translation unit from the database, ready to be recompiled. */
export interface CompileUnit {
  /** The source file, absolute. */
  readonly file: string;
  /** The working directory of the original compile, absolute; compile with cwd set to it. */
  readonly directory: string;
  /** argv[0] of the original command, as written (`gcc`, `/usr/bin/gcc-12`, `ccache`...). */
  readonly compiler: string;
  /** The remaining argv minus compiler, -c, outputs, the source, dependency-file and -g* flags. */
  readonly flags: readonly string[];
  /** The original object file (entry `output`, else the `-o` argument), absolute; informational only. */
  readonly output?: string;
}

// --- shell words ------------------------------------------------------------

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

// --- argv → unit ------------------------------------------------------------

/**
 * Options whose argument may be the next word. Needed so that the argument
 * is never mistaken for the source file (`-include x.c`) and so dropped
 * options take their argument with them.
 */
const TAKES_ARGUMENT = new Set([
  '-o',
  '-I',
  '-D',
  '-U',
  '-x',
  '-include',
  '-imacros',
  '-isystem',
  '-iquote',
  '-idirafter',
  '-iprefix',
  '-iwithprefix',
  '-iwithprefixbefore',
  '-isysroot',
  '-imultilib',
  '--sysroot',
  '-MF',
  '-MT',
  '-MQ',
  '-Xpreprocessor',
  '-Xassembler',
  '-Xlinker',
  '-L',
  '-B',
  '-T',
  '--param',
  '-aux-info',
  '-dumpbase',
  '-dumpbase-ext',
  '-dumpdir',
  '-target',
  '--target',
]);

/** Dependency-file options without an argument (-MP/-MG only shape the .d file too). */
const DEP_FLAGS = new Set(['-MD', '-MMD', '-MP', '-MG']);
/** Dependency-file options with an argument, separate (`-MF x`) or joined (`-MFx`). */
const DEP_FLAGS_WITH_ARG = ['-MF', '-MT', '-MQ'];

interface SplitArgv {
  flags: string[];
  output?: string;
}

/**
 * Drop from argv (without argv[0]) what the avenues replace: `-c`, `-o X`,
 * the source file, dependency-file flags and `-g*`. Throws `Error` on a
 * dangling option argument.
 */
function stripArgv(args: readonly string[], directory: string, file: string): SplitArgv {
  const flags: string[] = [];
  let output: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (TAKES_ARGUMENT.has(a)) {
      if (i + 1 >= args.length) throw new Error(`option ${a} has no argument`);
      const v = args[++i];
      if (a === '-o') output = v;
      else if (!DEP_FLAGS_WITH_ARG.includes(a)) flags.push(a, v);
    } else if (a === '-c' || DEP_FLAGS.has(a) || a.startsWith('-g')) {
      // dropped: each avenue compiles to its own object and adds its own debug flags
    } else if (a.startsWith('-o')) {
      output = a.slice(2);
    } else if (DEP_FLAGS_WITH_ARG.some((p) => a.startsWith(p))) {
      // joined -MFfile / -MTtarget / -MQtarget
    } else if (a.startsWith('-Wp,')) {
      const kept = stripWpDeps(a);
      if (kept !== undefined) flags.push(kept);
    } else if (!a.startsWith('-') && path.resolve(directory, a) === file) {
      // the source itself; each avenue appends it again
    } else {
      flags.push(a);
    }
  }
  return { flags, output };
}

/**
 * `-Wp,-MD,path` / `-Wp,-MMD,path` (kbuild's way of writing .d files) pass a
 * dependency-file option to the preprocessor: drop that pair and keep any
 * other comma-separated preprocessor options. Undefined when nothing is left.
 */
function stripWpDeps(arg: string): string | undefined {
  const parts = arg.slice('-Wp,'.length).split(',');
  const kept: string[] = [];
  for (let i = 0; i < parts.length; i++) {
    if (parts[i] === '-MD' || parts[i] === '-MMD')
      i++; // and its path
    else kept.push(parts[i]);
  }
  return kept.length ? `-Wp,${kept.join(',')}` : undefined;
}

// --- the database -----------------------------------------------------------

/**
 * Parse the text of a compile_commands.json. `source` names the file in
 * errors. Entries keep their order; duplicates (the same file compiled
 * twice) are kept, as the database says so.
 *
 * Throws `InputError` (exit 2) naming the file and the entry index.
 */
export function parseCompileCommands(text: string, source = 'compile_commands.json'): CompileUnit[] {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new InputError(`not valid JSON (${(e as Error).message})`, { file: source }, { cause: e });
  }
  if (!Array.isArray(data)) throw new InputError('expected a JSON array of entries', { file: source });
  return data.map((entry, index) => {
    try {
      return parseEntry(entry);
    } catch (e) {
      if (e instanceof InputError) throw e;
      throw new InputError(`entry ${index}: ${(e as Error).message}`, { file: source }, { cause: e });
    }
  });
}

/** One entry; throws `Error` with a reason (the caller adds file and index). */
function parseEntry(entry: unknown): CompileUnit {
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) throw new Error('not a JSON object');
  const e = entry as Record<string, unknown>;
  const given = requireString(e, 'directory');
  if (!path.isAbsolute(given)) throw new Error(`"directory" must be an absolute path, got ${JSON.stringify(given)}`);
  const directory = path.resolve(given); // normalised: no trailing slash, no `..`
  const file = path.resolve(directory, requireString(e, 'file'));
  const argv = entryArgv(e);
  if (argv.length === 0) throw new Error('empty command');
  const { flags, output } = stripArgv(argv.slice(1), directory, file);
  const out = e.output === undefined ? output : requireString(e, 'output');
  return {
    file,
    directory,
    compiler: argv[0],
    flags,
    ...(out !== undefined ? { output: path.resolve(directory, out) } : {}),
  };
}

/** `arguments` wins over `command` when both are present (as in clang's reader). */
function entryArgv(e: Record<string, unknown>): string[] {
  if (e.arguments !== undefined) {
    const args = e.arguments;
    if (!Array.isArray(args) || !args.every((a) => typeof a === 'string')) {
      throw new Error('"arguments" must be an array of strings');
    }
    return args as string[];
  }
  if (e.command === undefined) throw new Error('neither "command" nor "arguments" is present');
  const command = requireString(e, 'command');
  try {
    return splitShellWords(command);
  } catch (err) {
    throw new Error(`"command": ${(err as Error).message}`, { cause: err });
  }
}

function requireString(e: Record<string, unknown>, key: string): string {
  const v = e[key];
  if (typeof v !== 'string' || v === '') throw new Error(`"${key}" must be a non-empty string`);
  return v;
}

// --- selection --------------------------------------------------------------

/**
 * The default root for patterns and shards: the deepest directory that
 * contains every entry's `directory`. For a kbuild database that is the
 * kernel tree (or the O= build dir), so units are named `lib/sort.c`
 * whatever the checkout path and whichever units the database holds.
 * Undefined for an empty database.
 */
export function defaultRoot(units: readonly CompileUnit[]): string | undefined {
  if (units.length === 0) return undefined;
  let root = units[0].directory.split('/');
  for (const u of units) {
    const parts = u.directory.split('/');
    let i = 0;
    while (i < root.length && i < parts.length && root[i] === parts[i]) i++;
    root = root.slice(0, i);
  }
  return root.join('/') || '/';
}

/** The unit's path relative to `root` (absolute), `/`-separated: what patterns and shards see. */
export function unitPath(unit: CompileUnit, root: string): string {
  return path.relative(root, unit.file);
}

/**
 * Keep the units whose path relative to `root` matches any pattern, in their
 * original order. Patterns are globs: `*` and `?` stay within one path
 * segment, `**` spans segments (`fs/**` is everything under fs/, `**\/*.c`
 * any .c file), `[abc]` / `[!abc]` are character classes. A pattern starting
 * with `!` excludes what it matches (applied after the includes). With no
 * include pattern, everything not excluded is kept.
 */
export function selectUnits(units: readonly CompileUnit[], patterns: readonly string[], root: string): CompileUnit[] {
  const includes = patterns.filter((p) => !p.startsWith('!')).map(globToRegExp);
  const excludes = patterns.filter((p) => p.startsWith('!')).map((p) => globToRegExp(p.slice(1)));
  return units.filter((u) => {
    const rel = unitPath(u, root);
    const included = includes.length === 0 || includes.some((r) => r.test(rel));
    return included && !excludes.some((r) => r.test(rel));
  });
}

/** Compile a glob (see selectUnits) into an anchored RegExp. */
export function globToRegExp(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*' && glob[i + 1] === '*') {
      // `**/` matches zero or more whole segments; a trailing `**` matches the rest.
      if (glob[i + 2] === '/') {
        re += '(?:[^/]*/)*';
        i += 2;
      } else {
        re += '.*';
        i += 1;
      }
    } else if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const close = glob.indexOf(']', i + 2);
      if (close < 0) {
        re += '\\[';
        continue;
      }
      let body = glob.slice(i + 1, close);
      if (body.startsWith('!')) body = `^${body.slice(1)}`;
      re += `[${body.replace(/\\/g, '\\\\')}]`;
      i = close;
    } else re += c.replace(/[.+^${}()|\\/]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

// --- sharding ---------------------------------------------------------------

/**
 * FNV-1a (32-bit) over the UTF-8 bytes of `s`. Chosen because it is tiny,
 * fully specified and independent of the platform, so the same path lands
 * in the same shard on every machine and Node version.
 */
export function fnv1a32(s: string): number {
  let h = 0x811c9dc5;
  for (const b of new TextEncoder().encode(s)) {
    h ^= b;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/** The 1-based shard (of `n`) a unit belongs to: fnv1a32(its path relative to root) mod n, plus 1. */
export function shardOf(unit: CompileUnit, n: number, root: string): number {
  return (fnv1a32(unitPath(unit, root)) % n) + 1;
}

/**
 * The units of shard `k` of `n` (1-based, as in `--shard 2/4`), in original
 * order. Membership depends only on the unit's path relative to `root`, not
 * on the database's order or size or on where the tree is checked out: shards
 * of one database are disjoint and cover it, and adding a unit never moves
 * another unit to a different shard. The price is that shard sizes are only
 * roughly equal.
 */
export function shardUnits(units: readonly CompileUnit[], k: number, n: number, root: string): CompileUnit[] {
  if (!Number.isInteger(n) || n < 1) throw new InputError(`shard count must be a positive integer, got ${n}`, { option: '--shard' });
  if (!Number.isInteger(k) || k < 1 || k > n) throw new InputError(`shard index must be in 1..${n}, got ${k}`, { option: '--shard' });
  return units.filter((u) => shardOf(u, n, root) === k);
}

/** Parse a `--shard` value `K/N`. */
export function parseShard(spec: string): { k: number; n: number } {
  const m = /^(\d+)\/(\d+)$/.exec(spec.trim());
  if (!m) throw new InputError(`expected K/N (e.g. 1/4), got ${JSON.stringify(spec)}`, { option: '--shard' });
  const k = Number(m[1]);
  const n = Number(m[2]);
  if (n < 1 || k < 1 || k > n) throw new InputError(`expected 1 <= K <= N, got ${spec}`, { option: '--shard' });
  return { k, n };
}

// --- one compiler invocation (build-wrapper mode) ---------------------------

/** Options after which the compiler stops before writing an object (or writes none). */
const NO_OBJECT = new Set(['-E', '-S', '-M', '-MM', '-fsyntax-only', '-###']);

/**
 * The unit a compiler invocation builds, when it compiles exactly one C
 * source to an object: `-c`, one input ending in `.c` (and no other input),
 * no `-E`/`-S`/`-M`/`-MM`/`-fsyntax-only`, not stdin (`-`), no `-x` naming
 * another language. Undefined otherwise (a link, an assembly, a probe such
 * as `gcc -c -x c /dev/null`): build-wrapper mode then only runs the command.
 * `argv[0]` is the compiler; `directory` (absolute) is where it runs.
 */
export function unitFromCompilerArgv(argv: readonly string[], directory: string): CompileUnit | undefined {
  const args = argv.slice(1);
  let compiles = false;
  const inputs: string[] = [];
  let output: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (TAKES_ARGUMENT.has(a)) {
      if (i + 1 >= args.length) return undefined;
      const v = args[++i];
      if (a === '-x' && v !== 'c') return undefined;
      if (a === '-o') output = v;
    } else if (a === '-c') compiles = true;
    else if (NO_OBJECT.has(a) || (a.startsWith('-x') && a !== '-xc')) return undefined;
    else if (a.startsWith('-o')) output = a.slice(2);
    else if (a === '-' || !a.startsWith('-')) inputs.push(a);
  }
  if (!compiles || inputs.length !== 1 || !inputs[0].endsWith('.c')) return undefined;
  const file = path.resolve(directory, inputs[0]);
  const { flags } = stripArgv(args, directory, file);
  // gcc -c without -o writes the source's base name with .o, in the cwd.
  const obj = output ?? `${path.basename(inputs[0], '.c')}.o`;
  return { file, directory, compiler: argv[0], flags, output: path.resolve(directory, obj) };
}
