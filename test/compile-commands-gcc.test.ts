/**
 * compile_commands.json parsing against the real compiler (toolchain
 * project): the flags parseCompileCommands keeps drive a gcc compile with
 * cwd = directory. The parsing itself is tested without a compiler in
 * compile-commands.test.ts.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { parseCompileCommands } from '../src/source/compile-commands.js';

// The real compiler is the oracle that the kept flags are the ones that
// matter: relative -I and -include resolve with cwd = directory, the quoted
// define arrives as a C string, and no dependency file or object lands in
// the build tree.
describe('parsed flags drive a real gcc compile with cwd = directory', () => {
  const tree = mkdtempSync(join(tmpdir(), 'btfparity-ccdb-tree-'));
  const scratch = mkdtempSync(join(tmpdir(), 'btfparity-ccdb-out-'));
  afterAll(() => {
    rmSync(tree, { recursive: true, force: true });
    rmSync(scratch, { recursive: true, force: true });
  });

  test('compiles into the scratch dir only', () => {
    mkdirSync(join(tree, 'include/linux'), { recursive: true });
    mkdirSync(join(tree, 'lib'));
    writeFileSync(join(tree, 'include/linux/compiler-version.h'), '#define FORCED 7\n');
    writeFileSync(join(tree, 'include/linux/sort.h'), 'struct sort_ctx { int n; };\n');
    writeFileSync(join(tree, 'lib/sort.c'), '#include <linux/sort.h>\nconst char modname[] = KBUILD_MODNAME;\nint forced = FORCED;\nstruct sort_ctx ctx;\n');
    const command =
      `gcc -Wp,-MMD,lib/.sort.o.d -nostdinc -I./include -include ./include/linux/compiler-version.h -O2 -g -gdwarf-5 ` +
      `-DKBUILD_MODNAME='"sort"' -c -o lib/sort.o lib/sort.c`;
    const [u] = parseCompileCommands(JSON.stringify([{ command, directory: tree, file: join(tree, 'lib/sort.c') }]));
    const obj = join(scratch, 'sort.o');
    execFileSync(u.compiler, [...u.flags, '-c', '-o', obj, u.file], { cwd: u.directory });

    const bytes = readFileSync(obj);
    expect(bytes.includes(Buffer.from('sort\0'))).toBe(true); // KBUILD_MODNAME's C string
    expect(readdirSync(join(tree, 'lib')).sort()).toEqual(['sort.c']); // no .o, no .d in the tree
    expect(existsSync(join(scratch, 'sort.o'))).toBe(true);
    // -g* was dropped: without a debug flag gcc emits no .debug_info.
    expect(bytes.includes(Buffer.from('.debug_info'))).toBe(false);
  });
});
