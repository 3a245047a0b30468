import { describe, expect, test } from 'vitest';
import { runPool } from '../src/pipeline/pool.js';

const tick = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('runPool', () => {
  test('keeps at most N jobs in flight and returns results in input order', async () => {
    let inFlight = 0;
    let peak = 0;
    const done: number[] = [];
    // Later items finish first, so completion order differs from input order.
    const out = await runPool(
      [5, 4, 3, 2, 1, 0],
      3,
      async (x) => {
        inFlight++;
        peak = Math.max(peak, inFlight);
        await tick(x * 3);
        inFlight--;
        return x * 10;
      },
      (_r, i) => done.push(i),
    );
    expect(out).toEqual([50, 40, 30, 20, 10, 0]);
    expect(peak).toBe(3);
    expect(done).not.toEqual([0, 1, 2, 3, 4, 5]);
    expect([...done].sort()).toEqual([0, 1, 2, 3, 4, 5]);
  });

  test('j1 runs strictly one after another', async () => {
    const order: string[] = [];
    await runPool(['a', 'b'], 1, async (x) => {
      order.push(`start ${x}`);
      await tick(2);
      order.push(`end ${x}`);
    });
    expect(order).toEqual(['start a', 'end a', 'start b', 'end b']);
  });

  test('a thrown job error surfaces after the pool drains', async () => {
    await expect(
      runPool([1, 2], 2, async (x) => {
        if (x === 1) throw new Error('boom');
        return x;
      }),
    ).rejects.toThrow('boom');
  });

  test('an empty input needs no workers', async () => {
    expect(await runPool([], 4, async () => 1)).toEqual([]);
  });
});
