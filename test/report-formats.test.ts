/**
 * Report formats: each renders the same facts, deterministically, in a
 * well-formed document (json validated against docs/report.schema.json,
 * junit parsed back with fast-xml-parser).
 */
import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import type { ClassifiedFinding } from '../src/findings/finding.js';
import { escapeHtml } from '../src/triage/report-html.js';
import { REPORT_FORMATS, renderReport } from '../src/report/render.js';
import type { RunResult } from '../src/report/run-result.js';
import { shellLine, shellQuote } from '../src/report/shell.js';
import { allFindings, CHARS, CLEAN, FLOATS, BROKEN, RUN, runOf } from './fixtures/report-run.js';

const schema = JSON.parse(readFileSync(new URL('../docs/report.schema.json', import.meta.url), 'utf8'));

function reversed(r: RunResult): RunResult {
  return { ...r, units: r.units.map((u) => ({ ...u, findings: [...u.findings].reverse() })) };
}

describe('every format', () => {
  it.each(REPORT_FORMATS)('%s is deterministic and independent of finding order', (format) => {
    const a = renderReport(RUN, format, { verbose: true });
    expect(renderReport(RUN, format, { verbose: true })).toBe(a);
    expect(renderReport(reversed(RUN), format, { verbose: true })).toBe(a);
    expect(a.endsWith('\n')).toBe(true);
  });
});

/** Each format's findings as plain facts, read back from the rendered document. */
function factsIn(format: (typeof REPORT_FORMATS)[number], out: string): string {
  switch (format) {
    case 'json':
    case 'sarif':
      return JSON.stringify(JSON.parse(out));
    case 'junit': {
      // Unescaped text: parse, then collect every string in the tree.
      const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(out);
      const strings: string[] = [];
      const walk = (v: unknown): void => {
        if (typeof v === 'string') strings.push(v);
        else if (v && typeof v === 'object') Object.values(v).forEach(walk);
      };
      walk(doc);
      return strings.join('\n');
    }
    case 'markdown':
      // Table cells escape | as \|; undo it to compare facts.
      return out.replace(/\\\|/g, '|');
    default:
      return out;
  }
}

describe('same facts in every format', () => {
  it.each(REPORT_FORMATS)('%s names each finding’s entity, path, category, left and right', (format) => {
    const text = factsIn(format, renderReport(RUN, format, { verbose: true }));
    const asJson = format === 'json' || format === 'sarif';
    const enc = (s: string): string => (asJson ? JSON.stringify(s).slice(1, -1) : s);
    for (const { f } of allFindings(RUN)) {
      for (const v of [f.entity, f.path, f.category, f.left, f.right]) if (v !== '') expect(text, `${format}: ${v}`).toContain(enc(v));
    }
    // The failed unit's error is carried too.
    expect(text).toContain(enc(BROKEN.error!.message));
  });
});

describe('json', () => {
  const out = renderReport(RUN, 'json');
  const parsed = JSON.parse(out);
  it('validates against docs/report.schema.json', () => {
    const ajv = new Ajv({ allErrors: true, strict: true });
    const validate = ajv.compile(schema);
    expect(validate(parsed), JSON.stringify(validate.errors)).toBe(true);
  });
  it('the schema rejects what it should (it can fail)', () => {
    const validate = new Ajv({ strict: true }).compile(schema);
    const bad = structuredClone(parsed);
    bad.units[0].findings[0].category = 'sizes';
    expect(validate(bad)).toBe(false);
  });
  it('keeps zero counts in byStatus, and the schema requires every status (issue 12)', () => {
    const clean = JSON.parse(renderReport(runOf([CLEAN]), 'json'));
    expect(clean.summary.byStatus).toEqual({ equivalent: 0, known: 0, unexplained: 0 });
    const validate = new Ajv({ strict: true }).compile(schema);
    expect(validate(clean), JSON.stringify(validate.errors)).toBe(true);
    const dropped = structuredClone(clean);
    delete dropped.summary.byStatus.unexplained;
    expect(validate(dropped)).toBe(false);
  });
  it('is the RunResult by reference, keys in the documented order, findings sorted', () => {
    expect(Object.keys(parsed)).toEqual(['schemaVersion', 'toolchain', 'recipes', 'units', 'rules', 'types', 'summary']);
    // Version 3: the unit's dumps are in the top-level types table, its findings name them.
    expect(Object.keys(parsed.units[0])).toEqual(['source', 'commands', 'findings']);
    expect(Object.keys(parsed.units[2])).toEqual(['source', 'commands', 'error', 'findings']);
    expect(Object.keys(parsed.units[0].findings[0])).toEqual([
      'entity',
      'path',
      'category',
      'left',
      'right',
      'status',
      'reason',
      'leftId',
      'rightId',
      'leftType',
      'rightType',
      'affected',
    ]);
    // The explanation is the rule's, once, in the rules table.
    expect(parsed.rules['pahole-float-as-int']).toEqual({ explanation: 'pahole encodes floats as INT unless --btf_gen_floats.' });
    expect(parsed.types[parsed.units[0].findings[0].leftType]).toBe(RUN.units[0].types?.left[parsed.units[0].findings[0].entity]);
    expect(parsed.units[0].findings[0].affected).toEqual(['func pick', 'struct floats']);
    expect(parsed.units.map((u: { source: string }) => u.source)).toEqual(RUN.units.map((u) => u.source));
    expect(parsed.units[1].findings.map((f: ClassifiedFinding) => f.entity)).toEqual(['char', 'struct chars', 'var plain_buf']);
    expect(parsed.summary).toEqual({
      units: 4,
      failedUnits: 1,
      findings: 5,
      byStatus: { equivalent: 1, known: 2, unexplained: 2 },
      byCategory: { array: 1, encoding: 1, kind: 1, 'member-type': 1, 'only-right': 1 },
      normalisations: { 'array-index-type': 1 },
    });
  });
});

describe('text', () => {
  it('lists unexplained findings in full, grouped by unit then entity, one line per finding with status, reason and ids', () => {
    const out = renderReport(RUN, 'text');
    const lines = out.split('\n');
    // The two unexplained findings of RUN are both in CHARS: its header, then each entity and its finding.
    const at = lines.indexOf('corpus/probes/02 char & <signedness>.c');
    expect(lines.slice(at, at + 5)).toEqual([
      'corpus/probes/02 char & <signedness>.c',
      '  char',
      "    .  encoding  INT 'char' size=1 SIGNED → INT 'char' size=1 SIGNED|CHAR  [unexplained]  ids #1/#1",
      '  struct chars',
      "    c|sc  member-type  char `c` → signed char <sc> & 'x'  [unexplained]  ids #11/#11",
    ]);
    // The failed unit is in the summary, its step and first stderr line under it.
    expect(out).toContain("  failed      src/broken.c\n                gcc -g -c: src/broken.c:3:1: error: expected ';' before '}' token\n");
  });
  it('folds known findings one line per rule and equivalent ones per normalisation unless verbose, but always counts them', () => {
    const plain = renderReport(RUN, 'text');
    // Each of RUN's two known findings has its own rule; the folded line names its unit and entity, not the views.
    expect(plain).toContain('  pahole-float-as-int      1  e.g. corpus/probes/05-floats.c: double\n');
    expect(plain).toContain('  pahole-vars-percpu-only  1  e.g. corpus/probes/05-floats.c: var f64\n');
    expect(plain).not.toContain("INT 'double' size=8 (none)");
    expect(plain).toContain('  array-index-type  1  e.g. corpus/probes/02 char & <signedness>.c: var plain_buf\n');
    expect(plain).not.toContain('char[8] index int');
    // The summary comes first: 4 units (FLOATS, CHARS, BROKEN, CLEAN), 5 findings, by status.
    expect(plain.split('\n')[0]).toBe('4 units (1 failed), 5 findings: 2 unexplained, 2 known, 1 equivalent');
    expect(plain).toContain('\n  normalised  1 array-index-type\n');
    const verbose = renderReport(RUN, 'text', { verbose: true });
    // 101 columns with the status: status and ids go to the next line rather than cutting a type.
    expect(verbose).toContain('    .  array  char[8] index int → char[8] index long unsigned int\n      [equivalent array-index-type]  ids #5/#6\n');
    expect(verbose).toContain('      pahole encodes floats as INT unless --btf_gen_floats.');
    expect(verbose).toContain('      affects func pick, struct floats');
  });
  it('has no escape codes without colour, and ANSI colour with it', () => {
    expect(renderReport(RUN, 'text', { color: false })).not.toMatch(/\u001b\[/);
    const coloured = renderReport(RUN, 'text', { color: true, verbose: true });
    expect(coloured).toContain('\u001b[31m[unexplained]\u001b[39m');
    // Colour codes take no columns: the layout (wrapping included) is the plain one.
    expect(coloured.replace(/\u001b\[[0-9;]*m/g, '')).toBe(renderReport(RUN, 'text', { color: false, verbose: true }));
  });
});

describe('markdown', () => {
  const out = renderReport(RUN, 'markdown');
  it('lists toolchain versions and recipes', () => {
    expect(out).toContain('| cc | `gcc` | `/usr/bin/gcc` | gcc (Debian 12.2.0-14) 12.2.0 |');
    expect(out).toContain('| pahole | `pahole` | `/usr/bin/pahole` | v1.24 |');
    expect(out).toContain('| left | `pahole` |');
  });
  it('gives the exact commands, shell-quoted, with the temp placeholder defined', () => {
    expect(out).toContain(
      [
        '```sh',
        'TMP=$(mktemp -d)',
        'gcc -g -c corpus/probes/05-floats.c -o "$TMP"/left.o  # left',
        'pahole --btf_encode_detached="$TMP"/left.btf "$TMP"/left.o  # left',
        'gcc -gbtf -c corpus/probes/05-floats.c -o "$TMP"/right.o  # right',
        '```',
      ].join('\n'),
    );
    expect(out).toContain(`gcc -g -gbtf -c 'corpus/probes/02 char & <signedness>.c' -o "$TMP"/unit.o`);
  });
  it('tables findings with pipes escaped and backticks fenced', () => {
    expect(out).toContain("| `struct chars` | `c\\|sc` | member-type | `` char `c` `` | `signed char <sc> & 'x'` | unexplained | 11 / 11 |");
    expect(out).toContain("| `double` |  | kind | `INT 'double' size=8 (none)` | `FLOAT 'double' size=8` | known (`pahole-float-as-int`) | 2 / 2 |");
  });
  it('shows both sides’ bpftool records of involved types', () => {
    expect(out).toContain(
      "#### `double`\n\nleft (pahole):\n\n```\n[2] INT 'double' size=8 bits_offset=0 nr_bits=64 encoding=(none)\n```\n\nright (gcc-btf):\n\n```\n[2] FLOAT 'double' size=8\n```",
    );
    expect(out).toContain('#### `var f64`\n\nleft (pahole):\n\n```\n(absent)\n```');
  });
});

describe('junit', () => {
  const out = renderReport(RUN, 'junit');
  const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', isArray: (n) => n === 'testsuite' || n === 'testcase' }).parse(out);
  it('is well-formed XML', () => {
    expect(XMLValidator.validate(out)).toBe(true);
  });
  it('one testsuite per unit, one testcase per finding; without a baseline the failures are what --fail-on unexplained fails', () => {
    const suites = doc.testsuites.testsuite;
    expect(suites.map((s: Record<string, string>) => s['@name'])).toEqual(RUN.units.map((u) => u.source));
    // 2 + 3 findings, the broken unit's toolchain case, the clean unit's "(no differences)".
    expect(doc.testsuites['@tests']).toBe('7');
    // The fixture's two unexplained findings (char, struct chars), nothing else.
    expect(doc.testsuites['@failures']).toBe('2');
    expect(doc.testsuites['@errors']).toBe('1');
    const chars = suites[1].testcase;
    expect(chars.map((c: Record<string, string>) => c['@name'])).toEqual(['char: encoding', 'struct chars c|sc: member-type', 'var plain_buf: array']);
    expect(chars[1].failure['#text']).toBe("struct chars c|sc: member-type: char `c` → signed char <sc> & 'x' [unexplained] (ids 11/11)");
    expect(chars[1].failure['@message']).toBe('unexplained finding fails with --fail-on unexplained');
    expect(chars[2].failure).toBeUndefined();
    expect(chars[2]['system-out']).toContain('[equivalent array-index-type]');
    expect(chars[2]['system-out']).toContain('equivalent: array-index-type; does not fail with --fail-on unexplained');
    const floats = suites[0].testcase;
    expect(floats.every((c: Record<string, unknown>) => c.failure === undefined)).toBe(true);
    expect(floats[0]['system-out']).toContain('[known pahole-float-as-int]');
    expect(suites[2].testcase[0].error['@message']).toBe("gcc -g -c: src/broken.c:3:1: error: expected ';' before '}' token");
    expect(suites[3].testcase[0]['@name']).toBe('(no differences)');
  });
  it('replaces characters XML 1.0 cannot carry', () => {
    const weird = runOf([{ ...CLEAN, findings: [{ ...CHARS.findings[0], entity: 'char\u0001x', status: 'unexplained' }] }]);
    const x = renderReport(weird, 'junit');
    expect(XMLValidator.validate(x)).toBe(true);
    expect(x).toContain('char\ufffdx');
  });
});

describe('shell quoting for display', () => {
  it('leaves safe words bare, single-quotes the rest, keeps placeholders expandable', () => {
    expect(shellQuote('-O2')).toBe('-O2');
    expect(shellQuote('a b')).toBe("'a b'");
    expect(shellQuote("it's")).toBe("'it'\\''s'");
    expect(shellQuote('')).toBe("''");
    expect(shellQuote('$TMP/a b.o')).toBe(`"$TMP"'/a b.o'`);
    expect(shellQuote('-DX="1"')).toBe(`'-DX="1"'`);
    expect(shellLine(['gcc', '-DNAME=a;b', '$HOME'])).toBe(`gcc '-DNAME=a;b' "$HOME"`);
  });
  it('round-trips through a real sh', async () => {
    const { execFileSync } = await import('node:child_process');
    const argv = ['a b', "it's", '$x', 'back\\slash', '*', '-DX="1"', 'semi;colon', 'ünï'];
    const line = `printf '%s\\n' ${shellLine(argv)}`;
    expect(execFileSync('sh', ['-c', line], { encoding: 'utf8' })).toBe(`${argv.join('\n')}\n`);
  });
});

// The HTML report (tested in a browser by html-report.test.ts) escapes text with this.
describe('escapeHtml', () => {
  it('escapes markup and quotes', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
  });
});

// Keep the fixture honest: the units it builds are the ones the tests talk about.
it('fixture sanity', () => {
  expect(FLOATS.findings).toHaveLength(2);
  expect(RUN.units).toHaveLength(4);
});
