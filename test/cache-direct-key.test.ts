/**
 * The pure part of direct-mode keys (src/cache/direct.ts). Expected texts
 * are what gcc 12 writes: `gcc -MD -MF d -c 'a b.c' -o o.o` with a header
 * `x$y.h` gives `o.o: a\ b.c x$$y.h` (checked by hand), and `gcc -E -v`'s
 * stderr lists directories as in SEARCH_LIST below (Debian 12, trimmed).
 */
import { describe, expect, test } from 'vitest';
import {
  candidateDirs,
  checkManifest,
  DIRECT_FORMAT,
  directBaseKey,
  directRefusal,
  entryKey,
  explicitSearchDirs,
  hasIncludeProbes,
  type ManifestEntry,
  MANIFEST_ENTRIES,
  parseDepFile,
  parseSearchList,
  shadowCandidates,
  shadowDigest,
  withEntry,
} from '../src/cache/direct.js';

const SEARCH_LIST = `ignoring nonexistent directory "/usr/local/include/x86_64-linux-gnu"
ignoring duplicate directory "inc"
#include "..." search starts here:
 quote
#include <...> search starts here:
 inc
 /usr/lib/gcc/x86_64-linux-gnu/12/include
 /usr/include
End of search list.
`;

describe('dependency files', () => {
  test('one rule, continuations and escapes', () => {
    expect(parseDepFile('/tmp/u/unit.o: u.c inc/h.h \\\n /usr/include/stdc-predef.h\n')).toEqual(['u.c', 'inc/h.h', '/usr/include/stdc-predef.h']);
    expect(parseDepFile('o.o: a\\ b.c x$$y.h c\\#d.h\n')).toEqual(['a b.c', 'x$y.h', 'c#d.h']);
  });

  test('anything else is refused rather than read wrongly', () => {
    expect(parseDepFile('o.o: a.c\nh.h:\n')).toBeUndefined(); // a second rule (-MP)
    expect(parseDepFile('o.o: a\\b.c\n')).toBeUndefined();
    expect(parseDepFile('o.o: $x.h\n')).toBeUndefined();
    expect(parseDepFile('no colon here\n')).toBeUndefined();
  });
});

describe('search lists', () => {
  test('listed, nonexistent and duplicate directories', () => {
    expect(parseSearchList(SEARCH_LIST)).toEqual([
      '/usr/local/include/x86_64-linux-gnu',
      'inc',
      'quote',
      'inc',
      '/usr/lib/gcc/x86_64-linux-gnu/12/include',
      '/usr/include',
    ]);
  });

  test('no end of the list, or a framework directory: undefined', () => {
    expect(parseSearchList('#include <...> search starts here:\n /usr/include\n')).toBeUndefined();
    expect(parseSearchList(SEARCH_LIST.replace(' /usr/include\n', ' /Library/Frameworks (framework directory)\n'))).toBeUndefined();
  });
});

describe('options', () => {
  test('explicit include directories, joined and separate', () => {
    expect(explicitSearchDirs(['-Iinc', '-I', 'b', '-isystem', 'sys', '-iquote', 'q', '-idirafter', 'late', '-DX', '-include', 'f.h', '-c', 'u.c'])).toEqual([
      'inc',
      'b',
      'sys',
      'q',
      'late',
    ]);
  });

  test('what keeps a compile out of direct mode', () => {
    expect(directRefusal(['-O2', '-Iinc', '-include', 'f.h', '-c', 'u.c', '-o', 'u.o'])).toBeUndefined();
    expect(directRefusal(['-Wp,-DX', '-c', 'u.c'])).toBe('-Wp, passes options straight to the preprocessor');
    expect(directRefusal(['-Xpreprocessor', '-v', '-c', 'u.c'])).toBe('-Xpreprocessor passes options straight to the preprocessor');
    expect(directRefusal(['-MD', '-c', 'u.c'])).toBe('-MD writes a dependency file of its own');
    expect(directRefusal(['@opts', '-c', 'u.c'])).toBe('@opts reads more options from a file');
    expect(directRefusal(['-iprefix', '/p/', '-c', 'u.c'])).toBe('-iprefix builds include directories from a prefix');
    expect(directRefusal(['-I-', '-c', 'u.c'])).toBe('-I- changes how headers are found');
  });
});

describe('shadow candidates', () => {
  test('every spelling of every file, in every candidate directory', () => {
    const dirs = candidateDirs({ searched: ['early', 'inc', '/usr/include/'], files: ['inc/h.h', '/usr/include/linux/t.h'], source: 'u.c' });
    expect(dirs).toEqual(['.', '/usr/include', '/usr/include/linux', 'early', 'inc']);
    // inc/h.h: spelled "inc/h.h" (from cwd) or "h.h" (from inc); /usr/include/linux/t.h: "linux/t.h" or "t.h".
    expect(shadowCandidates(['inc/h.h', '/usr/include/linux/t.h'], dirs)).toEqual([
      '/usr/include/h.h',
      '/usr/include/inc/h.h',
      '/usr/include/linux/h.h',
      '/usr/include/linux/inc/h.h',
      '/usr/include/linux/linux/t.h',
      '/usr/include/linux/t.h',
      '/usr/include/t.h',
      'early/h.h',
      'early/inc/h.h',
      'early/linux/t.h',
      'early/t.h',
      'h.h',
      'inc/h.h',
      'inc/inc/h.h',
      'inc/linux/t.h',
      'inc/t.h',
      'linux/t.h',
      't.h',
    ]);
  });

  test('the digest changes with what any candidate place holds, and only then', () => {
    // Candidates of inc/h.h in {early, inc}: early/h.h, inc/h.h, early/inc/h.h, inc/inc/h.h.
    const digest = (state: (p: string) => 'f' | 'd' | undefined) => shadowDigest(['inc/h.h'], ['early', 'inc'], [], (d, r) => state(`${d}/${r}`));
    const held = digest((p) => (p === 'inc/h.h' ? 'f' : undefined));
    expect(digest((p) => (p === 'inc/h.h' || p === 'nowhere/h.h' ? 'f' : undefined))).toBe(held); // not a candidate
    expect(digest((p) => (p === 'inc/h.h' || p === 'early/h.h' ? 'f' : undefined))).not.toBe(held);
    expect(digest((p) => (p === 'inc/h.h' ? 'f' : p === 'early/h.h' ? 'd' : undefined))).not.toBe(held);
  });
});

describe('__has_include', () => {
  test('written-out headers are probes; existence tests are harmless', () => {
    // As glibc 2.36's bits/statx.h writes it.
    expect(hasIncludeProbes('#ifdef __has_include\n# if __has_include ("linux/stat.h")\n')).toEqual({ probes: ['linux/stat.h'] });
    expect(hasIncludeProbes('#if defined(__has_include) && __has_include_next(<x/y.h>)\n')).toEqual({ probes: ['x/y.h'] });
    expect(hasIncludeProbes('#ifndef __has_include\n#define NO\n#endif\n')).toEqual({ probes: [] });
  });

  test('a macro argument, or a mention outside a test, is unsafe', () => {
    expect(hasIncludeProbes('#define HAVE(h) __has_include(h)\n')).toBe('unsafe');
    expect(hasIncludeProbes('/* the __has_include argument (GCC PR 80005) */\n')).toBe('unsafe');
  });

  test('probes are spellings of their own', () => {
    expect(shadowCandidates([], ['.', 'inc'], ['extra.h'])).toEqual(['extra.h', 'inc/extra.h']);
  });
});

describe('keys and manifests', () => {
  const facts = { source: 'a'.repeat(64), steps: [['gcc', '-c', 'u.c']], tools: [{ role: 'cc', path: '/usr/bin/gcc', sha256: 'b'.repeat(64) }], env: [] };
  const entry = (h: string): ManifestEntry => ({ files: [['inc/h.h', h.repeat(64)]], dirs: ['.', 'inc'], shadow: 'c'.repeat(64) });

  test('the base key changes with each fact', () => {
    const base = directBaseKey(facts);
    expect(directBaseKey({ ...facts, source: 'd'.repeat(64) })).not.toBe(base);
    expect(directBaseKey({ ...facts, steps: [['gcc', '-O2', '-c', 'u.c']] })).not.toBe(base);
    expect(directBaseKey({ ...facts, tools: [{ ...facts.tools[0], sha256: 'e'.repeat(64) }] })).not.toBe(base);
    expect(directBaseKey({ ...facts, env: [['CPATH', '/x']] })).not.toBe(base);
    // hostFiles is not part of the key (it decides whether direct mode is used at all).
    expect(directBaseKey({ ...facts, tools: [{ ...facts.tools[0], hostFiles: false }] })).toBe(base);
  });

  test('entries: newest first, equal ones once, at most MANIFEST_ENTRIES', () => {
    let m = withEntry(undefined, 'k', entry('1'));
    m = withEntry(m, 'k', entry('2'));
    m = withEntry(m, 'k', entry('1'));
    expect(m.entries.map((e) => e.files[0][1][0])).toEqual(['1', '2']);
    for (let i = 3; i < 20; i++) m = withEntry(m, 'k', entry(i.toString(16)));
    expect(m.entries).toHaveLength(MANIFEST_ENTRIES);
    expect(entryKey('k', entry('1'))).not.toBe(entryKey('k', entry('2')));
  });

  test('a manifest of another shape is refused', () => {
    const good = { format: DIRECT_FORMAT, entries: [entry('1')] };
    expect(checkManifest(good)).toEqual(good);
    expect(checkManifest({ format: DIRECT_FORMAT, preprocess: '__TIME__ in u.c', entries: [] })).toBeDefined();
    expect(checkManifest({ ...good, format: 0 })).toBeUndefined();
    expect(checkManifest({ format: DIRECT_FORMAT, entries: [{ ...entry('1'), shadow: 'short' }] })).toBeUndefined();
    expect(checkManifest({ format: DIRECT_FORMAT, entries: [{ ...entry('1'), files: [['inc/h.h']] }] })).toBeUndefined();
    expect(checkManifest(null)).toBeUndefined();
  });
});
