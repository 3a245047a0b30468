/**
 * `check --format sarif` end to end: results point at the declaration's
 * line in the unit's source. Expected lines are read off the probe file
 * (enum errcode is declared on line 10 of 07-enum-negative.c, neg_var on 15).
 */
import { join } from 'node:path';
import { beforeAll, expect, test } from 'vitest';
import { ensureBuilt, PROBES, runCli } from './helpers/cli.js';
import { githubSarifProblems } from './helpers/github-sarif.js';

beforeAll(ensureBuilt);

interface SarifResult {
  ruleId: string;
  message: { text: string };
  locations: { physicalLocation: { artifactLocation: { uri: string }; region?: { startLine: number } } }[];
}

test('sarif results carry the source file and the declaration line', () => {
  const src = join(PROBES, '07-enum-negative.c');
  const r = runCli(['check', '-q', '--format', 'sarif', src]);
  // Only known divergences in this probe: without a baseline they do not fail the run (issue 12).
  expect(r.status).toBe(0);
  const results = JSON.parse(r.stdout).runs[0].results as SarifResult[];
  const lineOf = (needle: string) => results.find((x) => x.message.text.includes(needle))?.locations[0].physicalLocation;
  // The unit is named relative to the repository the run started in (runCli's cwd), whatever path was typed.
  expect(lineOf('enum errcode')).toEqual({ artifactLocation: { uri: 'corpus/probes/07-enum-negative.c' }, region: { startLine: 10 } });
  expect(lineOf('var neg_var')?.region).toEqual({ startLine: 15 });
  // Every result has a line (issue 12: 8 of 18 had none), and the file passes GitHub's upload rules.
  for (const x of results) expect(x.locations[0].physicalLocation.region?.startLine).toBeGreaterThanOrEqual(1);
  expect(githubSarifProblems(r.stdout)).toEqual([]);
});
