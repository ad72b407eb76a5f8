/**
 * ReportOut: the `--out` side of run, suite and explore — turns a finished run (its result, history
 * and backlog samples) and its scenario into a report model, writes the report files, and measures
 * how long the writing took (the real clock is read here, in the CLI, never in src/report).
 */
import { writeFileSync } from "node:fs"
import { join } from "node:path"
import { describeFault } from "../chaos/faults/Fault.js"
import type { Scenario } from "../chaos/Scenario.js"
import { buildRunReport, replayCommand } from "../report/BuildRunReport.js"
import type { RunReport, ScenarioInfo } from "../report/ReportModel.js"
import { type Written, writeRunReport } from "../report/WriteReports.js"
import { runJson, type TimedResult } from "./Format.js"

/** The command that reproduces a run: the scenario as the command line named it, its seed, mutants, mode. */
export const replayOf = (result: TimedResult, scenarioRef: string, shuffle: boolean): string =>
  [
    replayCommand(runJson(result), scenarioRef),
    ...(shuffle ? ["--shuffle"] : []),
    ...(result.mode === "live" ? ["--mode live"] : [])
  ].join(" ")

/** What a report says about a scenario: its text and its planned faults. */
export const scenarioInfo = (scenario: Scenario): ScenarioInfo => ({
  name: scenario.name,
  description: scenario.description,
  ...(scenario.seedSection ? { seedSection: scenario.seedSection } : {}),
  faults: (scenario.faults ?? []).map((f) => ({ atMillis: f.atMillis, durationMillis: f.durationMillis, description: describeFault(f.fault) }))
})

/** The report model of a run that kept its history (`keepHistory`). */
export const runReport = (result: TimedResult, scenario: Scenario, replay?: string): RunReport =>
  buildRunReport({
    run: runJson(result),
    scenario: scenarioInfo(scenario),
    history: result.history ?? [],
    ...(result.backlog ? { backlog: result.backlog } : {}),
    ...(replay !== undefined ? { replay } : {})
  })

export interface TimedWrite {
  readonly report: RunReport
  readonly written: Written
  /** Wall time spent building and writing the report, ms. */
  readonly ms: number
}

export interface RunOutOptions {
  /** The command that reproduces the run. Default: `starcoffee run <scenario> --seed N …`. */
  readonly replay?: string
  /** Also write the raw history as history.jsonl. Default: true. */
  readonly history?: boolean
}

/** Builds and writes a run's report into `dir` (and its raw history as history.jsonl). */
export const writeRunOut = (dir: string, result: TimedResult, scenario: Scenario, options: RunOutOptions = {}): TimedWrite => {
  const started = performance.now()
  const report = runReport(result, scenario, options.replay)
  const written = writeRunReport(dir, report)
  if (options.history ?? true) {
    writeFileSync(join(dir, "history.jsonl"), (result.history ?? []).map((e) => JSON.stringify(e)).join("\n") + "\n")
  }
  return { report, written, ms: Math.round(performance.now() - started) }
}

/** One line naming the report, its size and what writing it cost against the run's wall time. */
export const describeWrite = ({ ms, written }: TimedWrite, runWallMs?: number): string => {
  const sizes = Object.entries(written.files).map(([name, bytes]) => `${name} ${bytes} B`).join(", ")
  const share = runWallMs ? ` (${((100 * ms) / runWallMs).toFixed(1)} % of the run's ${runWallMs} ms)` : ""
  return `report: ${join(written.dir, "index.html")}${written.charts !== undefined ? `, ${written.charts} charts` : ""}; ${sizes}; written in ${ms} ms${share}`
}
