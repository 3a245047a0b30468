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
  /** Makes the compiler write a file of its own (`-save-temps`, `-fdump-*`): see SIDE_OUTPUTS. */
  | 'side-output'
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

/** What rebuilding a unit does with an option that makes the compiler write a file of its own. */
export type SideOutputAction =
  /** Dropped, with its argument: the file is all it does, the object is the same without it. */
  | { readonly kind: 'drop' }
  /** Replaced by these words: the part of it that changes the object stays. */
  | { readonly kind: 'replace'; readonly words: readonly string[] };

export interface SideOutput {
  /** How it takes its argument, as in GCC_OPTIONS (`joined` for a family: `-fdump-` is every `-fdump-*`). */
  readonly argument?: ArgumentForm;
  readonly action: SideOutputAction;
  /** What it writes, and where. */
  readonly why: string;
}

const drop = { kind: 'drop' } as const;

/**
 * Options that write files besides the object (issue 14): a rebuilt unit
 * must write nothing outside btfparity's scratch dir, and steps run with
 * cwd = the entry's directory, in the build tree. Names are as in
 * GCC_OPTIONS (they are part of it, role `side-output`); compile-argv.ts
 * applies the action. Written per gcc 12 (and clang where it shares the
 * spelling); each was seen writing with `gcc -c t.c -o SCRATCH/t.o` run in
 * a build directory.
 */
export const SIDE_OUTPUTS: Readonly<Record<string, SideOutput>> = {
  '-aux-info': { argument: 'separate', action: drop, why: "writes the unit's function prototypes to its argument, relative to cwd" },
  '-save-temps': { argument: 'joined', action: drop, why: 'keeps the .i and .s: next to the object, in cwd with =cwd (every -save-temps* spelling)' },
  '-fdump-': {
    argument: 'joined',
    action: drop,
    why: 'tree, rtl, ipa, lang and statistics dumps; =FILE, -fdump-ada-spec (.ads) and -fdump-go-spec=FILE write in cwd',
  },
  '-fstack-usage': { action: drop, why: 'writes .su next to the object (or in -dumpdir)' },
  '-fcallgraph-info': { argument: 'joined', action: drop, why: 'writes .ci next to the object (or in -dumpdir); =su,da too' },
  '-fopt-info': { argument: 'joined', action: drop, why: 'optimisation remarks: on stderr, or to =FILE relative to cwd (every -fopt-info-* spelling)' },
  '-fsave-optimization-record': { action: drop, why: 'writes .opt-record.json.gz next to the object (or in -dumpdir)' },
  '-dumpdir': { argument: 'separate', action: drop, why: 'moves the auxiliary outputs above (and the .gcno) into its argument, e.g. the build tree' },
  '-dumpbase': { argument: 'separate', action: drop, why: 'names the auxiliary outputs, which may put them in another directory' },
  '-dumpbase-ext': { argument: 'separate', action: drop, why: 'part of the auxiliary output names (with -dumpbase)' },
  '--coverage': {
    action: { kind: 'replace', words: ['-fprofile-arcs'] },
    why: 'is -fprofile-arcs -ftest-coverage: the notes file (.gcno) is what it writes at compile time; the arcs instrumentation stays in the object',
  },
  '-ftest-coverage': { action: drop, why: 'writes the .gcno notes file, nothing in the object' },
  '-fprofile-note=': { argument: 'joined', action: drop, why: 'names the .gcno file (written only with -ftest-coverage)' },
  '-fdiagnostics-format=sarif-file': { action: drop, why: 'writes diagnostics as SARIF to SRC.sarif in cwd (gcc 13+); without it they come on stderr' },
  '-fdiagnostics-format=json-file': { action: drop, why: 'writes diagnostics as JSON to SRC.gcc.json in cwd (gcc 13+)' },
  '-MJ': { argument: 'separate-or-joined', action: drop, why: 'clang: writes a compilation-database fragment to its argument' },
  '--serialize-diagnostics': { argument: 'separate', action: drop, why: 'clang: writes diagnostics in binary form to its argument' },
  '-save-stats': { argument: 'joined', action: drop, why: 'clang: writes statistics next to the object, or in cwd with =cwd' },
};

function sideOutputOptions(): Record<string, GccOption> {
  return Object.fromEntries(
    Object.entries(SIDE_OUTPUTS).map(([name, o]) => [name, { role: 'side-output', ...(o.argument !== undefined ? { argument: o.argument } : {}) }]),
  );
}

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
  '-target': { role: 'other', argument: 'separate' },
  '--target': { role: 'other', argument: 'separate' },
  /** Comma-separated options for the assembler (listings and dependency files among them: ASSEMBLER_SIDE_OUTPUTS). */
  '-Wa,': { role: 'other', argument: 'joined' },

  ...sideOutputOptions(),
};

/**
 * Items of the comma lists `-Wp,` (preprocessor) and `-Wa,` (assembler),
 * and the arguments of `-Xpreprocessor` / `-Xassembler`, that write a
 * file: `withFile` take the file as the next item, `prefixes` are whole
 * families. compile-argv.ts drops them and keeps the other items.
 */
export interface ListSideOutputs {
  readonly withFile: readonly string[];
  readonly prefixes: readonly string[];
}

/**
 * The preprocessor proper (cc1 -E): `-MD FILE` / `-MMD FILE` write the
 * dependency file (kbuild's `-Wp,-MMD,dir/.x.o.d`; the driver's `-MD` has no
 * argument, cpp's has), `-MF FILE` names it, `-MT`/`-MQ` name its targets
 * (nothing without the others, dropped with them).
 */
export const PREPROCESSOR_SIDE_OUTPUTS: ListSideOutputs = { withFile: ['-MD', '-MMD', '-MF', '-MT', '-MQ'], prefixes: [] };

/** The assembler (GNU as): `--MD FILE` writes a dependency file; `-a…[=FILE]` listings go to FILE or stdout. */
export const ASSEMBLER_SIDE_OUTPUTS: ListSideOutputs = { withFile: ['--MD'], prefixes: ['-a', '--MD='] };

/** Which list filter a channel to a sub-tool uses, by option name. */
export const LIST_CHANNELS: Readonly<Record<string, ListSideOutputs>> = {
  '-Wp,': PREPROCESSOR_SIDE_OUTPUTS,
  '-Xpreprocessor': PREPROCESSOR_SIDE_OUTPUTS,
  '-Wa,': ASSEMBLER_SIDE_OUTPUTS,
  '-Xassembler': ASSEMBLER_SIDE_OUTPUTS,
};

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
