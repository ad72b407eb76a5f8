/**
 * SuitePage: a suite's index.html and summary.md — one row per scenario run with its verdict and
 * headline figures, and a matrix of scenarios × checks (each safety and liveness invariant, and the
 * scenario's own behaviour thresholds together), every row linking to the run's own report.
 */
import { html } from "./Html.js"
import { escapeMarkdown, table } from "./Markdown.js"
import { page } from "./Page.js"
import { folderName } from "./ReportPaths.js"
import type { CheckResult, RunReport } from "./ReportModel.js"
import { verdictText } from "./RunPage.js"

export interface SuiteInfo {
  readonly seed: number
  readonly jobs?: number
  /** Wall time of the whole suite, ms. */
  readonly wallMs: number
}

/** The invariant names of every run, in order of first appearance; behaviour thresholds apart. */
const invariantColumns = (reports: ReadonlyArray<RunReport>): ReadonlyArray<string> => {
  const names: Array<string> = []
  for (const r of reports) {
    for (const c of r.run.invariants) if (c.kind !== "behaviour" && !names.includes(c.name)) names.push(c.name)
  }
  return names
}

const thresholds = (r: RunReport): ReadonlyArray<CheckResult> => r.run.invariants.filter((c) => c.kind === "behaviour")

/** Where a run's own report lives, relative to the suite's. */
export const runReportPath = (scenario: string): string => `${folderName(scenario)}/index.html`

const cell = (check: CheckResult | undefined) =>
  check === undefined
    ? html`<td class="na" title="not checked">—</td>`
    : html`<td class="${check.ok ? "ok" : "bad"}" title="${check.detail}">${check.ok ? "✓" : "✗"}</td>`

const row = (r: RunReport, columns: ReadonlyArray<string>) => {
  const own = thresholds(r)
  const missed = own.filter((c) => !c.ok)
  return html`<tr class="${r.run.ok ? "" : "bad"}">
<td><a href="${runReportPath(r.run.scenario)}">${r.run.scenario}</a></td>
<td class="${r.run.ok ? "ok" : "bad"}">${verdictText(r.run)}</td>
${columns.map((name) => cell(r.run.invariants.find((c) => c.name === name)))}
<td class="${missed.length === 0 ? "ok" : "bad"}" title="${own.map((c) => `${c.ok ? "✓" : "✗"} ${c.name}: ${c.detail}`).join("\n")}">${own.length - missed.length}/${own.length}</td>
<td class="num">${r.siege.transactions}</td><td class="num">${r.siege.availability.toFixed(1)} %</td>
<td class="num">${r.run.metrics.p95Ms ?? 0} ms</td><td class="num">${r.run.metrics.breakerOpened ?? 0}</td>
<td class="num">${(r.run.wallMs / 1000).toFixed(1)} s</td>
</tr>`
}

const failures = (reports: ReadonlyArray<RunReport>) => {
  const broken = reports.flatMap((r) => r.run.invariants.filter((c) => !c.ok).map((c) => ({ r, c })))
  if (broken.length === 0) return html`<p>Every check of every scenario holds.</p>`
  return html`<h2>Broken checks</h2><table><thead><tr><th>scenario</th><th>kind</th><th>check</th><th>detail</th><th>replay</th></tr></thead><tbody>
${broken.map(({ c, r }) => html`<tr class="bad"><td><a href="${runReportPath(r.run.scenario)}">${r.run.scenario}</a></td><td>${c.kind}</td><td>${c.name}</td><td>${c.detail}</td><td><code>${r.replay}</code></td></tr>`)}
</tbody></table>`
}

export const suitePage = (reports: ReadonlyArray<RunReport>, info: SuiteInfo): string => {
  const columns = invariantColumns(reports)
  const failed = reports.filter((r) => !r.run.ok).length
  const ok = failed === 0
  const body = html`<header>
<h1><span class="verdict ${ok ? "pass" : "fail"}">${ok ? "PASS" : "FAIL"}</span>starcoffee suite</h1>
<p class="muted">${reports.length} scenarios · seed ${info.seed}${info.jobs ? html` · ${info.jobs} jobs` : ""} · ${reports.length - failed} passed, ${failed} failed · ${(info.wallMs / 1000).toFixed(1)} s wall</p>
</header>
<h2>Scenarios × checks</h2>
<p class="muted">✓ holds, ✗ broken, — not checked; hover a cell for its detail. Behaviour: the scenario's own thresholds held out of all.</p>
<div style="overflow-x:auto"><table id="matrix"><thead><tr><th>scenario</th><th>verdict</th>
${columns.map((name) => html`<th class="check">${name}</th>`)}
<th>behaviour</th><th>orders</th><th>accepted</th><th>p95</th><th>breaker openings</th><th>wall</th></tr></thead>
<tbody>${reports.map((r) => row(r, columns))}</tbody></table></div>
${failures(reports)}
<p class="muted">Files: <a href="summary.md">summary.md</a> · <a href="result.json">result.json</a> · <a href="junit.xml">junit.xml</a>; each scenario's own report in its folder.</p>`
  return page(`${ok ? "PASS" : "FAIL"} starcoffee suite (seed ${info.seed})`, body)
}

export const suiteMarkdown = (reports: ReadonlyArray<RunReport>, info: SuiteInfo): string => {
  const failed = reports.filter((r) => !r.run.ok).length
  const broken = reports.flatMap((r) => r.run.invariants.filter((c) => !c.ok).map((c) => [r.run.scenario, c.kind, c.name, c.detail]))
  return [
    `## ${failed === 0 ? "✅" : "❌"} starcoffee suite: ${reports.length - failed} passed, ${failed} failed (seed ${info.seed})`,
    "",
    table(
      ["scenario", "verdict", "checks", "orders", "accepted", "p95", "breaker openings", "wall"],
      reports.map((r) => [
        r.run.scenario,
        verdictText(r.run),
        `${r.run.invariants.filter((c) => c.ok).length}/${r.run.invariants.length}`,
        String(r.siege.transactions),
        `${r.siege.availability.toFixed(1)} %`,
        `${r.run.metrics.p95Ms ?? 0} ms`,
        String(r.run.metrics.breakerOpened ?? 0),
        `${(r.run.wallMs / 1000).toFixed(1)} s`
      ])
    ),
    "",
    ...(broken.length === 0 ? ["Every check of every scenario holds."] : [table(["scenario", "kind", "check", "detail"], broken)]),
    "",
    `${escapeMarkdown(`Total ${(info.wallMs / 1000).toFixed(1)} s wall. Each scenario's report: <scenario>/index.html.`)}`,
    ""
  ].join("\n")
}
