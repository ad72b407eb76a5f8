/**
 * ExplorePage: an exploration's page — the search (samples, simulated runs, fault kinds the swarm
 * could enable and those the counterexample enabled), how the failing schedule shrank (each
 * accepted shrink step's fault count), the minimal schedule, the replay command and trace hash,
 * and a link to the counterexample's own run report. Also its Markdown summary.
 */
import { html } from "./Html.js"
import { codeBlock, escapeMarkdown, table } from "./Markdown.js"
import { page } from "./Page.js"
import type { PlannedFault } from "./ReportModel.js"

export interface ShrinkStep {
  /** The simulated run's number in the whole exploration. */
  readonly run: number
  /** Extra faults in the failing sample. */
  readonly faults: number
  readonly broken: string
}

export interface ExploreSummary {
  readonly scenario: string
  readonly description: string
  /** Samples fast-check drew. */
  readonly runs: number
  readonly simulatedRuns: number
  readonly ok: boolean
  readonly seed: number
  readonly mutants: ReadonlyArray<string>
  /** Every fault kind the swarm could enable. */
  readonly kinds: ReadonlyArray<string>
  readonly failure: {
    readonly invariant: string
    readonly details: ReadonlyArray<string>
    readonly runSeed: number
    readonly path: string
    readonly enabled: ReadonlyArray<string>
    readonly schedule: ReadonlyArray<PlannedFault>
    readonly traceHash: string
    readonly replay: string
  } | null
  /** Each failing sample in the order found: the first failure, then every accepted shrink. */
  readonly shrinking: ReadonlyArray<ShrinkStep>
}

/** Where the counterexample's run report lives, relative to the exploration's page. */
export const counterexamplePath = "counterexample/index.html"

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`

export const explorePage = (e: ExploreSummary): string => {
  const f = e.failure
  const body = html`<header>
<h1><span class="verdict ${e.ok ? "pass" : "fail"}">${e.ok ? "NOTHING FOUND" : "COUNTEREXAMPLE"}</span>explore ${e.scenario}</h1>
<p>${e.description}</p>
<p class="muted">fast-check seed ${e.seed} · ${e.runs} samples · ${e.simulatedRuns} simulated runs (exploration and shrinking)${e.mutants.length > 0 ? html` · mutants ${e.mutants.join(", ")}` : ""}</p>
</header>
<h2>The search</h2>
<p>Each sample enables a random subset of these fault kinds (swarm testing) and schedules faults of those kinds on top of the scenario's own: ${e.kinds.join(", ")}.</p>
${f === null ? html`<p>No sample broke a safety or liveness invariant.</p>` : html`
<p>The counterexample enabled: ${f.enabled.join(", ") || "none"}.</p>
<h2>How the schedule shrank</h2>
<table><thead><tr><th>step</th><th>simulated run</th><th>extra faults</th><th>broke</th></tr></thead><tbody>
${e.shrinking.map((s, i) => html`<tr><td class="num">${i === 0 ? "found" : String(i)}</td><td class="num">${s.run}</td><td class="num">${s.faults}</td><td>${s.broken}</td></tr>`)}
</tbody></table>
<h2>Minimal fault schedule (run seed ${f.runSeed})</h2>
<table><thead><tr><th>at</th><th>for</th><th>fault</th></tr></thead><tbody>
${f.schedule.map((s) => html`<tr><td class="num">${seconds(s.atMillis)}</td><td class="num">${seconds(s.durationMillis)}</td><td>${s.description}</td></tr>`)}
</tbody></table>
<h2>What broke</h2>
<ul>${f.details.map((d) => html`<li>${d}</li>`)}</ul>
<p><a href="${counterexamplePath}">The counterexample's run report</a> (charts, offending orders and their timelines).</p>
<h2>Replay</h2>
<pre>${f.replay}</pre>
<p>Trace hash <code>${f.traceHash}</code>; fast-check path <code>${f.path}</code>.</p>`}
<p class="muted">Files: <a href="summary.md">summary.md</a> · <a href="explore.json">explore.json</a> (the input of <code>starcoffee replay</code>)</p>`
  return page(`${e.ok ? "nothing found" : "counterexample"}: explore ${e.scenario}`, body)
}

export const exploreMarkdown = (e: ExploreSummary): string => {
  const f = e.failure
  const head = `## ${e.ok ? "✅ nothing found" : "❌ counterexample"}: explore ${escapeMarkdown(e.scenario)} (${e.runs} samples, ${e.simulatedRuns} simulated runs, fast-check seed ${e.seed})`
  if (f === null) return [head, "", "No sample broke a safety or liveness invariant.", ""].join("\n")
  return [
    head,
    "",
    `Broke: ${escapeMarkdown(f.invariant)}`,
    "",
    table(["at", "for", "fault"], f.schedule.map((s) => [seconds(s.atMillis), seconds(s.durationMillis), s.description])),
    "",
    e.shrinking.length === 0
      ? "Not shrunk."
      : `Shrank in ${e.shrinking.length - 1} steps from ${e.shrinking[0]!.faults} to ${e.shrinking[e.shrinking.length - 1]!.faults} extra faults (shorter and later faults too).`,
    "",
    codeBlock(f.replay),
    ""
  ].join("\n")
}
