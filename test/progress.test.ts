import { describe, expect, test } from 'vitest';
import { startProgress } from '../src/cli/progress.js';

describe('plain progress lines (not a TTY)', () => {
  test('prints at most one line per interval and a final line with counts', () => {
    const lines: string[] = [];
    let t = 0;
    const p = startProgress({ total: 4, quiet: false, tty: false, intervalMs: 1000, write: (l) => lines.push(l), now: () => t });
    t = 500;
    p.unitDone(2, false); // within the interval: silent
    t = 1500;
    p.unitDone(0, true); // interval passed: one line
    t = 1600;
    p.unitDone(1, false);
    p.stop();
    expect(lines).toHaveLength(2);
    // 2 units after 1.5 s = 1.3/s; 2 left at that rate: ETA 2 s (rounded).
    expect(lines[0]).toBe('btfparity: 2/4 units, 1.3/s, ETA 2s, 2 findings, 1 failed');
    expect(lines[1]).toMatch(/^btfparity: 3\/4 units, .* 3 findings, 1 failed$/);
  });

  test('quiet prints nothing', () => {
    const lines: string[] = [];
    const p = startProgress({ total: 2, quiet: true, tty: false, write: (l) => lines.push(l) });
    p.unitDone(1, false);
    p.stop();
    expect(lines).toEqual([]);
  });
});
