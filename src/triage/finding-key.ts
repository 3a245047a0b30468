/**
 * Reading a finding key (as `findingKey` writes it: fields joined by
 * ` | `, with `\` and `|` inside a field escaped by a backslash) back into
 * its fields, so `reduce --finding KEY` can take a line from a baseline.
 * Pure.
 */
import { InputError } from '../errors.js';
import { CATEGORIES, type Category } from '../findings/finding.js';

export interface FindingKeyFields {
  readonly unit: string;
  readonly entity: string;
  readonly path: string;
  readonly category: Category;
  readonly left: string;
  readonly right: string;
}

export function parseFindingKey(key: string): FindingKeyFields {
  const fields: string[] = [];
  let cur = '';
  for (let i = 0; i < key.length; i++) {
    const c = key[i];
    if (c === '\\' && i + 1 < key.length) {
      cur += key[++i];
    } else if (c === '|' && cur.endsWith(' ') && key[i + 1] === ' ') {
      // Separator ` | `: the spaces around an unescaped bar belong to it.
      fields.push(cur.slice(0, -1));
      cur = '';
      i++;
    } else cur += c;
  }
  fields.push(cur);
  if (fields.length !== 6)
    throw new InputError(`--finding: expected 6 fields separated by ' | ' (unit | entity | path | category | left | right), got ${fields.length}`);
  const [unit, entity, path, category, left, right] = fields;
  if (!(CATEGORIES as readonly string[]).includes(category)) throw new InputError(`--finding: unknown category '${category}'`);
  return { unit, entity, path, category: category as Category, left, right };
}
