/**
 * docs/RULES.md is what SARIF helpUri links point at for rules without a
 * reference URL: it must be the page scripts/rules-doc makes from the
 * shipped rules and the category descriptions (no fact of its own), and
 * hold an anchor for every id a SARIF rule can have.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CATEGORIES } from '../src/findings/finding.js';
import { loadRulesFile } from '../src/findings/rules-file.js';
import { renderRulesDoc } from '../src/report/rules-doc.js';
import { ruleDocsUri } from '../src/report/sarif.js';

const page = readFileSync('docs/RULES.md', 'utf8');
const rules = loadRulesFile();

describe('docs/RULES.md', () => {
  it('is what scripts/rules-doc writes (rerun it after changing the rules)', () => {
    expect(page).toBe(renderRulesDoc(rules));
  });
  it('has the anchor of every category and shipped rule, the fragment ruleDocsUri links to', () => {
    const anchors = new Set([...page.matchAll(/<a id="([^"]+)"><\/a>/g)].map((m) => m[1]));
    const wanted = [...CATEGORIES.map((c) => `category-${c}`), ...rules.map((r) => `rule-${r.id}`)];
    for (const a of wanted) expect(anchors.has(a), a).toBe(true);
    expect(anchors.size).toBe(wanted.length);
    expect(ruleDocsUri('rule-x', '9.9.9')).toBe('https://unpkg.com/btfparity@9.9.9/docs/RULES.md#rule-x');
  });
  it('a rule with a reference shows it', () => {
    const r = rules.find((x) => x.reference !== undefined)!;
    expect(page).toContain(`### ${r.id}\n\n${r.explanation}\n\nReference: ${r.reference}\n`);
  });
});
