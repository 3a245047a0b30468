/**
 * The shipped rules, re-validated on each toolchain present (issue 9,
 * "Rules across versions"): the corpus check (default recipes, `pahole`
 * against `gcc-btf`) with Debian 12's host toolchain, trixie's root and
 * sid's root, each held to docs/TOOLCHAINS.md, "Rules across versions":
 *
 * (a) the unexplained findings are exactly the classes of "What stays
 *     unexplained on purpose" for that toolchain, with the counts written
 *     there (a class as the matrix names it, src/report/matrix.ts), and
 * (b) every rule whose tool conditions the toolchain meets explains at least
 *     one finding, unless "Rules the corpus does not show" lists it for that
 *     toolchain with a reason; a rule listed there explains none.
 *
 * The oracle is the tables, written from real runs of these toolchains
 * (2026-12-02) with each class's cause read off the BTF (bpftool) and the
 * DWARF verdict. A new probe, rule or toolchain version that changes them
 * fails here until the document says what it is.
 *
 * The runs use the user's artifact cache, so a re-run costs seconds.
 * Debian 12's column is checked only when the host has gcc 12 and pahole
 * 1.24; trixie's and sid's only when their roots exist; each skipped with
 * the reason otherwise.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, type TestContext, test } from 'vitest';
import { loadRulesFile } from '../src/findings/rules-file.js';
import { versionSatisfies } from '../src/findings/version.js';
import { classLabel, findingClass } from '../src/report/matrix.js';
import type { RunResult } from '../src/report/run-result.js';
import { readRoot, rootsDir } from '../src/toolchain/roots.js';
import { ensureBuilt, ROOT, runCliAsync } from './helpers/cli.js';

const DOC = readFileSync(join(ROOT, 'docs', 'TOOLCHAINS.md'), 'utf8');
const work = mkdtempSync(join(tmpdir(), 'btfparity-rules-versions-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function hostSkip(): string {
  const gcc = execFileSync('gcc', ['--version'], { encoding: 'utf8' }).split('\n')[0];
  const pahole = execFileSync('pahole', ['--version'], { encoding: 'utf8' }).trim();
  return / 12\.\d+\.\d+/.test(gcc) && pahole === 'v1.24' ? '' : `the host toolchain is ${gcc} / pahole ${pahole}, not Debian 12's gcc 12 / pahole v1.24`;
}
const rootSkip = (root: string) =>
  readRoot(root, rootsDir()) ? '' : `no toolchain root '${root}' in ${rootsDir()} (make it with: scripts/setup --toolchains)`;

/** Each column of the document's tables: the check arguments, and why it cannot run here ('' when it can). */
const TOOLCHAINS = [
  { column: 'Debian 12', args: [] as string[], skip: hostSkip() },
  { column: 'trixie', args: ['--cc', 'trixie:gcc-14', '--pahole', 'trixie:pahole'], skip: rootSkip('trixie') },
  { column: 'sid', args: ['--cc', 'sid:gcc-16', '--pahole', 'sid:pahole'], skip: rootSkip('sid') },
];

/** The rows of the markdown table right under `heading`, as cells (the header row first). */
function tableUnder(heading: string): string[][] {
  const at = DOC.indexOf(`\n${heading}\n`);
  if (at < 0) throw new Error(`docs/TOOLCHAINS.md has no heading ${heading}`);
  const lines = DOC.slice(at + heading.length + 2).split('\n');
  const start = lines.findIndex((l) => l.startsWith('|'));
  const rows: string[][] = [];
  for (const l of lines.slice(start)) {
    if (!l.startsWith('|')) break;
    // Split on the pipes that separate cells, not on an escaped `\|` inside one.
    rows.push(
      l
        .slice(1, -1)
        .split(/(?<!\\)\|/)
        .map((c) => c.trim()),
    );
  }
  return rows.filter((r) => !/^-+$/.test(r[0]));
}
const unquote = (cell: string) => cell.replace(/^`(.*)`$/, '$1');

/** class → count, per column, from "What stays unexplained on purpose". */
function documentedClasses(column: string): Map<string, number> {
  const [header, ...rows] = tableUnder('### What stays unexplained on purpose');
  const col = header.indexOf(column);
  expect(col, `column ${column}`).toBeGreaterThan(0);
  const out = new Map<string, number>();
  for (const r of rows) if (r[col] !== '-') out.set(unquote(r[0]), Number(r[col]));
  return out;
}

/** Rule ids the document says the corpus does not show with this column's toolchain. */
function documentedAbsentRules(column: string): Set<string> {
  const [, ...rows] = tableUnder('### Rules the corpus does not show');
  for (const r of rows) expect(r[2], `a reason for ${r[0]}`).toMatch(/\w/);
  return new Set(rows.filter((r) => r[1].split(', ').includes(column)).map((r) => unquote(r[0])));
}

function need(ctx: TestContext, column: string, skip: string): void {
  if (skip === '') return;
  process.stderr.write(`rules-across-versions: ${column} skipped, ${skip}\n`);
  ctx.skip();
}

async function corpusCheck(column: string, args: readonly string[]): Promise<RunResult> {
  const out = join(work, `${column.replace(/\W/g, '-')}.json`);
  const r = await runCliAsync(['check', '-q', '-j', '2', '--format', 'json', '--output', out, ...args]);
  // Exit 1 (unexplained findings) or 3 (a unit failed: probe 40 or 53), never a usage error or a bug.
  expect([1, 3], r.stderr).toContain(r.status);
  return JSON.parse(readFileSync(out, 'utf8')) as RunResult;
}

describe('the shipped rules on each toolchain (docs/TOOLCHAINS.md, "Rules across versions")', () => {
  test.for(TOOLCHAINS)('$column: unexplained classes as documented; every rule in range fires or is listed', async ({ column, args, skip }, ctx) => {
    need(ctx, column, skip);
    ensureBuilt();
    const run = await corpusCheck(column, args);
    expect(run.summary.units).toBe(54);

    // (a) the unexplained classes, with their counts.
    const seen = new Map<string, number>();
    const fired = new Set<string>();
    for (const u of run.units)
      for (const f of u.findings) {
        if (f.status === 'unexplained') {
          const k = classLabel(findingClass(f));
          seen.set(k, (seen.get(k) ?? 0) + 1);
        }
        if (f.status === 'known' && f.reason) fired.add(f.reason);
      }
    expect(Object.fromEntries([...seen].sort())).toEqual(Object.fromEntries([...documentedClasses(column)].sort()));

    // (b) rules in range: the tool conditions hold for the run's tools (every tool of the role, as rules-match does).
    const inRange = loadRulesFile()
      .filter((rule) =>
        (rule.match.tools ?? []).every((c) => {
          const ts = run.toolchain.filter((t) => t.role === c.tool);
          return ts.length > 0 && ts.every((t) => t.version !== undefined && versionSatisfies(t.version, c.version));
        }),
      )
      .map((rule) => rule.id);
    const absent = documentedAbsentRules(column);
    const silent = inRange.filter((id) => !fired.has(id));
    expect(silent.sort(), 'rules in range that explain nothing').toEqual([...absent].filter((id) => inRange.includes(id)).sort());
    // A listed rule really explains nothing here, and the list names only rules of the shipped file.
    expect([...absent].filter((id) => fired.has(id))).toEqual([]);
    const ids = new Set(loadRulesFile().map((r) => r.id));
    expect([...absent].filter((id) => !ids.has(id))).toEqual([]);
  });
});
