/**
 * The goldens per toolchain (golden/<name>.baseline.json, with the tool
 * versions each was made with in golden/<name>.toolchain.txt): what
 * scripts/update-golden writes and test/golden.test.ts compares, in one
 * place. The toolchains are data, golden/toolchains.json, in the shape of a
 * `matrix --pairs` file (docs/matrix-pairs.schema.json: a name and each
 * side's recipe and tools), read by the same parser, so an entry means
 * what the same keys mean to `btfparity check`.
 *
 * Run as a program (scripts/update-golden does, after building):
 *   node scripts/golden.mjs [--make-roots] [NAME...]
 * regenerates the named toolchains' goldens, or every present one. A
 * toolchain root that is missing is refused when named (made first with
 * --make-roots) and skipped, saying so, when not.
 *
 * Needs a build (dist/): it uses the product's own pairs parser, tool
 * resolution and baseline reader.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadPairsFile } from '../dist/cli/matrix-pairs.js';
import { TOOL_SETTINGS, toolSettingNames } from '../dist/cli/tool-settings.js';
import { resolveExecutable } from '../dist/recipe/tools.js';
import { parseBaseline } from '../dist/report/baseline.js';
import { readRoot, rootsDir } from '../dist/toolchain/roots.js';
import { parseToolRef, resolveTool } from '../dist/toolchain/tool-ref.js';

export const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
export const GOLDEN_DIR = join(ROOT, 'golden');
export const TOOLCHAINS_FILE = join(GOLDEN_DIR, 'toolchains.json');
const CLI = join(ROOT, 'dist', 'cli.js');

/** `<name>.baseline.json` and `<name>.toolchain.txt` of a toolchain in `dir`. */
export function goldenFiles(name, dir = GOLDEN_DIR) {
  return { baseline: join(dir, `${name}.baseline.json`), toolchain: join(dir, `${name}.toolchain.txt`) };
}

/**
 * The toolchains of golden/toolchains.json: name, the config `check` runs
 * with, and the tools its sides set ({role, command}, each once), in the
 * order of the tool table.
 */
export function loadToolchains(file = TOOLCHAINS_FILE) {
  return loadPairsFile(file).map(({ name, config }) => {
    const tools = [];
    for (const setting of TOOL_SETTINGS)
      for (const scope of ['both', 'left', 'right']) {
        const command = config[toolSettingNames(setting, scope).key];
        if (typeof command === 'string' && !tools.some((t) => t.role === setting.role && t.command === command)) tools.push({ role: setting.role, command });
      }
    return { name, config, tools };
  });
}

/** The toolchain roots a toolchain's tools live in (`sid` for `sid:gcc-16`). */
export function rootsOf(toolchain) {
  return [...new Set(toolchain.tools.map((t) => parseToolRef(t.command)?.root).filter((r) => r !== undefined))];
}

/** Why a toolchain cannot run here (a root missing, a host tool not on PATH), or undefined when it can. */
export function whyAbsent(toolchain, env = process.env) {
  const missing = rootsOf(toolchain).filter((r) => !readRoot(r, rootsDir(env)));
  if (missing.length > 0)
    return `toolchain root${missing.length > 1 ? 's' : ''} ${missing.map((r) => `'${r}'`).join(', ')} missing from ${rootsDir(env)} (make with: btfparity toolchain add ${missing[0]})`;
  const host = toolchain.tools.filter((t) => !parseToolRef(t.command) && !resolveExecutable(t.command, env.PATH ?? ''));
  if (host.length > 0) return `not on PATH: ${host.map((t) => t.command).join(', ')}`;
  return undefined;
}

/** The tool versions text (`role command: first line of --version`, one a line) a golden is pinned to. */
export async function toolchainText(toolchain) {
  const lines = [];
  for (const t of toolchain.tools) lines.push(`${t.role} ${t.command}: ${(await resolveTool(t.role, t.command, 60)).version ?? '(no version)'}`);
  return `${lines.join('\n')}\n`;
}

/**
 * Run `check` on the embedded corpus with a toolchain and write its golden
 * files into `dir`. Resolves to the run's exit status and stderr (0: the
 * baseline was written; --update-baseline accepts unit failures).
 */
export async function writeGolden(toolchain, dir, { cacheDir } = {}) {
  const work = mkdtempSync(join(tmpdir(), `btfparity-golden-${toolchain.name}-`));
  try {
    const config = join(work, 'btfparity.json');
    writeFileSync(config, JSON.stringify(toolchain.config));
    const files = goldenFiles(toolchain.name, dir);
    const args = [CLI, 'check', '-q', '--config', config, '--update-baseline', files.baseline, '--format', 'json', '--output', join(work, 'report.json')];
    if (cacheDir) args.push('--cache-dir', cacheDir);
    const run = await runNode(args);
    if (run.status === 0) writeFileSync(files.toolchain, await toolchainText(toolchain));
    return run;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/**
 * `node ARGS` in the repository, without blocking this process's event loop
 * (a vitest worker blocked for a minute loses its RPC): its status and stderr.
 */
function runNode(args) {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
    const err = [];
    child.stderr.on('data', (b) => err.push(b));
    child.on('error', fail);
    child.on('close', (status) => done({ status, stderr: Buffer.concat(err).toString('utf8') }));
  });
}

/**
 * What differs between a golden baseline and a new one, one line per
 * finding or unit failure (by its key, as the gate identifies them); empty
 * when the files are equal. A difference of the text alone (order,
 * formatting) is one line too, so an empty list means byte-equal files.
 */
export function goldenDifferences(goldenText, nowText) {
  if (goldenText === nowText) return [];
  const golden = parseBaseline(JSON.parse(goldenText));
  const now = parseBaseline(JSON.parse(nowText));
  const out = [];
  const was = new Map(golden.entries.map((e) => [e.key, e]));
  const is = new Map(now.entries.map((e) => [e.key, e]));
  const label = (e) => `${e.status}${e.reason ? ` (${e.reason})` : ''}`;
  for (const [key, e] of was) {
    const n = is.get(key);
    if (!n) out.push(`gone: ${key} [${label(e)}]`);
    else if (label(n) !== label(e)) out.push(`changed: ${key}: ${label(e)} -> ${label(n)}`);
  }
  for (const [key, n] of is) if (!was.has(key)) out.push(`new: ${key} [${label(n)}]`);
  const failure = (f) => `${f.unit} ${f.step}: ${f.message}`;
  const wasF = new Set(golden.failures.map(failure));
  const isF = new Set(now.failures.map(failure));
  for (const f of wasF) if (!isF.has(f)) out.push(`failure gone: ${f}`);
  for (const f of isF) if (!wasF.has(f)) out.push(`new failure: ${f}`);
  if (out.length === 0) out.push('same findings and failures, different text (order or formatting)');
  return out;
}

/** The program: regenerate goldens in golden/. */
async function main(argv) {
  const makeRoots = argv.includes('--make-roots');
  const names = argv.filter((a) => a !== '--make-roots');
  const unknownOption = names.find((a) => a.startsWith('-'));
  if (unknownOption) fail(`unknown option ${unknownOption} (usage: scripts/update-golden [--make-roots] [NAME...])`);
  const all = loadToolchains();
  const unknown = names.filter((n) => !all.some((t) => t.name === n));
  if (unknown.length > 0) fail(`no toolchain ${unknown.join(', ')} in golden/toolchains.json (it has: ${all.map((t) => t.name).join(', ')})`);
  const chosen = names.length > 0 ? all.filter((t) => names.includes(t.name)) : all;
  for (const t of chosen) {
    let absent = whyAbsent(t);
    if (absent && makeRoots) {
      for (const r of rootsOf(t).filter((r) => !readRoot(r))) spawnSync(process.execPath, [CLI, 'toolchain', 'add', r], { stdio: 'inherit' });
      absent = whyAbsent(t);
    }
    if (absent && names.length > 0) fail(`${t.name}: ${absent}; not regenerating it (--make-roots makes missing roots first)`);
    if (absent) {
      process.stderr.write(`update-golden: skipping ${t.name}: ${absent}\n`);
      continue;
    }
    process.stderr.write(`update-golden: ${t.name}\n`);
    const r = await writeGolden(t, GOLDEN_DIR);
    if (r.status !== 0) fail(`${t.name}: check exited ${r.status}: ${r.stderr.trim()}`);
  }
}

function fail(message) {
  process.stderr.write(`update-golden: ${message}\n`);
  process.exit(2);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await main(process.argv.slice(2));
