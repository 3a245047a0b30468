/**
 * The on-disk artifact cache: one directory per key holding each side's
 * BTF bytes and the unit's symbol facts. Effects live here only.
 *
 * Writers never see each other half-done: an entry is written into a
 * private temporary directory, read back and checked, and renamed into
 * place, which is atomic on one file system; when two processes (make -j,
 * several shards) race for the same key, the first rename wins and the
 * loser's copy is dropped — both computed the same thing.
 *
 * Readers trust nothing: meta.json records the sha256 and size of each BTF
 * file and of the facts it carries, and the caller's validator checks the
 * facts' shape. An entry that fails any check (emptied left.btf, truncated
 * or hand-edited meta.json, facts of the wrong shape) is damaged: it is
 * removed, counted as a miss (so the unit is rebuilt and the entry
 * rewritten), and reported once through `warn`.
 *
 * A comparison entry (pipeline/unit-cache.ts says what its key covers) is
 * one file: a header line with the sha256 and size of the JSON that
 * follows. It follows the same rules: written aside, read back and checked,
 * then linked into place (a link never replaces an existing entry), and a
 * damaged one is removed, reported once and recomputed.
 */
import { linkSync, mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../errors.js';
import { INPUT_LIMITS, readRegularFile } from '../io/regular-file.js';
import { checkManifest, type Manifest } from './direct.js';
import { sha256 } from './key.js';
import { replaceFile } from './replace-file.js';

/** What one unit's toolchain work produced, enough to redo the comparison without the toolchain. */
export interface CachedUnit {
  readonly left: Uint8Array;
  readonly right: Uint8Array;
  /** Free-form JSON facts the pipeline wants back (e.g. symbol table of the object). */
  readonly meta: unknown;
}

/** Version of an entry's layout (meta.json's `entry` field). */
export const ENTRY_FORMAT = 2;

interface Digest {
  readonly sha256: string;
  readonly size: number;
}

/** meta.json as written: digests of what the entry holds, then the facts. */
interface EntryRecord {
  readonly entry: typeof ENTRY_FORMAT;
  readonly left: Digest;
  readonly right: Digest;
  /** sha256 of JSON.stringify(meta). */
  readonly metaSha256: string;
  readonly meta: unknown;
}

export interface CacheOptions {
  /**
   * Checks the facts of an entry read back; returns what is wrong, or
   * undefined when they have the shape the caller needs.
   */
  readonly validateMeta?: (meta: unknown) => string | undefined;
  /** Checks a comparison entry's value read back, as validateMeta does the facts. */
  readonly validateComparison?: (value: unknown) => string | undefined;
  /**
   * Reads a comparison entry's verified text without parsing it: what it
   * gives is served as it is; undefined leaves the text to JSON.parse and
   * validateComparison. It must give something only for texts they accept.
   */
  readonly scanComparison?: (body: Buffer) => unknown;
  /** Told once per damaged entry (a stderr line in the CLI). */
  readonly warn?: (message: string) => void;
}

export { defaultCacheDir } from './cache-dir.js';

/** Version of a comparison entry's layout (its header line's `comparison` field). */
export const COMPARISON_ENTRY_FORMAT = 1;

function digestOf(bytes: Uint8Array): Digest {
  return { sha256: sha256(bytes), size: bytes.length };
}

/** Why an entry's files disagree with its record, or undefined when they agree. */
function checkEntry(rec: unknown, left: Uint8Array, right: Uint8Array, validate?: (meta: unknown) => string | undefined): string | undefined {
  const r = rec as Partial<EntryRecord> | null;
  if (typeof r !== 'object' || r === null || r.entry !== ENTRY_FORMAT) return 'meta.json is not an entry record of this version';
  for (const [name, bytes, d] of [
    ['left.btf', left, r.left],
    ['right.btf', right, r.right],
  ] as const) {
    if (typeof d !== 'object' || d === null || typeof d.sha256 !== 'string' || typeof d.size !== 'number') return `meta.json has no digest of ${name}`;
    if (bytes.length !== d.size) return `${name} is ${bytes.length} bytes, the entry recorded ${d.size}`;
    if (sha256(bytes) !== d.sha256) return `${name} does not match its recorded sha256`;
  }
  if (typeof r.metaSha256 !== 'string' || sha256(JSON.stringify(r.meta)) !== r.metaSha256) return 'meta.json facts do not match their recorded sha256';
  const bad = validate?.(r.meta);
  return bad === undefined ? undefined : `meta.json facts: ${bad}`;
}

/**
 * A comparison read back: what scanComparison read of its JSON text, or,
 * where it read nothing, the text parsed and checked.
 */
export type StoredComparison = { readonly scanned: unknown } | { readonly value: unknown };

/** A comparison entry's value, or why its bytes are not one. */
function checkComparison(bytes: Buffer, options: CacheOptions): StoredComparison | string {
  const nl = bytes.indexOf(0x0a);
  if (nl < 0) return 'no header line';
  let head: { comparison?: unknown; sha256?: unknown; size?: unknown };
  try {
    head = JSON.parse(bytes.subarray(0, nl).toString('utf8'));
  } catch {
    return 'the header line is not valid JSON';
  }
  if (typeof head !== 'object' || head === null || head.comparison !== COMPARISON_ENTRY_FORMAT) return 'not a comparison entry of this version';
  const body = bytes.subarray(nl + 1);
  if (body.length !== head.size) return `the comparison is ${body.length} bytes, the entry recorded ${String(head.size)}`;
  if (sha256(body) !== head.sha256) return 'the comparison does not match its recorded sha256';
  const scanned = options.scanComparison?.(body);
  if (scanned !== undefined) return { scanned };
  let value: unknown;
  try {
    value = JSON.parse(body.toString('utf8'));
  } catch {
    return 'the comparison is not valid JSON';
  }
  const bad = options.validateComparison?.(value);
  return bad === undefined ? { value } : `the comparison: ${bad}`;
}

export class ArtifactCache {
  hits = 0;
  misses = 0;
  /** Entries found damaged (and removed) in this run. */
  damaged = 0;

  constructor(
    readonly dir: string,
    private readonly options: CacheOptions = {},
  ) {}

  private entryDir(key: string): string {
    return join(this.dir, 'units', key.slice(0, 2), key);
  }

  /** The entry's record and files; 'absent' when there is no meta.json (nothing was ever completed here). */
  private read(at: string): { rec: unknown; left: Uint8Array; right: Uint8Array } | 'absent' | { damaged: string } {
    let text: string;
    try {
      text = readRegularFile(join(at, 'meta.json'), { maxBytes: INPUT_LIMITS.json }).toString('utf8');
    } catch {
      return 'absent';
    }
    let rec: unknown;
    try {
      rec = JSON.parse(text);
    } catch {
      return { damaged: 'meta.json is not valid JSON' };
    }
    const files: Uint8Array[] = [];
    for (const name of ['left.btf', 'right.btf']) {
      try {
        files.push(readRegularFile(join(at, name), { maxBytes: INPUT_LIMITS.binary }));
      } catch (e) {
        return { damaged: e instanceof InputError ? `${name} ${e.reason}` : `${name} cannot be read` };
      }
    }
    return { rec, left: files[0], right: files[1] };
  }

  get(key: string): CachedUnit | undefined {
    const at = this.entryDir(key);
    const got = this.read(at);
    let problem: string | undefined;
    if (got === 'absent') problem = undefined;
    else if ('damaged' in got) problem = got.damaged;
    else {
      problem = checkEntry(got.rec, got.left, got.right, this.options.validateMeta);
      if (problem === undefined) {
        this.hits++;
        return { left: got.left, right: got.right, meta: (got.rec as EntryRecord).meta };
      }
    }
    this.misses++;
    if (problem !== undefined) {
      this.damaged++;
      discard(at);
      this.options.warn?.(`cache entry ${at} is damaged (${problem}); rebuilding it`);
    }
    return undefined;
  }

  /** A hit decided outside `get` (a stored comparison served without reading the entry). */
  countHit(): void {
    this.hits++;
  }

  /** A miss decided outside `get` (direct mode: no manifest entry matched the tree). */
  countMiss(): void {
    this.misses++;
  }

  private manifestFile(base: string): string {
    return join(this.dir, 'manifests', base.slice(0, 2), `${base}.json`);
  }

  /** The direct-mode manifest of a base key (cache/direct.ts); undefined when absent or of another shape (it is then rewritten). */
  manifest(base: string): Manifest | undefined {
    try {
      return checkManifest(JSON.parse(readRegularFile(this.manifestFile(base), { maxBytes: INPUT_LIMITS.json }).toString('utf8')));
    } catch {
      return undefined;
    }
  }

  /** Replace a base key's manifest, atomically (rename); two writers racing: the last one wins, the other's entry is recorded again next time. */
  putManifest(base: string, manifest: Manifest): void {
    // An optimisation, never a failure (as put).
    replaceFile(this.manifestFile(base), JSON.stringify(manifest));
  }

  private comparisonFile(key: string): string {
    return join(this.dir, 'comparisons', key.slice(0, 2), `${key}.json`);
  }

  /** The comparison stored under `key`, or undefined (absent, or damaged: then removed and reported once). */
  comparison(key: string): StoredComparison | undefined {
    const at = this.comparisonFile(key);
    let bytes: Buffer;
    try {
      bytes = readRegularFile(at, { maxBytes: INPUT_LIMITS.json });
    } catch {
      return undefined; // absent, or not a readable regular file: a miss (and putComparison leaves such a place alone)
    }
    const got = checkComparison(bytes, this.options);
    if (typeof got === 'object') return got;
    this.damaged++;
    try {
      rmSync(at, { force: true }); // unlinking one file is atomic: a writer's link after it lands on an empty place
    } catch {
      // Read-only cache: the entry stays damaged, and is recomputed each run.
    }
    this.options.warn?.(`cache entry ${at} is damaged (${got}); rebuilding it`);
    return undefined;
  }

  /** Store a comparison (JSON-safe) under `key`; an existing entry wins. */
  putComparison(key: string, value: unknown): void {
    const final = this.comparisonFile(key);
    const parent = join(final, '..');
    const body = Buffer.from(JSON.stringify(value), 'utf8');
    const header = JSON.stringify({ comparison: COMPARISON_ENTRY_FORMAT, sha256: sha256(body), size: body.length });
    let tmp: string | undefined;
    try {
      mkdirSync(parent, { recursive: true });
      tmp = mkdtempSync(join(parent, '.tmp-'));
      const file = join(tmp, 'c.json');
      writeFileSync(file, Buffer.concat([Buffer.from(`${header}\n`, 'utf8'), body]));
      // Verified before it becomes visible, as put does.
      if (typeof checkComparison(readRegularFile(file, { maxBytes: INPUT_LIMITS.json }), this.options) !== 'object') return;
      linkSync(file, final); // EEXIST when another writer (or an earlier run) was first: that entry wins
    } catch {
      // Lost a race or the disk is full: an optimisation, never a failure.
    } finally {
      if (tmp !== undefined) rmSync(tmp, { recursive: true, force: true });
    }
  }

  put(key: string, unit: CachedUnit): void {
    const final = this.entryDir(key);
    const parent = join(final, '..');
    const rec: EntryRecord = {
      entry: ENTRY_FORMAT,
      left: digestOf(unit.left),
      right: digestOf(unit.right),
      metaSha256: sha256(JSON.stringify(unit.meta)),
      meta: unit.meta,
    };
    let tmp: string | undefined;
    try {
      mkdirSync(parent, { recursive: true });
      tmp = mkdtempSync(join(parent, '.tmp-'));
      writeFileSync(join(tmp, 'left.btf'), unit.left);
      writeFileSync(join(tmp, 'right.btf'), unit.right);
      writeFileSync(join(tmp, 'meta.json'), JSON.stringify(rec));
      // Verified before it becomes visible: what a reader will check must hold now.
      const back = this.read(tmp);
      if (back === 'absent' || 'damaged' in back || checkEntry(back.rec, back.left, back.right, this.options.validateMeta) !== undefined) {
        rmSync(tmp, { recursive: true, force: true });
        return;
      }
      // Never replace an entry in place: a reader may be between its files.
      // Renaming onto an existing (complete) entry fails, and that entry wins.
      renameSync(tmp, final);
    } catch {
      // Lost a race or the disk is full: caching is an optimisation, never a failure.
      if (tmp !== undefined) rmSync(tmp, { recursive: true, force: true });
    }
  }
}

/**
 * Removes a damaged entry without racing other processes: it is first
 * renamed aside (atomic, so a concurrent writer's rename into `at` either
 * happened before and is what we saw, or happens after onto an empty
 * place), then deleted at leisure. Failure only means another process
 * removed it first, or the cache is read-only: the miss stands either way.
 */
function discard(at: string): void {
  let aside: string | undefined;
  try {
    aside = mkdtempSync(join(at, '..', '.dead-'));
    renameSync(at, join(aside, 'entry'));
  } catch {
    // Another process removed it first, or the cache is read-only.
  }
  try {
    if (aside !== undefined) rmSync(aside, { recursive: true, force: true });
  } catch {
    // Left behind under a dot name no lookup reads; never a failure of this run.
  }
}
