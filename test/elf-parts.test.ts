/**
 * Reading only some sections of an ELF file (src/pipeline/elf-parts.ts): on
 * committed fixture objects, the symbol table and the named section are the
 * ones parsing the whole file gives, and a section not asked for stays zero
 * (it was not read).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findSection, parseElf, readSymbols } from '../src/artifact/elf.js';
import { readElfParts } from '../src/pipeline/elf-parts.js';

const OBJECTS = ['07-enum-negative.gcc-btf.o', '07-enum-negative.clang-bpf.o'].map((f) => join(import.meta.dirname, 'fixtures', 'btf', f));

describe.each(OBJECTS)('readElfParts %s', (file) => {
  const whole = parseElf(new Uint8Array(readFileSync(file)));
  const parts = readElfParts(file, ['.BTF']);

  it('has the same sections, symbols and .BTF bytes as the whole file', () => {
    expect(parts.sections.map((s) => s.name)).toEqual(whole.sections.map((s) => s.name));
    expect(readSymbols(parts)).toEqual(readSymbols(whole));
    expect(findSection(parts, '.BTF')?.data).toEqual(findSection(whole, '.BTF')?.data);
  });

  it('leaves sections it was not asked for unread (zero bytes)', () => {
    const text = whole.sections.find((s) => s.name.startsWith('.text') && s.size > 0 && s.data.some((b) => b !== 0));
    if (text === undefined) return;
    expect(parts.sections[text.index].data.every((b) => b === 0)).toBe(true);
  });
});
