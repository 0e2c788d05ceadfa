/**
 * The report's only stylesheet, inlined into the page. Light theme for screen; print rules for A4:
 * every major section starts on a new page and no figure or table row is split across pages.
 */
export const REPORT_CSS = `
:root { color-scheme: light; --ink: #1d232b; --muted: #5b6570; --line: #d9dee3; --bg: #ffffff; --soft: #f5f7f9;
  --pass: #1f7a3a; --warn: #a15c00; --fail: #b00020; --na: #5b6570; --critical: #7a0016; }
* { box-sizing: border-box; }
html { background: var(--bg); }
body { margin: 0 auto; max-width: 1180px; padding: 24px 32px 48px; color: var(--ink); background: var(--bg);
  font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
h1 { font-size: 24px; margin: 0 0 4px; }
h2 { font-size: 19px; margin: 28px 0 10px; padding-bottom: 4px; border-bottom: 2px solid var(--line); }
h3 { font-size: 15px; margin: 16px 0 6px; }
p { margin: 6px 0; }
code, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 0.92em; overflow-wrap: anywhere; }
.muted { color: var(--muted); }
.subtitle { color: var(--muted); margin-bottom: 16px; overflow-wrap: anywhere; }
.summary { display: grid; grid-template-columns: repeat(auto-fit, minmax(200px, 1fr)); gap: 12px; margin: 12px 0 8px; }
.card { border: 1px solid var(--line); border-radius: 8px; padding: 10px 14px; background: var(--soft); }
.card .k { color: var(--muted); font-size: 12px; text-transform: uppercase; letter-spacing: .04em; }
.card .v { font-size: 20px; font-weight: 600; overflow-wrap: anywhere; }
.risk-low { color: var(--pass); } .risk-moderate { color: var(--warn); } .risk-high { color: var(--fail); } .risk-critical { color: var(--critical); }
table { border-collapse: collapse; width: 100%; margin: 6px 0 12px; font-size: 13px; }
th, td { border-bottom: 1px solid var(--line); padding: 6px 8px; text-align: left; vertical-align: top; overflow-wrap: break-word; }
table.findings { table-layout: fixed; }
table.findings col.c-sev { width: 9%; } table.findings col.c-st { width: 10%; } table.findings col.c-check { width: 13%; }
table.findings col.c-reason { width: 26%; } table.findings col.c-ev { width: 23%; } table.findings col.c-sig { width: 11%; } table.findings col.c-tr { width: 8%; }
table.findings .badge { white-space: normal; text-align: center; }
th { background: var(--soft); font-weight: 600; }
tr { break-inside: avoid; page-break-inside: avoid; }
td.num, th.num { text-align: right; white-space: nowrap; }
.badge { display: inline-block; padding: 1px 7px; border-radius: 10px; font-size: 12px; font-weight: 600; white-space: nowrap; border: 1px solid currentColor; }
.st-pass { color: var(--pass); } .st-warn { color: var(--warn); } .st-fail { color: var(--fail); }
.st-not_applicable, .st-insufficient_data { color: var(--na); }
.sev-critical { color: var(--critical); } .sev-high { color: var(--fail); } .sev-medium { color: var(--warn); } .sev-low { color: #6a5d00; } .sev-none { color: var(--na); }
tr.row-fail td:first-child { box-shadow: inset 4px 0 0 var(--fail); }
tr.row-warn td:first-child { box-shadow: inset 4px 0 0 #f5a623; }
ul.kv { list-style: none; margin: 0; padding: 0; }
ul.kv li { margin: 1px 0; }
.bar { height: 10px; background: #d0021b; border-radius: 2px; display: inline-block; vertical-align: middle; }
figure { margin: 8px 0 18px; break-inside: avoid; page-break-inside: avoid; }
figcaption { font-weight: 600; margin-bottom: 2px; }
figcaption .muted { font-weight: 400; }
svg.plot { display: block; max-width: 100%; height: auto; }
.missing { border: 1px dashed var(--line); border-radius: 6px; padding: 10px 14px; color: var(--muted); background: var(--soft); break-inside: avoid; }
.missing strong { color: var(--ink); }
.note { font-size: 0.9em; color: var(--muted); }
nav.toc { columns: 3; font-size: 13px; margin: 8px 0 0; }
nav.toc a { color: #0b5cad; text-decoration: none; }
a { color: #0b5cad; }
footer { margin-top: 32px; font-size: 12px; color: var(--muted); border-top: 1px solid var(--line); padding-top: 8px; }
@page { size: A4; margin: 12mm 11mm; }
@media print {
  body { max-width: none; padding: 0; font-size: 11.5px; }
  h2 { break-after: avoid; page-break-after: avoid; margin-top: 0; }
  h3, figcaption { break-after: avoid; page-break-after: avoid; }
  section.major { break-before: page; page-break-before: always; }
  nav.toc { display: none; }
  .card { background: none; }
  a { color: inherit; text-decoration: none; }
  table { font-size: 10.5px; }
  thead { display: table-header-group; }
}
`;
