/**
 * vitest setupFile (both projects): before each test, and before each
 * file's beforeAll hooks, wait until the worker's RPC calls to the main
 * process have been answered.
 *
 * Why: vitest 3.2's worker talks to the main process over birpc with a fixed
 * 60 s timeout per call (not configurable). The runner sends task updates
 * (`onTaskUpdate`) as tests start and end, without waiting. A test that
 * then keeps the worker's event loop busy for a minute — a spawnSync of the
 * CLI on the whole corpus, a long fast-check property, bpftool on vmlinux —
 * on a loaded machine leaves that call unanswered: the answer waits on the
 * IPC channel, and when the loop resumes, its timers phase fires the
 * expired timeout before the poll phase reads the answer. vitest reports
 * "Timeout calling onTaskUpdate" as an unhandled error and the run exits 1
 * with every test passed. Waiting here means a long synchronous test starts
 * with nothing in flight. (Reproduced with a test that blocks for 70 s:
 * the error without this file, none with it.)
 *
 * The worker state (`globalThis.__vitest_worker__`) is vitest's internal
 * object; `rpc()` reads its `rpc` on every call, so wrapping it here sees
 * every call. If a vitest upgrade changes that shape, this becomes a no-op
 * (and the error may come back), it cannot break a test.
 */
import { beforeAll, beforeEach } from 'vitest';

type Rpc = Record<string | symbol, unknown>;
interface WorkerState {
  rpc?: Rpc;
}

const MARK = Symbol.for('btfparity.settle-rpc');
const pending = new Set<Promise<unknown>>();

const state = (globalThis as { __vitest_worker__?: WorkerState }).__vitest_worker__;
if (state?.rpc && !(MARK in state.rpc)) {
  const inner = state.rpc;
  state.rpc = new Proxy(inner, {
    has: (target, key) => key === MARK || key in target,
    get(target, key, receiver) {
      const value = Reflect.get(target, key, receiver);
      if (typeof value !== 'function') return value;
      const call = (...args: unknown[]) => {
        const result = (value as (...a: unknown[]) => unknown)(...args);
        if (result instanceof Promise) {
          pending.add(result);
          const done = () => pending.delete(result);
          result.then(done, done);
        }
        return result;
      };
      // birpc's event sends (no answer expected) hang off the function.
      return Object.assign(call, value);
    },
  });
}

async function settle(): Promise<void> {
  while (pending.size > 0) await Promise.all([...pending].map((p) => p.then(undefined, () => undefined)));
}

beforeAll(settle);
beforeEach(settle);
