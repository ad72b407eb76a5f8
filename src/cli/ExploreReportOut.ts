/**
 * ExploreReportOut: the `--out` side of explore — explore.json (the input of `starcoffee replay`), the
 * exploration's page and summary, and for a counterexample its own run report: the shrunk schedule
 * run once more with its history kept, in the main thread (the search's workers keep no history).
 */
import { mkdirSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { withSample } from "../chaos/explore/Explore.js"
import type { ExploreResult } from "../chaos/explore/ExploreResult.js"
import { describeFault } from "../chaos/faults/Fault.js"
import type { Scenario } from "../chaos/Scenario.js"
import type { ExploreSummary } from "../report/ExplorePage.js"
import { writeExploreReport, type Written } from "../report/WriteReports.js"
import { runTimed } from "./RunTimed.js"
import { runReport } from "./ReportOut.js"

/** The exploration as its page tells it. */
export const exploreSummary = (r: ExploreResult, scenario: Scenario): ExploreSummary => ({
  scenario: r.scenario,
  description: scenario.description,
  runs: r.runs,
  simulatedRuns: r.simulatedRuns,
  ok: r.ok,
  seed: r.seed,
  mutants: r.mutants,
  kinds: r.kinds,
  failure: r.failure === null ? null : {
    invariant: r.failure.invariant,
    details: r.failure.details,
    runSeed: r.failure.runSeed,
    path: r.failure.path,
    enabled: r.failure.enabled,
    schedule: r.failure.schedule.map((s) => ({ atMillis: s.atMillis, durationMillis: s.durationMillis, description: describeFault(s.fault) })),
    traceHash: r.failure.traceHash,
    replay: r.failure.replay
  },
  shrinking: r.failure?.shrinking ?? []
})

/** Writes explore.json, the exploration's report and its counterexample's run report into `dir`. */
export interface ExploreWrite {
  readonly written: Written
  /** Wall time spent re-running the counterexample and writing the reports, ms. */
  readonly ms: number
  /** Whether the counterexample's re-run gave the trace hash the search saw; null without one. */
  readonly traceHashMatches: boolean | null
}

export const writeExploreOut = (dir: string, r: ExploreResult, json: unknown, scenario: Scenario): ExploreWrite => {
  mkdirSync(dir, { recursive: true })
  writeFileSync(join(dir, "explore.json"), JSON.stringify(json, null, 2) + "\n")
  const started = performance.now()
  const f = r.failure
  let counterexample
  let traceHashMatches: boolean | null = null
  if (f !== null) {
    const shrunk = withSample(scenario, f.schedule)
    const run = runTimed(shrunk, { seed: f.runSeed, mutants: r.mutants, keepHistory: true, progress: false })
    traceHashMatches = run.traceHash === f.traceHash
    counterexample = runReport(run, shrunk, f.replay)
  }
  const written = writeExploreReport(dir, exploreSummary(r, scenario), counterexample)
  return { written, ms: Math.round(performance.now() - started), traceHashMatches }
}
