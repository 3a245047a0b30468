/**
 * Concurrent runs over one cache (make -j, CI shards, the test suite itself)
 * look up and write the same key at once. A lookup must never throw (it once
 * did: ENOTEMPTY from removing an entry another process was renaming into
 * place, which the CLI turned into exit 70) and must never take a complete
 * entry for a damaged one (a writer used to delete the entry it replaced
 * while readers were between its files, so they warned and rebuilt).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

const WORKER = new URL('./helpers/cache-race-worker.mjs', import.meta.url).pathname;

interface Tally {
  warns: number;
  errors: string[];
  hits: number;
  wrong: number;
}

function worker(dir: string, mode: 'plain' | 'damage', rounds: number): Promise<Tally> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [WORKER, dir, mode, String(rounds)], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    p.stdout.on('data', (d) => {
      out += d;
    });
    p.on('error', reject);
    p.on('close', (code) => (code === 0 ? resolve(JSON.parse(out) as Tally) : reject(new Error(`worker exited ${code}`))));
  });
}

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function cacheDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'btfparity-cache-race-'));
  dirs.push(d);
  return d;
}

describe('one cache, six processes writing and reading the same key', () => {
  it('never throws, never serves wrong bytes, never calls a complete entry damaged', async () => {
    const dir = cacheDir();
    const tallies = await Promise.all(Array.from({ length: 6 }, () => worker(dir, 'plain', 200)));
    expect(tallies.flatMap((t) => t.errors)).toEqual([]);
    expect(tallies.map((t) => t.wrong)).toEqual([0, 0, 0, 0, 0, 0]);
    expect(tallies.map((t) => t.warns)).toEqual([0, 0, 0, 0, 0, 0]);
    // Every lookup after the first write is a hit: nobody removed a good entry.
    expect(tallies.reduce((n, t) => n + t.hits, 0)).toBeGreaterThan(6 * 200 - 12);
    expect(readdirSync(join(dir, 'units', 'ab'))).toEqual([`ab${'c'.repeat(62)}`]);
  }, 120_000);

  it('with one process damaging the entry, the others rebuild it without an error', async () => {
    const dir = cacheDir();
    const tallies = await Promise.all([worker(dir, 'damage', 200), ...Array.from({ length: 5 }, () => worker(dir, 'plain', 200))]);
    expect(tallies.flatMap((t) => t.errors)).toEqual([]);
    expect(tallies.map((t) => t.wrong)).toEqual([0, 0, 0, 0, 0, 0]);
    // Damage is seen (and repaired) by someone, so the check is not vacuous.
    expect(tallies.reduce((n, t) => n + t.warns, 0)).toBeGreaterThan(0);
    // What is left is the entry and no temporary or discarded copy.
    expect(readdirSync(join(dir, 'units', 'ab')).filter((n) => n.startsWith('.'))).toEqual([]);
  }, 120_000);
});
