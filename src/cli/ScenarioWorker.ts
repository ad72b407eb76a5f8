/**
 * ScenarioWorker: the entry point of a worker thread of the scenario pool (ScenarioPool.ts). Runs
 * one scenario from one seed in a fresh kernel and returns the result, without its history; reports
 * simulated progress on the task's port; when asked, writes the run's report (in the worker, where the
 * history is) and returns its model for the suite's index. A run depends only on its task, never on what the worker ran
 * before, so results are the same whichever worker runs them.
 */
import type { MessagePort } from "node:worker_threads"
import type { Scenario } from "../chaos/Scenario.js"
import type { RunReport } from "../report/ReportModel.js"
import type { MutantName } from "../services/MutantNames.js"
import type { TimedResult } from "./Format.js"

export interface ScenarioTask {
  /** The decoded scenario (plain data, cloned into the worker). */
  readonly scenario: Scenario
  readonly seed: number
  readonly mutants?: ReadonlyArray<MutantName>
  /** Receives `{ simulatedMs, plannedMs }` every simulated second. */
  readonly progress?: MessagePort
  /** Write the run's report into this folder. Default: no report. */
  readonly reportDir?: string
}

export interface ScenarioOutcome extends TimedResult {
  /** The report's model, when the task asked for a report. */
  readonly report?: RunReport
  /** Wall time spent building and writing the report, ms (not in wallMs). */
  readonly reportMs?: number
}

export default async function runScenarioTask(task: ScenarioTask): Promise<ScenarioOutcome> {
  const { runScenarioSim } = await import("../sim/world/SimRun.js")
  const scenario = task.scenario
  const started = performance.now()
  const result = runScenarioSim(scenario, {
    seed: task.seed,
    mutants: task.mutants ?? [],
    onProgress: (simulatedMs, plannedMs) => task.progress?.postMessage({ simulatedMs, plannedMs }),
    keepHistory: task.reportDir !== undefined
  })
  task.progress?.close()
  const wallMs = Math.round(performance.now() - started)
  const { backlog: _backlog, history: _history, ...rest } = result
  if (task.reportDir === undefined) return { ...rest, wallMs }
  const { writeRunOut } = await import("./ReportOut.js")
  const { ms, report } = writeRunOut(task.reportDir, { ...result, wallMs }, scenario, { history: false })
  return { ...rest, wallMs, report, reportMs: ms }
}
