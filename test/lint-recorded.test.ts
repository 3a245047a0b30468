/**
 * The verifier's exact answers, pinned: every rejection's rule, type, kind,
 * name, message and component, in order and capped as lintBlob gives them,
 * for a few thousand seeded mutants of the committed fixtures (structure-
 * aware ones from helpers/btf-mutants.ts and plain byte mutants, whole and
 * split BTF). The recording (test/fixtures/lint-recorded.json, one digest
 * of JSON.stringify(result) per blob) was made with the verifier as it
 * stood before its rewrite over typed columns (issue 13), which
 * test/lint-kernel.test.ts had checked against the running kernel; so a
 * change of internals must leave every digest as it is.
 *
 * BTFPARITY_LINT_ORACLE=/abs/path/to/lint/verify.js (another build's)
 * compares with that build's full results instead, blob by blob.
 * BTFPARITY_LINT_RECORD=1 rewrites the recording (from the oracle when
 * one is given): only for an intended change of the verdicts, checked
 * against the kernel first.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { btfBlobs, type LintOptions, type LintResult, lintBlob } from '../src/lint/index.js';
import { mutants, Rng, repair } from './helpers/btf-mutants.js';
import { ROOT } from './helpers/cli.js';
import { FIXTURES_DIR, SEEDS_DIR } from './helpers/fixtures.js';

const RECORDING = join(ROOT, 'test', 'fixtures', 'lint-recorded.json');
const STRUCTURED_PER_BLOB = 24;
const BYTES_PER_BLOB = 12;
/** The one split seed gets more: it is the only way into the module-BTF path (type tags against a base, libbpf's check). */
const SPLIT_FACTOR = 10;

type Lint = (data: Uint8Array, options?: LintOptions) => LintResult;

interface Case {
  readonly name: string;
  readonly bytes: Uint8Array;
  readonly options: LintOptions;
}

/** The BTF blobs of every committed fixture that has any (ELF objects and raw files, both byte orders). */
function seedBlobs(): { name: string; bytes: Uint8Array }[] {
  const out: { name: string; bytes: Uint8Array }[] = [];
  for (const dir of [FIXTURES_DIR, SEEDS_DIR]) {
    for (const f of readdirSync(dir).sort()) {
      if (!/\.(o|btf)$/.test(f)) continue;
      let blobs: { offset: number; bytes: Uint8Array }[];
      try {
        blobs = btfBlobs(new Uint8Array(readFileSync(join(dir, f))));
      } catch {
        continue; // no BTF in it (e.g. an ELF without .BTF): nothing to mutate
      }
      for (const b of blobs) out.push({ name: `${f}@${b.offset}`, bytes: b.bytes });
    }
  }
  return out;
}

/** 1-4 bytes of a copy set to a random byte, a small value or a flipped bit; most after the header. */
function byteMutant(seed: Uint8Array, rng: Rng): Uint8Array {
  const d = seed.slice();
  const n = 1 + rng.int(4);
  for (let j = 0; j < n; j++) {
    const at = rng.chance(0.75) && d.length > 24 ? 24 + rng.int(d.length - 24) : rng.int(d.length);
    const r = rng.int(10);
    d[at] = r < 4 ? rng.int(256) : r < 7 ? rng.int(8) : d[at] ^ (1 << rng.int(8));
  }
  return d;
}

/** Every blob to lint: each seed, its repaired form, and their mutants; the split seed's against its base. */
function cases(): Case[] {
  const out: Case[] = [];
  const splitBase = new Uint8Array(readFileSync(join(SEEDS_DIR, 'split-base.btf')));
  let n = 0;
  for (const s of seedBlobs()) {
    const split = s.name.startsWith('split.btf@');
    const options: LintOptions = split ? { base: splitBase } : {};
    const k = split ? SPLIT_FACTOR : 1;
    const forms = [s];
    const fixed = repair(s.bytes);
    if (fixed) forms.push({ name: `${s.name}+repair`, bytes: fixed });
    for (const f of forms) {
      const rng = new Rng(0x1e5 + 7919 * n++);
      out.push({ name: f.name, bytes: f.bytes, options });
      for (const m of mutants(f.bytes, STRUCTURED_PER_BLOB * k, rng)) out.push({ name: `${f.name}~${m.name}`, bytes: m.bytes, options });
      for (let i = 0; i < BYTES_PER_BLOB * k; i++) out.push({ name: `${f.name}~bytes${i}`, bytes: byteMutant(f.bytes, rng), options });
    }
  }
  return out;
}

/** What the recording keeps of a result: the first rule (for reading it) and a digest of all of it. */
function digest(r: LintResult): string {
  const first = r.accepted ? 'accepted' : (r.rejections[0]?.rule ?? '?');
  return `${first}:${createHash('sha256').update(JSON.stringify(r)).digest('hex').slice(0, 16)}`;
}

/** Names are not unique (two mutations can make the same name): the index keeps them apart. */
const key = (c: Case, i: number) => `${i}:${c.name}`;

describe('the verifier gives the recorded answer for every mutant of the fixtures', () => {
  const all = cases();

  it('has mutants enough, of whole and split BTF, reaching many rules', () => {
    expect(all.length).toBeGreaterThan(2500);
    expect(all.filter((c) => c.options.base).length).toBeGreaterThan(300);
    const results = all.map((c) => lintBlob(c.bytes, c.options));
    const rules = new Set(results.flatMap((r) => r.rejections.map((x) => x.rule)));
    console.log(`lint-recorded: ${all.length} blobs, ${results.filter((r) => r.accepted).length} accepted, ${rules.size} rules`);
    // Measured: 59 rules (header, meta, resolution, member, type-tag and libbpf checks).
    expect(rules.size).toBeGreaterThan(45);
  });

  it('matches the recording (or the oracle build) blob by blob', async () => {
    const oraclePath = process.env.BTFPARITY_LINT_ORACLE;
    const oracle: Lint | undefined = oraclePath ? ((await import(oraclePath)) as { lintBlob: Lint }).lintBlob : undefined;
    if (oracle) {
      for (const c of all) expect(lintBlob(c.bytes, c.options), c.name).toEqual(oracle(c.bytes, c.options));
    }
    const got: Record<string, string> = {};
    all.forEach((c, i) => {
      got[key(c, i)] = digest((oracle ?? lintBlob)(c.bytes, c.options));
    });
    if (process.env.BTFPARITY_LINT_RECORD === '1') writeFileSync(RECORDING, `${JSON.stringify(got, null, 2)}\n`);
    const recorded = JSON.parse(readFileSync(RECORDING, 'utf8')) as Record<string, string>;
    const differing = Object.keys({ ...recorded, ...got }).filter((k) => recorded[k] !== got[k]);
    expect(differing.slice(0, 10), `${differing.length} of ${all.length} blobs differ from the recording`).toEqual([]);
  });
});
