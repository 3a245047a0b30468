/**
 * The gcc driver options btfparity has to understand to rewrite someone
 * else's compile command, as data: which take an argument (so the
 * argument is never mistaken for the source file, and goes wherever its
 * option goes) and what each is for. Options not listed are kept as they
 * are by every reader.
 *
 * Readers: source/compile-argv.ts (what a database unit keeps),
 * source/compiler-invocation.ts (does a wrapped command compile one C
 * file), cache/preprocess.ts (the same compile as `-E`, for the cache key)
 * and triage/preprocess.ts (what a preprocessed candidate still needs).
 * Pure.
 */

/** What an option is for, as far as rewriting a compile goes. */
export type OptionRole =
  /** `-o`: names the output; each avenue writes its own. */
  | 'output'
  /** `-c`: stop after the object. */
  | 'compile'
  /** Stops before an object, or writes none (`-E`, `-S`, `-M`, `-fsyntax-only`). */
  | 'no-object'
  /** Writes a make dependency file on the side (`-MD`, `-MF x.d`). */
  | 'dependency'
  /** `-x`: the language of the inputs that follow. */
  | 'language'
  /** Acts only in the preprocessor: its whole effect is in the preprocessed text (`-I`, `-D`, `-include`). */
  | 'preprocessor'
  /** Anything else that takes an argument (linker, assembler, target and dump options). */
  | 'other';

/**
 * How an option takes its argument: `separate` as the next word only;
 * `separate-or-joined` also glued on (`-Idir`, `-DX=1`, `-oout.o`, `-MFx.d`);
 * `joined` only glued on (`-Wp,-MD,x.d`). No argument when absent.
 */
export type ArgumentForm = 'separate' | 'separate-or-joined' | 'joined';

export interface GccOption {
  readonly role: OptionRole;
  readonly argument?: ArgumentForm;
}

const sj = 'separate-or-joined' as const;

/** The options btfparity knows, by the name as written on the command line. */
export const GCC_OPTIONS: Readonly<Record<string, GccOption>> = {
  '-o': { role: 'output', argument: sj },
  '-c': { role: 'compile' },

  '-E': { role: 'no-object' },
  '-S': { role: 'no-object' },
  '-M': { role: 'no-object' },
  '-MM': { role: 'no-object' },
  '-fsyntax-only': { role: 'no-object' },
  '-###': { role: 'no-object' },

  '-MD': { role: 'dependency' },
  '-MMD': { role: 'dependency' },
  '-MP': { role: 'dependency' },
  '-MG': { role: 'dependency' },
  '-MF': { role: 'dependency', argument: sj },
  '-MT': { role: 'dependency', argument: sj },
  '-MQ': { role: 'dependency', argument: sj },

  '-x': { role: 'language', argument: sj },

  '-I': { role: 'preprocessor', argument: sj },
  '-D': { role: 'preprocessor', argument: sj },
  '-U': { role: 'preprocessor', argument: sj },
  '-include': { role: 'preprocessor', argument: sj },
  '-imacros': { role: 'preprocessor', argument: sj },
  '-isystem': { role: 'preprocessor', argument: sj },
  '-iquote': { role: 'preprocessor', argument: sj },
  '-idirafter': { role: 'preprocessor', argument: sj },
  '-iprefix': { role: 'preprocessor', argument: sj },
  '-iwithprefix': { role: 'preprocessor', argument: sj },
  '-iwithprefixbefore': { role: 'preprocessor', argument: sj },
  '-isysroot': { role: 'preprocessor', argument: sj },
  '-imultilib': { role: 'preprocessor', argument: sj },
  '-nostdinc': { role: 'preprocessor' },
  '-Xpreprocessor': { role: 'preprocessor', argument: 'separate' },
  /** Comma-separated options for the preprocessor itself (kbuild writes its .d files with `-Wp,-MMD,path`). */
  '-Wp,': { role: 'preprocessor', argument: 'joined' },

  '--sysroot': { role: 'other', argument: 'separate' },
  '-Xassembler': { role: 'other', argument: 'separate' },
  '-Xlinker': { role: 'other', argument: 'separate' },
  '-L': { role: 'other', argument: sj },
  '-B': { role: 'other', argument: sj },
  '-T': { role: 'other', argument: sj },
  '--param': { role: 'other', argument: 'separate' },
  '-aux-info': { role: 'other', argument: 'separate' },
  '-dumpbase': { role: 'other', argument: 'separate' },
  '-dumpbase-ext': { role: 'other', argument: 'separate' },
  '-dumpdir': { role: 'other', argument: 'separate' },
  '-target': { role: 'other', argument: 'separate' },
  '--target': { role: 'other', argument: 'separate' },
};

/**
 * Dependency options that, passed to the preprocessor proper inside `-Wp,`,
 * take the dependency file as the next comma-separated item
 * (`-Wp,-MMD,dir/.x.o.d`): the driver's `-MD` has no argument, cpp's has.
 */
export const CPP_DEPENDENCY_WITH_FILE: readonly string[] = ['-MD', '-MMD'];

/** Debug-information options all start with this (`-g`, `-gbtf`, `-gdwarf-4`, `-gsplit-dwarf`). */
export const DEBUG_PREFIX = '-g';

/** What turns a compile into a preprocess-only run, output to stdout. */
export const PREPROCESS_ONLY = '-E';

/** One command-line word read against the table. */
export interface OptionWord {
  /** The option's name as in GCC_OPTIONS. */
  readonly name: string;
  readonly option: GccOption;
  /** The argument glued to the name (`dir` of `-Idir`); absent when the word is the name alone. */
  readonly joined?: string;
}

/** Options that accept a glued-on argument, longest name first within each two-character bucket. */
const JOINED = new Map<string, string[]>();
for (const [name, o] of Object.entries(GCC_OPTIONS)) {
  if (o.argument !== 'separate-or-joined' && o.argument !== 'joined') continue;
  const bucket = JOINED.get(name.slice(0, 2)) ?? [];
  bucket.push(name);
  JOINED.set(name.slice(0, 2), bucket);
}
for (const names of JOINED.values()) names.sort((a, b) => b.length - a.length);

/**
 * The option `word` is: itself when it is a listed name, else the longest
 * listed name that takes a glued-on argument and starts the word. Undefined
 * for words that are no listed option (unknown flags, the source file).
 * When the word is a name that takes a `separate` argument, the caller
 * takes the next word as that argument.
 */
export function readOption(word: string): OptionWord | undefined {
  const exact = Object.hasOwn(GCC_OPTIONS, word) ? GCC_OPTIONS[word] : undefined;
  if (exact) return exact.argument === 'joined' ? { name: word, option: exact, joined: '' } : { name: word, option: exact };
  for (const name of JOINED.get(word.slice(0, 2)) ?? []) {
    if (word.length > name.length && word.startsWith(name)) return { name, option: GCC_OPTIONS[name], joined: word.slice(name.length) };
  }
  return undefined;
}

/** The word is an option whose argument is the next word (`-I dir`, `-o x.o`, `--param x=1`). */
export function takesNextWord(o: OptionWord | undefined): boolean {
  return o !== undefined && o.joined === undefined && (o.option.argument === 'separate' || o.option.argument === 'separate-or-joined');
}

export function isDebugFlag(word: string): boolean {
  return word.startsWith(DEBUG_PREFIX);
}

/** One word of an argv read against the table, with the argument it takes from the next word. */
export interface ArgvWord {
  readonly word: string;
  /** The option the word is; absent for words that are none (unknown flags, inputs). */
  readonly option?: OptionWord;
  readonly role?: OptionRole;
  /** The next word, taken as the option's argument. */
  readonly argument?: string;
  /** The option takes the next word, but the argv ends. */
  readonly missingArgument?: true;
  /** The word and its argument, as written: what keeping the option keeps. */
  readonly words: readonly string[];
}

/** The words of an argv (without argv[0]), each option together with its separate argument. */
export function* readArgv(args: readonly string[]): Generator<ArgvWord> {
  for (let i = 0; i < args.length; i++) {
    const word = args[i];
    const option = readOption(word);
    if (!option) yield { word, words: [word] };
    else if (!takesNextWord(option)) yield { word, option, role: option.option.role, words: [word] };
    else if (i + 1 >= args.length) yield { word, option, role: option.option.role, missingArgument: true, words: [word] };
    else {
      const argument = args[++i];
      yield { word, option, role: option.option.role, argument, words: [word, argument] };
    }
  }
}
