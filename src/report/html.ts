/**
 * What btfparity's HTML pages share (the triage report, the matrix): HTML
 * escaping and the base style. Pages are self-contained: inline CSS, no
 * external URL. Pure.
 */

export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** Type, tables and the status colours; each page adds its own rules after it. */
export const BASE_CSS = `
body{font:14px/1.4 system-ui,sans-serif;margin:1.5em;color:#222}
h1{font-size:1.4em}h2{font-size:1.15em;margin-top:1.5em}
code,pre,td.mono{font-family:ui-monospace,monospace;font-size:12.5px}
pre{background:#f6f8fa;padding:.5em;overflow:auto;margin:.3em 0}
table{border-collapse:collapse;margin:.3em 0}
th,td{border:1px solid #ccc;padding:2px 6px;text-align:left;vertical-align:top}
th{background:#eef}
.status-unexplained{color:#b00}.status-known{color:#a60}.status-equivalent{color:#070}
`;
