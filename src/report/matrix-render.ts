/**
 * The matrix (matrix.ts) as markdown, json and a self-contained HTML page.
 * All three say the same per cell (cellText) and name classes the same way
 * (classLabel). Pure: a Matrix in, a string out.
 */
import { assertNever } from '../lang.js';
import { escapeControls as e } from './escape.js';
import type { MatrixFormat } from './formats.js';
import { BASE_CSS, escapeHtml } from './html.js';
import { code, toolRoleLabel } from './markdown.js';
import { classLabel, type Matrix, type MatrixCell, type MatrixPair, type MatrixRow } from './matrix.js';
import type { ToolInfo } from './run-result.js';

export function renderMatrix(m: Matrix, format: MatrixFormat): string {
  switch (format) {
    case 'markdown':
      return matrixMarkdown(m);
    case 'json':
      return `${JSON.stringify(m, null, 2)}\n`;
    case 'html':
      return matrixHtml(m);
    default:
      return assertNever(format);
  }
}

/** `12 / 3` (findings / units; a unit's failure: `fails`), `failed (2)`, `-`; `+2 failed` when the count may be short. */
export function cellText(row: MatrixRow, c: MatrixCell): string {
  switch (c.state) {
    case 'present': {
      // A failure class is one unit's: the cell only says it failed there.
      const n = row.class.kind === 'failure' ? 'fails' : `${c.count} / ${c.units}`;
      return c.failed > 0 ? `${n} +${c.failed} failed` : n;
    }
    case 'failed':
      return `failed (${c.units})`;
    case 'absent':
      return c.failed > 0 ? `- +${c.failed} failed` : '-';
    default:
      return assertNever(c);
  }
}

export const CELL_LEGEND =
  'A cell: findings / units that show the class (a unit failure: `fails`); `-`: absent; `+N failed`: N units that show the class with another pair failed with this one (so the cell may miss them); `failed (N)`: not seen because every such unit (N) failed.';

/** `cc gcc (gcc (Debian 12.2.0-14+deb12u1) 12.2.0)`, `pahole (left) trixie:pahole (v1.30)`. */
function toolText(t: ToolInfo): string {
  return `${toolRoleLabel(t)} ${t.command}${t.version ? ` (${t.version})` : ''}`;
}

function pairCounts(p: MatrixPair): string[] {
  const s = p.summary;
  return [s.units, s.failedUnits, s.byStatus.unexplained ?? 0, s.byStatus.known ?? 0, s.byStatus.equivalent ?? 0].map(String);
}

const PAIR_HEAD = ['pair', 'left', 'right', 'tools', 'units', 'failed', 'unexplained', 'known', 'equivalent'];

function mdCell(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

function mdTable(head: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const line = (cells: readonly string[]): string => `| ${cells.map(mdCell).join(' | ')} |`;
  return [line(head), line(head.map(() => '---')), ...rows.map(line)];
}

function matrixMarkdown(m: Matrix): string {
  const names = m.pairs.map((p) => p.name);
  const lines = ['# btfparity matrix', '', '## Pairs', ''];
  lines.push(
    ...mdTable(
      PAIR_HEAD,
      m.pairs.map((p) => [code(p.name), code(p.recipes.left), code(p.recipes.right), e(p.toolchain.map(toolText).join('; ')), ...pairCounts(p)]),
    ),
  );
  lines.push('', '## Divergence classes', '', CELL_LEGEND, '');
  lines.push(
    ...mdTable(
      ['class', ...names.map(code), 'first', 'last'],
      m.rows.map((r) => [e(classLabel(r.class)), ...r.cells.map((c) => cellText(r, c)), code(r.first), code(r.last)]),
    ),
  );
  return `${lines.join('\n')}\n`;
}

const CSS = `${BASE_CSS}
td.present{background:#ffe9c7}td.failed,td.present.failure{background:#ffd5d5}td.absent{color:#888}
td.count{text-align:right;white-space:nowrap}
`;

function htmlTable(head: readonly string[], rows: readonly string[]): string {
  return `<table><tr>${head.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr>\n${rows.join('\n')}</table>`;
}

function classCell(r: MatrixRow): string {
  const status = r.class.kind === 'finding' ? r.class.status : 'unexplained';
  return `<td class="status-${status}">${escapeHtml(classLabel(r.class))}</td>`;
}

function matrixHtml(m: Matrix): string {
  const td = (s: string, cls = ''): string => `<td${cls ? ` class="${cls}"` : ''}>${escapeHtml(s)}</td>`;
  const pairs = m.pairs.map(
    (p) =>
      `<tr>${td(p.name, 'mono')}${td(p.recipes.left, 'mono')}${td(p.recipes.right, 'mono')}${td(p.toolchain.map(toolText).join('; '))}${pairCounts(p)
        .map((n) => td(n, 'count'))
        .join('')}</tr>`,
  );
  const rows = m.rows.map(
    (r) =>
      `<tr>${classCell(r)}${r.cells.map((c) => td(cellText(r, c), `count ${c.state}${r.class.kind === 'failure' ? ' failure' : ''}`)).join('')}${td(r.first, 'mono')}${td(r.last, 'mono')}</tr>`,
  );
  return [
    '<!DOCTYPE html>',
    '<html lang="en"><head><meta charset="utf-8"><title>btfparity matrix</title>',
    `<style>${CSS}</style></head><body>`,
    '<h1>btfparity matrix</h1>',
    '<h2>Pairs</h2>',
    htmlTable(PAIR_HEAD, pairs),
    '<h2>Divergence classes</h2>',
    `<p>${escapeHtml(CELL_LEGEND.replace(/`/g, ''))}</p>`,
    htmlTable(['class', ...m.pairs.map((p) => p.name), 'first', 'last'], rows),
    '</body></html>',
    '',
  ].join('\n');
}
