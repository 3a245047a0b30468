/**
 * The pairs file of `btfparity matrix` (src/cli/matrix-pairs.ts): every
 * problem names its field (exit 2), a pair resolves like the config file
 * with the same keys (settings.ts), and docs/matrix-pairs.schema.json is
 * what the key tables make. Pure: nothing runs.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { loadPairsFile, pairsJsonSchema, parsePairs } from '../src/cli/matrix-pairs.js';
import { resolveSettingsFrom } from '../src/cli/settings.js';
import { InputError } from '../src/errors.js';
import { runCli } from './helpers/cli.js';

const schemaFile = new URL('../docs/matrix-pairs.schema.json', import.meta.url);
const docsPairs = new URL('../docs/matrix-pairs.json', import.meta.url);

function problem(json: unknown): string {
  try {
    parsePairs(json);
  } catch (e) {
    if (e instanceof InputError) return e.oneLine();
    throw e;
  }
  throw new Error('no problem found');
}

const side = { recipe: 'pahole' };

describe('pairs file', () => {
  it('a pair becomes the config-file keys of its sides', () => {
    const [p] = parsePairs({
      pairs: [
        {
          name: 'a',
          left: { recipe: 'pahole', cc: 'gcc', pahole: 'sid:pahole', cflags: '-O2' },
          right: { recipe: 'gcc-btf', bpfGcc: 'x' },
          paholeFlags: ['-j'],
        },
      ],
    });
    expect(p).toEqual({
      name: 'a',
      config: { left: 'pahole', leftCc: 'gcc', leftPahole: 'sid:pahole', leftCflags: '-O2', right: 'gcc-btf', rightBpfGcc: 'x', paholeFlags: ['-j'] },
    });
  });

  it('resolves like a config file: per-side tools, defaults for the rest, single compile decided on the tools', () => {
    const [p] = parsePairs({ pairs: [{ name: 'p', left: { recipe: 'pahole', pahole: 'pahole' }, right: { recipe: 'pahole', pahole: 'sid:pahole' } }] });
    const s = resolveSettingsFrom({}, {}, p.config, 'pairs.json');
    expect(s.config.left.tools).toEqual({ cc: 'gcc', clang: 'clang-16', 'bpf-gcc': 'bpf-gcc', pahole: 'pahole' });
    expect(s.config.right.tools.pahole).toBe('sid:pahole');
    // Both sides compile with gcc and the same flags: one compile, two encoders.
    expect(s.config.singleCompile).toBe(true);
    expect(s.timeoutSeconds).toBe(60);
  });

  it.each([
    [[], '<input>: (top level): a pairs file must be a JSON object with "pairs"'],
    [{ pairs: [] }, '<input>: pairs: must be a non-empty array of pairs'],
    [{ pair: [] }, '<input>: pair: unknown key (known: pairs, $schema)'],
    [{ pairs: [{ left: side, right: side }] }, '<input>: pairs[0].name: must be a non-empty string'],
    [{ pairs: [{ name: 'a', left: side }] }, '<input>: pairs[0].right: missing (a side: {"recipe": ..., "cc": ...})'],
    [
      { pairs: [{ name: 'a', left: side, right: { pahol: 'x' } }] },
      '<input>: pairs[0].right.pahol: unknown key (known: recipe, cc, clang, bpfGcc, pahole, cflags)',
    ],
    [{ pairs: [{ name: 'a', left: side, right: { cc: 12 } }] }, "<input>: pairs[0].right: 'cc' must be a string"],
    [{ pairs: [{ name: 'a', left: { recipe: 'gcc' }, right: side }] }, "<input>: pairs[0].left.recipe: unknown recipe 'gcc' (one of: pahole, pahole-kernel,"],
    [{ pairs: [{ name: 'a', left: side, right: side, leftCc: 'gcc' }] }, '<input>: pairs[0].leftCc: unknown key (known: name, left, right, cc,'],
    [{ pairs: [{ name: 'a', left: side, right: side, timeout: '9' }] }, "<input>: pairs[0]: 'timeout' must be a number"],
    [
      {
        pairs: [
          { name: 'a', left: side, right: side },
          { name: 'a', left: side, right: side },
        ],
      },
      "<input>: pairs[1].name: 'a' names two pairs",
    ],
  ])('%j is refused naming the field', (json, message) => {
    expect(problem(json).startsWith(message)).toBe(true);
  });

  it('a file is named in the message', () => {
    expect(() => loadPairsFile('/nonexistent/pairs.json')).toThrow(InputError);
    const err = (() => {
      try {
        loadPairsFile(new URL('../package.json', import.meta.url).pathname);
      } catch (e) {
        return e as InputError;
      }
    })();
    expect(err?.oneLine()).toMatch(/package\.json: name: unknown key \(known: pairs, \$schema\)$/);
  });
});

describe('docs/matrix-pairs.json and its schema', () => {
  it('the committed schema is the one the key tables make', () => {
    expect(JSON.parse(readFileSync(schemaFile, 'utf8'))).toEqual(pairsJsonSchema());
  });

  it('the documented pairs file is valid by the schema and by the parser, and the schema refuses what the parser refuses', () => {
    const validate = new Ajv({ strict: true }).compile(pairsJsonSchema());
    const docs = JSON.parse(readFileSync(docsPairs, 'utf8'));
    expect(validate(docs), JSON.stringify(validate.errors)).toBe(true);
    expect(loadPairsFile(docsPairs.pathname).length).toBeGreaterThanOrEqual(6);
    expect(validate({ pairs: [{ name: 'a', left: side, right: { pahol: 'x' } }] })).toBe(false);
    expect(validate({ pairs: [{ name: 'a', left: { recipe: 'gcc' }, right: side }] })).toBe(false);
  });
});

describe('btfparity matrix with a bad pairs file', () => {
  it('is exit 2 with one line naming the file and the field, before anything runs', () => {
    const dir = mkdtempSync(join(tmpdir(), 'btfparity-test-pairs-'));
    try {
      const file = join(dir, 'pairs.json');
      writeFileSync(file, JSON.stringify({ pairs: [{ name: 'a', left: side, right: { recipe: 'gcc-btf', pahole: 7 } }] }));
      const r = runCli(['matrix', '--pairs', file, '-q']);
      expect([r.status, r.stdout, r.stderr]).toEqual([2, '', `btfparity: ${file}: pairs[0].right: 'pahole' must be a string\n`]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
