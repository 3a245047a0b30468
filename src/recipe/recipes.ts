/**
 * Recipes as data: how one avenue turns a C source into BTF. A recipe is a
 * compile step, an optional encoding step and the place the BTF is read
 * from. Nothing here runs anything; src/recipe/plan.ts expands the
 * templates and src/recipe/run-step.ts executes them.
 *
 * Template tokens:
 *   - a token that is exactly `$CFLAGS` or `$PAHOLE_FLAGS` splices a list
 *     (possibly empty) of arguments;
 *   - `$CC`, `$CLANG`, `$PAHOLE` as a whole token is the tool;
 *   - `$SRC`, `$OBJ`, `$BTF` are replaced wherever they occur inside a token
 *     (so `--btf_encode_detached=$BTF` works).
 */

/** A tool a recipe needs; each role is configured separately (`--cc`, `--clang`, `--pahole`). */
export type ToolRole = 'cc' | 'clang' | 'pahole';

export interface CompileStep {
  /** `$CC` or `$CLANG`: which configured compiler runs. */
  readonly tool: 'cc' | 'clang';
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

export const RECIPES: Readonly<Record<string, Recipe>> = {
  pahole: {
    name: 'pahole',
    description: 'DWARF from $CC -g, encoded by pahole --btf_encode_detached',
    compile: { tool: 'cc', argv: ['$CC', '-g', '$CFLAGS', '-c', '$SRC', '-o', '$OBJ'], debugFlags: ['-g'], produces: 'dwarf' },
    encode: PAHOLE_ENCODE,
    btfFrom: 'detached',
  },
  'gcc-btf': {
    name: 'gcc-btf',
    description: "BTF emitted by $CC -gbtf (the object's .BTF section)",
    compile: { tool: 'cc', argv: ['$CC', '-gbtf', '$CFLAGS', '-c', '$SRC', '-o', '$OBJ'], debugFlags: ['-gbtf'], produces: 'btf' },
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
