/**
 * report.html's markup before any script runs (issue 12): counts per status
 * at the top, unexplained first, equivalent hidden by default (rows,
 * entities and reproducers alike), reproducers filterable like findings.
 * Expected values from the fixture (test/fixtures/triage-report.ts): 2
 * unexplained (char, struct chars), 2 known (double, var f64), 1 equivalent
 * (var plain_buf). The browser run of the same page is test/html-report.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { renderTriageHtml } from '../src/triage/report-html.js';
import { TRIAGE } from './fixtures/triage-report.js';

const html = renderTriageHtml(TRIAGE);

describe('report.html markup', () => {
  it('counts each status at the top, before the filters and the findings', () => {
    const counts = html.indexOf('<p class="counts">');
    expect(html.slice(counts, html.indexOf('</p>', counts))).toBe(
      '<p class="counts"><strong class="status-unexplained" data-count="unexplained">2 unexplained</strong>, ' +
        '<strong class="status-known" data-count="known">2 known</strong>, <strong class="status-equivalent" data-count="equivalent">1 equivalent</strong>',
    );
    expect(counts).toBeLessThan(html.indexOf('class="filters"'));
    expect(html).toContain('showing <span id="shown">4</span>');
  });
  it('lists entities with unexplained findings first, then known, then equivalent', () => {
    const order = [...html.matchAll(/<section class="entity[^"]*" data-entity="([^"]*)"/g)].map((m) => m[1]);
    expect(order).toEqual(['char', 'struct chars', 'double', 'var f64', 'var plain_buf']);
  });
  it('hides equivalent findings by default: box unchecked, row and its only entity hidden', () => {
    expect(html).toContain('<input type="checkbox" name="status" value="equivalent"> equivalent (1)');
    expect(html).toContain('<input type="checkbox" name="status" value="unexplained" checked>');
    expect(html).toMatch(/<section class="entity hidden" data-entity="var plain_buf">/);
    expect(html).toMatch(/<tr class="finding hidden" data-status="equivalent"/);
    expect(html).not.toMatch(/<tr class="finding hidden" data-status="(known|unexplained)"/);
  });
  it("reproducers carry their finding's status and category, unexplained first, equivalent ones hidden", () => {
    const repros = [...html.matchAll(/<section class="reproducer( hidden)?" data-status="([^"]*)" data-category="([^"]*)">/g)].map((m) => [
      m[2],
      m[3],
      m[1] ?? '',
    ]);
    expect(repros).toEqual([
      ['unexplained', 'encoding', ''],
      ['equivalent', 'array', ' hidden'],
    ]);
  });
});
