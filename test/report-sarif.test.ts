/**
 * SARIF 2.1.0 output, validated against the official schema
 * (sarif-2.1.0-rtm.5.json as shipped by the npm package
 * @microsoft/jest-sarif in lib/schemas/). That package is not a declared
 * dependency yet: the schema test is skipped, loudly named, when it is
 * missing; the structural tests always run.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { renderReport } from '../src/report/render.js';
import { CHARS, FLOATS, RUN } from './fixtures/report-run.js';

function schemaPath(): string | undefined {
  try {
    const pkg = createRequire(import.meta.url).resolve('@microsoft/jest-sarif/package.json');
    const p = join(dirname(pkg), 'lib/schemas/sarif-2.1.0-rtm.5.json');
    return existsSync(p) ? p : undefined;
  } catch {
    return undefined;
  }
}

/** The official schema is draft-04 (`id`, `$schema` draft-04); Ajv 8 speaks draft-07, which reads it the same once `id` is `$id`. */
function sarifValidator() {
  const raw = JSON.parse(readFileSync(schemaPath()!, 'utf8'));
  delete raw.$schema;
  raw.$id = raw.id;
  delete raw.id;
  // unicodeRegExp off: the schema's language pattern has a stray `]` that is an error only under the `u` flag.
  const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
  ajv.addFormat('uri', (s: string) => /^[a-z][a-z0-9+.-]*:/i.test(s));
  ajv.addFormat('uri-reference', (s: string) => !/[\s<>"{}|\\^`]/.test(s));
  ajv.addFormat('date-time', (s: string) => !Number.isNaN(Date.parse(s)));
  return ajv.compile(raw);
}

const SOURCES = {
  'corpus/probes/05-floats.c': readFileSync('corpus/probes/05-floats.c', 'utf8'),
  'corpus/probes/02 char & <signedness>.c': readFileSync('corpus/probes/02-char-signedness.c', 'utf8'),
};
const log = JSON.parse(renderReport(RUN, 'sarif', { sources: SOURCES, toolVersion: '0.1.0' }));
// biome-ignore lint/suspicious/noExplicitAny: parsed JSON; the tests assert its shape
const results = log.runs[0].results as Record<string, any>[];

describe.skipIf(!schemaPath())('SARIF schema (@microsoft/jest-sarif lib/schemas/sarif-2.1.0-rtm.5.json)', () => {
  it('the output validates', () => {
    const validate = sarifValidator();
    expect(validate(log), JSON.stringify(validate.errors, null, 1)).toBe(true);
  });
  it('the validator catches a broken log (the test can fail)', () => {
    const validate = sarifValidator();
    const bad = structuredClone(log);
    bad.runs[0].results[0].level = 'fatal';
    expect(validate(bad)).toBe(false);
  });
});

describe('sarif content', () => {
  it('is SARIF 2.1.0 from driver btfparity', () => {
    expect(log.version).toBe('2.1.0');
    expect(log.runs[0].tool.driver).toMatchObject({ name: 'btfparity', version: '0.1.0' });
  });
  it('one result per finding; levels by status; ruleId is the rule id or the category', () => {
    expect(results).toHaveLength(5);
    const by = (entity: string) => results.find((r) => r.properties.entity === entity)!;
    expect(by('double')).toMatchObject({ ruleId: 'pahole-float-as-int', level: 'warning' });
    expect(by('char')).toMatchObject({ ruleId: 'encoding', level: 'error' });
    expect(by('var plain_buf')).toMatchObject({ ruleId: 'array', level: 'note' });
    const rules = log.runs[0].tool.driver.rules as { id: string }[];
    for (const r of results) expect(rules[r.ruleIndex].id).toBe(r.ruleId);
    expect(rules.find((r) => r.id === 'pahole-vars-percpu-only')).toMatchObject({ helpUri: 'https://lkml.iu.edu/hypermail/linux/kernel/2412.0/09487.html' });
  });
  it('points at the declaration line when the source text is given', () => {
    // 05-floats.c: `struct floats {` is not a finding here; `double f64;` is line 15 (grep -n 'double f64' corpus/probes/05-floats.c).
    const f64 = results.find((r) => r.properties.entity === 'var f64')!;
    expect(f64.locations[0].physicalLocation).toEqual({ artifactLocation: { uri: 'corpus/probes/05-floats.c' }, region: { startLine: 15 } });
    // 02-char-signedness.c: `struct chars {` at line 22; `char plain_buf[8];` at line 15.
    expect(results.find((r) => r.properties.entity === 'struct chars')!.locations[0].physicalLocation.region).toEqual({ startLine: 22 });
    expect(results.find((r) => r.properties.entity === 'var plain_buf')!.locations[0].physicalLocation.region).toEqual({ startLine: 15 });
    // A base type has no declaration in the source: no region, but the artifact and a logical location.
    const dbl = results.find((r) => r.properties.entity === 'double')!;
    expect(dbl.locations[0].physicalLocation.region).toBeUndefined();
    expect(dbl.locations[0].logicalLocations[0].fullyQualifiedName).toBe('double');
  });
  it('encodes unit paths as URI references', () => {
    const c = results.find((r) => r.properties.entity === 'char')!;
    expect(c.locations[0].physicalLocation.artifactLocation.uri).toBe('corpus/probes/02%20char%20%26%20%3Csignedness%3E.c');
  });
  it('stable fingerprints: the baseline key', () => {
    const d = results.find((r) => r.properties.entity === 'double')!;
    expect(d.partialFingerprints['btfparityKey/v1']).toBe("corpus/probes/05-floats.c | double |  | kind | INT 'double' size=8 (none) | FLOAT 'double' size=8");
  });
  it('reports the failed unit as an error notification', () => {
    const inv = log.runs[0].invocations[0];
    expect(inv.executionSuccessful).toBe(false);
    expect(inv.toolExecutionNotifications[0].message.text).toBe("src/broken.c: gcc -g -c: src/broken.c:3:1: error: expected ';' before '}' token");
  });
  it('fixture lines checked against the real files', () => {
    const lines = readFileSync('corpus/probes/05-floats.c', 'utf8').split('\n');
    expect(lines[14]).toBe('double f64;');
    const c = readFileSync('corpus/probes/02-char-signedness.c', 'utf8').split('\n');
    expect(c[21]).toBe('struct chars {');
    expect(c[14]).toBe('char plain_buf[8];');
    expect(FLOATS.source in SOURCES && CHARS.source in SOURCES).toBe(true);
  });
});
