/**
 * The test suite survives a long synchronous test (issue 12: scripts/test
 * exited 1 with "397 passed, 0 failed" on a loaded machine, from vitest's
 * unhandled "Timeout calling onTaskUpdate"). A test here blocks its
 * worker's event loop for 65 s, longer than vitest 3.2's fixed 60 s worker
 * RPC timeout, right after another test finished (so a task update is in
 * flight). Without test/helpers/settle-rpc.ts the run ends with that
 * unhandled error and exit 1 although every test passed; with it, clean.
 * It waits on an Atomics cell (pure JS, no tool on PATH: the pure project
 * runs without one), so it costs wall time in one worker, not CPU.
 */
import { expect, test } from 'vitest';

test('a quick test first, so its task update is sent', () => {
  expect(1 + 1).toBe(2);
});

test('then 65 s with the event loop blocked, as a long spawnSync on a loaded machine does', () => {
  const started = Date.now();
  expect(Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 65_000)).toBe('timed-out');
  expect(Date.now() - started).toBeGreaterThanOrEqual(64_000);
}, 120_000);

test('and a test after it', () => {
  expect(2 + 2).toBe(4);
});
