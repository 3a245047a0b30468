/**
 * The people-facing formats (issue 12): the text report puts the summary
 * first, lists unexplained findings in full and folds known ones one line
 * per rule; --only/--summary/--ascii; the email format (ASCII, 78 columns,
 * commands first, code blocks a shell still reads); triage's report.md
 * without HTML and report.txt. Pure: RunResults and TriageReports built in
 * memory; `sh` (no toolchain) is the oracle for the wrapped commands.
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { InputError } from '../src/errors.js';
import type { ClassifiedFinding } from '../src/findings/finding.js';
import { parseOnly } from '../src/report/digest.js';
import { cBlockLines, renderEmail, shellBlockLines } from '../src/report/email.js';
import { renderReport } from '../src/report/render.js';
import type { UnitResult } from '../src/report/run-result.js';
import { renderText } from '../src/report/text.js';
import { wrap } from '../src/report/wrap.js';
import { renderTriageMarkdown } from '../src/triage/report-md.js';
import { renderTriageEmail } from '../src/triage/report-txt.js';
import type { TriageReport } from '../src/triage/triage-data.js';
import { RUN, runOf } from './fixtures/report-run.js';

const known = (entity: string, reason: string): ClassifiedFinding => ({
  entity,
  path: '',
  category: 'only-right',
  left: 'absent',
  right: `int ${entity.replace(/^var /, '')}`,
  status: 'known',
  reason,
  rightId: 1,
});

describe('text: summary first', () => {
  it('the summary block of the report fixture, exactly, before any finding', () => {
    const lines = renderText(RUN).split('\n');
    // RUN: FLOATS (2 known: two rules), CHARS (2 unexplained, 1 equivalent), BROKEN (failed), CLEAN.
    expect(lines.slice(0, 9)).toEqual([
      '4 units (1 failed), 5 findings: 2 unexplained, 2 known, 1 equivalent',
      '  normalised  1 array-index-type',
      '  categories  1 array, 1 encoding, 1 kind, 1 member-type, 1 only-right',
      '  top rules   1 pahole-float-as-int, 1 pahole-vars-percpu-only',
      '  failed      src/broken.c',
      "                gcc -g -c: src/broken.c:3:1: error: expected ';' before '}' token",
      '  listed      unexplained in full; known one line per rule (--all lists them);',
      '                equivalent one line per normalisation (--all lists them)',
      '',
    ]);
    expect(lines[9]).toBe('Unexplained findings (2)');
  });
  it('names a failed unit by the path the caller opens when the CLI knows it', () => {
    const out = renderText(RUN, { unitPaths: new Map([['src/broken.c', '../proj/src/broken.c']]) });
    expect(out).toContain('  failed      ../proj/src/broken.c\n');
  });
  it('categories by count then name, and at most five rules, the rest counted', () => {
    const findings = ['a', 'b', 'c', 'd', 'e', 'f'].flatMap((r, i) => Array.from({ length: 6 - i }, (_, k) => known(`var ${r}${k}`, `rule-${r}`)));
    const out = renderText(runOf([{ source: 'u.c', commands: [], findings }]));
    // 6+5+4+3+2+1 = 21 known findings over six rules; rule-f (1) is the sixth.
    expect(out).toContain('  top rules   6 rule-a, 5 rule-b, 4 rule-c, 3 rule-d, 2 rule-e, and 1 more rule\n');
    expect(out).toContain('  categories  21 only-right\n');
  });
});

describe('text: folding', () => {
  // 7 findings of rule x over two units (3 + 4), 2 of rule y: the counts are the number of findings of each rule.
  const u1: UnitResult = { source: 'one.c', commands: [], findings: [known('var q', 'x'), known('var b', 'x'), known('var c', 'x'), known('var z', 'y')] };
  const u2: UnitResult = {
    source: 'two.c',
    commands: [],
    findings: [known('var a', 'x'), known('var e', 'x'), known('var f', 'x'), known('var g', 'x'), known('var h', 'y')],
  };
  const run = runOf([u1, u2]);
  it('one line per rule, with its count and the first finding in report order as the example', () => {
    const out = renderText(run);
    // The example is one.c's first entity by sort order (var b), not two.c's var a: units keep their order.
    expect(out).toContain('\nKnown findings (9), one line per rule; --all lists them\n\n  x  7  e.g. one.c: var b\n  y  2  e.g. one.c: var z\n');
    expect(out).not.toContain('[known x]');
  });
  it('--all and --verbose list them in full, grouped by unit and entity', () => {
    for (const o of [{ all: true }, { verbose: true }]) {
      const out = renderText(run, o);
      expect(out.match(/\[known x\]/g)).toHaveLength(7);
      expect(out.match(/\[known y\]/g)).toHaveLength(2);
      expect(out).toContain('\nKnown findings (9)\n\none.c\n  var b\n');
    }
  });
});

describe('text: --only, --summary, --ascii', () => {
  it('parseOnly validates and orders the statuses', () => {
    expect(parseOnly('known,unexplained')).toEqual(['unexplained', 'known']);
    expect(() => parseOnly('unexplained,bogus')).toThrow(InputError);
    expect(() => parseOnly('')).toThrow(/unknown status ''/);
  });
  it('--only known lists the known section alone; the summary counts everything and says it is filtered', () => {
    const out = renderText(RUN, { only: ['known'] });
    expect(out.split('\n')[0]).toBe('4 units (1 failed), 5 findings: 2 unexplained, 2 known, 1 equivalent');
    expect(out).toContain('  filtered    --only known: the counts above are of every finding\n');
    expect(out).not.toContain('Unexplained findings');
    expect(out).not.toContain('Equivalent findings');
    expect(out).toContain('Known findings (2)');
    expect(renderText(RUN, { only: ['unexplained'] })).not.toContain('Known findings');
  });
  it('--summary prints the summary block alone', () => {
    const out = renderText(RUN, { summaryOnly: true });
    expect(out.split('\n')).toHaveLength(7); // head, normalised, categories, top rules, failed (2 lines), trailing ''
    expect(out).not.toMatch(/findings \(\d+\)/);
    expect(out).not.toContain('listed');
  });
  it('--ascii writes ASCII only: -> for the arrow, non-ASCII data as \\u escapes', () => {
    const nonAscii: UnitResult = {
      source: 'é.c',
      commands: [],
      findings: [{ entity: 'struct café', path: 'naïve', category: 'size', left: 'size=4 — ok', right: 'size=8', status: 'unexplained' }],
    };
    const out = renderText(runOf([...RUN.units, nonAscii]), { ascii: true, verbose: true });
    expect(out).toMatch(/^[\x20-\x7e\n]*$/);
    expect(out).toContain("    .  encoding  INT 'char' size=1 SIGNED -> INT 'char' size=1 SIGNED|CHAR  [unexplained]  ids #1/#1");
    // Data keeps every character, escaped: a name's own dash is not the report's.
    expect(out).toContain('  struct caf\\u00e9\n    na\\u00efve  size  size=4 \\u2014 ok -> size=8');
    expect(renderText(RUN)).toContain(' → ');
  });
});

describe('text: 100 columns where content allows', () => {
  const longVerdict: ClassifiedFinding = {
    entity: 'struct wide',
    path: 'm',
    category: 'member-type',
    left: 'long unsigned int',
    right: 'unsigned int',
    status: 'unexplained',
    verdict: {
      departs: 'right',
      dwarf:
        'DW_TAG_member m DW_AT_type long unsigned int, DW_AT_data_member_location 8, DW_AT_decl_file wide.c, DW_AT_decl_line 12, DW_AT_type of the typedef long unsigned int',
    },
  };
  const typeName = `struct ${'x'.repeat(300)}`;
  const hugeType: ClassifiedFinding = {
    entity: typeName,
    path: '',
    category: 'size',
    left: `${typeName} size=4`,
    right: `${typeName} size=8`,
    status: 'unexplained',
  };
  const out = renderText(runOf([{ source: 'w.c', commands: [], findings: [longVerdict, hugeType] }]));
  it('a long verdict wraps at clause boundaries with an indent, never inside a type name', () => {
    const lines = out.split('\n');
    const at = lines.findIndex((l) => l.startsWith('      right departs from DWARF:'));
    expect(lines[at]).toBe('      right departs from DWARF: DW_TAG_member m DW_AT_type long unsigned int,');
    expect(lines[at + 1]).toBe('        DW_AT_data_member_location 8, DW_AT_decl_file wide.c, DW_AT_decl_line 12,');
    expect(lines[at + 2]).toBe('        DW_AT_type of the typedef long unsigned int');
  });
  it('a 300-character type name is not cut: its line is long, the status goes on its own line', () => {
    expect(out).toContain(`    .  size  ${typeName} size=4 → ${typeName} size=8\n      [unexplained]  ids -/-\n`);
    const wide = out.split('\n').filter((l) => l.length > 100);
    expect(wide).toHaveLength(2); // the entity header and its one finding line: nothing else
  });
  it('wrap keeps a bracketed list whole at clause level', () => {
    expect(wrap('alpha, beta int (int, char), gamma', { width: 20, first: '', indent: '  ', breakAt: 'clauses' })).toEqual([
      'alpha,',
      '  beta int (int, char),',
      '  gamma',
    ]);
  });
});

/** Run `sh -c` and return what it prints: the oracle for a command laid out over several lines. */
function sh(script: string): string {
  const r = spawnSync('sh', ['-c', script], { encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
  return r.stdout;
}

describe('email', () => {
  const typeName = `struct ${'y'.repeat(300)}`;
  const hostile: UnitResult = {
    source: 'src/ünïcode\tdir/w.c',
    commands: [
      {
        side: 'both',
        argv: ['gcc', '-g', '-gbtf', `-DLONG=${'z'.repeat(120)}`, '-DMSG=hello world', '-c', 'src/ünïcode\tdir/w.c', '-o', '$TMP/unit.o'],
      },
    ],
    findings: [
      { entity: typeName, path: 'm', category: 'size', left: `${typeName} size=4`, right: `${typeName} size=8`, status: 'unexplained', leftId: 1, rightId: 2 },
      { entity: 'enum couleur_ämbre', path: '', category: 'signedness', left: 'enum encoding=SIGNED\t→', right: 'x', status: 'unexplained' },
    ],
  };
  const run = runOf([...RUN.units, hostile]);
  const out = renderEmail(run, { verbose: true });
  it('every line is at most 78 columns of plain ASCII, no tab, no HTML, even with a 300-character type name', () => {
    for (const l of out.split('\n')) expect(l.length, l).toBeLessThanOrEqual(78);
    expect(out).toMatch(/^[\x20-\x7e\n]*$/);
    expect(out).not.toMatch(/<(pre|br|a|b|table)\b/);
    // The non-ASCII name is escaped, not dropped.
    expect(out).toContain('enum couleur_\\u00e4mbre');
  });
  it('tools and commands first, then the summary, then the unexplained findings, then the known ones folded', () => {
    const at = (s: string): number => out.indexOf(s);
    expect(at('btfparity report\n')).toBe(0);
    expect(at('\nTools\n-----\n')).toBeGreaterThan(0);
    expect(at('      gcc (Debian 12.2.0-14) 12.2.0\n')).toBeGreaterThan(at('\nTools\n'));
    expect(at('\nCommands\n')).toBeGreaterThan(at('\nTools\n'));
    expect(at('\nSummary\n')).toBeGreaterThan(at('\nCommands\n'));
    expect(at('\nUnexplained findings (4)\n')).toBeGreaterThan(at('\nSummary\n'));
    expect(at('\nKnown findings (2)\n')).toBeGreaterThan(at('\nUnexplained findings (4)\n'));
  });
  it('commands are 4-space code blocks that sh reads back as the same words', () => {
    // The FLOATS unit's commands are not listed (only known findings); CHARS's are.
    const block = out.split('\n').filter((l) => l.startsWith('    gcc -g -gbtf -c '));
    expect(block).toEqual(["    gcc -g -gbtf -c 'corpus/probes/02 char & <signedness>.c' -o \\"]);
    // The hostile unit's one command, a 120-character argument included, laid out over several lines.
    const lines = shellBlockLines("gcc -g '-DMSG=hello world' -c w.c".replace('-c', `-DLONG=${'z'.repeat(120)} -c`));
    for (const l of lines) expect(l.length).toBeLessThanOrEqual(74);
    expect(lines.length).toBeGreaterThan(2);
    const words = `printf '[%s]\\n' ${lines.join('\n')}`;
    expect(sh(words)).toBe(sh(`printf '[%s]\\n' gcc -g '-DMSG=hello world' -DLONG=${'z'.repeat(120)} -c w.c`));
  });
  it('a long single-quoted word is cut outside its quotes and still reads back', () => {
    const arg = `'${'a b '.repeat(40)}'`;
    const lines = shellBlockLines(`echo ${arg}`);
    for (const l of lines) expect(l.length).toBeLessThanOrEqual(74);
    expect(sh(lines.join('\n'))).toBe(`${'a b '.repeat(40)}\n`);
  });
  it('a C line wider than the block is continued with a backslash (a line splice: the compiler reads one line)', () => {
    const line = `int x = ${'1 + '.repeat(40)}1;\tint y;`;
    const lines = cBlockLines(line);
    for (const l of lines) expect(l.length).toBeLessThanOrEqual(74);
    // Phase 2 of translation deletes each backslash-newline: joining the pieces gives the line back, its tab as spaces.
    expect(lines.join('\n').replace(/\\\n/g, '')).toBe(line.replace('\t', ' '.repeat(8 - (line.indexOf('\t') % 8))));
  });
  it('is what --format email renders, and it folds like text without --verbose', () => {
    expect(renderReport(run, 'email', { verbose: true })).toBe(out);
    const plain = renderReport(RUN, 'email');
    expect(plain).toContain('\n  pahole-float-as-int: 1, e.g. corpus/probes/05-floats.c: double\n');
  });
});

describe("triage's report.md and report.txt", () => {
  const records = [
    "[3] STRUCT 'wide' size=24 vlen=3",
    `\t'${'m'.repeat(40)}' type_id=1 bits_offset=0`,
    "\t'b' type_id=2 bits_offset=64",
    "\t'c' type_id=2 bits_offset=128",
  ].join('\n');
  const side = {
    records,
    title: 'struct wide, 24 bytes',
    rows: [{ name: 'm'.repeat(40), offset: '0', size: '8', type: 'long unsigned int' }],
  };
  const report: TriageReport = {
    run: runOf([...RUN.units]),
    entities: [
      {
        unit: RUN.units[1].source,
        entity: 'struct chars',
        left: side,
        right: side,
        findings: [
          {
            key: 'k1',
            finding: RUN.units[1].findings[1],
            dwarf: { says: `DW_TAG_member c DW_AT_type ${'char '.repeat(30)}`, left: 'matches', right: 'departs' },
          },
        ],
      },
    ],
    reproducers: [
      {
        unit: RUN.units[1].source,
        target: { entity: 'struct chars', category: 'member-type' },
        file: 'repro-1.c',
        text: `struct chars {\n\tchar c; /* ${'long comment '.repeat(10)}*/\n};\nstruct chars btfparity_anchor;\n`,
        commands: ['gcc -g -gbtf -c repro-1.c -o repro-1.o', `pahole --btf_encode_detached=repro-1.btf repro-1.o # ${'x'.repeat(90)}`],
        stats: {
          originalLines: 711,
          preprocessedLines: 674,
          finalLines: 4,
          topLevelDeclarations: 221,
          rounds: 3,
          toolchainRuns: 10,
          cacheHits: 4,
          seconds: 0.8,
        },
      },
    ],
    maxReduce: 3,
    notReduced: [],
    dwarf: { argv: ['llvm-dwarfdump-16', '--debug-info', 'unit.o'] },
  };
  const md = renderTriageMarkdown(report);
  it('report.md has no inline HTML, no tab, no line over 100 columns outside code blocks', () => {
    // Outside fenced blocks and code spans (where `<signedness>` is text), nothing that reads as a tag.
    const prose = md.replace(/^```[^\n]*\n[\s\S]*?\n```$/gm, '').replace(/(`+)[\s\S]*?\1/g, '');
    expect(prose).not.toMatch(/<\/?[a-zA-Z][^>]*>/);
    expect(md).not.toMatch(/<(pre|br)>/);
    expect(md).not.toContain('\t');
    let fenced = false;
    for (const l of md.split('\n')) {
      if (/^```/.test(l)) fenced = !fenced;
      else if (!fenced) expect(l.length, l).toBeLessThanOrEqual(100);
    }
    expect(fenced).toBe(false);
  });
  it('the reproducer and each side are fenced code blocks (tabs as spaces)', () => {
    expect(md).toContain('```c\nstruct chars {\n        char c; /* long comment');
    expect(md).toContain("left:\n\n```\n[3] STRUCT 'wide' size=24 vlen=3\n        'mmmm");
    expect(md).toContain('right:\n\n```\n');
  });
  it('report.txt is the email report with the reproducer in a 4-space block', () => {
    const txt = renderTriageEmail(report);
    for (const l of txt.split('\n')) expect(l.length, l).toBeLessThanOrEqual(78);
    expect(txt).toMatch(/^[\x20-\x7e\n]*$/);
    expect(txt).toContain('\nReproducers (1)\n');
    expect(txt).toContain('\n    struct chars {\n            char c; /* long comment');
    expect(txt.indexOf('\nReproducers (1)\n')).toBeGreaterThan(txt.indexOf('\nUnexplained findings (2)\n'));
  });
});
