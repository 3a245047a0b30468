/**
 * The JSON config file (`--config FILE`, default ./btfparity.json when it
 * exists): which keys it may set, each key's JSON type, and reading it.
 * What a key means, and how it ranks against options and environment, is
 * settings.ts. A bad file is an InputError (exit 2) naming the file.
 */
import { existsSync } from 'node:fs';
import { InputError } from '../errors.js';
import { readTextFile } from '../io/regular-file.js';
import { stderrLine } from './output.js';
import { TOOL_SETTINGS, toolSettingNames } from './tool-settings.js';

export const DEFAULT_CONFIG_FILE = 'btfparity.json';

/** A config value's JSON type: `flags` is one string (split like a shell would) or an array of strings. */
export type ConfigValueType = 'string' | 'flags' | 'number' | 'boolean';

/**
 * The settings each side has on its own, by their name within a side:
 * `recipe`, the tools of tool-settings.ts (`cc`, `pahole`, ...), `cflags`.
 * The config file spells them `left`, `leftCc`, `rightCflags` (sideConfigKey);
 * a matrix pairs file (matrix-pairs.ts) as `{"left": {"recipe": ..., "cc": ...}}`.
 */
export const SIDE_KEYS: Readonly<Record<string, ConfigValueType>> = {
  recipe: 'string',
  ...Object.fromEntries(TOOL_SETTINGS.map((t) => [toolSettingNames(t, 'both').key, 'string'] as const)),
  cflags: 'flags',
};

/** A side's setting as the config file names it: `recipe` → `left`, `cc` → `leftCc`. */
export function sideConfigKey(side: 'left' | 'right', key: string): string {
  return key === 'recipe' ? side : side + key[0].toUpperCase() + key.slice(1);
}

/** Keys that set both sides at once or the run as a whole (the unprefixed tools among them). */
export const SHARED_KEYS: Readonly<Record<string, ConfigValueType>> = {
  ...Object.fromEntries(TOOL_SETTINGS.map((t) => [toolSettingNames(t, 'both').key, 'string'] as const)),
  kernelVersion: 'string',
  cflags: 'flags',
  paholeFlags: 'flags',
  timeout: 'number',
  singleCompile: 'boolean',
};

/** Every key a config file may set, with the JSON type each takes. */
const CONFIG_KEYS: Readonly<Record<string, ConfigValueType>> = {
  ...SHARED_KEYS,
  ...Object.fromEntries((['left', 'right'] as const).flatMap((side) => Object.entries(SIDE_KEYS).map(([k, t]) => [sideConfigKey(side, k), t] as const))),
};

/** Why `value` is not of type `want` (`'cc' must be a string`), or undefined when it is. */
export function configValueProblem(key: string, want: ConfigValueType, value: unknown): string | undefined {
  const ok = want === 'flags' ? typeof value === 'string' || (Array.isArray(value) && value.every((v) => typeof v === 'string')) : typeof value === want;
  return ok ? undefined : `'${key}' must be ${want === 'flags' ? 'a string or an array of strings' : `a ${want}`}`;
}

/**
 * A validated config file; flags may be one string (split on whitespace) or
 * an array. The tool keys of tool-settings.ts (`cc`, `leftCc`,
 * `rightPahole`, ...) are there too: read them with configTool.
 */
export interface ConfigFile {
  left?: string;
  right?: string;
  kernelVersion?: string;
  cflags?: string | string[];
  leftCflags?: string | string[];
  rightCflags?: string | string[];
  paholeFlags?: string | string[];
  timeout?: number;
  singleCompile?: boolean;
}

/** A tool key's value (`cc`, `leftCc`, ...); loadConfig checked it is a string. */
export function configTool(file: ConfigFile, key: string): string | undefined {
  const v = (file as Record<string, unknown>)[key];
  return typeof v === 'string' ? v : undefined;
}

/** How messages name the config file: as given, or `./btfparity.json`. */
export function configFileShown(path: string | undefined): string {
  return path ?? `./${DEFAULT_CONFIG_FILE}`;
}

/** Read the config file: the one named, else ./btfparity.json when it exists, else none. */
export function loadConfig(path: string | undefined, cwd = process.cwd(), warn: (msg: string) => void = stderrLine): ConfigFile {
  const file = path ?? (existsSync(`${cwd}/${DEFAULT_CONFIG_FILE}`) ? `${cwd}/${DEFAULT_CONFIG_FILE}` : undefined);
  if (!file) return {};
  const shown = configFileShown(path);
  let json: unknown;
  try {
    json = JSON.parse(readTextFile(file, { expected: 'a JSON config', failure: (code) => `cannot read config (${code})` }));
  } catch (e) {
    throw new InputError(
      e instanceof InputError ? e.reason : `invalid JSON: ${(e as Error).message}`,
      { file: shown },
      { cause: e instanceof InputError ? e.cause : e },
    );
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new InputError('config must be a JSON object', { file: shown });
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(json)) {
    if (!Object.hasOwn(CONFIG_KEYS, key)) {
      // Other commands may keep their own keys here later; say so rather than fail.
      warn(`${shown}: ignoring unknown key '${key}' (known: ${Object.keys(CONFIG_KEYS).join(', ')})`);
      continue;
    }
    const problem = configValueProblem(key, CONFIG_KEYS[key], value);
    if (problem) throw new InputError(problem, { file: shown });
    out[key] = value;
  }
  return out as ConfigFile;
}
