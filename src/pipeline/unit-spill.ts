/**
 * Finished units kept on disk instead of in memory (issue 13): a run of
 * thousands of units would otherwise hold every finding, command line and
 * involved-type dump until the report is written.
 *
 * Each unit is appended to a scratch file (one line per unit) as soon as it
 * is done; the run keeps a SpilledUnit per unit: its source and error (what
 * the summary, the ordering and the stderr lines need) and where its heavy
 * fields lie. The heavy fields (`commands`, `findings`, `types`) are read
 * back when a report touches them, and only the unit read last is kept, so
 * memory follows the largest unit, not the number of units. Every format
 * renders the SpilledUnits as it would the units themselves: the line holds
 * the same plain data (lone surrogates of byte-string names survive
 * JSON.stringify/parse), so the reports are byte-identical.
 *
 * A line is the JSON text of each heavy field, tab-separated (JSON escapes
 * every tab and newline inside a text): `commands TAB findings [TAB types]`.
 * Each is read and parsed on its own, so a pass over the findings (the
 * summary's, the text report's digest, junit's counts) never parses the
 * units' type dumps, and a pass over the dumps never parses the findings.
 */
import { closeSync, openSync, readSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { FindingCounts } from '../report/render.js';
import type { StepRecord, UnitResult } from '../report/run-result.js';

type Heavy = Pick<UnitResult, 'commands' | 'findings' | 'types'>;
type HeavyKey = keyof Heavy;

const TAB = Buffer.from('\t');
const NEWLINE = Buffer.from('\n');

/** The heavy fields in the order a line holds them. */
const PARTS: readonly HeavyKey[] = ['commands', 'findings', 'types'];

/** What a cache entry held of a served unit: its findings' and types' JSON text, and the findings' counts. */
interface Stored {
  readonly texts: Readonly<Partial<Record<HeavyKey, Buffer>>>;
  readonly counts: FindingCounts;
}

/**
 * By served unit (servedUnit), what its cache entry held: the spill copies
 * the texts instead of stringifying the fields, and the run takes the
 * counts instead of counting the findings, so a served unit's texts are
 * parsed only when a report reads them.
 */
const STORED = new WeakMap<UnitResult, Stored>();

/**
 * A served unit whose findings and types are the JSON texts its cache
 * entry held (JSON.parse of each is the field; `counts` are its findings'),
 * each parsed on its first read. The fields are own, enumerable accessors
 * in a UnitResult's order, so spreading or JSON.stringify sees a plain unit.
 */
export function servedUnit(source: string, commands: StepRecord[], texts: { findings: Buffer; types?: Buffer }, counts: FindingCounts): UnitResult {
  const out = { source, commands };
  const parsed = (key: HeavyKey, text: Buffer): void => {
    let value: unknown;
    Object.defineProperty(out, key, { enumerable: true, get: () => (value ??= JSON.parse(text.toString('utf8'))) });
  };
  parsed('findings', texts.findings);
  if (texts.types !== undefined) parsed('types', texts.types);
  const u = Object.freeze(out) as unknown as UnitResult;
  STORED.set(u, { texts, counts });
  return u;
}

/** A served unit's counts (servedUnit); undefined for any other unit. */
export function storedCounts(u: UnitResult): FindingCounts | undefined {
  return STORED.get(u)?.counts;
}

/** Where one heavy field's JSON text lies in the spill file. */
interface Part {
  readonly offset: number;
  readonly length: number;
}

/** Where a unit's heavy fields lie: one Part per field the unit has. */
type Extent = Readonly<Partial<Record<HeavyKey, Part>>>;

/**
 * The spill file of one run: units appended while the run goes on (append,
 * then close), read back one at a time afterwards. The file lives in a
 * scratch directory the caller made (makeRunDir), removed with it.
 */
export class UnitSpill {
  readonly file: string;
  private fd: number;
  private size = 0;
  /** The one unit held in memory: the last one read, with the fields read of it so far. */
  private held: { extent: Extent; heavy: Partial<Heavy> } | undefined;

  constructor(dir: string) {
    this.file = join(dir, 'units.ndjson');
    this.fd = openSync(this.file, 'wx', 0o600);
  }

  /** Write `u` out and return the unit that stands for it (its heavy fields read back on use). */
  add(u: UnitResult): UnitResult {
    // Each field encoded once: its bytes' length is where the next begins (a text may hold characters of several UTF-8 bytes).
    const stored = STORED.get(u)?.texts;
    // A stored text is taken before its field is read: reading it would parse it.
    const parts = PARTS.flatMap((k) => {
      const text = stored?.[k] ?? (u[k] === undefined ? undefined : Buffer.from(JSON.stringify(u[k]), 'utf8'));
      return text === undefined ? [] : [[k, text] as const];
    });
    const extent: Partial<Record<HeavyKey, Part>> = {};
    const chunks: Buffer[] = [];
    let at = this.size;
    for (const [i, [k, b]] of parts.entries()) {
      extent[k] = { offset: at, length: b.length };
      chunks.push(b, i === parts.length - 1 ? NEWLINE : TAB);
      at += b.length + 1;
    }
    const bytes = Buffer.concat(chunks);
    for (let off = 0; off < bytes.length; ) off += writeSync(this.fd, bytes, off, bytes.length - off, this.size + off);
    this.size += bytes.length;
    return spilledUnit(this, u, extent);
  }

  /** No more units: the file is only read from now on. */
  close(): void {
    if (this.fd < 0) return;
    closeSync(this.fd);
    this.fd = -1;
  }

  /** One heavy field of the unit at `extent`, read back (or the one held). */
  load<K extends HeavyKey>(extent: Extent, key: K): Heavy[K] {
    if (this.held?.extent !== extent) this.held = { extent, heavy: {} };
    const heavy = this.held.heavy;
    const part = extent[key];
    if (!Object.hasOwn(heavy, key)) heavy[key] = (part === undefined ? undefined : this.parse(part)) as Heavy[K];
    return heavy[key] as Heavy[K];
  }

  private parse(part: Part): unknown {
    const buf = Buffer.allocUnsafe(part.length);
    const fd = this.fd >= 0 ? this.fd : openSync(this.file, 'r');
    try {
      for (let off = 0; off < part.length; ) {
        const n = readSync(fd, buf, off, part.length - off, part.offset + off);
        if (n === 0) throw new Error(`spill file ${this.file} ends early`);
        off += n;
      }
    } finally {
      if (fd !== this.fd) closeSync(fd);
    }
    return JSON.parse(buf.toString('utf8'));
  }
}

/**
 * A UnitResult whose source and error are in memory and whose other fields
 * are read from the spill. They are own, enumerable accessors in the order
 * of a UnitResult's fields, so spreading or JSON.stringify sees a plain unit.
 */
function spilledUnit(spill: UnitSpill, u: UnitResult, extent: Extent): UnitResult {
  const out = { source: u.source };
  const lazy = (key: HeavyKey): void => {
    Object.defineProperty(out, key, { enumerable: true, get: () => spill.load(extent, key) });
  };
  lazy('commands');
  lazy('findings');
  if (u.error) Object.defineProperty(out, 'error', { enumerable: true, value: u.error });
  if (extent.types !== undefined) lazy('types');
  return Object.freeze(out) as UnitResult;
}
