/**
 * The junit report validates against the common JUnit schema (Jenkins'
 * junit-10.xsd, vendored in test/fixtures/junit/ with its source), checked
 * by xmllint: without and with a baseline, with a failed unit, with
 * characters XML must escape. A toolchain test: it runs xmllint.
 */
import { describe, expect, it } from 'vitest';
import { renderReport } from '../src/report/render.js';
import { BASELINE, RUN } from './fixtures/report-run.js';
import { junitSchemaProblems } from './helpers/junit-xsd.js';

describe('junit against the Jenkins JUnit schema (xmllint)', () => {
  it('validates without a baseline (failures, passes, a toolchain error, a clean unit)', () => {
    expect(junitSchemaProblems(renderReport(RUN, 'junit'))).toBe('');
  });
  it('validates with a baseline (skipped, failures)', () => {
    const xml = renderReport(RUN, 'junit', { gate: { failOn: 'any', baseline: BASELINE }, baselineName: 'a&b <bl>.json' });
    expect(xml).toContain('<skipped');
    expect(junitSchemaProblems(xml)).toBe('');
  });
  it('the schema refuses what it should (the test can fail): a testcase without a name, a suite without tests', () => {
    const xml = renderReport(RUN, 'junit');
    expect(junitSchemaProblems(xml.replace(/<testcase name="[^"]*"/, '<testcase'))).toMatch(/attribute 'name' is required/);
    expect(junitSchemaProblems(xml.replace(/(<testsuite name="[^"]*") tests="\d+"/, '$1'))).toMatch(/attribute 'tests' is required/);
  });
});
