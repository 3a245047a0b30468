/**
 * The sarif format (SARIF 2.1.0), for code-scanning UIs. One result per
 * finding: ruleId is the matching known-divergence rule's id (status known)
 * or the finding's category; level error / warning / note for unexplained /
 * known / equivalent. The driver lists every rule a result names. Locations
 * point at the entity's declaration when the unit's source text is supplied
 * (RenderOptions.sources) and the declaration is found (locate.ts); a
 * logical location always names the entity. Toolchain, recipes, commands
 * and unit errors go to run properties and invocation notifications, so the
 * same facts as the json format are present.
 */
import { parseEntity } from '../canonical/entity.js';
import { type ClassifiedFinding, findingKey, verdictText } from '../findings/finding.js';
import { CATEGORY_DESCRIPTIONS } from './categories.js';
import { locateDeclaration } from './locate.js';
import { sortedFindings, sortedRecord } from './order.js';
import type { RunResult, UnitResult } from './run-result.js';
import { collect, lazyArray, type TextWriter, writeJsonValue } from './writer.js';

export const SARIF_SCHEMA_URI = 'https://json.schemastore.org/sarif-2.1.0.json';

const LEVEL = { unexplained: 'error', known: 'warning', equivalent: 'note' } as const;

interface SarifRule {
  id: string;
  name: string;
  shortDescription: { text: string };
  fullDescription?: { text: string };
  helpUri?: string;
  properties?: Record<string, unknown>;
}

/** A relative path as a URI reference: each segment percent-encoded, `/` kept. */
export function pathToUriReference(p: string): string {
  return p
    .split('/')
    .map((seg) => encodeURIComponent(seg))
    .join('/');
}

function ruleIdOf(f: ClassifiedFinding): string {
  return f.status === 'known' && f.reason ? f.reason : f.category;
}

function isUri(s: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\/\S+$/i.test(s);
}

function collectRules(units: readonly UnitResult[]): SarifRule[] {
  const rules = new Map<string, SarifRule>();
  for (const u of units) {
    for (const f of u.findings) {
      const id = ruleIdOf(f);
      if (rules.has(id)) continue;
      if (id === f.category) {
        rules.set(id, { id, name: id, shortDescription: { text: CATEGORY_DESCRIPTIONS[f.category] } });
      } else {
        const r: SarifRule = { id, name: id, shortDescription: { text: `Known divergence: ${id}` }, properties: { category: f.category } };
        if (f.explanation) r.fullDescription = { text: f.explanation };
        if (f.reference && isUri(f.reference)) r.helpUri = f.reference;
        else if (f.reference) r.properties = { ...r.properties, reference: f.reference };
        rules.set(id, r);
      }
    }
  }
  return [...rules.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

function message(f: ClassifiedFinding): string {
  const where = f.path === '' ? f.entity : `${f.entity} ${f.path}`;
  const why = f.status === 'unexplained' ? 'unexplained' : `${f.status}: ${f.reason ?? ''}${f.explanation ? ` — ${f.explanation}` : ''}`;
  const verdict = f.verdict ? `; ${verdictText(f.verdict)}` : '';
  return `${where}: ${f.category} differs: left ${f.left}, right ${f.right} (${why})${verdict}`;
}

function result(u: UnitResult, f: ClassifiedFinding, ruleIndex: Map<string, number>, source: string | undefined): Record<string, unknown> {
  const ruleId = ruleIdOf(f);
  const line = source !== undefined ? locateDeclaration(source, parseEntity(f.entity)) : undefined;
  const physical: Record<string, unknown> = { artifactLocation: { uri: pathToUriReference(u.source) } };
  if (line !== undefined) physical.region = { startLine: line };
  const props: Record<string, unknown> = { entity: f.entity, path: f.path, category: f.category, left: f.left, right: f.right, status: f.status };
  for (const k of ['reason', 'explanation', 'reference', 'normalisation', 'leftId', 'rightId'] as const) if (f[k] !== undefined) props[k] = f[k];
  if (f.verdict) props.verdict = { departs: f.verdict.departs, dwarf: f.verdict.dwarf };
  if (f.affected?.length) props.affected = [...f.affected].sort();
  return {
    ruleId,
    ruleIndex: ruleIndex.get(ruleId),
    level: LEVEL[f.status],
    message: { text: message(f) },
    locations: [
      {
        physicalLocation: physical,
        logicalLocations: [{ fullyQualifiedName: f.path === '' ? f.entity : `${f.entity}::${f.path}`, kind: 'type' }],
      },
    ],
    partialFingerprints: { 'btfparityKey/v1': findingKey(u.source, f) },
    properties: props,
  };
}

export interface SarifOptions {
  /** Unit source path (UnitResult.source) → its text, to locate declarations. */
  readonly sources?: Readonly<Record<string, string>>;
  /** btfparity's version, for tool.driver.version. */
  readonly toolVersion?: string;
}

function* results(r: RunResult, ruleIndex: Map<string, number>, options: SarifOptions): Generator<Record<string, unknown>> {
  for (const u of r.units) for (const f of sortedFindings(u.findings)) yield result(u, f, ruleIndex, options.sources?.[u.source]);
}

/** Stream the SARIF log; results are built one at a time while they are written. */
export function writeSarif(r: RunResult, options: SarifOptions, w: TextWriter): void {
  const rules = collectRules(r.units);
  const ruleIndex = new Map(rules.map((x, i) => [x.id, i]));
  const notifications = r.units
    .filter((u) => u.error)
    .map((u) => ({
      level: 'error',
      message: { text: `${u.source}: ${u.error!.step}: ${u.error!.message}` },
      locations: [{ physicalLocation: { artifactLocation: { uri: pathToUriReference(u.source) } } }],
    }));
  const driver: Record<string, unknown> = { name: 'btfparity', informationUri: 'https://www.npmjs.com/package/btfparity', rules };
  if (options.toolVersion) driver.version = options.toolVersion;
  const log = {
    $schema: SARIF_SCHEMA_URI,
    version: '2.1.0',
    runs: [
      {
        tool: { driver },
        invocations: [{ executionSuccessful: r.summary.failedUnits === 0, toolExecutionNotifications: notifications }],
        artifacts: r.units.map((u) => ({ location: { uri: pathToUriReference(u.source) } })),
        results: lazyArray(() => results(r, ruleIndex, options)),
        properties: {
          schemaVersion: r.schemaVersion,
          toolchain: r.toolchain,
          recipes: r.recipes,
          commands: Object.fromEntries(r.units.map((u) => [u.source, u.commands])),
          summary: {
            ...r.summary,
            byStatus: sortedRecord(r.summary.byStatus),
            byCategory: sortedRecord(r.summary.byCategory),
            normalisations: sortedRecord(r.summary.normalisations),
          },
        },
      },
    ],
  };
  writeJsonValue(w, log);
  w.write('\n');
}

export function renderSarif(r: RunResult, options: SarifOptions = {}): string {
  return collect((w) => writeSarif(r, options, w));
}
