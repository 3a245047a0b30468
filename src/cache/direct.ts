/**
 * Direct-mode cache keys (issue 13), the pure part: what a unit's key is
 * made of when no preprocessor runs. The effects (reading files, stat,
 * the manifest on disk) are in cache/file-state.ts, cache/store.ts and
 * pipeline/unit-cache.ts.
 *
 * The scheme, after ccache's direct mode:
 * - the *base* key digests the source's bytes, every step's argv, the
 *   tools' digests and the environment variables that steer the
 *   preprocessor (DIRECT_ENV); it names a manifest;
 * - a miss compiles once with `-MD -MF <scratch>` and records a manifest
 *   entry: every file the dependency list names with its content digest,
 *   the directories a shadowing header could appear in, and the digest of
 *   what those candidate places held; the unit's artifacts are stored
 *   under the digest of base + entry;
 * - a lookup checks each entry of the base's manifest against the tree
 *   (content digests, the candidate places' state); a match is a hit with
 *   no compiler process at all.
 *
 * Hazards and what is done about them:
 * - a header changed: its content is digested (never trusted by stat);
 * - a new header shadows a listed one (earlier in the search list, or next
 *   to an includer for `"..."`): for every listed file, every way it could
 *   have been spelled (its path minus any candidate directory) is tried in
 *   every candidate directory (the search list `-v` prints, the explicit
 *   -I/-iquote/-isystem/-idirafter, the listed files' own directories,
 *   cwd for `-include`), and what is there (file, directory, nothing) is
 *   part of the entry. This over-approximates (a new file in a *later*
 *   directory also misses) and never under-approximates: whatever gcc's
 *   lookup order, a different choice needs a different state there;
 * - `__has_include("x.h")` / `(<x.h>)` (and `_next`) asks about a file the
 *   dependency list does not name when it is absent: its spelling joins the
 *   spellings above, so what every candidate place holds for it is part of
 *   the entry (hasIncludeProbes). A `__has_include` whose argument is not
 *   written out (a macro's parameter) or that is not asked at all (`#ifdef
 *   __has_include` and `defined` aside: a comment, a macro body) is unsafe;
 * - `__DATE__`, `__TIME__`, `__TIMESTAMP__` (output depends on the clock or
 *   on an mtime) or an unsafe `__has_include` anywhere in the source or a
 *   listed file: the unit is never served from direct mode; its manifest
 *   says so and the preprocessor-mode key (cache/key.ts) is used instead;
 * - options whose effect on the preprocessor this scheme cannot see
 *   (DIRECT_REFUSED) and tools in toolchain roots or behind wrappers whose
 *   files are not the host's: preprocessor mode.
 * - a file changed within RECENT_NS of the build (file-state.ts) gets no
 *   entry: the compile may have read another version than the one digested
 *   (ccache's "too new" guard).
 *
 * Limits, said plainly: a clang wrapper that runs a compiler elsewhere (a
 * container) is not recognised as one (only gcc drivers are asked for their
 * cc1), so its dependency paths are checked on the host; a run reads the
 * tree once, so a header created during a run is seen by the next run.
 */
import { byCodeUnit } from '../lang.js';
import { readArgv } from '../source/gcc-options.js';
import { CACHE_FORMAT, sha256, type ToolDigest } from './key.js';

/** Version of the manifest's layout and of what the base key covers. */
export const DIRECT_FORMAT = 1;

/** Environment variables that change what the preprocessor reads or produces (gcc's and clang's). */
export const DIRECT_ENV: readonly string[] = [
  'CPATH',
  'C_INCLUDE_PATH',
  'CPLUS_INCLUDE_PATH',
  'OBJC_INCLUDE_PATH',
  'GCC_EXEC_PREFIX',
  'COMPILER_PATH',
  'SOURCE_DATE_EPOCH',
  'DEPENDENCIES_OUTPUT',
  'SUNPRO_DEPENDENCIES',
];

/** Words in a file that make its output depend on something a content digest does not see. */
export const UNSAFE_TOKENS: readonly string[] = ['__DATE__', '__TIME__', '__TIMESTAMP__'];

const HAS_INCLUDE = /__has_include(?:_next)?\b/g;
/** What follows a `__has_include` that asks about a written-out header: the spelling, in group 1 or 2. */
const LITERAL_PROBE = /^\s*\(\s*(?:"([^"\n]+)"|<([^>\n]+)>)\s*\)/;
/** What precedes a `__has_include` that only asks whether the operator exists. */
const EXISTENCE_TEST = /(?:#\s*ifn?def\s+|\bdefined\s*\(?\s*)$/;

/**
 * The headers a file's `__has_include`s ask about, or `unsafe` when one
 * cannot be read that way (its argument is not written out, or it is named
 * outside a test: a macro body, a comment). `text` is the file as latin1
 * (bytes as code units: spellings are compared as bytes).
 */
export function hasIncludeProbes(text: string): { readonly probes: readonly string[] } | 'unsafe' {
  const probes: string[] = [];
  for (const m of text.matchAll(HAS_INCLUDE)) {
    const at = m.index ?? 0;
    const after = LITERAL_PROBE.exec(text.slice(at + m[0].length, at + m[0].length + 512));
    if (after) probes.push(after[1] ?? after[2]);
    else if (!EXISTENCE_TEST.test(text.slice(Math.max(0, at - 64), at))) return 'unsafe';
  }
  return { probes };
}

/** Options that keep a compile out of direct mode, and why (by name as in source/gcc-options.ts). */
const DIRECT_REFUSED: Readonly<Record<string, string>> = {
  '-Wp,': 'passes options straight to the preprocessor',
  '-Xpreprocessor': 'passes options straight to the preprocessor',
  '-iprefix': 'builds include directories from a prefix',
  '-iwithprefix': 'builds include directories from a prefix',
  '-iwithprefixbefore': 'builds include directories from a prefix',
  '-imultilib': 'changes the system include directories',
};

/** Why this compile argv (without argv[0]) cannot use direct mode, or undefined when it can. */
export function directRefusal(args: readonly string[]): string | undefined {
  for (const w of readArgv(args)) {
    if (w.word.startsWith('@')) return `${w.word} reads more options from a file`;
    if (w.word === '-I-' || w.word.startsWith('-include-pch')) return `${w.word} changes how headers are found`;
    if (w.role === 'dependency') return `${w.word} writes a dependency file of its own`;
    const why = w.option ? DIRECT_REFUSED[w.option.name] : undefined;
    if (why !== undefined) return `${w.option?.name} ${why}`;
  }
  return undefined;
}

/** Options whose argument is a directory headers are looked up in. */
const SEARCH_DIR_OPTIONS = new Set(['-I', '-iquote', '-isystem', '-idirafter']);

/** The include directories the argv names, as spelled (relative ones are relative to the compile's cwd). */
export function explicitSearchDirs(args: readonly string[]): string[] {
  const out: string[] = [];
  for (const w of readArgv(args)) {
    if (!w.option || !SEARCH_DIR_OPTIONS.has(w.option.name)) continue;
    const dir = w.option.joined ?? w.argument;
    if (dir !== undefined && dir !== '' && dir !== '-') out.push(dir);
  }
  return out;
}

/**
 * The prerequisites of a make rule as gcc and clang write it for `-MD -MF`:
 * one rule, `\`-newline continuations, `\ ` and `\#` escapes, `$$` for `$`.
 * Undefined for anything else (a second rule, another escape): a list read
 * wrongly would be a key that misses a header.
 */
export function parseDepFile(text: string): string[] | undefined {
  const lines = text
    .replace(/\\\n/g, ' ')
    .split('\n')
    .filter((l) => l.trim() !== '');
  if (lines.length !== 1) return undefined;
  const colon = lines[0].indexOf(': ');
  if (colon < 0) return undefined;
  const rest = lines[0].slice(colon + 2);
  const out: string[] = [];
  let word = '';
  for (let i = 0; i < rest.length; i++) {
    const c = rest[i];
    if (c === '\\') {
      const next = rest[i + 1];
      if (next !== ' ' && next !== '#') return undefined;
      word += next;
      i++;
    } else if (c === '$') {
      if (rest[i + 1] !== '$') return undefined;
      word += '$';
      i++;
    } else if (c === ' ' || c === '\t') {
      if (word !== '') out.push(word);
      word = '';
    } else word += c;
  }
  if (word !== '') out.push(word);
  return out;
}

/**
 * The directories of a `-E -v` run's search list (gcc's and clang's stderr):
 * those listed between `search starts here:` and `End of search list.`, and
 * those it ignored as nonexistent or duplicate (a directory created later
 * could shadow a header). Undefined when the list is not there.
 */
export function parseSearchList(stderr: string): string[] | undefined {
  const out: string[] = [];
  let inList = false;
  let ended = false;
  for (const line of stderr.split('\n')) {
    const ignored = /^ignoring (?:nonexistent|duplicate) directory "(.*)"$/.exec(line);
    if (ignored) out.push(ignored[1]);
    else if (/^#include .* search starts here:$/.test(line)) inList = true;
    else if (line === 'End of search list.') {
      inList = false;
      ended = true;
    } else if (inList && line.startsWith(' ')) {
      if (line.endsWith(' (framework directory)')) return undefined;
      out.push(line.trim());
    }
  }
  return ended ? out : undefined;
}

/** `dir` without trailing slashes (`/` stays). */
function trimDir(dir: string): string {
  const t = dir.replace(/\/+$/, '');
  return t === '' ? '/' : t;
}

/** The directory part of a path as spelled (`h.h` → `.`, `/x.h` → `/`). */
export function spelledDir(path: string): string {
  const i = path.lastIndexOf('/');
  return i < 0 ? '.' : i === 0 ? '/' : path.slice(0, i);
}

/** `dir` + `/` + `rel`, spelled as the compiler spells it (`.` adds nothing). */
function under(dir: string, rel: string): string {
  if (dir === '.') return rel;
  return dir === '/' ? `/${rel}` : `${dir}/${rel}`;
}

/**
 * Every place a header could be found that would shadow, or be, one of
 * `files`: each file's path minus each candidate directory it lies under
 * (the ways the `#include` could have been spelled), and each spelling a
 * `__has_include` asked about (`probes`), tried in every candidate
 * directory. Visits each place once per (spelling, directory), in an order
 * fixed by the arguments; tens of thousands for a kernel unit, so nothing
 * is collected on the way.
 */
export function forEachCandidate(
  files: readonly string[],
  dirs: readonly string[],
  probes: readonly string[],
  visit: (dir: string, spelling: string) => void,
): void {
  const ds = [...new Set(dirs.map(trimDir))];
  const spellings = candidateSpellings(files, ds, probes);
  // Directory by directory: a state function can then resolve each directory once.
  for (const d of ds) for (const r of spellings) visit(d, r);
}

/** The probes, and each file's path minus each of the (trimmed, distinct) directories `ds` it lies under. */
function candidateSpellings(files: readonly string[], ds: readonly string[], probes: readonly string[]): Set<string> {
  const spellings = new Set<string>(probes);
  const dirs = new Set(ds);
  for (const f of files) {
    // `.` finds a relative path as it is spelled, `/` an absolute one without its slash.
    if (!f.startsWith('/')) {
      if (dirs.has('.')) spellings.add(f);
    } else if (dirs.has('/') && f.length > 1) spellings.add(f.slice(1));
    // Any other directory d finds f when f is d, a slash, and more: d ends before one of f's slashes
    // (looked up at each slash: a few per path, not one test per directory).
    for (let i = f.indexOf('/', 1); i >= 0 && i + 1 < f.length; i = f.indexOf('/', i + 1)) {
      const d = f.slice(0, i);
      if (d !== '.' && d !== '/' && dirs.has(d)) spellings.add(f.slice(i + 1));
    }
  }
  return spellings;
}

/**
 * What may be under a first path component in a candidate directory: the
 * names that can start a place there holding anything (`dir/first/...` or
 * `dir/first`), or `any` when none can be ruled out. Asked once per
 * directory.
 */
export type MayHold = (dir: string) => FirstNames | 'any';

/** A set of names (a Set, or a directory listing's Map by name). */
export interface FirstNames {
  has(name: string): boolean;
  readonly size: number;
  keys(): IterableIterator<string>;
}

/** A `.` or `..` step in a path. */
export const DOT_STEP = /(^|\/)\.\.?(\/|$)/;

/**
 * heldPlaces, asking `state` only where `mayHold` allows: spellings are
 * grouped by their first component, and a directory whose listing lacks
 * that name is skipped for the whole group (a kernel unit's ~20,000 places
 * become a few thousand: `linux/*` is looked for where a `linux` is).
 * Exactly heldPlaces' result when `mayHold` keeps its promise.
 */
export function heldPlacesPruned(files: readonly string[], dirs: readonly string[], probes: readonly string[], state: PlaceLookup, mayHold: MayHold): string[] {
  const ds = [...new Set(dirs.map(trimDir))];
  const groups = new Map<string, string[]>();
  for (const r of candidateSpellings(files, ds, probes)) {
    // Never skipped ('' is no component name): an absolute spelling (one place whatever the directory),
    // and one with a `.`/`..` step or a trailing slash (a state function may resolve those by stat, not by listing).
    const slash = r.indexOf('/');
    const first = r.startsWith('/') || DOT_STEP.test(r) || r.endsWith('/') ? '' : slash < 0 ? r : r.slice(0, slash);
    const group = groups.get(first);
    if (group) group.push(r);
    else groups.set(first, [r]);
  }
  const out = new Set<string>();
  const always = groups.get('') ?? [];
  for (const d of ds) {
    const visit = (rs: readonly string[]): void => {
      for (const r of rs) {
        const s = state(d, r);
        if (s !== undefined) out.add(`${s} ${under(d, r)}`);
      }
    };
    visit(always);
    const names = mayHold(d);
    // The groups a directory may hold, from whichever side is smaller (a listing of a few names, or a few groups).
    if (names !== 'any' && names.size < groups.size) {
      for (const name of names.keys()) {
        const rs = name !== '' ? groups.get(name) : undefined;
        if (rs !== undefined) visit(rs);
      }
    } else for (const [first, rs] of groups) if (first !== '' && (names === 'any' || names.has(first))) visit(rs);
  }
  return [...out].sort(byCodeUnit);
}

/** forEachCandidate's places as the compiler spells them, sorted, without duplicates. */
export function shadowCandidates(files: readonly string[], dirs: readonly string[], probes: readonly string[] = []): string[] {
  const out = new Set<string>();
  forEachCandidate(files, dirs, probes, (d, r) => out.add(under(d, r)));
  return [...out].sort(byCodeUnit);
}

/** What a candidate place holds: `f` something that is not a directory, `d` a directory, undefined nothing. */
export type PlaceState = 'f' | 'd' | undefined;

/** What the place `spelling` in candidate directory `dir` holds. */
export type PlaceLookup = (dir: string, spelling: string) => PlaceState;

/** The candidate places that hold something, as `STATE PLACE` (`f inc/h.h`), sorted, without duplicates. */
export function heldPlaces(files: readonly string[], dirs: readonly string[], probes: readonly string[], state: PlaceLookup): string[] {
  const out = new Set<string>();
  forEachCandidate(files, dirs, probes, (d, r) => {
    const s = state(d, r);
    if (s !== undefined) out.add(`${s} ${under(d, r)}`);
  });
  return [...out].sort(byCodeUnit);
}

/** The place of a heldPlaces line. */
export const heldPlace = (line: string): string => line.slice(2);

/** One digest of what the candidate places hold (empty places count by their absence). */
export function shadowDigest(files: readonly string[], dirs: readonly string[], probes: readonly string[], state: PlaceLookup): string {
  return heldDigest(heldPlaces(files, dirs, probes, state));
}

/** The digest of heldPlaces' lines. */
export function heldDigest(lines: readonly string[]): string {
  return sha256(lines.join('\n'));
}

/** The candidate directories of an entry: search lists, explicit directories, the files' own, cwd. */
export function candidateDirs(parts: { readonly searched: readonly string[]; readonly files: readonly string[]; readonly source: string }): string[] {
  const all = [...parts.searched, ...parts.files.map(spelledDir), spelledDir(parts.source), '.'];
  return [...new Set(all.map(trimDir))].sort(byCodeUnit);
}

export interface DirectFacts {
  /** sha256 of the source file's bytes. */
  readonly source: string;
  /** Each planned step's argv, temp dir replaced by `$TMP` (as in UnitCacheFacts). */
  readonly steps: readonly (readonly string[])[];
  readonly tools: readonly ToolDigest[];
  /** DIRECT_ENV's variables that are set, with their values. */
  readonly env: readonly (readonly [string, string])[];
}

/** The base key: names the manifest of this source, argv, tools and environment. */
export function directBaseKey(facts: DirectFacts): string {
  const tools = [...facts.tools].sort((a, b) => byCodeUnit(a.role, b.role)).map((t) => [t.role, t.path, t.sha256]);
  return sha256(JSON.stringify([CACHE_FORMAT, 'direct', DIRECT_FORMAT, facts.source, facts.steps, tools, facts.env]));
}

/** One way the unit was built: the files it read and what the places that could shadow them held. */
export interface ManifestEntry {
  /** Each file of the dependency lists but the source, as spelled there, with the sha256 of its bytes; sorted by path. */
  readonly files: readonly (readonly [string, string])[];
  /** candidateDirs of the compile. */
  readonly dirs: readonly string[];
  /** shadowDigest of the files, dirs and the files' and the source's hasIncludeProbes. */
  readonly shadow: string;
}

/** What the cache holds for a base key. */
export interface Manifest {
  readonly format: typeof DIRECT_FORMAT;
  /** Set when the unit must use preprocessor-mode keys (why, e.g. `__TIME__ in x.h`); entries are then empty. */
  readonly preprocess?: string;
  /** Newest first. */
  readonly entries: readonly ManifestEntry[];
}

/** At most this many entries per manifest (a header that flips between versions keeps both). */
export const MANIFEST_ENTRIES = 8;

/** The key the unit's artifacts are stored under for this entry. */
export function entryKey(base: string, entry: ManifestEntry): string {
  return sha256(JSON.stringify([base, entry.files, entry.dirs, entry.shadow]));
}

/** The manifest with `entry` first (an equal older one dropped), at most MANIFEST_ENTRIES. */
export function withEntry(manifest: Manifest | undefined, base: string, entry: ManifestEntry): Manifest {
  const key = entryKey(base, entry);
  const older = (manifest?.entries ?? []).filter((e) => entryKey(base, e) !== key);
  return { format: DIRECT_FORMAT, entries: [entry, ...older].slice(0, MANIFEST_ENTRIES) };
}

const HEX64 = /^[0-9a-f]{64}$/;
const isStrings = (x: unknown): x is string[] => Array.isArray(x) && x.every((s) => typeof s === 'string');

/** A manifest read back, or undefined when it has another shape (then it is rewritten). */
export function checkManifest(x: unknown): Manifest | undefined {
  const m = x as Partial<Manifest> | null;
  if (typeof m !== 'object' || m === null || m.format !== DIRECT_FORMAT || !Array.isArray(m.entries)) return undefined;
  if (m.preprocess !== undefined && typeof m.preprocess !== 'string') return undefined;
  for (const e of m.entries as unknown[]) {
    const en = e as Partial<ManifestEntry> | null;
    if (typeof en !== 'object' || en === null || !isStrings(en.dirs) || typeof en.shadow !== 'string' || !HEX64.test(en.shadow)) return undefined;
    if (!Array.isArray(en.files) || !en.files.every((f) => isStrings(f) && f.length === 2 && HEX64.test(f[1]))) return undefined;
  }
  return m as Manifest;
}
