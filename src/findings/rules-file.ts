/**
 * THE ONE EFFECTFUL MODULE under src/findings/: reads a rules file from disk
 * and hands the parsed JSON to the pure `parseRules` (rules-parse.ts). Kept apart so the
 * classifier and matcher stay pure and testable on plain data.
 */
import { fileURLToPath } from 'node:url';
import { InputError } from '../errors.js';
import { readTextFile } from '../io/regular-file.js';
import { parseRules } from './rules-parse.js';
import type { Rule } from './rules-schema.js';

/**
 * The rules file shipped with the package (top-level `rules/`, listed in
 * package.json "files"). This module sits two levels below the package root
 * both as src/findings/*.ts and as dist/findings/*.js.
 */
export function defaultRulesPath(): string {
  return fileURLToPath(new URL('../../rules/known-divergences.json', import.meta.url));
}

/** How findings name the shipped rules file: the same in every install. */
export const SHIPPED_RULES_SOURCE = 'shipped:rules/known-divergences.json';

/**
 * Read and validate a rules file; every failure is one InputError naming the
 * file. Each rule records `source` (default: the path as given), so a
 * report can say which file a matching rule came from.
 */
export function loadRulesFile(path: string = defaultRulesPath(), source: string = path === defaultRulesPath() ? SHIPPED_RULES_SOURCE : path): Rule[] {
  const text = readTextFile(path, { expected: 'a rules file (JSON)', failure: (code) => `cannot read rules file: ${code}` });
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new InputError(`rules file is not valid JSON: ${(e as Error).message}`, { file: path }, { cause: e });
  }
  try {
    return parseRules(json).map((r) => ({ ...r, source }));
  } catch (e) {
    if (e instanceof InputError) throw e.inFile(path);
    throw e;
  }
}
