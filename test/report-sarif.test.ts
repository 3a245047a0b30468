/**
 * SARIF 2.1.0 output, validated against the official schema
 * (sarif-2.1.0-rtm.5.json as shipped by the devDependency
 * @microsoft/jest-sarif in lib/schemas/) and against GitHub code
 * scanning's upload rules (test/helpers/github-sarif.ts, each rule with its
 * documentation page), without and with a baseline; and its content: it
 * tells the gate's story (levels, baselineState, suppressions), every
 * result has a start line, every rule help and a helpUri.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Gate } from '../src/report/baseline.js';
import { renderReport } from '../src/report/render.js';
import { pathToUriReference, ruleDocsUri } from '../src/report/sarif.js';
import { BASELINE, CHARS, CLEAN, FLOATS, RUN, runOf } from './fixtures/report-run.js';
import { githubSarifProblems } from './helpers/github-sarif.js';
import { SARIF_SCHEMA_FILE, sarifValidator } from './helpers/sarif-schema.js';

const SOURCES = {
  'corpus/probes/05-floats.c': readFileSync('corpus/probes/05-floats.c', 'utf8'),
  'corpus/probes/02 char & <signedness>.c': readFileSync('corpus/probes/02-char-signedness.c', 'utf8'),
};
const PACKAGE_VERSION = JSON.parse(readFileSync('package.json', 'utf8')).version as string;
const text = renderReport(RUN, 'sarif', { sources: SOURCES });
const log = JSON.parse(text);
// biome-ignore lint/suspicious/noExplicitAny: parsed JSON; the tests assert its shape
type R = Record<string, any>;
const results = log.runs[0].results as R[];
const rules = log.runs[0].tool.driver.rules as R[];
const by = (rs: R[], entity: string) => rs.find((r) => r.properties.entity === entity)!;

const withBaseline = (failOn: Gate['failOn']) =>
  renderReport(RUN, 'sarif', { sources: SOURCES, gate: { failOn, baseline: BASELINE }, baselineName: 'ci/btf-baseline.json' });
const blText = withBaseline('any');
const blResults = JSON.parse(blText).runs[0].results as R[];

describe(`SARIF schema (${SARIF_SCHEMA_FILE})`, () => {
  it('the output validates, without and with a baseline', () => {
    const validate = sarifValidator();
    expect(validate(log), JSON.stringify(validate.errors, null, 1)).toBe(true);
    expect(validate(JSON.parse(blText)), JSON.stringify(validate.errors, null, 1)).toBe(true);
  });
  it('the validator catches a broken log (the test can fail)', () => {
    const validate = sarifValidator();
    const bad = structuredClone(log);
    bad.runs[0].results[0].level = 'fatal';
    expect(validate(bad)).toBe(false);
    const badState = JSON.parse(blText);
    badState.runs[0].results[0].baselineState = 'gone';
    expect(validate(badState)).toBe(false);
  });
});

describe("GitHub code scanning's upload rules", () => {
  it('both logs upload cleanly', () => {
    expect(githubSarifProblems(text)).toEqual([]);
    expect(githubSarifProblems(blText)).toEqual([]);
  });
  it('the checker catches what GitHub refuses (it can fail)', () => {
    const bad = JSON.parse(blText);
    delete bad.runs[0].results[0].locations[0].physicalLocation.region;
    bad.runs[0].results[1].locations[0].physicalLocation.artifactLocation.uri = '/abs/x.c';
    delete bad.runs[0].results[2].ruleId;
    delete bad.runs[0].results[3].partialFingerprints;
    bad.runs[0].results.push(...Array.from({ length: 25_001 }, () => bad.runs[0].results[4]));
    const problems = githubSarifProblems(JSON.stringify(bad));
    expect(problems).toContain('runs[0].results[0].locations[0].physicalLocation.region.startLine: is undefined, must be an integer >= 1 [support]');
    expect(problems).toContain('runs[0].results[1].locations[0]...uri: /abs/x.c is not relative to the repository root [support]');
    expect(problems).toContain('runs[0].results[2].ruleId: missing [support]');
    expect(problems).toContain('runs[0].results[3].partialFingerprints: missing or empty [support]');
    expect(problems).toContain(`runs[0].results: ${bad.runs[0].results.length} results [limits]`);
  });
});

describe('sarif content', () => {
  it('is SARIF 2.1.0 from driver btfparity, version and semanticVersion the package version', () => {
    expect(log.version).toBe('2.1.0');
    expect(log.runs[0].tool.driver).toMatchObject({ name: 'btfparity', version: PACKAGE_VERSION, semanticVersion: PACKAGE_VERSION });
  });
  it('without a baseline: error exactly for what --fail-on (default unexplained) fails; the rest notes, suppressed with the reason', () => {
    expect(results).toHaveLength(5);
    expect(results.filter((r) => r.level === 'error').map((r) => r.properties.entity)).toEqual(['char', 'struct chars']);
    expect(by(results, 'char').suppressions).toBeUndefined();
    expect(by(results, 'double')).toMatchObject({
      ruleId: 'pahole-float-as-int',
      level: 'note',
      suppressions: [{ kind: 'external', status: 'accepted', justification: 'known divergence: rule pahole-float-as-int of the rules' }],
    });
    expect(by(results, 'var plain_buf')).toMatchObject({ ruleId: 'array', level: 'note', suppressions: [{ kind: 'external', status: 'accepted' }] });
    for (const r of results) expect(r.baselineState).toBeUndefined();
    // --fail-on any: every finding fails, so every result is an error and none is suppressed.
    const any = JSON.parse(renderReport(RUN, 'sarif', { gate: { failOn: 'any' } })).runs[0].results as R[];
    expect(any.map((r) => [r.level, r.suppressions])).toEqual(any.map(() => ['error', undefined]));
  });
  it("a known finding's suppression names its rule and the rules file the rule came from", () => {
    const run = runOf([{ ...FLOATS, findings: [{ ...FLOATS.findings[0], ruleSource: 'ci/project-rules.json' }] }]);
    const r = JSON.parse(renderReport(run, 'sarif')).runs[0].results[0];
    expect(r.suppressions[0].justification).toBe('known divergence: rule pahole-float-as-int of ci/project-rules.json');
  });
  it('every rule has help text and a helpUri: the reference when a URL, else its docs/RULES.md entry in this version', () => {
    for (const rule of rules) {
      expect(rule.help.text, rule.id).toMatch(/\S/);
      expect(rule.helpUri, rule.id).toMatch(/^https:\/\//);
    }
    expect(rules.find((r) => r.id === 'pahole-vars-percpu-only')!.helpUri).toBe('https://lkml.iu.edu/hypermail/linux/kernel/2412.0/09487.html');
    expect(rules.find((r) => r.id === 'pahole-float-as-int')!.helpUri).toBe(
      `https://unpkg.com/btfparity@${PACKAGE_VERSION}/docs/RULES.md#rule-pahole-float-as-int`,
    );
    expect(rules.find((r) => r.id === 'encoding')!.helpUri).toBe(ruleDocsUri('category-encoding'));
    expect(rules.find((r) => r.id === 'pahole-float-as-int')!.help.text).toBe('pahole encodes floats as INT unless --btf_gen_floats.');
    for (const r of results) expect(rules[r.ruleIndex].id).toBe(r.ruleId);
  });
  it('every result has a start line: the declaration, else the first declaration that uses it, else line 1 with a note', () => {
    // 05-floats.c: `double f64;` is line 15 (grep -n 'double f64' corpus/probes/05-floats.c).
    const f64 = by(results, 'var f64');
    expect(f64.locations[0].physicalLocation).toEqual({ artifactLocation: { uri: 'corpus/probes/05-floats.c' }, region: { startLine: 15 } });
    expect(f64.locations[0].message).toBeUndefined();
    // 02-char-signedness.c: `struct chars {` at line 22; `char plain_buf[8];` at line 15.
    expect(by(results, 'struct chars').locations[0].physicalLocation.region).toEqual({ startLine: 22 });
    expect(by(results, 'var plain_buf').locations[0].physicalLocation.region).toEqual({ startLine: 15 });
    // A base type has no declaration: `double` is used by struct floats (line 18) and func pick (line 26): the first.
    const dbl = by(results, 'double').locations[0];
    expect(dbl.physicalLocation.region).toEqual({ startLine: 18 });
    expect(dbl.message.text).toBe('double has no declaration in the source: the first declaration that uses it (struct floats)');
    expect(dbl.logicalLocations[0].fullyQualifiedName).toBe('double');
    // `char` has no `affected` in the fixture: line 1 of the unit, saying so.
    const ch = by(results, 'char').locations[0];
    expect(ch.physicalLocation.region).toEqual({ startLine: 1 });
    expect(ch.message.text).toBe('char has no declaration in the source and no located user: line 1 of the unit');
  });
  it("a DATASEC is located at the first of its variables the source declares (from the section's bpftool records)", () => {
    const datasec = {
      entity: 'datasec .bss',
      path: '',
      category: 'only-right' as const,
      left: 'absent',
      right: "DATASEC '.bss' size=0 vlen=2",
      rightId: 9,
      status: 'known' as const,
      reason: 'pahole-vars-percpu-only',
    };
    // The records as bpftool prints them: f80 (line 16) before f32 (line 14) in the section; the first line wins.
    const records = "[9] DATASEC '.bss' size=0 vlen=2\n\ttype_id=7 offset=0 size=16 (VAR 'f80')\n\ttype_id=5 offset=16 size=4 (VAR 'f32')";
    const run = runOf([{ ...FLOATS, findings: [datasec], types: { left: {}, right: { 'datasec .bss': records } } }]);
    const r = JSON.parse(renderReport(run, 'sarif', { sources: SOURCES })).runs[0].results[0];
    expect(r.locations[0].physicalLocation.region).toEqual({ startLine: 14 });
    expect(r.locations[0].message.text).toBe('datasec .bss has no declaration in the source: the first declaration that uses it (var f32)');
  });
  it('without source text (merge, diff of objects) every result is at line 1, with a note', () => {
    const r = JSON.parse(renderReport(RUN, 'sarif')).runs[0].results as R[];
    for (const x of r) expect(x.locations[0].physicalLocation.region).toEqual({ startLine: 1 });
    expect(by(r, 'var f64').locations[0].message.text).toBe("the unit's source text is not at hand: line 1 of the unit stands for var f64");
  });
  it('encodes unit paths as URI references; an absolute path as a file: URI', () => {
    expect(by(results, 'char').locations[0].physicalLocation.artifactLocation.uri).toBe('corpus/probes/02%20char%20%26%20%3Csignedness%3E.c');
    const abs = runOf([{ ...CLEAN, source: '/tmp/a b.o', findings: [CHARS.findings[0]] }]);
    expect(JSON.parse(renderReport(abs, 'sarif')).runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri).toBe('file:///tmp/a%20b.o');
  });
  it('stable fingerprints: the baseline key', () => {
    expect(by(results, 'double').partialFingerprints['btfparityKey/v1']).toBe(
      "corpus/probes/05-floats.c | double |  | kind | INT 'double' size=8 (none) | FLOAT 'double' size=8",
    );
  });
  it('reports the failed unit as an error notification', () => {
    const inv = log.runs[0].invocations[0];
    expect(inv.executionSuccessful).toBe(false);
    expect(inv.toolExecutionNotifications[0].message.text).toBe("src/broken.c: gcc -g -c: src/broken.c:3:1: error: expected ';' before '}' token");
  });
  it('fixture lines checked against the real files', () => {
    const lines = readFileSync('corpus/probes/05-floats.c', 'utf8').split('\n');
    expect(lines[14]).toBe('double f64;');
    expect(lines[13]).toBe('float f32;');
    expect(lines[17]).toBe('struct floats {');
    expect(lines[25]).toMatch(/^double pick\(/);
    const c = readFileSync('corpus/probes/02-char-signedness.c', 'utf8').split('\n');
    expect(c[21]).toBe('struct chars {');
    expect(c[14]).toBe('char plain_buf[8];');
    expect(FLOATS.source in SOURCES && CHARS.source in SOURCES).toBe(true);
  });
});

describe('sarif with a baseline', () => {
  it('baselineState on every result: new, unchanged, updated, and absent for the entry that no longer occurs', () => {
    const state = Object.fromEntries(blResults.map((r) => [r.properties.entity, r.baselineState]));
    expect(state).toEqual({ double: 'new', 'var f64': 'new', char: 'unchanged', 'struct chars': 'updated', 'var plain_buf': 'new', float: 'absent' });
    expect(blResults).toHaveLength(6);
  });
  it('error exactly for the new and changed findings that fail under --fail-on; accepted ones suppressed, naming the baseline', () => {
    // --fail-on any (the default with a baseline): every new or changed finding fails, whatever its status.
    expect(blResults.filter((r) => r.level === 'error').map((r) => r.properties.entity)).toEqual(['double', 'var f64', 'struct chars', 'var plain_buf']);
    expect(by(blResults, 'char')).toMatchObject({
      level: 'warning',
      suppressions: [{ kind: 'external', status: 'accepted', justification: 'accepted by baseline ci/btf-baseline.json (recorded as unexplained)' }],
    });
    // struct chars: recorded known (rule some-rule), unexplained now: changed, and what changed is listed.
    expect(by(blResults, 'struct chars').suppressions).toBeUndefined();
    expect(by(blResults, 'struct chars').properties.baselineChanges).toEqual([
      { field: 'status', before: 'known', after: 'unexplained' },
      { field: 'reason', before: 'some-rule' },
    ]);
    const absent = by(blResults, 'float');
    expect(absent).toMatchObject({ level: 'note', ruleId: 'kind', suppressions: [{ kind: 'external', status: 'accepted' }] });
    expect(absent.locations[0].physicalLocation.region.startLine).toBeGreaterThanOrEqual(1);
    // --fail-on unexplained: no new finding is unexplained; struct chars changed to unexplained is the one error.
    const un = JSON.parse(withBaseline('unexplained')).runs[0].results as R[];
    expect(un.filter((r) => r.level === 'error').map((r) => r.properties.entity)).toEqual(['struct chars']);
    expect(by(un, 'double').suppressions[0].justification).toBe('known divergence: rule pahole-float-as-int of the rules');
    // --fail-on known: the new known ones (double, var f64) fail, the new equivalent one does not.
    const kn = JSON.parse(withBaseline('known')).runs[0].results as R[];
    expect(kn.filter((r) => r.level === 'error').map((r) => r.properties.entity)).toEqual(['double', 'var f64', 'struct chars']);
  });
});

// A unit path that is not UTF-8 holds each bad byte as U+DC00+byte
// (artifact/name-bytes.ts); encodeURIComponent threw URIError on it, exit 70.
describe('sarif of a unit whose path is not UTF-8', () => {
  it('percent-encodes the raw byte, as the file is named, and still validates', () => {
    expect(pathToUriReference('dir/a\udcffb.c')).toBe('dir/a%FFb.c');
    expect(pathToUriReference('/src/\udcc3\udca9t\u00e9.c')).toBe('file:///src/%C3%A9t%C3%A9.c');
    expect(pathToUriReference('x\ud800y')).toBe('x%EF%BF%BDy');
    const bad = runOf([{ ...FLOATS, source: 'corpus/probes/05-floats-\udcff.c' }]);
    const parsed = JSON.parse(renderReport(bad, 'sarif', {}));
    expect(parsed.runs[0].artifacts[0].location.uri).toBe('corpus/probes/05-floats-%FF.c');
    const validate = sarifValidator();
    expect(validate(parsed), JSON.stringify(validate.errors, null, 1)).toBe(true);
  });
});
