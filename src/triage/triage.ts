/**
 * `triage`: check units, then gather what a maintainer needs to act on
 * each divergence — both sides' records and layouts, the DWARF verdict,
 * and minimal reproducers for the first few distinct unexplained (then
 * known) findings. Effects: toolchain runs and temp dirs; the reports are
 * rendered from the returned TriageReport by pure functions.
 */
import { parseEntity } from '../canonical/entity.js';
import { InputError, ToolchainError } from '../errors.js';
import { type ClassifiedFinding, findingKey } from '../findings/finding.js';
import type { Rule } from '../findings/rules-schema.js';
import { detectToolchain, runCheck } from '../pipeline/run-check.js';
import { type RunTools, sideFacts, UnitFailure } from '../pipeline/unit-steps.js';
import { makeRunDir, removeRunDir } from '../recipe/cleanup.js';
import type { CompareConfig } from '../recipe/plan.js';
import type { UnitSource } from '../source/unit-source.js';
import type { Target } from './candidate.js';
import { triageVerdict } from './dwarf.js';
import { entityType, sideView } from './layout.js';
import { reduceSource, reproduceCommands } from './reduce-source.js';
import { type BuiltSides, buildSides } from './sides.js';
import type { TriageEntity, TriageReport, TriageReproducer } from './triage-data.js';

export interface TriageRequest {
  readonly sources: readonly UnitSource[];
  readonly config: CompareConfig;
  readonly timeoutSeconds: number;
  readonly rules: readonly Rule[];
  readonly maxReduce: number;
  readonly jobs: number;
  readonly onProgress?: (message: string) => void;
}

export async function runTriage(req: TriageRequest): Promise<TriageReport> {
  const say = req.onProgress ?? (() => {});
  const tools = await detectToolchain(req.config, req.timeoutSeconds);
  const run = await runCheck({ sources: req.sources, config: req.config, timeoutSeconds: req.timeoutSeconds, rules: req.rules });
  say(`checked ${run.units.length} unit(s): ${run.summary.findings} finding(s)`);
  const entities: TriageEntity[] = [];
  let dwarf: TriageReport['dwarf'] = { note: 'no unit built' };
  for (const [i, unit] of run.units.entries()) {
    if (unit.error || unit.findings.length === 0) continue;
    const sides = await buildSidesQuietly(req.sources[i], req.config, tools, req.timeoutSeconds);
    if (sides?.dwarf) dwarf = { argv: sides.dwarf.argv };
    else dwarf = { note: sides ? 'no side carries DWARF, or llvm-dwarfdump is not installed' : 'the unit could not be rebuilt for the side views' };
    entities.push(...entitiesOf(unit.source, unit.findings, sides));
  }
  const { reproducers, notReduced } = await reduceTargets(
    req,
    run.units.map((u, i) => ({ unit: u, source: req.sources[i] })),
    tools,
    say,
  );
  return { run, entities, reproducers, maxReduce: req.maxReduce, notReduced, dwarf };
}

async function buildSidesQuietly(source: UnitSource, config: CompareConfig, tools: RunTools, timeoutSeconds: number): Promise<BuiltSides | undefined> {
  const dir = makeRunDir();
  try {
    return await buildSides(source, config, tools, timeoutSeconds, dir);
  } catch (e) {
    // The check itself succeeded, so this is rare (a flaky tool); the report says the views are missing.
    if (e instanceof UnitFailure || e instanceof ToolchainError || e instanceof InputError) return undefined;
    throw e;
  } finally {
    removeRunDir(dir);
  }
}

function entitiesOf(unit: string, findings: readonly ClassifiedFinding[], sides: BuiltSides | undefined): TriageEntity[] {
  const byEntity = new Map<string, ClassifiedFinding[]>();
  for (const f of findings) {
    const list = byEntity.get(f.entity);
    if (list) list.push(f);
    else byEntity.set(f.entity, [f]);
  }
  return [...byEntity].map(([entity, fs]) => {
    const first = fs[0];
    const ref = parseEntity(entity);
    const left = sides ? sideView(sides.left, entityType(sides.left, ref, first.leftId)) : undefined;
    const right = sides ? sideView(sides.right, entityType(sides.right, ref, first.rightId)) : undefined;
    return {
      unit,
      entity,
      ...(left ? { left } : {}),
      ...(right ? { right } : {}),
      findings: fs.map((f) => {
        const verdict = triageVerdict(f);
        return { key: findingKey(unit, f), finding: f, ...(verdict ? { dwarf: verdict } : {}) };
      }),
    };
  });
}

/** Distinct (unit, entity, category) targets: unexplained first, then known; equivalent and anonymous ones are not reduced. */
export function reductionTargets(
  units: readonly { unit: { source: string; findings: readonly ClassifiedFinding[] } }[],
): { unitIndex: number; target: Target }[] {
  const out: { unitIndex: number; target: Target; rank: number }[] = [];
  const seen = new Set<string>();
  for (const [unitIndex, { unit }] of units.entries()) {
    for (const f of unit.findings) {
      const entity = parseEntity(f.entity);
      if (f.status === 'equivalent' || entity.name === '' || entity.keyword === 'datasec') continue;
      const id = `${unitIndex}\0${f.entity}\0${f.category}`;
      if (seen.has(id)) continue;
      seen.add(id);
      out.push({ unitIndex, target: { entity: f.entity, category: f.category }, rank: f.status === 'unexplained' ? 0 : 1 });
    }
  }
  return out.sort((a, b) => a.rank - b.rank).map(({ unitIndex, target }) => ({ unitIndex, target }));
}

async function reduceTargets(
  req: TriageRequest,
  units: readonly { unit: { source: string; findings: readonly ClassifiedFinding[]; error?: unknown }; source: UnitSource }[],
  tools: RunTools,
  say: (m: string) => void,
): Promise<{ reproducers: TriageReproducer[]; notReduced: TriageReport['notReduced'] }> {
  // A failed unit has no findings, so it yields no targets.
  const targets = reductionTargets(units);
  const reproducers: TriageReproducer[] = [];
  const notReduced: { unit: string; target: Target; why: string }[] = [];
  for (const [n, { unitIndex, target }] of targets.entries()) {
    const { unit, source } = units[unitIndex];
    if (n >= req.maxReduce) {
      notReduced.push({ unit: unit.source, target, why: `over --max-reduce ${req.maxReduce}` });
      continue;
    }
    say(`reducing ${target.category} ${target.entity} (${unit.source})`);
    try {
      const r = await reduceSource({ source, target, config: req.config, timeoutSeconds: req.timeoutSeconds, rules: req.rules, jobs: req.jobs, tools });
      const file = `repro-${reproducers.length + 1}.c`;
      reproducers.push({
        unit: unit.source,
        target,
        file,
        text: r.text,
        commands: reproduceCommands(file, r.config, target, sideFacts(tools)),
        stats: r.stats,
      });
    } catch (e) {
      if (!(e instanceof InputError || e instanceof ToolchainError)) throw e;
      notReduced.push({ unit: unit.source, target, why: e.oneLine() });
    }
  }
  return { reproducers, notReduced };
}
