/**
 * Scale-out with existing engines (docs/SCALE-OUT.md):
 *
 * - CI matrix shards: `check --shard K/8` on the whole probe corpus, then
 *   `merge` of the eight json reports, must give the unsharded run's report
 *   byte for byte in every report format, and the same exit status. The
 *   corpus includes a unit that fails (probe 53: pahole 1.24 crashes), so
 *   failures travel through the merge too.
 * - Distributed builds: `make -j4 CC="btfparity cc distcc gcc"` with a real
 *   distccd on 127.0.0.1 (DISTCC_FALLBACK=0: a compile that cannot reach
 *   the daemon fails the build instead of quietly running locally) builds
 *   the same outputs as a plain build, the daemon's log shows each source
 *   compiled there, and the per-object results equal those of
 *   `btfparity cc gcc` without distcc.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { REPORT_FORMATS } from '../src/report/render.js';
import type { RunResult } from '../src/report/run-result.js';
import { CLI, ensureBuilt, ROOT, runCli, runCliAsync } from './helpers/cli.js';

const work = mkdtempSync(join(tmpdir(), 'btfparity-test-scale-'));
const SHARDS = 8;

beforeAll(ensureBuilt);
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('eight CI shards merged', () => {
  const cache = join(work, 'cache');
  const shardFile = (k: number) => join(work, `shard-${k}.json`);

  beforeAll(async () => {
    // One cold run fills a private cache; the shards and the per-format runs below reuse it.
    runs.push(await runCliAsync(['check', '-q', '-j2', '--cache-dir', cache, '--format', 'json', '--output', join(work, 'whole.json')]));
    runs.push(
      ...(await Promise.all(
        Array.from({ length: SHARDS }, (_, i) =>
          runCliAsync(['check', '-q', '--cache-dir', cache, '--shard', `${i + 1}/${SHARDS}`, '--format', 'json', '--output', shardFile(i + 1)]),
        ),
      )),
    );
  }, 900_000);
  const runs: { status: number | null; stderr: string }[] = [];

  test('every run ends as a check does (0, 1, or 3 for the corpus failure), never 2 or 70', () => {
    // With their stderr, so a failing shard says why (one once left no shard-3.json under load 27).
    const ends = runs.map((r) => ({ status: r.status, stderr: r.status === 0 || r.status === 1 || r.status === 3 ? '' : r.stderr }));
    expect(ends).toEqual(runs.map(() => ({ status: expect.toBeOneOf([0, 1, 3]), stderr: '' })));
  });

  test('the shards split the corpus: disjoint, covering, none empty', () => {
    const whole = JSON.parse(readFileSync(join(work, 'whole.json'), 'utf8')) as RunResult;
    const perShard = Array.from({ length: SHARDS }, (_, i) => (JSON.parse(readFileSync(shardFile(i + 1), 'utf8')) as RunResult).units.map((u) => u.source));
    expect(perShard.flat().sort()).toEqual(whole.units.map((u) => u.source).sort());
    expect(new Set(perShard.flat()).size).toBe(whole.units.length);
    for (const s of perShard) expect(s.length).toBeGreaterThan(0);
    expect(whole.units.length).toBeGreaterThan(50); // the whole corpus, not a sample
    expect(whole.summary.failedUnits).toBeGreaterThan(0); // and a failure goes through the merge
  });

  test.each(REPORT_FORMATS)('merge of the shards is byte-identical to the unsharded run: %s', async (format) => {
    const [whole, merged] = await Promise.all([
      runCliAsync(['check', '-q', '--cache-dir', cache, '--format', format]),
      runCliAsync(['merge', '--format', format, ...Array.from({ length: SHARDS }, (_, i) => shardFile(i + 1))]),
    ]);
    expect(merged.stdout.length).toBeGreaterThan(1000);
    expect(merged.stdout === whole.stdout, `${format} differs`).toBe(true);
    expect(merged.status).toBe(whole.status);
  });
});

/** A TCP port nobody listens on now (the kernel's pick for port 0). */
async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address !== null ? resolvePort(address.port) : reject(new Error('no port'))));
    });
  });
}

const haveDistcc = spawnSync('distccd', ['--version']).status === 0 && spawnSync('distcc', ['--version']).status === 0;

describe.skipIf(!haveDistcc)('make -j4 CC="btfparity cc distcc gcc"', () => {
  const FIXTURE = join(ROOT, 'test', 'fixtures', 'wrapper-project');
  const OUTPUTS = ['main.o', 'shapes.o', 'queue.o', 'state.o', 'app'];
  const SOURCES = ['main.c', 'queue.c', 'shapes.c', 'state.c'];
  // Its own directory under the system temp dir: distccd drops to `nobody` before it opens the
  // log, and `work` (mkdtemp, mode 0700) is not reachable for it.
  const logDir = mkdtempSync(join(tmpdir(), 'btfparity-test-distccd-'));
  const log = join(logDir, 'log');
  let daemon: ChildProcess;
  let hosts: string;
  const distccDir = join(work, 'distcc-state');
  /** The client's settings: this daemon only, never a local fallback, no host backoff. */
  const distccEnv = (): Record<string, string> => ({
    DISTCC_HOSTS: hosts,
    DISTCC_FALLBACK: '0',
    DISTCC_BACKOFF_PERIOD: '0',
    DISTCC_DIR: distccDir,
  });

  const make = (dir: string, cc: string, env: Record<string, string> = {}) =>
    spawnSync('make', ['-j4', `CC=${cc}`], { cwd: dir, encoding: 'utf8', env: { ...process.env, ...env } });
  const digest = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');
  const collect = (results: string) => JSON.parse(runCli(['collect', results, '--format', 'json']).stdout) as RunResult;

  beforeAll(async () => {
    cpSync(FIXTURE, join(work, 'plain'), { recursive: true });
    cpSync(FIXTURE, join(work, 'local'), { recursive: true });
    cpSync(FIXTURE, join(work, 'distcc'), { recursive: true });
    chmodSync(logDir, 0o777);
    mkdirSync(distccDir);
    const port = await freePort();
    hosts = `127.0.0.1:${port}/4`; // not `localhost`, which distcc runs locally without the daemon
    const args = ['--no-detach', '--daemon', '--allow', '127.0.0.1', '--listen', '127.0.0.1', '--port', String(port), '--jobs', '4', '--log-file', log];
    if (process.getuid?.() === 0) args.push('--user', 'nobody');
    daemon = spawn('distccd', args, { stdio: 'ignore' });
    // Ready when it accepts a compile: a probe through the daemon itself. A failed probe must
    // not put the host into distcc's backoff (a private DISTCC_DIR, no backoff period), or every
    // compile of the build would then be refused as "failed to distribute" on a loaded machine.
    const probe = join(work, 'probe');
    mkdirSync(probe);
    writeFileSync(join(probe, 'p.c'), 'int p;\n');
    let ready = false;
    for (let i = 0; i < 120 && !ready; i++) {
      ready = spawnSync('distcc', ['gcc', '-c', 'p.c'], { cwd: probe, env: { ...process.env, ...distccEnv() } }).status === 0;
      if (!ready) await new Promise((r) => setTimeout(r, 500));
    }
    expect(ready, 'distccd accepted no compile within 60 s').toBe(true);
  }, 180_000);
  afterAll(() => {
    daemon?.kill('SIGTERM');
    rmSync(logDir, { recursive: true, force: true });
  });

  test('the build is unchanged, compiled by the daemon, and the results equal those without distcc', () => {
    expect(make(join(work, 'plain'), 'gcc').status).toBe(0);
    const local = make(join(work, 'local'), `${process.execPath} ${CLI} cc gcc`, {
      BTFPARITY_RESULTS: join(work, 'results-local'),
      BTFPARITY_ROOT: join(work, 'local'),
    });
    expect(local.status).toBe(0);
    const distributed = make(join(work, 'distcc'), `${process.execPath} ${CLI} cc distcc gcc`, {
      ...distccEnv(),
      BTFPARITY_RESULTS: join(work, 'results-distcc'),
      BTFPARITY_ROOT: join(work, 'distcc'),
    });
    expect(distributed.status, distributed.stderr).toBe(0);
    for (const f of OUTPUTS) expect([f, digest(join(work, 'distcc', f))]).toEqual([f, digest(join(work, 'plain', f))]);

    // distccd logs one COMPILE_OK line per job it ran, naming the source.
    expect(existsSync(log)).toBe(true);
    const compiled = readFileSync(log, 'utf8')
      .split('\n')
      .filter((l) => l.includes('COMPILE_OK'))
      .map((l) => l.trim().split(' ').at(-1));
    for (const s of SOURCES) expect(compiled, s).toContain(s);

    // btfparity rebuilt each unit with the compiler behind the launcher, locally: the same results.
    const a = collect(join(work, 'results-local'));
    const b = collect(join(work, 'results-distcc'));
    expect(b.units.map((u) => u.source)).toEqual(SOURCES);
    expect(b.units.map((u) => u.commands[0].argv[0])).toEqual(SOURCES.map(() => 'gcc'));
    expect(b.units.map((u) => u.findings)).toEqual(a.units.map((u) => u.findings));
    expect(b.summary).toEqual(a.summary);
  });
});
