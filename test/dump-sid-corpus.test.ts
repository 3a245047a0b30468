/**
 * `dump` byte-identical to bpftool 7.8 of the sid root on every avenue's
 * output of the probe corpus (issue 9): every recipe of src/recipe/recipes.ts,
 * each with the sid tools of its roles (sid:gcc-16, sid:clang, sid:bpf-gcc,
 * sid:pahole), and every probe as a module with a distilled base (sid's
 * pahole over the running kernel's vmlinux, as the kernel's build encodes
 * an external module). Plain `dump` against `bpftool btf dump file`, and
 * `dump --format bpftool-json` against `bpftool -j btf dump file`; modules
 * without a base (over their .BTF.base) and with `--base`/`-B vmlinux`.
 *
 * The avenues' BTF comes from the unit cache of one `check` per recipe
 * (`--left R --right R`: the recipe on both sides, compiled once), in a
 * cache directory of this test: each entry's left.btf, named by the probe
 * its object's file symbol names. An object avenue's entry holds the
 * object's .BTF section, which is what bpftool reads of the object.
 * bpftool runs once for all files, in one sandbox (`toolchain run sid:sh`):
 * a bwrap start costs about a second on this machine. Identical blobs (the
 * pahole recipes agree on many probes) are dumped once: 314 blobs and 102
 * module dumps, each in both formats. Ours run in this process through the
 * CLI's own `runDump` (a node start per dump, 832 of them, had not finished in 14
 * minutes on a loaded machine); `node dist/cli.js dump` itself runs on the
 * largest blob of each recipe and on a module, with and without --base.
 * The whole file took 7 minutes at a load average of 20 on 2 cores.
 *
 * Probes a sid tool cannot build are listed below by recipe, with the
 * tool's own error, and checked: a probe that starts or stops failing fails
 * the test. Skips, saying why, without the sid root or
 * /sys/kernel/btf/vmlinux (the modules only).
 */
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDump } from '../src/cli/dump.js';
import { TOOL_SETTINGS } from '../src/cli/tool-settings.js';
import { PAHOLE_FLAG_ROWS, kernelPaholeFlags } from '../src/recipe/pahole-flags.js';
import { readRoot } from '../src/toolchain/roots.js';
import { findRecipe, RECIPE_NAMES, recipeTools, type ToolRole } from '../src/recipe/recipes.js';
import { findSection, parseElf } from '../src/index.js';
import { ensureBuilt, PROBES, runCliAsync } from './helpers/cli.js';

/** The sid root, where `toolchain run sid:...` finds it (BTFPARITY_ROOTS_DIR or the default). */
const SID = readRoot('sid') !== undefined;
const VMLINUX = '/sys/kernel/btf/vmlinux';

/** The sid tool of each role. */
const SID_TOOL: Readonly<Record<ToolRole, string>> = { cc: 'sid:gcc-16', clang: 'sid:clang', 'bpf-gcc': 'sid:bpf-gcc', pahole: 'sid:pahole' };

/**
 * What the sid tools cannot build, by recipe: probe → the tool's error (as
 * check reports the failed step). pahole 1.32 refuses `_Atomic` (probe 40)
 * with every flag set; with the kernel's flags (pahole-kernel,
 * pahole-all-vars: --btf_features=...,float) it also refuses the complex
 * types it encodes as `__SANITIZED_FAKE_INT__` without them (45, 53).
 * gcc -gbtf, bpf-gcc and clang build every probe.
 */
const ATOMIC = /encode \(sid:pahole\): exited 0 but did not write (left|right)\.btf: btf_encoder__encode_cu: error encoding atomic_type/;
const COMPLEX = /encode \(sid:pahole\): exited 0 but did not write (left|right)\.btf: btf_encoder__encode_cu: error encoding base_type/;
const CANNOT_BUILD: Readonly<Record<string, Readonly<Record<string, RegExp>>>> = {
  pahole: { '40-atomic': ATOMIC },
  'pahole-kernel': { '40-atomic': ATOMIC, '45-complex': COMPLEX, '53-complex-long-double': COMPLEX },
  'pahole-all-vars': { '40-atomic': ATOMIC, '45-complex': COMPLEX, '53-complex-long-double': COMPLEX },
  'clang-bpf-pahole': { '40-atomic': ATOMIC },
  'gcc-btf': {},
  'bpf-gcc-btf': {},
  'clang-bpf': {},
};

/** Modules: the kernel's flags for pahole 1.32 and its module rows (distilled_base), over vmlinux, into the object (-J). */
const MODULE_PAHOLE = [
  'pahole',
  '-J',
  ...(kernelPaholeFlags({ pahole: '1.32' }) ?? []),
  ...PAHOLE_FLAG_ROWS.filter((r) => r.module === true).flatMap((r) => r.flags),
  '--btf_base',
  'vmlinux',
];
/** What the modules' pahole refuses: as pahole-kernel. */
const MODULE_CANNOT_BUILD: Readonly<Record<string, RegExp>> = {
  '40-atomic': /error encoding atomic_type/,
  '45-complex': /error encoding base_type/,
  '53-complex-long-double': /error encoding base_type/,
};

const work = mkdtempSync(join(tmpdir(), 'btfparity-sid-corpus-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const probes = readdirSync(PROBES)
  .filter((f) => f.endsWith('.c'))
  .map((f) => basename(f, '.c'))
  .sort();

/** One file to dump both ways, and the names (recipe/probe) whose BTF it is. */
interface Job {
  readonly file: string;
  readonly base?: string;
  readonly names: string[];
}

/** `btfparity toolchain run sid:sh SCRIPT` in `work` (writable); throws with its stderr on failure. */
async function sidShell(script: string, lines: readonly string[]): Promise<void> {
  writeFileSync(join(work, script), `${lines.join('\n')}\n`);
  const r = await runCliAsync(['toolchain', 'run', '--rw', work, '--', 'sid:sh', script], { cwd: work });
  if (r.status !== 0) throw new Error(`sid:sh ${script}: exit ${r.status}: ${r.stderr}`);
}

/** `check` of the corpus with `recipe` on both sides and the sid tools; its failures by probe, its BTF by probe. */
async function buildRecipe(recipe: string): Promise<{ failures: Map<string, string>; btf: Map<string, Uint8Array> }> {
  const roles = recipeTools(findRecipe(recipe)!);
  const tools = TOOL_SETTINGS.filter((t) => roles.includes(t.role)).flatMap((t) => [`--${t.flag}`, SID_TOOL[t.role]]);
  const cache = join(work, `cache-${recipe}`);
  const report = join(work, `${recipe}.json`);
  const r = await runCliAsync(['check', '-q', '--left', recipe, '--right', recipe, ...tools, '--cache-dir', cache, '--format', 'json', '--output', report]);
  // 0, 1 (findings: none expected between a recipe and itself) or 3 (a unit failed); never 2 or 70.
  if (![0, 1, 3].includes(r.status ?? -1)) throw new Error(`check ${recipe}: exit ${r.status}: ${r.stderr}`);
  const units = (JSON.parse(readFileSync(report, 'utf8')) as { units: { source: string; error?: { step: string; message: string } }[] }).units;
  const failures = new Map(units.filter((u) => u.error).map((u) => [basename(u.source, '.c'), `${u.error!.step}: ${u.error!.message}`]));
  const btf = new Map<string, Uint8Array>();
  const root = join(cache, 'units');
  for (const shard of readdirSync(root))
    for (const entry of readdirSync(join(root, shard))) {
      const dir = join(root, shard, entry);
      const meta = JSON.parse(readFileSync(join(dir, 'meta.json'), 'utf8')) as { meta: { symbols: { name: string; type: string }[] } };
      const file = meta.meta.symbols.find((s) => s.type === 'file');
      if (!file) throw new Error(`${recipe}: cache entry ${dir} names no source file`);
      btf.set(basename(file.name, '.c'), readFileSync(join(dir, 'left.btf')));
    }
  return { failures, btf };
}

const results = new Map<string, { failures: Map<string, string>; built: string[] }>();
const moduleFailures = new Map<string, string>();
const jobs: Job[] = [];
const moduleJobs: Job[] = [];

/** Each distinct blob once, under a file of its digest. */
function addBlob(bytes: Uint8Array, name: string, byDigest: Map<string, Job>): void {
  const digest = createHash('sha256').update(bytes).digest('hex').slice(0, 16);
  const known = byDigest.get(digest);
  if (known) {
    known.names.push(name);
    return;
  }
  const file = `blob-${digest}.btf`;
  writeFileSync(join(work, file), bytes);
  const job: Job = { file, names: [name] };
  byDigest.set(digest, job);
  jobs.push(job);
}

async function buildModules(): Promise<void> {
  mkdirSync(join(work, 'mod'));
  copyFileSync(VMLINUX, join(work, 'vmlinux')); // the sandbox shows no /sys
  const lines = ['cd mod'];
  for (const p of probes) {
    copyFileSync(join(PROBES, `${p}.c`), join(work, 'mod', `${p}.c`));
    lines.push(
      `{ gcc-16 -g -c ${p}.c -o ${p}.o && ${MODULE_PAHOLE.map((a) => (a === 'vmlinux' ? '../vmlinux' : a)).join(' ')} ${p}.o; } >${p}.log 2>&1; echo $? >${p}.rc`,
    );
  }
  await sidShell('modules.sh', lines);
  for (const p of probes) {
    const log = readFileSync(join(work, 'mod', `${p}.log`), 'utf8');
    // pahole 1.32 exits 0 when it cannot encode (as check's "exited 0 but did not write"): the object then has no .BTF.
    if (readFileSync(join(work, 'mod', `${p}.rc`), 'utf8').trim() !== '0' || log.includes('error encoding')) moduleFailures.set(p, log.trim());
    else {
      moduleJobs.push({ file: `mod/${p}.o`, names: [`module ${p}`] });
      moduleJobs.push({ file: `mod/${p}.o`, base: 'vmlinux', names: [`module ${p} -B vmlinux`] });
    }
  }
}

/** bpftool 7.8's dumps of every job, plain and -j, in one sandbox: FILE[.B].bt.txt and .bt.json, with .rc. */
async function bpftoolAll(all: readonly Job[]): Promise<void> {
  const lines = all.flatMap((j) => {
    const b = j.base ? ` -B ${j.base}` : '';
    const out = `${j.file}${j.base ? '.B' : ''}`;
    return [
      `bpftool${b} btf dump file ${j.file} >${out}.bt.txt 2>${out}.bt.err; echo $? >${out}.bt.rc`,
      `bpftool${b} -j btf dump file ${j.file} >${out}.bt.json 2>>${out}.bt.err; echo $? >>${out}.bt.rc`,
    ];
  });
  await sidShell('bpftool.sh', lines);
}

const FORMATS = [
  ['bpftool', 'txt'],
  ['bpftool-json', 'json'],
] as const;

/** `btfparity dump` of a job in this process: the CLI's own runDump, its output collected instead of written to stdout. */
async function dumpHere(j: Job, format: string): Promise<Buffer | string> {
  const chunks: Buffer[] = [];
  try {
    await runDump(join(work, j.file), { format, ...(j.base ? { base: join(work, j.base) } : {}) }, (c) => chunks.push(Buffer.from(c)));
  } catch (e) {
    return `failed: ${(e as Error).message}`;
  }
  return Buffer.concat(chunks);
}

/** Where ours differs from bpftool's for a job: one line per format that differs, empty when both are byte-identical. */
async function compareJob(j: Job): Promise<string[]> {
  const out = join(work, `${j.file}${j.base ? '.B' : ''}`);
  const problems: string[] = [];
  if (readFileSync(`${out}.bt.rc`, 'utf8') !== '0\n0\n')
    problems.push(`${j.names.join(', ')}: bpftool failed: ${readFileSync(`${out}.bt.err`, 'utf8').trim()}`);
  for (const [format, ext] of FORMATS) {
    const mine = await dumpHere(j, format);
    const theirs = readFileSync(`${out}.bt.${ext}`);
    if (typeof mine === 'string' || theirs.length === 0 || !mine.equals(theirs))
      problems.push(
        `${j.names.join(', ')} (${j.file}): dump --format ${format}${j.base ? ' --base' : ''} ${typeof mine === 'string' ? mine : 'differs from bpftool'}`,
      );
    // Between dumps, let the worker's RPC run (test/helpers/settle-rpc.ts says why).
    await new Promise((done) => setImmediate(done));
  }
  return problems;
}

/** The same through `node dist/cli.js dump` (a sample: a process start per dump costs more than the dump). */
async function compareJobCli(j: Job): Promise<string[]> {
  const out = join(work, `${j.file}${j.base ? '.B' : ''}`);
  const problems: string[] = [];
  for (const [format, ext] of FORMATS) {
    const mine = await runCliAsync(['dump', '--format', format, ...(j.base ? ['--base', j.base] : []), j.file], { cwd: work });
    if (mine.status !== 0 || mine.stderr !== '' || mine.stdout !== readFileSync(`${out}.bt.${ext}`, 'utf8'))
      problems.push(`${j.names.join(', ')}: node dist/cli.js dump --format ${format}${j.base ? ' --base' : ''}: exit ${mine.status} ${mine.stderr.trim()}`);
  }
  return problems;
}

describe.skipIf(!SID)('dump equals sid bpftool 7.8 on every avenue of the corpus', () => {
  let mismatches: Map<string, string[]>;

  beforeAll(async () => {
    ensureBuilt();
    const byDigest = new Map<string, Job>();
    for (const recipe of RECIPE_NAMES) {
      const { failures, btf } = await buildRecipe(recipe);
      results.set(recipe, { failures, built: [...btf.keys()].sort() });
      for (const [probe, bytes] of btf) addBlob(bytes, `${recipe}/${probe}`, byDigest);
    }
    if (existsSync(VMLINUX)) await buildModules();
    await bpftoolAll([...jobs, ...moduleJobs]);
    mismatches = new Map();
    for (const j of [...jobs, ...moduleJobs]) {
      const problems = await compareJob(j);
      for (const n of j.names) mismatches.set(n, problems);
    }
  }, 900_000);

  it.each(RECIPE_NAMES.map((r) => [r]))('%s: every probe built but the listed ones, whose failure is the tool error listed', (recipe) => {
    const r = results.get(recipe)!;
    const expected = CANNOT_BUILD[recipe];
    expect(expected, `CANNOT_BUILD lists ${recipe}`).toBeDefined();
    expect([...r.failures.keys()].sort()).toEqual(Object.keys(expected).sort());
    for (const [probe, error] of r.failures) expect(error, `${recipe}/${probe}`).toMatch(expected[probe]);
    expect(r.built).toEqual(probes.filter((p) => !(p in expected)));
  });

  it.each(RECIPE_NAMES.map((r) => [r]))('%s: dump and dump --format bpftool-json are byte-identical to bpftool 7.8', (recipe) => {
    const names = results.get(recipe)!.built.map((p) => `${recipe}/${p}`);
    expect(names.length).toBeGreaterThan(40);
    expect(names.flatMap((n) => mismatches.get(n) ?? [`${n}: not compared`])).toEqual([]);
  });

  it.skipIf(!existsSync(VMLINUX))('every probe as a module with a distilled base, with and without --base/-B vmlinux', () => {
    expect([...moduleFailures.keys()].sort()).toEqual(Object.keys(MODULE_CANNOT_BUILD).sort());
    for (const [probe, log] of moduleFailures) expect(log, probe).toMatch(MODULE_CANNOT_BUILD[probe]);
    expect(moduleJobs.length).toBe(2 * (probes.length - moduleFailures.size));
    // Each is a module with a distilled base: its object has .BTF and .BTF.base.
    for (const j of moduleJobs) {
      const elf = parseElf(readFileSync(join(work, j.file)));
      expect(
        [findSection(elf, '.BTF'), findSection(elf, '.BTF.base')].map((s) => s !== undefined),
        j.file,
      ).toEqual([true, true]);
    }
    expect(moduleJobs.flatMap((j) => mismatches.get(j.names[0]) ?? [`${j.names[0]}: not compared`])).toEqual([]);
  });
  it('the comparison can fail: bpftool output changed by one byte, or a bpftool that failed, is reported', async () => {
    const j = jobs[0];
    const tampered: Job = { file: `tampered-${j.file}`, names: ['tampered'] };
    copyFileSync(join(work, j.file), join(work, tampered.file));
    for (const ext of ['txt', 'json']) {
      const theirs = readFileSync(join(work, `${j.file}.bt.${ext}`));
      theirs[theirs.length - 2] ^= 1; // a byte before the final newline
      writeFileSync(join(work, `${tampered.file}.bt.${ext}`), theirs);
    }
    writeFileSync(join(work, `${tampered.file}.bt.rc`), '0\n255\n');
    writeFileSync(join(work, `${tampered.file}.bt.err`), 'Error: failed to load BTF\n');
    expect(await compareJob(j)).toEqual([]);
    expect(await compareJob(tampered)).toEqual([
      'tampered: bpftool failed: Error: failed to load BTF',
      `tampered (${tampered.file}): dump --format bpftool differs from bpftool`,
      `tampered (${tampered.file}): dump --format bpftool-json differs from bpftool`,
    ]);
  });

  it('node dist/cli.js dump writes the same bytes: the largest BTF of each recipe, a module with and without --base', async () => {
    const size = (j: Job) => readFileSync(join(work, j.file)).length;
    const largest = RECIPE_NAMES.map((r) => jobs.filter((j) => j.names.some((n) => n.startsWith(`${r}/`))).sort((a, b) => size(b) - size(a))[0]);
    const sample = [...new Set([...largest, ...moduleJobs.slice(0, 2)])];
    expect(sample.length).toBeGreaterThanOrEqual(RECIPE_NAMES.length - 2); // the pahole recipes may share their largest blob
    const problems: string[] = [];
    for (const j of sample) problems.push(...(await compareJobCli(j)));
    expect(problems).toEqual([]);
  });
});

describe.skipIf(SID)('without the sid root', () => {
  it('skips: bpftool 7.8 and the sid tools are in the sid root; make it with `btfparity toolchain add sid`', () => {
    expect(SID).toBe(false);
  });
});
