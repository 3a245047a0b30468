/**
 * Start-up loads only what the invocation needs (issue 13). The entry,
 * `src/cli.ts`, decides from argv: `--version` loads nothing more, a
 * build-wrapper compile only the wrapper, and a command src/cli/program.ts,
 * which imports src/cli/commands/* (options and help text); each command's
 * implementation is imported when its action runs. Checked two ways:
 *
 * - statically, on the built modules: what node loads before the first line
 *   of dist/cli.js runs (its static import graph) is the argv routing and the
 *   version, no package; dist/cli/program.js's graph is the registrations
 *   and the small data modules their help text quotes, and no command
 *   implementation; the only package is commander;
 * - by behaviour: every command and subcommand is still registered with the
 *   same --help, byte for byte. test/fixtures/help/*.txt were written by the
 *   eager CLI before the split (main at e3fd56a; the report options of issue
 *   12 from the eager CLI of branch text at 7f2ba69), with the two machine facts
 *   help quotes normalised: the cache directory (BTFPARITY_CACHE_DIR set to
 *   /cache/btfparity) and the core count (`here N)`). Help texts changed since
 *   (issue 9: changed findings in --baseline, --fail-on and the exit table) were
 *   rewritten from the CLI with the same normalisation and reviewed as a diff.
 *
 * Pure: runs node on dist/ only (built by the global setup).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI, ROOT, runCli } from './helpers/cli.js';
import { staticImportGraph, staticSpecifiers } from './helpers/import-graph.js';

const DIST = join(ROOT, 'dist');
const HELP = join(ROOT, 'test', 'fixtures', 'help');

/** Each command's implementation module, which start-up must not load. */
const IMPLEMENTATIONS = ['binary', 'cc', 'check', 'collect', 'diff', 'dump', 'lint', 'matrix', 'merge', 'reduce', 'toolchain', 'triage'].map(
  (c) => `cli/${c}.js`,
);

/**
 * What the registrations may load besides src/cli/commands/*: helpers they
 * share (options.ts) and the data their help quotes (recipe names, report
 * formats, fail-on words, categories, suites, default directories). A new
 * entry here is a module every invocation pays for.
 */
const LIGHT = [
  'cli/program.js',
  'cli/options.js',
  'cli/output.js',
  'cli/config-file.js',
  'cli/tool-settings.js',
  'cli/version.js',
  'cli/exit-help.js',
  'errors.js',
  'lang.js',
  'io/regular-file.js',
  'cache/cache-dir.js',
  'findings/finding.js',
  'recipe/pahole-flags.js',
  'recipe/recipes.js',
  'report/escape.js',
  'report/fail-on.js',
  'report/formats.js',
  'report/version.js',
  'toolchain/roots.js',
  'toolchain/suites.js',
];

describe('start-up loads registrations only', () => {
  const graph = staticImportGraph(join(DIST, 'cli', 'program.js'));
  const reached = graph.files.map((f) => relative(DIST, f));

  it('dist/cli.js statically reaches the argv routing and the version only, and loads the commands lazily', () => {
    const entry = staticImportGraph(CLI);
    expect(entry.packages).toEqual([]);
    expect(entry.files.map((f) => relative(DIST, f))).toEqual(['cli.js', 'cli/entry-route.js', 'cli/version.js', 'report/version.js']);
    expect(readFileSync(CLI, 'utf8')).toContain("import('./cli/program.js')");
  });

  it('the build wrapper statically reaches no pipeline module: its recorder loads only for a compile of one C unit', () => {
    const wrapper = staticImportGraph(join(DIST, 'cli', 'cc.js'));
    const files = wrapper.files.map((f) => relative(DIST, f));
    expect(wrapper.packages).toEqual([]);
    // The compiler's argv reader and the stderr line: what telling a C compile from other calls needs.
    expect(files).toEqual([
      'cli/cc.js',
      'cli/output.js',
      'report/escape.js',
      'source/compile-argv.js',
      'source/compiler-invocation.js',
      'source/compiler-launcher.js',
      'source/gcc-options.js',
    ]);
    expect(readFileSync(join(DIST, 'cli', 'cc.js'), 'utf8')).toContain("import('./cc-record.js')");
  });

  it("--version and -V print package.json's version, as commander did, with nothing on stderr", () => {
    const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    for (const flag of ['--version', '-V']) {
      const r = runCli([flag]);
      expect([r.status, r.stdout, r.stderr]).toEqual([0, `${version}\n`, '']);
    }
  });

  it('the graph reader follows static imports and re-exports, not import() calls', () => {
    const text = "import { a } from './a.js';\nexport { b } from './b.js';\nimport './c.js';\nconst d = await import('./d.js');\nimport x, { y } from 'pkg';";
    expect(staticSpecifiers(text)).toEqual(['./a.js', './b.js', './c.js', 'pkg']);
  });

  it('dist/cli/program.js statically reaches commander, the registrations and the light modules, nothing else', () => {
    expect(graph.packages).toEqual(['commander']);
    const commands = reached.filter((f) => f.startsWith('cli/commands/'));
    expect(commands.length).toBe(IMPLEMENTATIONS.length);
    expect(reached.filter((f) => !f.startsWith('cli/commands/')).sort()).toEqual([...LIGHT].sort());
    for (const impl of IMPLEMENTATIONS) expect(reached).not.toContain(impl);
  });

  it("each registration imports its command's implementation lazily, and that module exists", () => {
    for (const impl of IMPLEMENTATIONS) {
      const name = impl.slice('cli/'.length);
      const reg = readFileSync(join(DIST, 'cli', 'commands', name), 'utf8');
      // cc's implementation is imported by main() itself (build-wrapper dispatch before commander).
      const importer = name === 'cc.js' ? readFileSync(CLI, 'utf8') : reg;
      const spec = name === 'cc.js' ? './cli/cc.js' : `../${name}`;
      expect(importer, impl).toContain(`import('${spec}')`);
      expect(existsSync(join(DIST, impl))).toBe(true);
    }
  });
});

describe('every command keeps its --help, byte for byte', () => {
  const files = readdirSync(HELP)
    .filter((f) => f.endsWith('.txt'))
    .sort();
  const normalise = (text: string): string => text.replace(/here \d+\)/g, 'here N)');
  const env = { BTFPARITY_CACHE_DIR: '/cache/btfparity', BTFPARITY_ROOTS_DIR: '', XDG_CACHE_HOME: '' };

  it('the fixtures cover every command btfparity --help lists, and each subcommand of toolchain', () => {
    const root = readFileSync(join(HELP, 'btfparity.txt'), 'utf8');
    const listed = [...root.slice(root.indexOf('Commands:')).matchAll(/^ {2}([a-z]+) /gm)].map((m) => m[1]).filter((c) => c !== 'help');
    expect(listed).toEqual(['check', 'diff', 'binary', 'dump', 'merge', 'collect', 'cc', 'reduce', 'triage', 'lint', 'toolchain', 'matrix']);
    for (const c of listed) expect(files).toContain(`${c}.txt`);
    for (const sub of ['add', 'list', 'remove', 'run']) expect(files).toContain(`toolchain-${sub}.txt`);
  });

  it.each(files)('%s', (file) => {
    const words = file === 'btfparity.txt' ? [] : file.replace(/\.txt$/, '').split('-');
    // `toolchain-add` is `toolchain add`; no command name has a dash of its own.
    const r = runCli([...words, '--help'], { env });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(normalise(r.stdout)).toBe(readFileSync(join(HELP, file), 'utf8'));
  });
});
