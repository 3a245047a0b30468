/**
 * GitHub code scanning's upload requirements for a SARIF file, as a
 * checker that lists every violation. Each rule names where GitHub states
 * it (docs.github.com, read 2026-12):
 *
 * [support]  code-security/code-scanning/integrating-with-code-scanning/sarif-support-for-code-scanning
 *            ("Supported SARIF output file properties": version 2.1.0; tool.driver.name;
 *            result message.text and locations required, the first location's
 *            physicalLocation.artifactLocation.uri — a path relative to the repository root
 *            recommended, so alerts land on files — and region.startLine; ruleId identifies
 *            the rule, reportingDescriptor.id required; partialFingerprints used to track
 *            results across runs)
 * [limits]   code-security/code-scanning/troubleshooting-sarif-uploads/results-exceed-limit
 *            (hard limits: 20 runs per file, 25,000 results per run, 25,000 rules per run,
 *            100 tool extensions per run, 1,000 locations per result, 20 tags per rule)
 * [upload]   code-security/code-scanning/integrating-with-code-scanning/uploading-a-sarif-file-to-github
 *            (a gzip-compressed SARIF file of at most 10 MB)
 */
import { gzipSync } from 'node:zlib';

// biome-ignore lint/suspicious/noExplicitAny: parsed JSON, checked field by field
type Json = any;

export const GITHUB_LIMITS = {
  runsPerFile: 20,
  resultsPerRun: 25_000,
  rulesPerRun: 25_000,
  extensionsPerRun: 100,
  locationsPerResult: 1_000,
  tagsPerRule: 20,
  gzipBytes: 10 * 1024 * 1024,
} as const;

/** Every way `text` (a SARIF file) breaks GitHub's upload rules; [] when it uploads cleanly. */
export function githubSarifProblems(text: string): string[] {
  const problems: string[] = [];
  const bad = (where: string, what: string, source: string) => problems.push(`${where}: ${what} [${source}]`);
  const gz = gzipSync(Buffer.from(text, 'utf8')).length;
  if (gz > GITHUB_LIMITS.gzipBytes) bad('file', `${gz} bytes gzipped, over 10 MB`, 'upload');
  const log: Json = JSON.parse(text);
  if (log.version !== '2.1.0') bad('version', `is ${JSON.stringify(log.version)}, must be "2.1.0"`, 'support');
  if (!Array.isArray(log.runs)) return [...problems, 'runs: missing [support]'];
  if (log.runs.length > GITHUB_LIMITS.runsPerFile) bad('runs', `${log.runs.length} runs`, 'limits');
  for (const [r, run] of (log.runs as Json[]).entries()) checkRun(run, `runs[${r}]`, bad);
  return problems;
}

function checkRun(run: Json, at: string, bad: (where: string, what: string, source: string) => void): void {
  const driver = run?.tool?.driver;
  if (typeof driver?.name !== 'string' || driver.name === '') bad(`${at}.tool.driver.name`, 'missing', 'support');
  const rules: Json[] = driver?.rules ?? [];
  if (rules.length > GITHUB_LIMITS.rulesPerRun) bad(`${at}.tool.driver.rules`, `${rules.length} rules`, 'limits');
  if ((run?.tool?.extensions ?? []).length > GITHUB_LIMITS.extensionsPerRun) bad(`${at}.tool.extensions`, 'too many', 'limits');
  rules.forEach((rule, i) => {
    if (typeof rule?.id !== 'string' || rule.id === '') bad(`${at}.rules[${i}].id`, 'missing', 'support');
    if ((rule?.properties?.tags ?? []).length > GITHUB_LIMITS.tagsPerRule) bad(`${at}.rules[${i}].properties.tags`, 'over 20', 'limits');
  });
  const results: Json[] = run?.results;
  if (!Array.isArray(results)) {
    bad(`${at}.results`, 'missing', 'support');
    return;
  }
  if (results.length > GITHUB_LIMITS.resultsPerRun) bad(`${at}.results`, `${results.length} results`, 'limits');
  for (const [i, res] of results.entries()) checkResult(res, rules, `${at}.results[${i}]`, bad);
}

function checkResult(res: Json, rules: Json[], at: string, bad: (where: string, what: string, source: string) => void): void {
  if (typeof res?.ruleId !== 'string' || res.ruleId === '') bad(`${at}.ruleId`, 'missing', 'support');
  if (res?.ruleIndex !== undefined && rules[res.ruleIndex]?.id !== res.ruleId) bad(`${at}.ruleIndex`, 'names another rule', 'support');
  if (typeof res?.message?.text !== 'string' || res.message.text === '') bad(`${at}.message.text`, 'missing', 'support');
  const fp = res?.partialFingerprints;
  if (typeof fp !== 'object' || fp === null || Object.keys(fp).length === 0 || !Object.values(fp).every((v) => typeof v === 'string' && v !== ''))
    bad(`${at}.partialFingerprints`, 'missing or empty', 'support');
  const locs: Json[] = res?.locations;
  if (!Array.isArray(locs) || locs.length === 0) {
    bad(`${at}.locations`, 'missing: GitHub shows no result without a location', 'support');
    return;
  }
  if (locs.length > GITHUB_LIMITS.locationsPerResult) bad(`${at}.locations`, `${locs.length} locations`, 'limits');
  const phys = locs[0]?.physicalLocation;
  const uri = phys?.artifactLocation?.uri;
  if (typeof uri !== 'string' || uri === '') bad(`${at}.locations[0]...uri`, 'missing', 'support');
  else if (/^[a-z][a-z0-9+.-]*:/i.test(uri) || uri.startsWith('/')) bad(`${at}.locations[0]...uri`, `${uri} is not relative to the repository root`, 'support');
  const line = phys?.region?.startLine;
  if (!Number.isInteger(line) || line < 1)
    bad(`${at}.locations[0].physicalLocation.region.startLine`, `is ${JSON.stringify(line)}, must be an integer >= 1`, 'support');
}
