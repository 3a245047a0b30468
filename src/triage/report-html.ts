/**
 * report.html of `btfparity triage`: one self-contained page (inline CSS
 * and JS, no external URL), one block per entity with its findings and
 * both sides' layouts side by side — offset/size/type per member, cells
 * that differ between the sides highlighted — filterable by status and
 * category. What matters comes first (issue 12): the count of each status
 * at the top, entities with unexplained findings first (then known, then
 * equivalent), equivalent findings hidden until asked for. Every section
 * obeys the filters, the reproducers too (each carries its finding's
 * status and category). The page is right before its script runs (the
 * default filter is in the markup); the filter state also lives in the URL
 * hash (`#status=unexplained&category=array`), so a link opens pre-filtered.
 * Pure: data in, string out; every datum is HTML-escaped.
 */
import type { Status } from '../findings/finding.js';
import { BASE_CSS, escapeHtml } from '../report/html.js';
import { toolRoleLabel } from '../report/markdown.js';
import { verdictSentence } from './dwarf.js';
import type { LayoutRow, SideView } from './layout.js';
import type { TriageEntity, TriageReport, TriageReproducer } from './triage-data.js';

export { escapeHtml };

const CSS = `${BASE_CSS}
.filters{position:sticky;top:0;background:#fff;padding:.5em 0;border-bottom:1px solid #ccc}
.filters label{margin-right:1em}
.entity{border:1px solid #bbb;border-radius:4px;margin:1em 0;padding:.5em 1em}
.sides{display:flex;gap:1.5em;flex-wrap:wrap}.side{flex:1;min-width:320px}
td.diff{background:#ffd5d5;font-weight:bold}
tr.missing td{background:#ffe9c7}
.verdict{background:#eef7ee;padding:2px 6px;margin:.2em 0}
.hidden{display:none}
`;

/** Reads checkboxes, hides finding rows and entity blocks that show nothing, mirrors state in the hash. */
const JS = `
(function(){
  function boxes(name){return Array.prototype.slice.call(document.querySelectorAll('input[name="'+name+'"]'));}
  function fromHash(){
    var h=location.hash.replace(/^#/,'');if(!h)return;
    h.split('&').forEach(function(kv){
      var p=kv.split('=');if(p.length!==2)return;
      var want=decodeURIComponent(p[1]).split(',');
      boxes(p[0]).forEach(function(b){b.checked=want.indexOf(b.value)>=0;});
    });
  }
  function apply(){
    var st=boxes('status').filter(function(b){return b.checked;}).map(function(b){return b.value;});
    var ca=boxes('category').filter(function(b){return b.checked;}).map(function(b){return b.value;});
    var shown=0;
    Array.prototype.forEach.call(document.querySelectorAll('tr.finding'),function(r){
      var ok=st.indexOf(r.getAttribute('data-status'))>=0&&ca.indexOf(r.getAttribute('data-category'))>=0;
      r.classList.toggle('hidden',!ok);if(ok)shown++;
      var v=r.nextElementSibling;if(v&&v.classList.contains('verdict-row'))v.classList.toggle('hidden',!ok);
    });
    Array.prototype.forEach.call(document.querySelectorAll('section.entity'),function(s){
      s.classList.toggle('hidden',s.querySelectorAll('tr.finding:not(.hidden)').length===0);
    });
    Array.prototype.forEach.call(document.querySelectorAll('section.reproducer'),function(s){
      s.classList.toggle('hidden',!(st.indexOf(s.getAttribute('data-status'))>=0&&ca.indexOf(s.getAttribute('data-category'))>=0));
    });
    var c=document.getElementById('shown');if(c)c.textContent=String(shown);
  }
  function save(){
    var parts=['status','category'].map(function(n){return n+'='+encodeURIComponent(boxes(n).filter(function(b){return b.checked;}).map(function(b){return b.value;}).join(','));});
    history.replaceState(null,'','#'+parts.join('&'));
  }
  document.addEventListener('change',function(e){if(e.target&&e.target.matches('.filters input')){apply();save();}});
  fromHash();apply();
})();
`;

/** Most pressing first: the order of statuses on the page and of entities by their worst finding. */
const STATUS_ORDER: readonly Status[] = ['unexplained', 'known', 'equivalent'];
/** Shown until the reader asks: what needs no action stays out of the way. */
const SHOWN_BY_DEFAULT: ReadonlySet<Status> = new Set(['unexplained', 'known']);

function rank(st: Status): number {
  return STATUS_ORDER.indexOf(st);
}

function worst(e: TriageEntity): number {
  return Math.min(...e.findings.map((t) => rank(t.finding.status)));
}

/** The status a reproducer stands for: its target finding's (the worst, if the entity has several of that category). */
function reproducerStatus(r: TriageReport, p: TriageReproducer): Status {
  const matching = r.entities
    .filter((e) => e.unit === p.unit && e.entity === p.target.entity)
    .flatMap((e) => e.findings.map((t) => t.finding))
    .filter((f) => f.category === p.target.category)
    .map((f) => f.status)
    .sort((a, b) => rank(a) - rank(b));
  return matching[0] ?? 'unexplained';
}

export function renderTriageHtml(r: TriageReport): string {
  const findings = r.entities.flatMap((e) => e.findings);
  const categories = [...new Set(findings.map((f) => f.finding.category))].sort();
  const count = (st: Status) => findings.filter((f) => f.finding.status === st).length;
  const s = r.run.summary;
  const parts: string[] = [];
  parts.push('<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">');
  parts.push("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'\">");
  parts.push(`<title>btfparity triage</title><style>${CSS}</style></head><body>`);
  parts.push('<h1>btfparity triage report</h1>');
  const counts = STATUS_ORDER.map((st) => `<strong class="status-${st}" data-count="${st}">${count(st)} ${st}</strong>`).join(', ');
  const shown = findings.filter((f) => SHOWN_BY_DEFAULT.has(f.finding.status)).length;
  parts.push(`<p class="counts">${counts}</p>`);
  parts.push(`<p>${s.units} unit(s), ${s.failedUnits} failed; ${s.findings} finding(s); showing <span id="shown">${shown}</span>.</p>`);
  parts.push('<ul>');
  for (const t of r.run.toolchain)
    parts.push(`<li>${esc(toolRoleLabel(t))}: <code>${esc(t.path ?? t.command)}</code> — ${esc(t.version ?? 'version unknown')}</li>`);
  for (const rec of r.run.recipes) parts.push(`<li>${esc(rec.side)}: <code>${esc(rec.name)}</code> — ${esc(rec.description)}</li>`);
  parts.push('</ul>');
  parts.push('<div class="filters"><strong>Status:</strong> ');
  for (const st of STATUS_ORDER) {
    parts.push(`<label><input type="checkbox" name="status" value="${st}"${SHOWN_BY_DEFAULT.has(st) ? ' checked' : ''}> ${st} (${count(st)})</label>`);
  }
  parts.push('<br><strong>Category:</strong> ');
  for (const c of categories) parts.push(`<label><input type="checkbox" name="category" value="${esc(c)}" checked> ${esc(c)}</label>`);
  parts.push('</div>');
  if (r.reproducers.length > 0) {
    parts.push('<h2>Reproducers</h2>');
    const repros = r.reproducers.map((p) => ({ p, st: reproducerStatus(r, p) })).sort((a, b) => rank(a.st) - rank(b.st));
    for (const { p, st } of repros) {
      const hidden = SHOWN_BY_DEFAULT.has(st) ? '' : ' hidden';
      parts.push(`<section class="reproducer${hidden}" data-status="${st}" data-category="${esc(p.target.category)}">`);
      parts.push(
        `<h3>${esc(p.target.category)} <code>${esc(p.target.entity)}</code> — <code>${esc(p.file)}</code> <small class="status-${st}">${st}</small></h3>`,
      );
      parts.push(`<p>${p.stats.originalLines} → ${p.stats.finalLines} lines, ${p.stats.toolchainRuns} candidate checks.</p>`);
      parts.push(`<pre>${esc(p.text)}</pre><pre>${esc(p.commands.join('\n'))}</pre></section>`);
    }
  }
  parts.push('<h2>Findings by entity</h2>');
  // Stable sort: the run's order within a rank.
  const entities = r.entities.map((e, i) => ({ e, i })).sort((a, b) => worst(a.e) - worst(b.e) || a.i - b.i);
  for (const { e } of entities) parts.push(entityBlock(e));
  parts.push(`<script>${JS}</script></body></html>`);
  return `${parts.join('\n')}\n`;
}

function esc(s: string): string {
  return escapeHtml(s);
}

function entityBlock(e: TriageEntity): string {
  const ordered = [...e.findings].map((t, i) => ({ t, i })).sort((a, b) => rank(a.t.finding.status) - rank(b.t.finding.status) || a.i - b.i);
  const rows = ordered
    .map(({ t }) => {
      const hidden = SHOWN_BY_DEFAULT.has(t.finding.status) ? '' : ' hidden';
      return (
        `<tr class="finding${hidden}" data-status="${esc(t.finding.status)}" data-category="${esc(t.finding.category)}">` +
        `<td class="status-${esc(t.finding.status)}">${esc(t.finding.status)}</td><td>${esc(t.finding.category)}</td><td class="mono">${esc(t.finding.path)}</td>` +
        `<td class="mono">${esc(t.finding.left)}</td><td class="mono">${esc(t.finding.right)}</td><td>${esc(t.finding.reason ?? '')}</td></tr>` +
        (t.dwarf ? `<tr class="verdict-row${hidden}"><td colspan="6" class="verdict">${esc(verdictSentence(t.dwarf))}</td></tr>` : '')
      );
    })
    .join('\n');
  const sectionHidden = e.findings.some((t) => SHOWN_BY_DEFAULT.has(t.finding.status)) ? '' : ' hidden';
  const [lt, rt] = layoutTables(e.left, e.right);
  return [
    `<section class="entity${sectionHidden}" data-entity="${esc(e.entity)}"><h3><code>${esc(e.entity)}</code> <small>${esc(e.unit)}</small></h3>`,
    `<table class="findings"><tr><th>status</th><th>category</th><th>path</th><th>left</th><th>right</th><th>reason</th></tr>\n${rows}</table>`,
    '<div class="sides">',
    `<div class="side left"><h4>left</h4>${lt}</div>`,
    `<div class="side right"><h4>right</h4>${rt}</div>`,
    '</div></section>',
  ].join('\n');
}

/** Both layout tables; a cell is marked `diff` when the same-named row on the other side has another value there. */
function layoutTables(left: SideView | undefined, right: SideView | undefined): [string, string] {
  const index = (v: SideView | undefined): Map<string, LayoutRow> => new Map((v?.rows ?? []).map((row) => [row.name, row]));
  const li = index(left);
  const ri = index(right);
  return [table(left, ri), table(right, li)];
}

function table(v: SideView | undefined, other: Map<string, LayoutRow>): string {
  if (!v) return '<p><em>absent</em></p>';
  const records = `<pre>${esc(v.records)}</pre>`;
  if (!v.rows) return records;
  const cols: (keyof LayoutRow)[] = ['name', 'offset', 'size', 'type'];
  const body = v.rows
    .map((row) => {
      const o = other.get(row.name);
      const cells = cols.map((c) => `<td class="mono${o && o[c] !== row[c] ? ' diff' : ''}">${esc(row[c])}</td>`).join('');
      return `<tr${o ? '' : ' class="missing"'}>${cells}</tr>`;
    })
    .join('\n');
  return `<p>${esc(v.title ?? '')}</p><table class="layout"><tr><th>member</th><th>offset</th><th>size / value</th><th>type</th></tr>\n${body}</table>${records}`;
}
