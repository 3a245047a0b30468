/**
 * `diff --union-right` classifies a whole binary as `binary` does: the
 * objects' symbol tables and `.comment` compilers, and `--left-tool` for
 * what the files do not record (pahole's version), let the rules with
 * symbol and version conditions apply; pairing is binary's (the FUNC pairs
 * with its definition, DATASEC entries by variable over every object, a
 * surviving copy once per name). Real gcc -gbtf objects, ld -r, and pahole
 * on the linked DWARF; the oracles for versions are the tools themselves.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClassifiedFinding } from '../src/findings/finding.js';
import type { RunResult } from '../src/report/run-result.js';
import { ensureBuilt, ROOT, runCli } from './helpers/cli.js';

const FIXTURE = join(ROOT, 'test', 'fixtures', 'archive');
let dir: string;
let objects: string[];
let leftBtf: string;
let paholeVersion: string;

beforeAll(() => {
  ensureBuilt();
  dir = mkdtempSync(join(tmpdir(), 'btfparity-union-rules-'));
  for (const u of ['first', 'second']) copyFileSync(join(FIXTURE, `${u}.c`), join(dir, `${u}.c`));
  // A defined global outside .data..percpu: pahole before 1.28 encodes only per-CPU variables.
  writeFileSync(join(dir, 'third.c'), 'int plain_counter = 1;\n');
  objects = ['first', 'second', 'third'].map((u) => {
    execFileSync('gcc', ['-O2', '-g', '-gbtf', '-c', `${u}.c`, '-o', `${u}.o`], { cwd: dir });
    return join(dir, `${u}.o`);
  });
  execFileSync('ld', ['-r', '-o', join(dir, 'linked.o'), ...objects]);
  leftBtf = join(dir, 'left.btf');
  execFileSync('pahole', [`--btf_encode_detached=${leftBtf}`, join(dir, 'linked.o')]);
  paholeVersion = execFileSync('pahole', ['--version'], { encoding: 'utf8' }).trim();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function diffUnion(extra: readonly string[] = []): RunResult {
  const r = runCli(['diff', leftBtf, ...objects, '--union-right', '--left-recipe', 'pahole', '--right-recipe', 'gcc-btf', '--format', 'json', ...extra]);
  expect(r.status === 0 || r.status === 1, r.stderr).toBe(true);
  return JSON.parse(r.stdout) as RunResult;
}

const findingsOf = (r: RunResult): readonly ClassifiedFinding[] => r.units[0].findings;

describe('diff --union-right: rules and pairing of a whole binary', () => {
  it("records each object's compiler from .comment, as gcc --version names it", () => {
    const gcc = execFileSync('gcc', ['--version'], { encoding: 'utf8' }).split('\n')[0];
    const comment = diffUnion().toolchain.filter((t) => t.role === 'cc');
    // .comment says `GCC: (Debian ...) X`, --version `gcc (Debian ...) X`: the same words after the program name.
    expect(comment.map((t) => t.version?.replace(/^GCC: /, ''))).toEqual([gcc.replace(/^gcc /, '')]);
    expect(comment[0]).toMatchObject({ command: '.comment', side: 'right' });
  });

  it('a version rule applies once pahole’s version is recorded with --left-tool', () => {
    // A rules file of the test's own, gated on the pahole version (the shipped per-CPU rule holds
    // with every pahole version, so it needs none): without the version it cannot hold.
    const rules = join(dir, 'version-rule.json');
    const rule = {
      id: 'test-pahole-version',
      match: { category: ['only-right'], entity: ['var plain_counter'], tools: [{ tool: 'pahole', version: '<1.28' }] },
      explanation: 'Test rule: holds only when the pahole version is known and older than 1.28.',
    };
    writeFileSync(rules, JSON.stringify({ schemaVersion: 1, rules: [rule] }));
    const own = ['--no-default-rules', '--rules', rules];
    const without = findingsOf(diffUnion(own)).find((f) => f.entity === 'var plain_counter');
    expect(without).toMatchObject({ category: 'only-right', status: 'unexplained' });
    const withTool = diffUnion([...own, '--left-tool', `pahole=${paholeVersion}`]);
    expect(withTool.toolchain.find((t) => t.role === 'pahole')).toMatchObject({ side: 'left', version: paholeVersion });
    expect(findingsOf(withTool).find((f) => f.entity === 'var plain_counter')).toMatchObject({ status: 'known', reason: 'test-pahole-version' });
    // The shipped rule: pahole encodes only per-CPU variables (without global_var, whatever its
    // version); third.o defines plain_counter (its symbol table says so).
    expect(findingsOf(diffUnion()).find((f) => f.entity === 'var plain_counter')).toMatchObject({ status: 'known', reason: 'pahole-vars-percpu-only' });
  });

  it('pairs the FUNC with its definition and reports the declaration once, from its object', () => {
    const func = findingsOf(diffUnion()).filter((f) => f.entity === 'func check_entry');
    expect(func).toHaveLength(1);
    expect(func[0]).toMatchObject({ category: 'only-right', status: 'known', reason: 'archive-dedup-surplus-copies', rightObjects: [objects[1]] });
    expect(func[0].right).toBe('int check_entry(struct inode *, int) (2 copies survive the union, 1 unpaired)');
  });

  it('pairs .data..percpu entries by variable over every object', () => {
    const sec = findingsOf(diffUnion()).filter((f) => f.entity === 'datasec .data..percpu');
    expect(sec.filter((f) => f.left === 'absent' || f.right === 'absent')).toEqual([]);
  });

  it('rejects a malformed --left-tool with exit 2', () => {
    const r = runCli(['diff', leftBtf, ...objects, '--union-right', '--left-tool', 'pahole']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('--left-tool: expected ROLE=VERSION');
  });
});
