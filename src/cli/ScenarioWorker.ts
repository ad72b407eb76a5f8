/**
 * ScenarioWorker: the entry point of a worker thread of the scenario pool (ScenarioPool.ts). Runs
 * one scenario from one seed in a fresh kernel and returns the result, without its history; reports
 * simulated progress on the task's port. A run depends only on its task, never on what the worker ran
 * before, so results are the same whichever worker runs them.
 */
import type { MessagePort } from "node:worker_threads"
import type { MutantName } from "../services/MutantNames.js"
import type { TimedResult } from "./Format.js"

export interface ScenarioTask {
  readonly scenario: string
  readonly seed: number
  readonly mutants?: ReadonlyArray<MutantName>
  /** Receives `{ simulatedMs, plannedMs }` every simulated second. */
  readonly progress?: MessagePort
}

export default async function runScenarioTask(task: ScenarioTask): Promise<TimedResult> {
  const { findScenario } = await import("../../scenarios/index.js")
  const { runScenarioSim } = await import("../chaos/SimRun.js")
  const scenario = findScenario(task.scenario)
  if (!scenario) throw new Error(`unknown scenario "${task.scenario}"`)
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
