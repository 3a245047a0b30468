/**
 * Finished units kept on disk instead of in memory (issue 13): a run of
 * thousands of units would otherwise hold every finding, command line and
 * involved-type dump until the report is written.
 *
 * Each unit is appended to a scratch file (one JSON line per unit) as soon
 * as it is done; the run keeps a SpilledUnit per unit: its source and error
 * (what the summary, the ordering and the stderr lines need) and where its
 * line lies. The heavy fields (`commands`, `findings`, `types`) are read back
 * when a report touches them, and only the unit read last is kept, so
 * memory follows the largest unit, not the number of units. Every format
 * renders the SpilledUnits as it would the units themselves: the JSON line
 * holds the same plain data (lone surrogates of byte-string names survive
 * JSON.stringify/parse), so the reports are byte-identical.
 */
import { closeSync, openSync, readSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { UnitResult } from '../report/run-result.js';

type Heavy = Pick<UnitResult, 'commands' | 'findings' | 'types'>;

/** Where a unit's line lies in the spill file. */
interface Extent {
  readonly offset: number;
  readonly length: number;
}

/**
 * The spill file of one run: units appended while the run goes on (append,
 * then close), read back one at a time afterwards. The file lives in a
 * scratch directory the caller made (makeRunDir), removed with it.
 */
export class UnitSpill {
  readonly file: string;
  private fd: number;
  private size = 0;
  /** The one unit held in memory: the last one read. */
  private held: { extent: Extent; heavy: Heavy } | undefined;

  constructor(dir: string) {
    this.file = join(dir, 'units.ndjson');
    this.fd = openSync(this.file, 'wx', 0o600);
  }

  /** Write `u` out and return the unit that stands for it (its heavy fields read back on use). */
  add(u: UnitResult): UnitResult {
    const heavy: Heavy = { commands: u.commands, findings: u.findings, ...(u.types ? { types: u.types } : {}) };
    const bytes = Buffer.from(`${JSON.stringify(heavy)}\n`, 'utf8');
    const extent = { offset: this.size, length: bytes.length - 1 };
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

  /** The heavy fields of the unit at `extent`, read back (or the one held). */
  load(extent: Extent): Heavy {
    if (this.held?.extent === extent) return this.held.heavy;
    const buf = Buffer.allocUnsafe(extent.length);
    const fd = this.fd >= 0 ? this.fd : openSync(this.file, 'r');
    try {
      for (let off = 0; off < extent.length; ) {
        const n = readSync(fd, buf, off, extent.length - off, extent.offset + off);
        if (n === 0) throw new Error(`spill file ${this.file} ends early`);
        off += n;
      }
    } finally {
      if (fd !== this.fd) closeSync(fd);
    }
    const heavy = JSON.parse(buf.toString('utf8')) as Heavy;
    this.held = { extent, heavy };
    return heavy;
  }
}

/**
 * A UnitResult whose source and error are in memory and whose other fields
 * are read from the spill. They are own, enumerable accessors in the order
 * of a UnitResult's fields, so spreading or JSON.stringify sees a plain unit.
 */
function spilledUnit(spill: UnitSpill, u: UnitResult, extent: Extent): UnitResult {
  const out = { source: u.source };
  const lazy = (key: keyof Heavy): void => {
    Object.defineProperty(out, key, { enumerable: true, get: () => spill.load(extent)[key] });
  };
  lazy('commands');
  lazy('findings');
  if (u.error) Object.defineProperty(out, 'error', { enumerable: true, value: u.error });
  if (u.types) lazy('types');
  return Object.freeze(out) as UnitResult;
}
