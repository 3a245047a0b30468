/**
 * The sarif format (SARIF 2.1.0), for code-scanning UIs (GitHub code
 * scanning first). It tells the gate's story (baseline.ts gateJudge):
 *
 * - level `error` exactly for the findings that fail the run (with a
 *   baseline: new or changed, and failing under --fail-on; without: failing under
 *   --fail-on); every other result is `note` (`warning` for an unexplained
 *   finding a baseline accepts) and carries an accepted external
 *   suppression saying why: the known-divergence rule and its rules file,
 *   the baseline that accepts it, the normalisation that makes it
 *   equivalent. So the open alerts are the gate's failures.
 * - with a baseline, `baselineState` on every result: new, unchanged,
 *   updated (the gate's "changed": same key, other recorded status; its
 *   `baselineChanges` property lists what differs, field by field), and
 *   `absent` results for the baseline entries of compared units that no
 *   longer occur.
 * - every result has a physical location with a start line (locate.ts
 *   locateFinding: the declaration, else the first declaration using it,
 *   else line 1 with a location message saying so), a logical location
 *   naming the entity, and the baseline key as its partial fingerprint.
 * - every rule (reportingDescriptor) has help text and a helpUri: the
 *   rule's reference when it is a URL, else its entry in docs/RULES.md as
 *   shipped in this version's npm package (ruleDocsUri).
 *
 * Toolchain, recipes, commands and unit errors go to run properties and
 * invocation notifications, so the same facts as the json format are here.
 */
import { type EntityRef, parseEntity } from '../canonical/entity.js';
import type { Category, ClassifiedFinding, Status } from '../findings/finding.js';
import { findingKey, verdictText } from '../findings/finding.js';
import { byCodeUnit } from '../lang.js';
import { type BaselineEntry, compareToBaseline, DEFAULT_FAIL_ON, type FindingVerdict, type Gate, gateJudge } from './baseline.js';
import { CATEGORY_DESCRIPTIONS } from './categories.js';
import { datasecVarNames, declarationLocator, locateFinding } from './locate.js';
import { sortedFindings, sortedRecord } from './order.js';
import type { RunResult, UnitResult } from './run-result.js';
import { BTFPARITY_VERSION } from './version.js';
import { collect, lazyArray, lazyRecord, type PlainJson, plainJson, type TextWriter, writeJsonValue } from './writer.js';

export const SARIF_SCHEMA_URI = 'https://json.schemastore.org/sarif-2.1.0.json';

/**
 * A rule's documentation: its entry in docs/RULES.md (anchor `rule-ID` for a
 * known-divergence rule, `category-NAME` for a finding category) as shipped
 * in the npm package of this btfparity version, so the link never moves.
 */
export function ruleDocsUri(anchor: string, version: string = BTFPARITY_VERSION): string {
  return `https://unpkg.com/btfparity@${version}/docs/RULES.md#${anchor}`;
}

interface SarifRule {
  id: string;
  name: string;
  shortDescription: { text: string };
  fullDescription: { text: string };
  help: { text: string };
  helpUri: string;
  properties?: Record<string, unknown>;
}

/** A path as a URI reference: each segment percent-encoded, `/` kept; an absolute path becomes a file: URI. */
export function pathToUriReference(p: string): string {
  const encoded = p.split('/').map(encodeSegment).join('/');
  return p.startsWith('/') ? `file://${encoded}` : encoded;
}

/**
 * encodeURIComponent, except that it never throws: a path that is not
 * UTF-8 holds each bad byte as a lone surrogate U+DC80..U+DCFF
 * (artifact/name-bytes.ts), which becomes that byte percent-encoded — the
 * URI of the real file. Any other lone surrogate (only a hand-made input
 * has one) becomes U+FFFD. encodeURIComponent throws URIError on both,
 * which was exit 70.
 */
function encodeSegment(seg: string): string {
  try {
    return encodeURIComponent(seg);
  } catch {
    let out = '';
    for (const ch of seg) {
      const c = ch.codePointAt(0) ?? 0;
      if (c >= 0xdc80 && c <= 0xdcff) out += `%${(c - 0xdc00).toString(16).toUpperCase()}`;
      else if (c >= 0xd800 && c <= 0xdfff) out += '%EF%BF%BD';
      else out += encodeURIComponent(ch);
    }
    return out;
  }
}

function ruleIdOf(f: { status: Status; reason?: string; category: Category }): string {
  return f.status === 'known' && f.reason ? f.reason : f.category;
}

function isUri(s: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\/\S+$/i.test(s);
}

function categoryRule(c: Category, version: string): SarifRule {
  const text = CATEGORY_DESCRIPTIONS[c];
  return {
    id: c,
    name: c,
    shortDescription: { text },
    fullDescription: { text },
    help: {
      text: `${text} Reported when the two avenues' BTF of one entity differ this way and no known-divergence rule explains it (or as the category of an equivalent finding).`,
    },
    helpUri: ruleDocsUri(`category-${c}`, version),
  };
}

function knownRule(f: ClassifiedFinding, id: string, version: string): SarifRule {
  const explanation = f.explanation ?? `Known divergence ${id}.`;
  const from = f.ruleSource ? ` Rule ${id} from ${f.ruleSource}.` : '';
  const ref = f.reference ? ` Reference: ${f.reference}.` : '';
  const props: Record<string, unknown> = { category: f.category };
  if (f.ruleSource) props.ruleSource = f.ruleSource;
  if (f.reference) props.reference = f.reference;
  return {
    id,
    name: id,
    shortDescription: { text: `Known divergence: ${id}` },
    fullDescription: { text: explanation },
    help: { text: `${explanation}${from}${ref}` },
    helpUri: f.reference && isUri(f.reference) ? f.reference : ruleDocsUri(`rule-${id}`, version),
    properties: props,
  };
}

function collectRules(units: readonly UnitResult[], absent: readonly BaselineEntry[], version: string): SarifRule[] {
  const rules = new Map<string, SarifRule>();
  for (const u of units) {
    for (const f of u.findings) {
      const id = ruleIdOf(f);
      if (!rules.has(id)) rules.set(id, id === f.category ? categoryRule(f.category, version) : knownRule(f, id, version));
    }
  }
  // A baseline entry records no rule id: an absent result is filed under its category.
  for (const e of absent) if (!rules.has(e.category)) rules.set(e.category, categoryRule(e.category, version));
  return [...rules.values()].sort((a, b) => byCodeUnit(a.id, b.id));
}

function message(f: ClassifiedFinding): string {
  const where = f.path === '' ? f.entity : `${f.entity} ${f.path}`;
  const why = f.status === 'unexplained' ? 'unexplained' : `${f.status}: ${f.reason ?? ''}${f.explanation ? ` — ${f.explanation}` : ''}`;
  const verdict = f.verdict ? `; ${verdictText(f.verdict)}` : '';
  return `${where}: ${f.category} differs: left ${f.left}, right ${f.right} (${why})${verdict}`;
}

/**
 * Units' source texts by report name: a record, or a function that reads
 * one when asked (the CLI's, so a run's texts are never all held).
 */
export type SourceTexts = Readonly<Record<string, string>> | ((unit: string) => string | undefined);

function sourceTextOf(sources: SourceTexts | undefined, unit: string): string | undefined {
  if (typeof sources === 'function') return sources(unit);
  return sources !== undefined && Object.hasOwn(sources, unit) ? sources[unit] : undefined;
}

/** Per unit: the located lines of its source. */
type Locators = (unit: string) => ((e: EntityRef) => number | undefined) | undefined;

/**
 * Only the last unit's locator (and so its text) is kept: results come unit
 * by unit, so memory follows the largest source, not the number of units.
 */
function locatorsOf(sources: SourceTexts | undefined): Locators {
  let last: { unit: string; locate: ((e: EntityRef) => number | undefined) | undefined } | undefined;
  return (unit) => {
    if (last?.unit !== unit) {
      const text = sourceTextOf(sources, unit);
      last = { unit, locate: text === undefined ? undefined : declarationLocator(text) };
    }
    return last.locate;
  };
}

function location(unit: string, entity: string, path: string, users: readonly string[], locators: Locators): Record<string, unknown> {
  const at = locateFinding(locators(unit), parseEntity(entity), users.map(parseEntity));
  const loc: Record<string, unknown> = {
    physicalLocation: { artifactLocation: { uri: pathToUriReference(unit) }, region: { startLine: at.line } },
    logicalLocations: [{ fullyQualifiedName: path === '' ? entity : `${entity}::${path}`, kind: 'type' }],
  };
  if (at.note) loc.message = { text: at.note };
  return loc;
}

/** Entities whose declarations stand for this one when it has none: its referrers, a section's variables. */
function usersOf(u: UnitResult, f: ClassifiedFinding): string[] {
  const users = [...(f.affected ?? [])].sort(byCodeUnit);
  if (f.entity.startsWith('datasec ')) users.push(...datasecVarNames(u.types?.right[f.entity]), ...datasecVarNames(u.types?.left[f.entity]));
  return users;
}

type Suppression = { kind: 'external'; status: 'accepted'; justification: string };

/** Why a result that does not fail the run does not: each reason an accepted external suppression. */
function suppressions(f: ClassifiedFinding, v: FindingVerdict, baselineName: string | undefined): Suppression[] {
  if (v.fails) return [];
  const out: Suppression[] = [];
  const say = (justification: string) => out.push({ kind: 'external', status: 'accepted', justification });
  if (v.state === 'unchanged' || v.state === 'updated') say(`accepted by baseline ${baselineName ?? ''} (recorded as ${v.recorded?.status ?? f.status})`);
  if (f.status === 'known') say(`known divergence: rule ${f.reason ?? '?'} of ${f.ruleSource ?? 'the rules'}`);
  else if (f.status === 'equivalent') say(`equivalent: ${f.reason ?? f.normalisation ?? 'normalised'}; the two encodings mean the same`);
  if (out.length === 0) say('does not fail under --fail-on');
  return out;
}

function levelOf(status: Status, fails: boolean): 'error' | 'warning' | 'note' {
  if (fails) return 'error';
  return status === 'unexplained' ? 'warning' : 'note';
}

interface Ctx {
  readonly ruleIndex: Map<string, number>;
  readonly locators: Locators;
  readonly judge: (unit: string, f: ClassifiedFinding) => FindingVerdict;
  readonly baselineName?: string;
}

function result(u: UnitResult, f: ClassifiedFinding, ctx: Ctx): Record<string, unknown> {
  const ruleId = ruleIdOf(f);
  const v = ctx.judge(u.source, f);
  const props: Record<string, unknown> = { entity: f.entity, path: f.path, category: f.category, left: f.left, right: f.right, status: f.status };
  for (const k of ['reason', 'explanation', 'reference', 'ruleSource', 'normalisation', 'leftId', 'rightId'] as const) if (f[k] !== undefined) props[k] = f[k];
  if (f.verdict) props.verdict = { departs: f.verdict.departs, dwarf: f.verdict.dwarf };
  if (f.affected?.length) props.affected = [...f.affected].sort(byCodeUnit);
  if (v.changes) props.baselineChanges = v.changes;
  props.failsGate = v.fails;
  const out: Record<string, unknown> = {
    ruleId,
    ruleIndex: ctx.ruleIndex.get(ruleId),
    level: levelOf(f.status, v.fails),
    message: { text: message(f) },
    locations: [location(u.source, f.entity, f.path, usersOf(u, f), ctx.locators)],
    partialFingerprints: { 'btfparityKey/v1': v.key },
  };
  if (v.state !== undefined) out.baselineState = v.state;
  const sup = suppressions(f, v, ctx.baselineName);
  if (sup.length > 0) out.suppressions = sup;
  out.properties = props;
  return out;
}

/** A baseline entry that no longer occurs: it fails nothing, it asks for a refresh. */
function absentResult(e: BaselineEntry, ctx: Ctx): Record<string, unknown> {
  const where = e.path === '' ? e.entity : `${e.entity} ${e.path}`;
  return {
    ruleId: e.category,
    ruleIndex: ctx.ruleIndex.get(e.category),
    level: 'note',
    message: {
      text: `${where}: ${e.category} no longer differs (baseline ${ctx.baselineName ?? ''} recorded left ${e.left}, right ${e.right}, ${e.status}); refresh the baseline`,
    },
    locations: [location(e.unit, e.entity, e.path, [], ctx.locators)],
    partialFingerprints: { 'btfparityKey/v1': findingKey(e.unit, e) },
    baselineState: 'absent',
    suppressions: [{ kind: 'external', status: 'accepted', justification: `no longer occurs; recorded in baseline ${ctx.baselineName ?? ''}` }],
    properties: { entity: e.entity, path: e.path, category: e.category, left: e.left, right: e.right, status: e.status, failsGate: false },
  };
}

export interface SarifOptions {
  /** Unit source path (UnitResult.source) → its text, to locate declarations. */
  readonly sources?: SourceTexts;
  /** btfparity's version, for tool.driver.version (default: this package's). */
  readonly toolVersion?: string;
  /** The gate the run is judged by (default: --fail-on's default without a baseline). */
  readonly gate?: Gate;
  /** The baseline file as given, for the suppressions' and absent results' texts. */
  readonly baselineName?: string;
}

/** A key JavaScript orders as an array index: before the other keys of an object, in numeric order. */
function isArrayIndex(k: string): boolean {
  return /^(?:0|[1-9]\d*)$/.test(k) && Number(k) < 2 ** 32 - 1;
}

/**
 * Each unit's commands by its name, as `Object.fromEntries` of the units
 * would have them written (array-index names first, then the others by their
 * first occurrence; a name given twice has its last unit's commands), but
 * one unit's commands at a time instead of every unit's at once.
 */
function* commandsByUnit(units: readonly UnitResult[]): Generator<readonly [string, PlainJson]> {
  const last = new Map<string, number>();
  for (const [i, u] of units.entries()) last.set(u.source, i);
  const names = [...last.keys()];
  const indices = names.filter(isArrayIndex).sort((a, b) => Number(a) - Number(b));
  for (const name of [...indices, ...names.filter((n) => !isArrayIndex(n))]) yield [name, plainJson(units[last.get(name)!].commands)];
}

function* results(r: RunResult, absent: readonly BaselineEntry[], ctx: Ctx): Generator<PlainJson> {
  // Each result is plain data: written by JSON.stringify in one go.
  for (const u of r.units) for (const f of sortedFindings(u.findings)) yield plainJson(result(u, f, ctx));
  for (const e of absent) yield plainJson(absentResult(e, ctx));
}

/** Stream the SARIF log; results are built one at a time while they are written. */
export function writeSarif(r: RunResult, options: SarifOptions, w: TextWriter): void {
  const gate: Gate = options.gate ?? { failOn: DEFAULT_FAIL_ON };
  const version = options.toolVersion ?? BTFPARITY_VERSION;
  const absent = gate.baseline ? compareToBaseline(r, gate.baseline, gate.failOn).resolved : [];
  const rules = collectRules(r.units, absent, version);
  const ctx: Ctx = {
    ruleIndex: new Map(rules.map((x, i) => [x.id, i])),
    locators: locatorsOf(options.sources),
    judge: gateJudge(gate),
    ...(options.baselineName !== undefined ? { baselineName: options.baselineName } : {}),
  };
  const notifications = r.units
    .filter((u) => u.error)
    .map((u) => ({
      level: 'error',
      message: { text: `${u.source}: ${u.error!.step}: ${u.error!.message}` },
      locations: [{ physicalLocation: { artifactLocation: { uri: pathToUriReference(u.source) } } }],
    }));
  const driver = { name: 'btfparity', version, semanticVersion: version, informationUri: 'https://www.npmjs.com/package/btfparity', rules };
  const log = {
    $schema: SARIF_SCHEMA_URI,
    version: '2.1.0',
    runs: [
      {
        tool: { driver },
        invocations: [{ executionSuccessful: r.summary.failedUnits === 0, toolExecutionNotifications: notifications }],
        artifacts: r.units.map((u) => ({ location: { uri: pathToUriReference(u.source) } })),
        results: lazyArray(() => results(r, absent, ctx)),
        properties: {
          schemaVersion: r.schemaVersion,
          toolchain: r.toolchain,
          recipes: r.recipes,
          failOn: gate.failOn,
          ...(options.baselineName !== undefined ? { baseline: options.baselineName } : {}),
          commands: lazyRecord(() => commandsByUnit(r.units)),
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
