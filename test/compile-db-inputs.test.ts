/**
 * Compile-database inputs validated at the boundary (issue 14, items 2 and
 * 13): a bad `--select` glob, an entry whose `directory` or `file` does not
 * exist. Each is one line on stderr and exit 2, before any tool runs, so
 * this runs the built CLI without a toolchain (pure project). Before the
 * fix `--select '[z-a].c'` was exit 70 ("Invalid regular expression") and a
 * missing directory exit 3 ("/usr/bin/gcc not found"); a missing file exit 3
 * with cc1's "No such file or directory".
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sourcesFromCompileDb } from '../src/source/compile-db.js';
import { ensureBuilt, runCli } from './helpers/cli.js';

beforeAll(ensureBuilt);

const dir = mkdtempSync(join(tmpdir(), 'btfparity-ccdb-inputs-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const tree = join(dir, 'tree');
mkdirSync(join(tree, 'lib'), { recursive: true });
writeFileSync(join(tree, 'lib', 'a.c'), 'int a;\n');

function db(name: string, entries: readonly object[]): string {
  const p = join(dir, name);
  writeFileSync(p, JSON.stringify(entries));
  return p;
}

const good = { directory: tree, file: 'lib/a.c', arguments: ['gcc', '-c', 'lib/a.c'] };

/** Exit 2 and exactly one stderr line, equal to `line`; nothing on stdout. */
function failsWith(args: readonly string[], line: string): void {
  const r = runCli(args);
  expect(r.stderr).toBe(`${line}\n`);
  expect(r.status).toBe(2);
  expect(r.stdout).toBe('');
}

describe('--select globs are checked before the database is used', () => {
  const p = db('good.json', [good]);
  it('check: a class range out of order names the option, the pattern and the range', () => {
    failsWith(
      ['check', '-q', '--no-cache', '--compile-commands', p, '--select', '[z-a].c'],
      "btfparity: --select: invalid glob '[z-a].c': range z-a is out of order",
    );
  });
  it('an exclude pattern too, and under binary', () => {
    failsWith(
      ['check', '-q', '--no-cache', '--compile-commands', p, '--select', 'lib/*', '!lib/[9-0]*'],
      "btfparity: --select: invalid glob 'lib/[9-0]*': range 9-0 is out of order",
    );
    failsWith(['binary', '-q', '--compile-commands', p, '--select', '[z-a].c'], "btfparity: --select: invalid glob '[z-a].c': range z-a is out of order");
  });
});

describe('an entry naming a path that does not exist', () => {
  it('a missing directory: the database, the entry index and the directory', () => {
    const missing = join(dir, 'nope');
    const p = db('nodir.json', [good, { ...good, directory: missing }]);
    failsWith(['check', '-q', '--no-cache', '--compile-commands', p], `btfparity: ${p}: entry 1: "directory" ${missing} does not exist`);
  });
  it('a directory that is a file', () => {
    const p = db('filedir.json', [{ ...good, directory: join(tree, 'lib', 'a.c'), file: join(tree, 'lib', 'a.c') }]);
    failsWith(['check', '-q', '--no-cache', '--compile-commands', p], `btfparity: ${p}: entry 0: "directory" ${join(tree, 'lib', 'a.c')} is not a directory`);
  });
  it('a missing file, resolved against the directory', () => {
    const p = db('nofile.json', [{ ...good, file: 'lib/gone.c' }]);
    failsWith(['check', '-q', '--no-cache', '--compile-commands', p], `btfparity: ${p}: entry 0: "file" ${join(tree, 'lib', 'gone.c')} does not exist`);
  });
  it('only the selected entries are checked: a deselected stale entry is no error', () => {
    const p = db('stale.json', [{ ...good, directory: join(dir, 'gone'), file: 'old.c' }, good]);
    expect(sourcesFromCompileDb(p, { select: ['tree/**'] }, false).map((s) => s.display)).toEqual(['tree/lib/a.c']);
    expect(() => sourcesFromCompileDb(p, {}, false)).toThrow(`entry 0: "directory" ${join(dir, 'gone')} does not exist`);
  });
});

describe('a selection that keeps no unit (issue 9: `--select kernel/**` picked nothing and exited 0)', () => {
  const p = db('one.json', [good]);
  it('is exit 2 naming the globs, the database, and how units are named, with an example', () => {
    const line = `btfparity: --select: 'kernel/**' selects none of the 1 units of ${p} (units are named relative to ${dir}, e.g. tree/lib/a.c)`;
    failsWith(['check', '-q', '--no-cache', '--compile-commands', p, '--select', 'kernel/**'], line);
    // The database lies above the tree its entries run in, so units are named from the database's
    // directory (select.ts namingRoot): a glob written that way keeps the unit.
    expect(sourcesFromCompileDb(p, { select: ['tree/lib/**'] }, false).map((s) => s.display)).toEqual(['tree/lib/a.c']);
  });
  it('an exclude that removes every unit too', () => {
    failsWith(
      ['check', '-q', '--no-cache', '--compile-commands', p, '--select', '!tree/**'],
      `btfparity: --select: '!tree/**' selects none of the 1 units of ${p} (units are named relative to ${dir}, e.g. tree/lib/a.c)`,
    );
  });
});
