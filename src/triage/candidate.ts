/**
 * The reducer's oracle: is a candidate C text still "interesting"? It is
 * when it compiles through both avenues (every recipe step succeeds) and a
 * fresh check still reports a finding with the target entity and
 * category. Runs the real toolchain through the same `checkUnit` as
 * `btfparity check`, so a reproducer shows exactly what check shows.
 *
 * Verdicts are cached by a hash of the candidate text, across ddmin levels
 * and list passes; concurrent requests for the same text share one run.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Category, ClassifiedFinding } from '../findings/finding.js';
import type { Rule } from '../findings/rules-schema.js';
import { checkUnit } from '../pipeline/check-unit.js';
import type { CompareConfig } from '../recipe/plan.js';
import type { RunTools } from '../pipeline/unit-steps.js';
import type { UnitResult } from '../report/run-result.js';

/** The divergence a reduction keeps alive. */
export interface Target {
  readonly entity: string;
  readonly category: Category;
}

export interface CandidateEnv {
  readonly config: CompareConfig;
  readonly tools: RunTools;
  readonly timeoutSeconds: number;
  /** Known-divergence rules, so verdicts classify exactly as `check` does. */
  readonly rules: readonly Rule[];
  /** A directory this checker owns; candidates live in numbered subdirectories, removed after each check. */
  readonly workDir: string;
}

export interface Verdict {
  readonly interesting: boolean;
  /** The unit result of the check (its findings, or the failing step). */
  readonly result: UnitResult;
}

export function matchesTarget(f: ClassifiedFinding, target: Target): boolean {
  return f.entity === target.entity && f.category === target.category;
}

export class CandidateChecker {
  private readonly cache = new Map<string, Promise<Verdict>>();
  private serial = 0;
  /** Toolchain runs made / answers served from the cache. */
  runs = 0;
  hits = 0;

  constructor(
    private readonly env: CandidateEnv,
    private readonly target: Target,
  ) {}

  async interesting(text: string): Promise<boolean> {
    return (await this.verdict(text)).interesting;
  }

  verdict(text: string): Promise<Verdict> {
    const key = createHash('sha256').update(text).digest('hex');
    const known = this.cache.get(key);
    if (known) {
      this.hits++;
      return known;
    }
    const pending = this.run(text);
    this.cache.set(key, pending);
    return pending;
  }

  private async run(text: string): Promise<Verdict> {
    this.runs++;
    const dir = join(this.env.workDir, `c${++this.serial}`);
    mkdirSync(dir, { recursive: true });
    try {
      writeFileSync(join(dir, 'repro.c'), text);
      const result = await checkUnit({ display: 'repro.c', arg: 'repro.c', cwd: dir }, 0, {
        config: this.env.config,
        tools: this.env.tools,
        timeoutSeconds: this.env.timeoutSeconds,
        runDir: dir,
        rules: this.env.rules,
      });
      const interesting = !result.error && result.findings.some((f) => matchesTarget(f, this.target));
      return { interesting, result };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
}
