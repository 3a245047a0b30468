/**
 * The pairs file of `btfparity matrix --pairs FILE`: named pairs of sides,
 * each side its recipe and tools under the names a side has in the config
 * file (config-file.ts SIDE_KEYS: `recipe`, `cc`, `pahole`, `cflags`, ...),
 * each pair optionally the keys that set both sides (SHARED_KEYS:
 * `paholeFlags`, `kernelVersion`, ...). A pair becomes a config file's
 * content (`left`, `leftCc`, ...) and is resolved like one (settings.ts),
 * so a pair means what the same keys mean in btfparity.json.
 *
 * Checked at the boundary: every problem is an InputError (exit 2) naming
 * the field (`pairs[2].left.pahole`). Unknown keys are errors here, not
 * warnings as in the config file: a misspelt tool would silently measure
 * the default one under the pair's name.
 */
import { InputError } from '../errors.js';
import { readTextFile } from '../io/regular-file.js';
import { findRecipe, RECIPE_NAMES } from '../recipe/recipes.js';
import { type ConfigFile, type ConfigValueType, configValueProblem, SHARED_KEYS, SIDE_KEYS, sideConfigKey } from './config-file.js';

export interface MatrixPairSpec {
  readonly name: string;
  /** The pair as a config file would say it (`left`, `leftCc`, `paholeFlags`, ...). */
  readonly config: ConfigFile;
}

const SIDES = ['left', 'right'] as const;

/** Read and check a pairs file. */
export function loadPairsFile(file: string): MatrixPairSpec[] {
  let json: unknown;
  try {
    json = JSON.parse(readTextFile(file, { expected: 'a JSON pairs file', failure: (code) => `cannot read pairs file (${code})` }));
  } catch (e) {
    if (e instanceof InputError) throw e.inFile(file);
    throw new InputError(`invalid JSON: ${(e as Error).message}`, { file }, { cause: e });
  }
  try {
    return parsePairs(json);
  } catch (e) {
    throw e instanceof InputError ? e.inFile(file) : e;
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function fail(field: string, reason: string): never {
  throw new InputError(`${field}: ${reason}`);
}

/** The pairs of a parsed file: `{"pairs": [{"name", "left", "right", ...}]}`. */
export function parsePairs(json: unknown): MatrixPairSpec[] {
  if (!isObject(json)) fail('(top level)', 'a pairs file must be a JSON object with "pairs"');
  for (const key of Object.keys(json)) if (key !== 'pairs' && key !== '$schema') fail(key, 'unknown key (known: pairs, $schema)');
  const list = json.pairs;
  if (!Array.isArray(list) || list.length === 0) fail('pairs', 'must be a non-empty array of pairs');
  const names = new Set<string>();
  return list.map((p, i) => {
    const spec = parsePair(p, `pairs[${i}]`);
    if (names.has(spec.name)) fail(`pairs[${i}].name`, `'${spec.name}' names two pairs`);
    names.add(spec.name);
    return spec;
  });
}

function parsePair(p: unknown, field: string): MatrixPairSpec {
  if (!isObject(p)) fail(field, 'a pair must be an object with name, left and right');
  const { name, ...rest } = p;
  if (typeof name !== 'string' || name.trim() === '') fail(`${field}.name`, 'must be a non-empty string');
  const config: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(rest)) {
    if (key === 'left' || key === 'right') Object.assign(config, parseSide(value, key, `${field}.${key}`));
    else {
      checkValue(SHARED_KEYS, key, value, field, ['name', 'left', 'right']);
      config[key] = value;
    }
  }
  for (const side of SIDES) if (!(side in rest)) fail(`${field}.${side}`, 'missing (a side: {"recipe": ..., "cc": ...})');
  return { name, config: config as ConfigFile };
}

function parseSide(v: unknown, side: 'left' | 'right', field: string): Record<string, unknown> {
  if (!isObject(v)) fail(field, `a side must be an object (keys: ${Object.keys(SIDE_KEYS).join(', ')})`);
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(v)) {
    checkValue(SIDE_KEYS, key, value, field, []);
    out[sideConfigKey(side, key)] = value;
  }
  const recipe = v.recipe;
  if (typeof recipe === 'string' && !findRecipe(recipe)) fail(`${field}.recipe`, `unknown recipe '${recipe}' (one of: ${RECIPE_NAMES.join(', ')})`);
  return out;
}

function checkValue(keys: Readonly<Record<string, ConfigValueType>>, key: string, value: unknown, field: string, more: readonly string[]): void {
  if (!Object.hasOwn(keys, key)) fail(`${field}.${key}`, `unknown key (known: ${[...more, ...Object.keys(keys)].join(', ')})`);
  const problem = configValueProblem(key, keys[key], value);
  if (problem) fail(field, problem);
}

/** The JSON Schema of the pairs file, from the same key tables (docs/matrix-pairs.schema.json is this, written out). */
export function pairsJsonSchema(): object {
  const typed = (t: ConfigValueType): object => (t === 'flags' ? { oneOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }] } : { type: t });
  const props = (keys: Readonly<Record<string, ConfigValueType>>): Record<string, object> =>
    Object.fromEntries(Object.entries(keys).map(([k, t]) => [k, k === 'recipe' ? { enum: [...RECIPE_NAMES] } : typed(t)]));
  const side = { type: 'object', additionalProperties: false, properties: props(SIDE_KEYS) };
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: 'https://btfparity.invalid/matrix-pairs.schema.json',
    title: 'btfparity matrix pairs',
    type: 'object',
    additionalProperties: false,
    required: ['pairs'],
    properties: {
      $schema: { type: 'string' },
      pairs: {
        type: 'array',
        minItems: 1,
        items: {
          type: 'object',
          additionalProperties: false,
          required: ['name', 'left', 'right'],
          properties: { name: { type: 'string', minLength: 1 }, left: side, right: side, ...props(SHARED_KEYS) },
        },
      },
    },
  };
}
