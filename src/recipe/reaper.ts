/**
 * The reaper: a small detached process that cleans up after btfparity
 * when btfparity dies without doing it itself — by SIGINT or SIGTERM in
 * the middle of a CPU-bound phase (rule matching over 100k findings does
 * not return to the event loop for seconds), by SIGKILL (`timeout -s KILL`),
 * or by the OOM killer.
 *
 * Why a process: Node runs signal handlers on the event loop, so a JS
 * handler waits for the busy loop to finish, and nothing at all runs on
 * SIGKILL. btfparity therefore leaves SIGINT/SIGTERM at their default
 * action (the process ends at once, whatever it is doing, with the usual
 * 128+signo status) and lets the reaper do the cleanup.
 *
 * Protocol: btfparity writes one JSON array per line on the reaper's stdin
 * — ["dir", path] / ["undir", path] for temp directories, ["pg", pid] /
 * ["unpg", pid] for the process groups of running tools. When stdin
 * reaches EOF (btfparity is gone, however it went) the reaper stops what is
 * still registered: SIGTERM to every registered group and to every process
 * that still carries the run's marker in its environment (a tool that left
 * its group), up to GRACE_MS for them to exit (gcc deletes its temp files
 * on SIGTERM), SIGKILL to what is left, then removes the registered
 * directories. On a normal exit btfparity has unregistered everything and
 * the reaper just exits.
 *
 * The reaper runs in its own session (detached), so a Ctrl-C to the
 * terminal's process group or `timeout`'s kill of btfparity's group does not
 * take it along. Its program is `reaperMain`, run with `node -e`: it must be
 * self-contained (it gets `require` as its argument and uses nothing else
 * from this module).
 */
import { type ChildProcess, spawn } from 'node:child_process';

/** How long stopped tools get between SIGTERM and SIGKILL, in the reaper and on step timeouts. */
export const GRACE_MS = 2000;

/** Environment variable every step gets: `<btfparity pid>:<random>`, so the reaper finds strays by it. */
export const MARKER_ENV = 'BTFPARITY_RUN_MARKER';

/** The reaper's program (see the module comment). Self-contained: serialised with toString(). */
export function reaperMain(req: (id: string) => unknown, marker: string, graceMs: number): void {
  process.title = 'btfparity-reaper';
  const fs = req('node:fs') as typeof import('node:fs');
  const dirs = new Set<string>();
  const groups = new Set<number>();
  let pending = '';
  const onLine = (line: string): void => {
    let msg: unknown;
    try {
      msg = JSON.parse(line);
    } catch {
      return;
    }
    if (!Array.isArray(msg)) return;
    const [op, arg] = msg as [string, unknown];
    if (op === 'dir' && typeof arg === 'string') dirs.add(arg);
    else if (op === 'undir' && typeof arg === 'string') dirs.delete(arg);
    else if (op === 'pg' && typeof arg === 'number') groups.add(arg);
    else if (op === 'unpg' && typeof arg === 'number') groups.delete(arg);
  };
  /** Live (not zombie) processes in a registered group or carrying the marker. */
  const targets = (): { pid: number; pgrp: number }[] => {
    const out: { pid: number; pgrp: number }[] = [];
    let names: string[] = [];
    try {
      names = fs.readdirSync('/proc');
    } catch {
      return [...groups].map((g) => ({ pid: g, pgrp: g }));
    }
    const needle = `${'BTFPARITY_RUN_MARKER'}=${marker}\0`;
    for (const name of names) {
      if (!/^\d+$/.test(name)) continue;
      const pid = Number(name);
      if (pid === process.pid) continue;
      let stat: string;
      try {
        stat = fs.readFileSync(`/proc/${name}/stat`, 'latin1');
      } catch {
        continue;
      }
      // pid (comm) state ppid pgrp ...; comm may hold spaces and parentheses.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (fields[0] === 'Z' || fields[0] === 'X') continue;
      const pgrp = Number(fields[2]);
      let marked = false;
      if (!groups.has(pgrp)) {
        try {
          marked = fs.readFileSync(`/proc/${name}/environ`, 'latin1').includes(needle);
        } catch {
          marked = false;
        }
      }
      if (groups.has(pgrp) || marked) out.push({ pid, pgrp });
    }
    return out;
  };
  const signal = (sig: NodeJS.Signals): void => {
    for (const g of groups) {
      try {
        process.kill(-g, sig);
      } catch {
        // gone
      }
    }
    for (const t of targets()) {
      try {
        process.kill(t.pid, sig);
      } catch {
        // gone
      }
    }
  };
  const removeDirs = (): void => {
    for (const d of dirs) {
      try {
        fs.rmSync(d, { recursive: true, force: true });
      } catch {
        // nothing more to do
      }
    }
    process.exit(0);
  };
  const finish = (): void => {
    if (groups.size === 0 && targets().length === 0) {
      removeDirs();
      return;
    }
    signal('SIGTERM');
    const until = Date.now() + graceMs;
    const poll = (): void => {
      if (targets().length === 0) {
        removeDirs();
        return;
      }
      if (Date.now() >= until) {
        signal('SIGKILL');
        setTimeout(removeDirs, 50);
        return;
      }
      setTimeout(poll, 25);
    };
    poll();
  };
  process.stdin.setEncoding('utf8');
  process.stdin.on('data', (chunk: string) => {
    pending += chunk;
    let nl = pending.indexOf('\n');
    while (nl >= 0) {
      onLine(pending.slice(0, nl));
      pending = pending.slice(nl + 1);
      nl = pending.indexOf('\n');
    }
  });
  process.stdin.on('end', finish);
  process.stdin.on('error', finish);
}

export interface Reaper {
  tell(msg: readonly [string, string | number]): void;
}

/**
 * Start the reaper for this process, or undefined when it cannot be started
 * (the caller then falls back to in-process signal handlers).
 */
export function startReaper(marker: string): Reaper | undefined {
  let child: ChildProcess;
  try {
    const program = `(${reaperMain.toString()})(require, ${JSON.stringify(marker)}, ${GRACE_MS});`;
    child = spawn(process.execPath, ['-e', program], { detached: true, stdio: ['pipe', 'ignore', 'ignore'], env: { PATH: process.env.PATH ?? '' } });
  } catch {
    return undefined;
  }
  const stdin = child.stdin;
  if (!child.pid || !stdin) return undefined;
  child.on('error', () => {});
  stdin.on('error', () => {});
  // Neither keeps btfparity alive: the reaper's work starts when btfparity is gone.
  child.unref();
  (stdin as unknown as { unref?: () => void }).unref?.();
  return {
    tell(msg) {
      // Small writes to a pipe the reaper drains go to the kernel at once (libuv tries the write synchronously).
      stdin.write(`${JSON.stringify(msg)}\n`);
    },
  };
}
