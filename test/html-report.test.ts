/**
 * report.html in a real browser (Debian's headless Chromium): the page is
 * self-contained, shows finding rows and highlighted differing layout
 * cells, and its inline script applies a filter given in the URL hash on
 * load. A screenshot is kept under test-artifacts/ for a human look.
 */
import { execa } from 'execa';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveCheckSettings } from '../src/cli/settings.js';
import { renderTriageHtml } from '../src/triage/report-html.js';
import { runTriage } from '../src/triage/triage.js';
import { TRIAGE } from './fixtures/triage-report.js';

const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = resolve('test-artifacts');

async function chromium(args: string[]): Promise<string> {
  const profile = mkdtempSync(join(tmpdir(), 'chromium-profile-'));
  try {
    const r = await execa(
      CHROMIUM,
      [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        `--user-data-dir=${profile}`,
        ...args,
      ],
      { timeout: 90_000, reject: false },
    );
    return String(r.stdout);
  } finally {
    rmSync(profile, { recursive: true, force: true });
  }
}

describe.skipIf(!existsSync(CHROMIUM))('report.html in headless Chromium', () => {
  it('shows findings, highlights differing cells, and applies a filter from the URL hash', async () => {
    const settings = resolveCheckSettings({}, {}, '/nonexistent-config-dir');
    const source = { display: '21-multidim-array.c', arg: 'corpus/probes/21-multidim-array.c', cwd: process.cwd() };
    const report = await runTriage({ sources: [source], config: settings.config, timeoutSeconds: 60, rules: [], maxReduce: 0, jobs: 1 });
    const html = renderTriageHtml(report);
    // Self-contained: nothing is fetched from anywhere.
    expect(html).not.toMatch(/\b(src|href)\s*=\s*["']?(https?:)?\/\//i);
    expect(html).not.toMatch(/<link\b/i);
    mkdirSync(ARTIFACTS, { recursive: true });
    const file = join(ARTIFACTS, 'triage-report.html');
    writeFileSync(file, html);

    // By default equivalent findings are hidden and nothing else is (issue 12).
    const byDefault = await chromium(['--dump-dom', `file://${file}`]);
    const defaultRows = [...byDefault.matchAll(/<tr class="finding( hidden)?" data-status="([^"]*)"/g)];
    expect(defaultRows.length).toBe(report.entities.flatMap((e) => e.findings).length);
    for (const m of defaultRows) expect(m[1] === ' hidden').toBe(m[2] === 'equivalent');
    // Every status asked for: every finding row is visible; struct matrix's member `m` is double[16] on the
    // pahole side and double[4][4] on the gcc side (pahole 1.24 flattens, see corpus/dump-avenues.sh),
    // so its type cell is highlighted on both sides, while offsets agree (0 and 128) and are not.
    const all = await chromium(['--dump-dom', `file://${file}#status=equivalent,known,unexplained`]);
    const rows = all.match(/<tr class="finding[^"]*"/g) ?? [];
    expect(rows.length).toBe(report.entities.flatMap((e) => e.findings).length);
    expect(all).not.toMatch(/<tr class="finding hidden"/);
    const matrix = all.slice(all.indexOf('data-entity="struct matrix"'));
    expect(matrix).toMatch(/<td class="mono diff">double\[16\]<\/td>/);
    expect(matrix).toMatch(/<td class="mono diff">double\[4\]\[4\]<\/td>/);
    expect(matrix).toMatch(/<td class="mono">m<\/td><td class="mono">0<\/td>/);

    // Filter from the hash: only `array` findings, any status. The script runs on load.
    const filtered = await chromium(['--dump-dom', `file://${file}#status=equivalent,known,unexplained&category=array`]);
    const visible = [...filtered.matchAll(/<tr class="finding( hidden)?" data-status="[^"]*" data-category="([^"]*)"/g)];
    expect(visible.length).toBe(rows.length);
    for (const m of visible) expect(m[1] === undefined).toBe(m[2] === 'array');
    expect(visible.some((m) => m[2] === 'array')).toBe(true);
    expect(visible.some((m) => m[2] !== 'array')).toBe(true);
    // An entity with no array finding (base type double: kind INT vs FLOAT) is hidden as a whole.
    expect(filtered).toMatch(/<section class="entity hidden" data-entity="double">/);
    expect(filtered).toMatch(/<section class="entity" data-entity="struct matrix">/);

    const png = join(ARTIFACTS, 'triage-report.png');
    rmSync(png, { force: true });
    await chromium([`--screenshot=${png}`, '--window-size=1280,1600', `file://${file}#status=equivalent,known,unexplained&category=array`]);
    expect(existsSync(png)).toBe(true);
  }, 240_000);

  it('reproducers obey the filters like the findings (fixture report, test/fixtures/triage-report.ts)', async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    const file = join(ARTIFACTS, 'triage-report-fixture.html');
    writeFileSync(file, renderTriageHtml(TRIAGE));
    const repro = (dom: string) =>
      [...dom.matchAll(/<section class="reproducer( hidden)?" data-status="[^"]*" data-category="([^"]*)">/g)].map((m) => `${m[2]}${m[1] ?? ''}`);
    // Default: the unexplained `char` reproducer shows, the equivalent `var plain_buf` one does not.
    expect(repro(await chromium(['--dump-dom', `file://${file}`]))).toEqual(['encoding', 'array hidden']);
    // Only the array category, every status: the other way round.
    expect(repro(await chromium(['--dump-dom', `file://${file}#status=equivalent,known,unexplained&category=array`]))).toEqual(['encoding hidden', 'array']);
    // Only known findings: neither reproducer's finding is known.
    expect(repro(await chromium(['--dump-dom', `file://${file}#status=known`]))).toEqual(['encoding hidden', 'array hidden']);
  }, 120_000);
});
