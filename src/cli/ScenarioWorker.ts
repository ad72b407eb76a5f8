/**
 * ScenarioWorker: the entry point of a worker thread of the scenario pool (ScenarioPool.ts). Runs
 * one scenario from one seed in a fresh kernel and returns the result, without its history; reports
 * simulated progress on the task's port. A run depends only on its task, never on what the worker ran
 * before, so results are the same whichever worker runs them.
 */
import type { MessagePort } from "node:worker_threads"
import type { Scenario } from "../chaos/Scenario.js"
import type { MutantName } from "../services/MutantNames.js"
import type { TimedResult } from "./Format.js"

export interface ScenarioTask {
  /** The decoded scenario (plain data, cloned into the worker). */
  readonly scenario: Scenario
  readonly seed: number
  readonly mutants?: ReadonlyArray<MutantName>
  /** Receives `{ simulatedMs, plannedMs }` every simulated second. */
  readonly progress?: MessagePort
}

export default async function runScenarioTask(task: ScenarioTask): Promise<TimedResult> {
  const { runScenarioSim } = await import("../sim/world/SimRun.js")
  const scenario = task.scenario
  const started = performance.now()
  const result = runScenarioSim(scenario, {
    seed: task.seed,
    mutants: task.mutants ?? [],
    onProgress: (simulatedMs, plannedMs) => task.progress?.postMessage({ simulatedMs, plannedMs })
  })
  task.progress?.close()
  const { history: _history, ...rest } = result
  return { ...rest, wallMs: Math.round(performance.now() - started) }
}
