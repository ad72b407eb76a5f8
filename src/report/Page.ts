/**
 * Page: the frame every HTML report shares — a self-contained document (inline style, inline SVG,
 * no script, no network load; a Content-Security-Policy that forbids both) that opens from disk.
 */
import { html, type Markup, raw } from "./Html.js"

const style = `
:root { color-scheme: light; --ok: #1a7f37; --bad: #cf222e; --muted: #57606a; --line: #d0d7de; }
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 0 auto; padding: 24px; max-width: 1040px; color: #1f2328; }
h1 { font-size: 22px; margin: 0 0 4px; } h2 { font-size: 17px; margin: 28px 0 8px; border-bottom: 1px solid var(--line); padding-bottom: 4px; }
.verdict { display: inline-block; padding: 2px 10px; border-radius: 4px; color: #fff; font-weight: 600; margin-right: 8px; }
.verdict.pass { background: var(--ok); } .verdict.fail { background: var(--bad); }
.muted { color: var(--muted); } code, pre { font: 12.5px/1.4 ui-monospace, SFMono-Regular, Menlo, monospace; }
pre { background: #f6f8fa; padding: 10px 12px; border-radius: 6px; overflow-x: auto; white-space: pre-wrap; word-break: break-all; }
table { border-collapse: collapse; width: 100%; margin: 4px 0 8px; }
th, td { border-bottom: 1px solid var(--line); padding: 4px 8px; text-align: left; vertical-align: top; }
th { background: #f6f8fa; font-weight: 600; } th.check { font-size: 11px; font-weight: 500; min-width: 72px; line-height: 1.25; } td.num { text-align: right; font-variant-numeric: tabular-nums; }
td.ok, span.ok { color: var(--ok); font-weight: 600; } td.bad, span.bad { color: var(--bad); font-weight: 600; } td.na { color: var(--muted); }
tr.bad td { background: #fff5f5; }
figure { margin: 12px 0 20px; } figure svg { display: block; width: 100%; height: auto; border: 1px solid var(--line); border-radius: 6px; }
figcaption { color: var(--muted); font-size: 12.5px; margin-top: 4px; }
dl.siege { display: grid; grid-template-columns: max-content max-content max-content max-content; gap: 2px 16px; margin: 0; }
dl.siege dt { color: var(--muted); } dl.siege dd { margin: 0; font-variant-numeric: tabular-nums; }
.note { background: #fff8c5; border: 1px solid #d4a72c; padding: 6px 10px; border-radius: 6px; }
`

/** A whole HTML document. No script; styles inline; the policy forbids any load from outside. */
export const page = (title: string, body: Markup): string =>
  html`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<style>${raw(style)}</style>
</head>
<body>
${body}
</body>
</html>
`.value
