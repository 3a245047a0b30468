/**
 * What direct-mode keys read of the source tree (an effect): a file's
 * content digest, whether it holds a word that keeps it out of direct mode
 * (UNSAFE_TOKENS), what a candidate place holds, and whether a file changed
 * after a time. One TreeFacts per run: what it remembers is never carried
 * into another run.
 *
 * Content is always digested, never trusted from stat alone (a header
 * rewritten with its size and mtime restored must miss). Within a run a
 * digest is reused for the same path only while dev, inode, size, mtime and
 * ctime are unchanged, and only for files whose mtime and ctime were older
 * than RECENT_NS when digested: a file written within the file system's
 * timestamp granularity could change again without its stat changing
 * (ccache's "file too new" guard, taken the conservative way round).
 */
import { type BigIntStats, readdirSync, readFileSync, statSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { DOT_STEP, hasIncludeProbes, heldPlacesPruned, type PlaceState, UNSAFE_TOKENS } from './direct.js';
import { sha256 } from './key.js';

/** Files changed this recently (ns) count as still changing: 0.1 s, well above a kernel tick (1–10 ms). */
export const RECENT_NS = 100_000_000n;

export interface ContentFact {
  readonly sha256: string;
  /** The first UNSAFE_TOKENS word the file holds, or `__has_include` used in a way direct mode cannot follow; absent when none. */
  readonly unsafe?: string;
  /** The headers its `__has_include`s ask about (direct.ts hasIncludeProbes). */
  readonly probes: readonly string[];
  /** Newest of its mtime and ctime, ns since the epoch. */
  readonly changedNs: bigint;
}

export function nowNs(): bigint {
  return BigInt(Date.now()) * 1_000_000n;
}

function statOf(path: string): BigIntStats | undefined {
  try {
    return statSync(path, { bigint: true, throwIfNoEntry: false });
  } catch {
    return undefined; // EACCES, ENOTDIR through a file: nothing usable there
  }
}

// biome-ignore lint/complexity/useMathMinMax: bigints, which Math.max does not take
const newest = (st: BigIntStats): bigint => (st.mtimeNs > st.ctimeNs ? st.mtimeNs : st.ctimeNs);

/** What must be unchanged for a digest to be reused (see the module comment). */
type Stamp = Pick<BigIntStats, 'dev' | 'ino' | 'size' | 'mtimeNs' | 'ctimeNs'>;

const stampOf = (st: BigIntStats): Stamp => ({ dev: st.dev, ino: st.ino, size: st.size, mtimeNs: st.mtimeNs, ctimeNs: st.ctimeNs });

const sameStamp = (a: Stamp, st: BigIntStats): boolean =>
  a.dev === st.dev && a.ino === st.ino && a.size === st.size && a.mtimeNs === st.mtimeNs && a.ctimeNs === st.ctimeNs;

function stated(at: string): PlaceState {
  const st = statOf(at);
  return st === undefined ? undefined : st.isDirectory() ? 'd' : 'f';
}

/** A candidate directory's places asked about in a run, and where the directory is. */
interface PlacesInDir {
  readonly at: string;
  readonly places: Map<string, PlaceState>;
}

export class TreeFacts {
  private readonly contents = new Map<string, { stamp: Stamp; fact: ContentFact }>();
  private readonly byCwd = new Map<string, Map<string, PlacesInDir>>();
  private readonly paths = new Map<string, Map<string, string>>();
  private readonly listings = new Map<string, Map<string, 'f' | 'd' | 'l'>>();

  /** `path` as the compiler spelled it, relative to `cwd`. */
  static resolve(cwd: string, path: string): string {
    return isAbsolute(path) ? path : join(cwd, path);
  }

  /** resolve, remembered (each unit asks for each of its headers, as spelled: the same few thousand paths). */
  private resolved(cwd: string, path: string): string {
    let paths = this.paths.get(cwd);
    if (paths === undefined) {
      paths = new Map();
      this.paths.set(cwd, paths);
    }
    let at = paths.get(path);
    if (at === undefined) {
      at = TreeFacts.resolve(cwd, path);
      paths.set(path, at);
    }
    return at;
  }

  /** The file's content fact; undefined when it is not a readable regular file. */
  content(cwd: string, path: string): ContentFact | undefined {
    const at = this.resolved(cwd, path);
    const st = statOf(at);
    if (!st?.isFile()) return undefined;
    const known = this.contents.get(at);
    if (known !== undefined && sameStamp(known.stamp, st)) return known.fact;
    const stamp = stampOf(st);
    let bytes: Buffer;
    try {
      bytes = readFileSync(at);
    } catch {
      return undefined;
    }
    const asked = bytes.includes('__has_include') ? hasIncludeProbes(bytes.toString('latin1')) : { probes: [] };
    const unsafe = UNSAFE_TOKENS.find((t) => bytes.includes(t)) ?? (asked === 'unsafe' ? '__has_include' : undefined);
    const probes = asked === 'unsafe' ? [] : asked.probes;
    const fact: ContentFact = { sha256: sha256(bytes), changedNs: newest(st), probes, ...(unsafe !== undefined ? { unsafe } : {}) };
    if (nowNs() - fact.changedNs > RECENT_NS) this.contents.set(at, { stamp, fact });
    else this.contents.delete(at);
    return fact;
  }

  /**
   * What the place `spelling` in directory `dir` holds (both as the
   * compiler spells them, relative to `cwd`). Remembered for the run: a run
   * reads the tree once, as a snapshot; a place that changes during the run
   * is seen by the next run. Read from directory listings (one readdir per
   * directory and run instead of a stat per place: a kernel unit has
   * ~25,000 candidate places, nearly all empty), stat deciding where a
   * listing cannot: a symlink entry, or a `.`/`..` step (the kernel resolves
   * those through symlinks, a listing would not).
   */
  place(cwd: string, dir: string, spelling: string): PlaceState {
    return this.placeIn(this.placesOf(cwd, dir), spelling);
  }

  /** The places remembered in `dir` under `cwd`: by cwd, then by directory as spelled (a relative directory is another one under another cwd). */
  private placesOf(cwd: string, dir: string): PlacesInDir {
    let dirs = this.byCwd.get(cwd);
    if (dirs === undefined) {
      dirs = new Map();
      this.byCwd.set(cwd, dirs);
    }
    let inDir = dirs.get(dir);
    if (inDir === undefined) {
      inDir = { at: TreeFacts.resolve(cwd, dir), places: new Map() };
      dirs.set(dir, inDir);
    }
    return inDir;
  }

  private placeIn(inDir: PlacesInDir, spelling: string): PlaceState {
    let s = inDir.places.get(spelling);
    if (s === undefined && !inDir.places.has(spelling)) {
      s = this.lookUp(inDir.at, spelling);
      inDir.places.set(spelling, s);
    }
    return s;
  }

  /**
   * direct.ts heldPlaces of these files, directories and probes under
   * `cwd`, `place` giving each state, without asking about places a
   * listing already rules out (heldPlacesPruned): `dir/c/...` can hold
   * something only when `dir`'s listing has `c`, since `place` finds such
   * a spelling only through that listing (a directory with a `.`/`..` step
   * is looked up by stat: never ruled out).
   */
  heldPlaces(cwd: string, files: readonly string[], dirs: readonly string[], probes: readonly string[]): string[] {
    const mayHold = (dir: string) => {
      const at = TreeFacts.resolve(cwd, dir);
      return DOT_STEP.test(at) ? 'any' : this.listing(at);
    };
    // heldPlacesPruned asks directory by directory: each directory's places are found once, not once per spelling.
    let last: { dir: string; inDir: PlacesInDir } | undefined;
    const state = (d: string, r: string): PlaceState => {
      if (last?.dir !== d) last = { dir: d, inDir: this.placesOf(cwd, d) };
      return this.placeIn(last.inDir, r);
    };
    return heldPlacesPruned(files, dirs, probes, state, mayHold);
  }

  private lookUp(dirAt: string, spelling: string): PlaceState {
    const at = spelling.startsWith('/') ? spelling : `${dirAt}/${spelling}`;
    if (DOT_STEP.test(at) || at.endsWith('/')) return stated(at);
    const slash = at.lastIndexOf('/');
    const kind = this.listing(at.slice(0, slash) || '/').get(at.slice(slash + 1));
    return kind === 'l' ? stated(at) : kind;
  }

  /** A directory's entries by name (empty when it is not there), read only when its parent's listing has it as a directory or symlink. */
  private listing(dir: string): ReadonlyMap<string, 'f' | 'd' | 'l'> {
    let entries = this.listings.get(dir);
    if (entries !== undefined) return entries;
    entries = new Map();
    const slash = dir.lastIndexOf('/');
    const kind = dir === '/' ? 'd' : this.listing(dir.slice(0, slash) || '/').get(dir.slice(slash + 1));
    if (kind === 'd' || kind === 'l') {
      try {
        for (const e of readdirSync(dir, { withFileTypes: true })) entries.set(e.name, e.isDirectory() ? 'd' : e.isSymbolicLink() ? 'l' : 'f');
      } catch {
        // Not a directory after all (a symlink to a file), or not readable: nothing can be found through it.
      }
    }
    this.listings.set(dir, entries);
    return entries;
  }

  /** The place's newest mtime/ctime (ns), undefined when nothing is there. Never remembered. */
  changedNs(cwd: string, path: string): bigint | undefined {
    const st = statOf(TreeFacts.resolve(cwd, path));
    return st === undefined ? undefined : newest(st);
  }
}
