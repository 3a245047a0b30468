/**
 * Streaming output for the report formats. A report of a kernel-sized run
 * has hundreds of thousands of findings: formats write it piece by piece
 * into a TextWriter, which hands ~64 KiB chunks to a sink (stdout, a file,
 * or a string collector), so no format builds one array of every line or
 * spreads one into a call (`push(...lines)` overflows the stack past ~60k
 * elements).
 *
 * writeJsonValue prints exactly what `JSON.stringify(value, null, 2)` does,
 * but walks the value itself and accepts lazy arrays (LazyArray), so a
 * format can produce its elements one at a time.
 */

/** Receives output text; the CLI encodes it as UTF-8 bytes. */
export type TextSink = (chunk: string) => void;

const CHUNK = 1 << 16;

export class TextWriter {
  private buf = '';
  constructor(private readonly sink: TextSink) {}

  write(s: string): void {
    this.buf += s;
    if (this.buf.length >= CHUNK) {
      this.sink(this.buf);
      this.buf = '';
    }
  }

  /** `s` and a newline. */
  line(s: string): void {
    this.write(s);
    this.write('\n');
  }

  /** Hand over what is buffered; call once at the end. */
  end(): void {
    if (this.buf !== '') this.sink(this.buf);
    this.buf = '';
  }
}

/**
 * Lines written as `lines.join('\n') + '\n'` would be, except that blank
 * lines at the very end are dropped (markdown's trailing-blank trim). Blank
 * lines are held back until a non-blank one follows.
 */
export class TrimmedLines {
  private pendingBlanks = 0;
  constructor(private readonly w: TextWriter) {}

  line(s: string): void {
    if (s === '') {
      this.pendingBlanks++;
      return;
    }
    for (; this.pendingBlanks > 0; this.pendingBlanks--) this.w.write('\n');
    this.w.line(s);
  }

  lines(ls: Iterable<string>): void {
    for (const l of ls) this.line(l);
  }
}

/** Collect a writer's output into one string (tests, small reports, library callers). */
export function collect(write: (w: TextWriter) => void): string {
  const parts: string[] = [];
  const w = new TextWriter((c) => parts.push(c));
  write(w);
  w.end();
  return parts.join('');
}

/** An array whose elements are produced on demand while it is written. */
export class LazyArray<T = unknown> {
  constructor(readonly items: () => Iterable<T>) {}
}

export function lazyArray<T>(items: () => Iterable<T>): LazyArray<T> {
  return new LazyArray(items);
}

/** An object whose members are produced on demand while it is written (a report's `types` table). */
export class LazyRecord<T = unknown> {
  constructor(readonly entries: () => Iterable<readonly [string, T]>) {}
}

export function lazyRecord<T>(entries: () => Iterable<readonly [string, T]>): LazyRecord<T> {
  return new LazyRecord(entries);
}

/**
 * A value known to hold no LazyArray or LazyRecord (a finding, a SARIF
 * result): written by JSON.stringify itself, re-indented, instead of member
 * by member. JSON.stringify writes no raw newline but those of its layout
 * (a string's is escaped), so indenting after each one nests it exactly.
 */
export class PlainJson {
  constructor(readonly value: unknown) {}
}

export function plainJson(value: unknown): PlainJson {
  return new PlainJson(value);
}

/**
 * Write `value` as `JSON.stringify(value, null, 2)` would, with `indent`
 * as the current indentation, LazyArray elements and LazyRecord members
 * produced one at a time.
 * Values are plain data (no toJSON, no cycles); undefined members are
 * omitted as JSON.stringify omits them (and written as null in arrays).
 */
export function writeJsonValue(w: TextWriter, value: unknown, indent = ''): void {
  if (value === null || typeof value !== 'object') {
    w.write(value === undefined || typeof value === 'function' || typeof value === 'symbol' ? 'null' : JSON.stringify(value));
    return;
  }
  if (value instanceof PlainJson) {
    const text = JSON.stringify(value.value, null, 2) ?? 'null';
    w.write(indent === '' ? text : text.replaceAll('\n', `\n${indent}`));
    return;
  }
  const inner = `${indent}  `;
  if (Array.isArray(value) || value instanceof LazyArray) {
    const items = Array.isArray(value) ? value : value.items();
    let first = true;
    for (const item of items) {
      w.write(first ? `[\n${inner}` : `,\n${inner}`);
      first = false;
      writeJsonValue(w, item, inner);
    }
    w.write(first ? '[]' : `\n${indent}]`);
    return;
  }
  const members = value instanceof LazyRecord ? value.entries() : ownMembers(value as Record<string, unknown>);
  let first = true;
  for (const [key, v] of members) {
    if (v === undefined || typeof v === 'function' || typeof v === 'symbol') continue;
    w.write(first ? `{\n${inner}` : `,\n${inner}`);
    first = false;
    w.write(`${JSON.stringify(key)}: `);
    writeJsonValue(w, v, inner);
  }
  w.write(first ? '{}' : `\n${indent}}`);
}

/** An object's members in key order, each value read when it is reached. */
function* ownMembers(o: Record<string, unknown>): Generator<readonly [string, unknown]> {
  for (const k of Object.keys(o)) yield [k, o[k]];
}
