/**
 * Progress of a multi-unit run, on stderr so reports on stdout stay clean.
 * - TTY: a live bar (cli-progress) with units done/total, rate, ETA and findings so far;
 * - not a TTY (CI logs, make -j): a plain line every `intervalMs`, and a final
 *   line when any was printed (a run shorter than one interval stays silent,
 *   so short runs and scripts see only the report and real errors);
 * - quiet: nothing.
 */
import cliProgress from 'cli-progress';

export interface ProgressSink {
  /** One unit finished, with how many findings it produced and whether it failed. */
  unitDone(findings: number, failed: boolean): void;
  stop(): void;
}

export interface ProgressOptions {
  readonly total: number;
  readonly quiet: boolean;
  readonly tty: boolean;
  readonly intervalMs?: number;
  /** Where plain lines go (tests pass their own). */
  readonly write?: (line: string) => void;
  readonly now?: () => number;
}

export function startProgress(o: ProgressOptions): ProgressSink {
  if (o.quiet || o.total === 0) return { unitDone() {}, stop() {} };
  return o.tty ? barProgress(o.total) : lineProgress(o);
}

function barProgress(total: number): ProgressSink {
  const bar = new cliProgress.SingleBar(
    {
      format: 'units {value}/{total} |{bar}| {percentage}% | {rate}/s | ETA {eta_formatted} | findings {findings} | failed {failed}',
      stream: process.stderr,
      hideCursor: true,
      clearOnComplete: false,
    },
    cliProgress.Presets.shades_classic,
  );
  const start = Date.now();
  let done = 0;
  let findings = 0;
  let failed = 0;
  bar.start(total, 0, { findings, failed, rate: '0.0' });
  return {
    unitDone(n, f) {
      done++;
      findings += n;
      if (f) failed++;
      const rate = (done / Math.max((Date.now() - start) / 1000, 0.001)).toFixed(1);
      bar.update(done, { findings, failed, rate });
    },
    stop() {
      bar.stop();
    },
  };
}

function lineProgress(o: ProgressOptions): ProgressSink {
  const write = o.write ?? ((line: string) => process.stderr.write(`${line}\n`));
  const now = o.now ?? Date.now;
  const interval = o.intervalMs ?? 10_000;
  const start = now();
  let last = start;
  let printed = false;
  let done = 0;
  let findings = 0;
  let failed = 0;
  const line = (): string => {
    const secs = Math.max((now() - start) / 1000, 0.001);
    const rate = done / secs;
    const eta = rate > 0 ? Math.round((o.total - done) / rate) : 0;
    return `btfparity: ${done}/${o.total} units, ${rate.toFixed(1)}/s, ETA ${eta}s, ${findings} findings, ${failed} failed`;
  };
  return {
    unitDone(n, f) {
      done++;
      findings += n;
      if (f) failed++;
      if (now() - last >= interval) {
        last = now();
        printed = true;
        write(line());
      }
    },
    stop() {
      if (printed) write(line());
    },
  };
}
