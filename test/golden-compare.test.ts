/**
 * The golden comparison of test/golden.test.ts (scripts/golden.mjs
 * goldenDifferences) can fail: a copy of the committed debian12 golden,
 * edited as a toolchain change would (a finding's status changed, a finding
 * gone, a new one, a unit failure gone), is reported finding by finding;
 * the unedited copy is not. Pure: reads committed files only.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { goldenDifferences, goldenFiles } from '../scripts/golden.mjs';

const text = readFileSync(goldenFiles('debian12').baseline, 'utf8');
const golden = JSON.parse(text) as {
  entries: { key: string; status: string; reason?: string }[];
  failures: { unit: string; step: string; message: string }[];
};
const edited = (edit: (g: typeof golden) => void): string => {
  const copy = structuredClone(golden);
  edit(copy);
  return `${JSON.stringify(copy, null, 2)}\n`;
};
// The first entry of the committed file: probe 01's .bss, known under pahole-datasec-percpu-only.
const first = golden.entries[0];

describe('goldenDifferences', () => {
  it('is empty for the same text, and the committed golden is as renderBaseline writes it', () => {
    expect(goldenDifferences(text, text)).toEqual([]);
    expect(edited(() => {})).toBe(text);
  });

  it('names a finding whose status changed, with both statuses and rules', () => {
    expect(first.key).toBe("probes/01-int-widths.c | datasec .bss |  | only-right | absent | DATASEC '.bss' size=0 vlen=11");
    const now = edited((g) => {
      g.entries[0] = { ...g.entries[0], status: 'unexplained' };
      delete g.entries[0].reason;
    });
    expect(goldenDifferences(text, now)).toEqual([`changed: ${first.key}: known (pahole-datasec-percpu-only) -> unexplained`]);
  });

  it('names a finding gone, a new one and a unit failure gone', () => {
    const now = edited((g) => {
      g.entries.shift();
      // The key is made of the fields (findingKey): the entry says all of them, as --update-baseline writes it.
      g.entries.push({
        key: 'probes/99-new.c | var x |  | only-right | absent | int x',
        unit: 'probes/99-new.c',
        entity: 'var x',
        path: '',
        category: 'only-right',
        left: 'absent',
        right: 'int x',
        status: 'unexplained',
      } as (typeof g.entries)[number]);
      g.failures = [];
    });
    expect(goldenDifferences(text, now)).toEqual([
      `gone: ${first.key} [known (pahole-datasec-percpu-only)]`,
      'new: probes/99-new.c | var x |  | only-right | absent | int x [unexplained]',
      `failure gone: ${golden.failures[0].unit} ${golden.failures[0].step}: ${golden.failures[0].message}`,
    ]);
  });

  it('says so when only the text differs', () => {
    expect(goldenDifferences(text, JSON.stringify(golden))).toEqual(['same findings and failures, different text (order or formatting)']);
  });
});
