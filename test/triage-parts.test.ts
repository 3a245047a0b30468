/**
 * Triage's pure parts: which findings are reduced, and in what order (the DWARF verdict
 * itself: verdict.test.ts). The end-to-end run is triage.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { reductionTargets } from '../src/triage/triage.js';

describe('triage report', () => {
  it('orders reduction targets unexplained first and skips equivalent and anonymous ones', () => {
    const base = { path: '', left: 'a', right: 'b' };
    const units = [
      {
        unit: {
          source: 'u.c',
          findings: [
            { ...base, entity: 'struct a', category: 'array' as const, status: 'equivalent' as const },
            { ...base, entity: 'char', category: 'encoding' as const, status: 'known' as const },
            { ...base, entity: 'func (anon)', category: 'only-right' as const, status: 'unexplained' as const },
            { ...base, entity: 'enum e', category: 'signedness' as const, status: 'unexplained' as const },
            { ...base, entity: 'enum e', category: 'signedness' as const, status: 'unexplained' as const, path: 'x' },
          ],
        },
      },
    ];
    expect(reductionTargets(units).map((t) => `${t.target.category} ${t.target.entity}`)).toEqual(['signedness enum e', 'encoding char']);
  });
});
