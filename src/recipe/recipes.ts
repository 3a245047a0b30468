/**
 * Recipes as data: how one avenue turns a C source into BTF. A recipe is a
 * compile step, an optional encoding step and the place the BTF is read
 * from. Nothing here runs anything; src/recipe/plan.ts expands the
 * templates and src/recipe/run-step.ts executes them.
 *
 * Template tokens:
 *   - a token that is exactly `$CFLAGS`, `$PAHOLE_FLAGS` or
 *     `$KERNEL_PAHOLE_FLAGS` splices a list (possibly empty) of arguments
 *     (the last: the kernel build's pahole flags for the side's pahole
 *     version, src/recipe/pahole-flags.ts);
 *   - `$CC`, `$CLANG`, `$BPF_GCC`, `$PAHOLE` as a whole token is the tool;
 *   - `$SRC`, `$OBJ`, `$BTF` are replaced wherever they occur inside a token
 *     (so `--btf_encode_detached=$BTF` works).
 */

/**
 * A tool a recipe needs; each role is configured separately (`--cc`,
 * `--clang`, `--bpf-gcc`, `--pahole`, and per side `--left-cc` ...).
 * bpf-gcc is a role of its own, not `cc`: it is another compiler (the BPF
 * target's gcc, Debian's gcc-bpf), so `--cc` pointing the pahole side's
 * `gcc -g` at gcc-16 must not also move the BPF compile, and its default
 * (`bpf-gcc`) differs from cc's (`gcc`).
 */
export type ToolRole = 'cc' | 'clang' | 'bpf-gcc' | 'pahole';

/** Roles whose tool is a gcc driver (it answers `-print-prog-name=cc1`; the cache key covers that cc1 too). */
export const GCC_DRIVER_ROLES: readonly ToolRole[] = ['cc', 'bpf-gcc'];

/** Which kernel pahole flags an encode step asks for (src/recipe/pahole-flags.ts): the plain set, or with the opt-in features too. */
export type KernelFlagSet = 'kernel' | 'kernel-all-vars';

export interface CompileStep {
  /** `$CC`, `$CLANG` or `$BPF_GCC`: which configured compiler runs. */
  readonly tool: 'cc' | 'clang' | 'bpf-gcc';
  readonly argv: readonly string[];
  /**
   * The tokens of `argv` that only ask for debug information (`-g`,
   * `-gbtf`). Two recipes whose compile steps are equal once these are
   * removed can share one compile that asks for the union of both
   * (single-compile mode): gcc 12 `-g -gbtf` keeps both .debug_info and
   * .BTF, byte-identical to separate `-g` / `-gbtf` compiles (checked on
   * every corpus probe, see test/recipe-single-compile.test.ts).
   */
  readonly debugFlags: readonly string[];
  /** What the object must carry for the rest of the recipe. */
  readonly produces: 'dwarf' | 'btf';
}

export interface EncodeStep {
  readonly tool: 'pahole';
  readonly argv: readonly string[];
  /** What `$KERNEL_PAHOLE_FLAGS` expands to (absent: the template has no such token). */
  readonly kernelFlags?: KernelFlagSet;
}

export interface Recipe {
  readonly name: string;
  readonly description: string;
  readonly compile: CompileStep;
  readonly encode?: EncodeStep;
  /** `object`: the compiled object's `.BTF` section; `detached`: the encoder's raw BTF file `$BTF`. */
  readonly btfFrom: 'object' | 'detached';
}

const PAHOLE_ENCODE: EncodeStep = {
  tool: 'pahole',
  argv: ['$PAHOLE', '$PAHOLE_FLAGS', '--btf_encode_detached=$BTF', '$OBJ'],
};

const GCC_DWARF: CompileStep = { tool: 'cc', argv: ['$CC', '-g', '$CFLAGS', '-c', '$SRC', '-o', '$OBJ'], debugFlags: ['-g'], produces: 'dwarf' };

/** pahole with the flags the kernel's build passes for this pahole version (and `--kernel-version`), then any `--pahole-flags`. */
function kernelEncode(set: KernelFlagSet): EncodeStep {
  return { tool: 'pahole', argv: ['$PAHOLE', '$KERNEL_PAHOLE_FLAGS', '$PAHOLE_FLAGS', '--btf_encode_detached=$BTF', '$OBJ'], kernelFlags: set };
}

export const RECIPES: Readonly<Record<string, Recipe>> = {
  pahole: {
    name: 'pahole',
    description: 'DWARF from $CC -g, encoded by pahole --btf_encode_detached',
    compile: GCC_DWARF,
    encode: PAHOLE_ENCODE,
    btfFrom: 'detached',
  },
  'pahole-kernel': {
    name: 'pahole-kernel',
    description: "DWARF from $CC -g, encoded by pahole with the kernel build's flags for its version",
    compile: GCC_DWARF,
    encode: kernelEncode('kernel'),
    btfFrom: 'detached',
  },
  'pahole-all-vars': {
    name: 'pahole-all-vars',
    description: 'as pahole-kernel, plus global_var (every global variable, where the pahole version has it)',
    compile: GCC_DWARF,
    encode: kernelEncode('kernel-all-vars'),
    btfFrom: 'detached',
  },
  'gcc-btf': {
    name: 'gcc-btf',
    description: "BTF emitted by $CC -gbtf (the object's .BTF section)",
    compile: { tool: 'cc', argv: ['$CC', '-gbtf', '$CFLAGS', '-c', '$SRC', '-o', '$OBJ'], debugFlags: ['-gbtf'], produces: 'btf' },
    btfFrom: 'object',
  },
  // bpf-gcc: -gbtf, not -g. bpf-gcc 12 (Debian 12's gcc-bpf) writes only DWARF for -g, bpf-gcc 16
  // only .BTF/.BTF.ext; -gbtf gives .BTF (and .BTF.ext) on both (checked on corpus probes).
  'bpf-gcc-btf': {
    name: 'bpf-gcc-btf',
    description: "BTF emitted by $BPF_GCC -gbtf for the BPF target (the object's .BTF section)",
    compile: { tool: 'bpf-gcc', argv: ['$BPF_GCC', '-gbtf', '$CFLAGS', '-c', '$SRC', '-o', '$OBJ'], debugFlags: ['-gbtf'], produces: 'btf' },
    btfFrom: 'object',
  },
  'clang-bpf': {
    name: 'clang-bpf',
    description: "BTF emitted by $CLANG --target=bpf -g (the object's .BTF section)",
    compile: {
      tool: 'clang',
      argv: ['$CLANG', '--target=bpf', '-g', '$CFLAGS', '-c', '$SRC', '-o', '$OBJ'],
      debugFlags: ['-g'],
      produces: 'btf',
    },
    btfFrom: 'object',
  },
  'clang-bpf-pahole': {
    name: 'clang-bpf-pahole',
    description: 'DWARF from $CLANG --target=bpf -g, encoded by pahole --btf_encode_detached',
    compile: {
      tool: 'clang',
      argv: ['$CLANG', '--target=bpf', '-g', '$CFLAGS', '-c', '$SRC', '-o', '$OBJ'],
      debugFlags: ['-g'],
      produces: 'dwarf',
    },
    encode: PAHOLE_ENCODE,
    btfFrom: 'detached',
  },
};

export const RECIPE_NAMES: readonly string[] = Object.keys(RECIPES);
export const DEFAULT_LEFT_RECIPE = 'pahole';
export const DEFAULT_RIGHT_RECIPE = 'gcc-btf';

/** The recipe named `name`, or undefined (the CLI turns that into a usage error). */
export function findRecipe(name: string): Recipe | undefined {
  return Object.hasOwn(RECIPES, name) ? RECIPES[name] : undefined;
}

/** Tool roles a recipe runs, in step order. */
export function recipeTools(recipe: Recipe): ToolRole[] {
  return recipe.encode ? [recipe.compile.tool, recipe.encode.tool] : [recipe.compile.tool];
}
