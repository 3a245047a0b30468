/**
 * The rules file format, three ways: the JSON Schema shipped beside the
 * rules (rules/known-divergences.schema.json, for editors and other tools),
 * the types and names in src/findings/rules-schema.ts, and the validator
 * btfparity runs (rules-parse.ts). They must accept the same documents.
 */
import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { InputError } from '../src/errors.js';
import { RULE_CATEGORIES } from '../src/findings/finding.js';
import { defaultRulesPath } from '../src/findings/rules-file.js';
import { parseRules, rulesProblemsText, validateRules } from '../src/findings/rules-parse.js';
import { MATCH_KEYS, RECORD_KEYS, RULE_ID, RULE_KEYS, SYMBOL_KEYS, SYMBOL_STATES, TOOL_KEYS } from '../src/findings/rules-schema.js';
import { VERSION_CONDITION } from '../src/findings/version.js';

const schema = JSON.parse(readFileSync(new URL('../rules/known-divergences.schema.json', import.meta.url), 'utf8'));
const shipped = JSON.parse(readFileSync(defaultRulesPath(), 'utf8'));
const validate = new Ajv({ allErrors: true, strict: true }).compile(schema);
const defs = schema.definitions;

/** The text of the one InputError parseRules throws for `json`. */
function problemsOf(json: unknown): string {
  const text = rulesProblemsText(validateRules(json).problems);
  expect(() => parseRules(json)).toThrow(InputError);
  expect(() => parseRules(json)).toThrow(new InputError(text));
  return text;
}

describe('rules/known-divergences.schema.json', () => {
  it('accepts the shipped rules file, which names it', () => {
    expect(validate(shipped), JSON.stringify(validate.errors, null, 2)).toBe(true);
    expect(shipped.$schema).toBe('./known-divergences.schema.json');
  });
  it('lists the same fields, categories, states and patterns as rules-schema.ts', () => {
    expect(Object.keys(defs.rule.properties)).toEqual([...RULE_KEYS]);
    expect(Object.keys(defs.match.properties)).toEqual([...MATCH_KEYS]);
    expect(Object.keys(defs.match.properties.tools.items.properties)).toEqual([...TOOL_KEYS]);
    expect(Object.keys(defs.match.properties.symbol.properties)).toEqual([...SYMBOL_KEYS]);
    expect(Object.keys(defs.record.properties)).toEqual([...RECORD_KEYS]);
    expect(defs.category.enum).toEqual([...RULE_CATEGORIES]);
    expect(defs.symbolState.enum).toEqual([...SYMBOL_STATES]);
    expect(defs.rule.properties.id.pattern).toBe(RULE_ID.source);
    expect(defs.match.properties.tools.items.properties.version.pattern).toBe(VERSION_CONDITION.source);
  });

  const good = { id: 'ok', match: { category: 'kind', entity: ['var *'] }, explanation: 'why' };
  const bad: [string, unknown][] = [
    ['an unknown top-level field', { rules: [], extra: 1 }],
    ['another schema version', { schemaVersion: 2, rules: [] }],
    ['no rules list', { schemaVersion: 1 }],
    ['an upper-case id', [{ ...good, id: 'Bad' }]],
    ['an empty explanation', [{ ...good, explanation: ' ' }]],
    ['a misspelt match field', [{ ...good, match: { entitiy: 'x' } }]],
    ['an unknown category', [{ ...good, match: { category: ['sizes'] } }]],
    ['an empty pattern list', [{ ...good, match: { entity: [] } }]],
    ['a version that is no comparison', [{ ...good, match: { tools: [{ tool: 'pahole', version: 'new' }] } }]],
    ['a tool condition without its tool', [{ ...good, match: { tools: [{ version: '<2' }] } }]],
    ['an unknown symbol state', [{ ...good, match: { symbol: { state: 'gone' } } }]],
    ['a section condition on a record', [{ ...good, match: { leftRecord: { section: '.bss' } } }]],
    ['a reference that is no string', [{ ...good, reference: 7 }]],
    ['a rule without match', [{ id: 'ok', explanation: 'why' }]],
  ];
  it.each(bad)('the schema and btfparity both reject %s', (_, doc) => {
    expect(validate(doc)).toBe(false);
    expect(validateRules(doc).problems.length).toBeGreaterThan(0);
  });
  it('the schema and btfparity both accept a bare list and single strings for lists', () => {
    expect(validate([good])).toBe(true);
    expect(parseRules([good])).toEqual([{ id: 'ok', match: { category: ['kind'], entity: ['var *'] }, explanation: 'why' }]);
  });
});

describe('parseRules reports every problem', () => {
  it('one InputError names each problem with its path, in file order', () => {
    const doc = {
      schemaVersion: 2,
      rules: [
        { id: 'Bad', match: { category: ['sizes', 'kind', 'offsets'] }, explanation: '' },
        { id: 'ok', match: { tools: [{ tool: 'pahole', version: 'new' }, { tool: '' }], symbol: { state: 'gone', colour: 'red' } }, explanation: 'x' },
        { id: 'ok', match: {}, explanation: 'x', reference: 3 },
        'not a rule',
      ],
    };
    expect(validateRules(doc).problems).toEqual([
      { path: 'document.schemaVersion', message: 'unsupported version 2 (expected 1)' },
      { path: 'rule 0.id', message: 'must be a lower-case id like "pahole-no-float"' },
      { path: 'rule 0.explanation', message: 'must be a non-empty string' },
      { path: 'rule 0.match.category', message: `"sizes" is not one of ${RULE_CATEGORIES.join(', ')}` },
      { path: 'rule 0.match.category', message: `"offsets" is not one of ${RULE_CATEGORIES.join(', ')}` },
      { path: 'rule 1.match.tools[0].version', message: 'must look like "<1.25", ">=13" or "12.2"' },
      { path: 'rule 1.match.tools[1].tool', message: 'must be a non-empty string' },
      { path: 'rule 1.match.tools[1].version', message: 'must look like "<1.25", ">=13" or "12.2"' },
      { path: 'rule 1.match.symbol', message: 'unknown field "colour" (allowed: state, binding, type, section, notSection)' },
      { path: 'rule 1.match.symbol.state', message: '"gone" is not one of defined, undefined, absent' },
      { path: 'rule 2.id', message: 'duplicate id "ok"' },
      { path: 'rule 2.reference', message: 'must be a string' },
      { path: 'rule 3', message: 'must be an object' },
    ]);
    const text = problemsOf(doc);
    expect(text).toMatch(/^rules: 13 problems: document\.schemaVersion: unsupported version 2 \(expected 1\); rule 0\.id: /);
    expect(text).toContain('; rule 3: must be an object');
    expect(text.split('; rule ')).toHaveLength(13);
  });
  it('a single problem reads as before: rules: PATH: MESSAGE', () => {
    expect(
      problemsOf([
        { id: 'ok', match: {}, explanation: 'x' },
        { id: 'ok', match: {}, explanation: 'x' },
      ]),
    ).toBe('rules: rule 1.id: duplicate id "ok"');
  });
  it('the well-formed rules of a document with problems are still returned by validateRules', () => {
    const { rules } = validateRules([
      { id: 'a', match: {}, explanation: 'x' },
      { id: 'B', match: {}, explanation: 'x' },
    ]);
    expect(rules.map((r) => r.id)).toEqual(['a']);
  });
});
