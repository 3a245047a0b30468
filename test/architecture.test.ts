/**
 * The layout rules of docs/ARCHITECTURE.md, checked on the source text:
 * every import between src/ folders goes down the flow (the table below,
 * which the document's folder table must list the same), and the pure core
 * does no I/O. Reads files only; no build needed.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SRC = join(ROOT, 'src');

/**
 * Which folders each folder may import (besides itself and SHARED_ROOT_FILES),
 * types included. Mirrors the "may import" column of docs/ARCHITECTURE.md.
 */
const MAY_IMPORT: Readonly<Record<string, readonly string[]>> = {
  io: [],
  source: ['io'],
  recipe: ['source'],
  artifact: [],
  btf: ['artifact'],
  canonical: ['btf'],
  lint: ['artifact', 'btf'],
  witness: [],
  findings: ['io', 'recipe', 'artifact', 'btf', 'canonical'],
  verdict: ['artifact', 'btf', 'canonical', 'lint', 'findings'],
  report: ['recipe', 'btf', 'canonical', 'findings'],
  cache: ['io', 'source', 'recipe'],
  toolchain: ['recipe', 'cache'],
  pipeline: ['io', 'source', 'recipe', 'artifact', 'btf', 'canonical', 'lint', 'witness', 'findings', 'verdict', 'report', 'cache', 'toolchain'],
  triage: ['source', 'recipe', 'artifact', 'btf', 'canonical', 'witness', 'findings', 'verdict', 'report', 'pipeline', 'toolchain'],
  cli: [
    'io',
    'source',
    'recipe',
    'artifact',
    'btf',
    'canonical',
    'lint',
    'witness',
    'findings',
    'verdict',
    'report',
    'cache',
    'pipeline',
    'triage',
    'toolchain',
  ],
};

/** Files directly under src/ that every folder may import. */
const SHARED_ROOT_FILES = ['errors.ts', 'lang.ts', 'wildcard.ts'];

/** Files directly under src/, and what each may import. */
const ROOT_FILES: Readonly<Record<string, readonly string[]>> = {
  'errors.ts': [],
  /** Language helpers (assertNever, the code-unit order): no imports, usable everywhere. */
  'lang.ts': [],
  /** The one wildcard matcher of path globs and rule text patterns: imports only lang.ts, usable everywhere. */
  'wildcard.ts': [],
  /** The library API: everything but the command line. */
  'index.ts': Object.keys(MAY_IMPORT).filter((f) => f !== 'cli' && f !== 'witness'),
  'cli.ts': ['cli'],
};

/** Folders that do no I/O, and the one file in them that reads a file. */
const PURE_FOLDERS = ['artifact', 'btf', 'canonical', 'lint', 'findings', 'verdict', 'report'];
const PURE_EXCEPTIONS = ['findings/rules-file.ts'];
/** Modules that are I/O themselves. */
const IO_MODULES = /^(node:)?(fs|fs\/promises|child_process|os|net|http|https|readline|worker_threads)$|^(execa|cli-progress)$/;

interface Import {
  readonly spec: string;
  /** `import type`, or every named binding is `type X`: erased from the emitted JavaScript. */
  readonly typeOnly: boolean;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? sourceFiles(p) : name.endsWith('.ts') ? [p] : [];
  });
}

/** Static imports and re-exports, plus `import('x')` calls, of one file's text. */
function importsOf(text: string): Import[] {
  const out: Import[] = [];
  const stmt = /(?:^|\n)\s*(import|export)\s+(type\s+)?([^;'"]*?)\s*from\s*'([^']+)'/g;
  for (let m = stmt.exec(text); m; m = stmt.exec(text)) {
    const names = /\{([^}]*)\}/.exec(m[3]);
    const bindings = names
      ? names[1]
          .split(',')
          .map((s) => s.trim())
          .filter((s) => s !== '')
      : [];
    const onlyTypeNames = names !== null && !/^\s*\w+\s*,/.test(m[3]) && bindings.length > 0 && bindings.every((b) => b.startsWith('type '));
    out.push({ spec: m[4], typeOnly: m[2] !== undefined || onlyTypeNames });
  }
  for (const m of text.matchAll(/(?:^|\n)\s*import\s+'([^']+)'/g)) out.push({ spec: m[1], typeOnly: false });
  for (const m of text.matchAll(/\bimport\(\s*'([^']+)'\s*\)/g)) out.push({ spec: m[1], typeOnly: false });
  return out;
}

/** `recipe/plan.ts` for a relative specifier of a file under src/; undefined for packages and node: modules. */
function target(file: string, spec: string): string | undefined {
  if (!spec.startsWith('.')) return undefined;
  return relative(SRC, resolve(dirname(file), spec)).replace(/\.js$/, '.ts');
}

/** `recipe` for `recipe/plan.ts`; the file name itself for files directly under src/. */
function folderOf(rel: string): string {
  return rel.includes('/') ? rel.slice(0, rel.indexOf('/')) : rel;
}

/** The text without comments (string contents are left alone: good enough for a word search). */
function withoutComments(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\/|\/\/[^\n]*/g, '');
}

const files = sourceFiles(SRC).map((p) => ({ rel: relative(SRC, p), imports: importsOf(readFileSync(p, 'utf8')) }));

describe('imports follow the flow', () => {
  it('the import reader sees static, type-only, re-exported and dynamic imports', () => {
    const text = [
      "import { a, type B } from './a.js';",
      "import type { C } from '../c/c.js';",
      "import {\n  type D,\n  type E,\n} from './d.js';",
      "import F, { type G } from './f.js';",
      "export { h } from './h.js';",
      "export type { I } from './i.js';",
      "const { execa } = await import('execa');",
    ].join('\n');
    expect(importsOf(text)).toEqual([
      { spec: './a.js', typeOnly: false },
      { spec: '../c/c.js', typeOnly: true },
      { spec: './d.js', typeOnly: true },
      { spec: './f.js', typeOnly: false },
      { spec: './h.js', typeOnly: false },
      { spec: './i.js', typeOnly: true },
      { spec: 'execa', typeOnly: false },
    ]);
  });

  it('every file is in a folder the table knows, and every relative import names a file that exists', () => {
    for (const f of files) {
      const folder = folderOf(f.rel);
      expect(Object.hasOwn(MAY_IMPORT, folder) || Object.hasOwn(ROOT_FILES, folder), `${f.rel}: folder not in the table`).toBe(true);
      for (const i of f.imports) {
        const t = target(join(SRC, f.rel), i.spec);
        if (t !== undefined) expect(statSync(join(SRC, t)).isFile(), `${f.rel} imports ${i.spec}`).toBe(true);
      }
    }
  });

  it('no folder imports one it may not', () => {
    const wrong: string[] = [];
    for (const f of files) {
      const from = folderOf(f.rel);
      const allowed = MAY_IMPORT[from] ?? ROOT_FILES[from];
      for (const i of f.imports) {
        const t = target(join(SRC, f.rel), i.spec);
        if (t === undefined) continue;
        const to = folderOf(t);
        if (to === from || SHARED_ROOT_FILES.includes(to) || allowed.includes(to)) continue;
        wrong.push(`${f.rel} imports ${t}${i.typeOnly ? ' (types)' : ''}: ${from}/ may import ${allowed.join(', ') || 'no other folder'}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('the table is the one docs/ARCHITECTURE.md states, folder by folder', () => {
    const doc = readFileSync(join(ROOT, 'docs', 'ARCHITECTURE.md'), 'utf8');
    const stated: Record<string, string[]> = {};
    for (const row of doc.split('\n').filter((l) => /^\| `src\/\w+\/` \|/.test(l))) {
      const cells = row.replace(/^\| | \|$/g, '').split(' | ');
      const folder = /`src\/(\w+)\/`/.exec(cells[0])?.[1] as string;
      const may = cells[cells.length - 1];
      stated[folder] = [...may.matchAll(/`(\w+)`/g)].map((m) => m[1]);
    }
    expect(stated).toEqual(Object.fromEntries(Object.entries(MAY_IMPORT).map(([k, v]) => [k, [...v]])));
  });
});

describe('the pure core does no I/O', () => {
  // A module does I/O when it imports an I/O module, or imports (not only types from) one that does.
  const byRel = new Map(files.map((f) => [f.rel, f]));
  const io = new Map<string, string>();
  for (const f of files) {
    const direct = f.imports.find((i) => !i.typeOnly && IO_MODULES.test(i.spec));
    if (direct) io.set(f.rel, direct.spec);
  }
  for (let changed = true; changed; ) {
    changed = false;
    for (const f of files) {
      if (io.has(f.rel)) continue;
      for (const i of f.imports) {
        const t = i.typeOnly ? undefined : target(join(SRC, f.rel), i.spec);
        if (t !== undefined && io.has(t)) {
          io.set(f.rel, `${t} (${io.get(t)})`);
          changed = true;
          break;
        }
      }
    }
  }

  it('no file of artifact/, btf/, canonical/, findings/ or report/ reaches an I/O module (but the rules file reader)', () => {
    const impure = [...io.entries()]
      .filter(([rel]) => PURE_FOLDERS.includes(folderOf(rel)) && !PURE_EXCEPTIONS.includes(rel))
      .map(([rel, via]) => `${rel} → ${via}`);
    expect(impure).toEqual([]);
    for (const rel of PURE_EXCEPTIONS) expect(byRel.has(rel), rel).toBe(true);
  });

  it('no file of those folders reads the process environment or its streams', () => {
    const uses = files
      .filter((f) => PURE_FOLDERS.includes(folderOf(f.rel)) && !PURE_EXCEPTIONS.includes(f.rel))
      .filter((f) => /\bprocess\./.test(withoutComments(readFileSync(join(SRC, f.rel), 'utf8'))))
      .map((f) => f.rel);
    expect(uses).toEqual([]);
  });

  it('the library API (src/index.ts) is pure too', () => {
    expect(io.get('index.ts')).toBeUndefined();
  });

  it('the check sees I/O where there is some', () => {
    expect(io.get('recipe/run-step.ts')).toBeDefined();
    expect(io.get('pipeline/check-unit.ts')).toBeDefined();
  });
});
