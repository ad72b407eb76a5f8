/**
 * Runs a scenario in the sim world and measures its wall time (the only place, with bench, that
 * reads the real clock for a run).
 */
import type { Scenario } from "../chaos/Scenario.js"
import { runScenarioSim, type SimRunOptions } from "../sim/world/SimRun.js"
import type { TimedResult } from "./Format.js"
import { progressBar } from "./Progress.js"

export const runTimed = (scenario: Scenario, options: SimRunOptions & { readonly progress?: boolean }): TimedResult => {
  const bar = progressBar(scenario.name, options.progress ?? Boolean(process.stderr.isTTY))
  const started = performance.now()
  const result = runScenarioSim(scenario, {
    ...options,
    onProgress: (t, planned) => bar.update(t, planned, `${(t / 1000).toFixed(0)} s simulated`)
  })
  bar.finish()
  return { ...result, wallMs: Math.round(performance.now() - started) }
}
