/**
 * RunPage: a run's index.html — the verdict; the checks (invariants and thresholds) and what each
 * shows; siege's summary; the charts on one time axis with the fault windows shaded; the fault
 * schedule; for a failure, the offending orders with their timelines; the replay command and the
 * trace hash. Every string from the run goes through `html`, which escapes it.
 */
import { type Chart, runCharts } from "./Charts.js"
import { html, type Markup, raw } from "./Html.js"
import { page } from "./Page.js"
import type { CheckResult, RunReport } from "./ReportModel.js"

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`

export const verdictText = (r: RunReport["run"]): string =>
  r.ok ? "PASS" : `FAIL${r.failureClass && r.failureClass !== "pass" ? ` (${r.failureClass})` : ""}`

const verdict = (r: RunReport["run"]) => html`<span class="verdict ${r.ok ? "pass" : "fail"}">${verdictText(r)}</span>`

const header = (report: RunReport) => {
  const { run, scenario } = report
  const reproducible = run.reproducible ?? run.mode === "sim"
  return html`<header>
<h1>${verdict(run)}${scenario.name}</h1>
<p>${scenario.description}</p>
<p class="muted">mode ${run.mode} · seed ${run.seed}${run.mutants.length > 0 ? html` · mutants ${run.mutants.join(", ")}` : ""}${
    scenario.seedSection ? html` · seed section: ${scenario.seedSection}` : ""
  } · ${seconds(run.simulatedMs)} ${run.mode === "sim" ? "simulated" : "of real time"} in ${seconds(run.wallMs)} wall</p>
${reproducible ? "" : html`<p class="note">A live run: not byte-reproducible. The same seed drives the same workload, but real time and real processes decide the interleaving, so the trace hash differs between runs.</p>`}
</header>`
}

const checkRow = (c: CheckResult) =>
  html`<tr class="${c.ok ? "" : "bad"}"><td class="${c.ok ? "ok" : "bad"}">${c.ok ? "✓ pass" : "✗ fail"}</td><td>${c.kind}</td><td>${c.name}</td><td>${c.detail}</td></tr>`

const checks = (report: RunReport) => {
  const broken = report.run.invariants.filter((c) => !c.ok).length
  return html`<section id="checks">
<h2>Checks</h2>
<p>${report.run.invariants.length - broken} of ${report.run.invariants.length} hold. Safety invariants must hold whatever the faults; liveness ones after the faults heal; behaviour thresholds are the scenario's own.</p>
<table><thead><tr><th>verdict</th><th>kind</th><th>check</th><th>what it shows</th></tr></thead>
<tbody>${report.run.invariants.map(checkRow)}</tbody></table>
</section>`
}

const siege = (report: RunReport) => {
  const s = report.siege
  const figure = (label: string, value: string) => html`<dt>${label}</dt><dd>${value}</dd>`
  return html`<section id="siege">
<h2>Siege summary (POST /orders)</h2>
<dl class="siege">
${figure("Transactions", `${s.transactions} hits`)}${figure("Availability", `${s.availability.toFixed(2)} %`)}
${figure("Elapsed time", `${s.elapsedSeconds.toFixed(2)} secs`)}${figure("Response time", `${s.responseSeconds.toFixed(3)} secs`)}
${figure("Transaction rate", `${s.transactionRate.toFixed(2)} trans/sec`)}${figure("Concurrency", s.concurrency.toFixed(2))}
${figure("Successful transactions", String(s.successful))}${figure("Failed transactions", String(s.failed))}
${figure("Longest transaction", s.longestSeconds.toFixed(3))}${figure("Shortest transaction", s.shortestSeconds.toFixed(3))}
</dl>
</section>`
}

const chartFigure = (c: Chart) =>
  html`<figure class="chart" id="chart-${c.id}" data-chart="${c.id}">${raw(c.svg)}<figcaption>${c.caption}</figcaption></figure>`

const charts = (report: RunReport, rendered: ReadonlyArray<Chart>) => {
  const s = report.series
  return html`<section id="charts">
<h2>Over time</h2>
<p class="muted">One time axis for every chart (seconds of the run); ${
    s.faultWindows.length === 0 ? "no fault was injected in this run." : html`each fault window is shaded orange and labelled.`
  }</p>
${rendered.map(chartFigure)}
${s.backlog ? "" : html`<p class="note">No backlog chart: this run was not sampled (live runs are not, nor simulated runs with --shuffle, whose interleaving the sampler would change).</p>`}
</section>`
}

const faults = (report: RunReport) => {
  const { scenario, series } = report
  if (scenario.faults.length === 0 && series.faultWindows.length === 0 && series.skippedFaults.length === 0) {
    return html`<section id="faults"><h2>Faults</h2><p>None: the scenario injects no fault.</p></section>`
  }
  return html`<section id="faults">
<h2>${report.run.ok ? "Fault schedule" : "Fault schedule (the minimal schedule that breaks the run)"}</h2>
<table><thead><tr><th>at</th><th>for</th><th>fault</th></tr></thead><tbody>
${scenario.faults.map((f) => html`<tr><td class="num">${seconds(f.atMillis)}</td><td class="num">${seconds(f.durationMillis)}</td><td>${f.description}</td></tr>`)}
</tbody></table>
<p class="muted">As it happened:</p>
<table><thead><tr><th>from</th><th>to</th><th>fault</th></tr></thead><tbody>
${series.faultWindows.map((w) => html`<tr><td class="num">${seconds(w.startMs)}</td><td class="num">${seconds(w.endMs)}</td><td>${w.label}</td></tr>`)}
${series.skippedFaults.map((f) => html`<tr><td class="num">${seconds(f.t)}</td><td>—</td><td>${f.label}: skipped, no target</td></tr>`)}
</tbody></table>
</section>`
}

const offenders = (report: RunReport) => {
  if (report.offenders.length === 0) return html``
  return html`<section id="offenders">
<h2>Offending orders</h2>
${report.offenders.map((o) => html`<h3>Order ${o.orderId} <span class="muted">(${o.checks.join("; ")})</span></h3>
<table><thead><tr><th>t</th><th>what happened</th></tr></thead><tbody>
${o.timeline.map((e) => html`<tr><td class="num">${e.t} ms</td><td>${e.what}</td></tr>`)}
</tbody></table>`)}
</section>`
}

const reproduce = (report: RunReport) =>
  html`<section id="reproduce">
<h2>Reproduce</h2>
<pre>${report.replay}</pre>
<p>Trace hash <code>${report.run.traceHash || "(none: the run did not complete)"}</code>${
    report.run.reproducible === false ? " (a live run: not byte-reproducible)" : " — the same command and code give the same hash, byte for byte."
  }</p>
<p class="muted">Files: <a href="summary.md">summary.md</a> · <a href="result.json">result.json</a> · <a href="junit.xml">junit.xml</a></p>
</section>`

/** The page, and how many charts it holds. */
export const runPage = (report: RunReport): { readonly html: string; readonly charts: number } => {
  const rendered = runCharts(report.series)
  const body: Markup = html`${header(report)}
${checks(report)}
${report.run.ok ? "" : html`${offenders(report)}${faults(report)}${reproduce(report)}`}
${siege(report)}
${charts(report, rendered)}
${report.run.ok ? html`${faults(report)}${reproduce(report)}` : ""}`
  return { html: page(`${verdictText(report.run)} ${report.scenario.name} (seed ${report.run.seed})`, body), charts: rendered.length }
}
