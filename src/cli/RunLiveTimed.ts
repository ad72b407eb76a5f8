/**
 * Runs a scenario in the live world (src/live/LiveRun.ts) and measures its wall time — `run --mode
 * live`'s counterpart of RunTimed.ts. `--time-scale S` (real ms per scenario ms) is read here; a
 * stack that cannot start (a missing binary, a port in use, a replica dying at start) is bad input:
 * one line, exit 2.
 */
import type { Scenario } from "../chaos/Scenario.js"
import type { MutantName } from "../services/MutantNames.js"
import type { TimedResult } from "./Format.js"
import { progressBar } from "./Progress.js"
import { UsageError } from "./UsageError.js"

export interface LiveTimedOptions {
  readonly seed: number
  readonly mutants: ReadonlyArray<MutantName>
  /** The --time-scale value as given. Default: 1. */
  readonly timeScale: unknown
  readonly progress: boolean
  readonly keepHistory: boolean
}

export const parseTimeScale = (value: unknown): number => {
  if (value === undefined) return 1
  const n = Number(value)
  if (typeof value !== "string" || !Number.isFinite(n) || n <= 0 || n > 100) {
    throw new UsageError(`--time-scale must be a number above 0 (0.25: four times faster than real time), got "${String(value)}"`)
  }
  return n
}

export const runLiveTimed = async (scenario: Scenario, options: LiveTimedOptions): Promise<TimedResult> => {
  const timeScale = parseTimeScale(options.timeScale)
  const { LiveStartError, runScenarioLive } = await import("../live/LiveRun.js")
  const bar = progressBar(scenario.name, options.progress)
  const started = performance.now()
  try {
    const result = await runScenarioLive(scenario, {
      seed: options.seed,
      mutants: options.mutants,
      timeScale,
      keepHistory: options.keepHistory,
      onProgress: (t, planned) => bar.update(t, planned, `${(t / 1000).toFixed(0)} s of the scenario`)
    })
    return { ...result, wallMs: Math.round(performance.now() - started) }
  } catch (error) {
    if (error instanceof LiveStartError) throw new UsageError(`--mode live: ${error.message}`)
    throw error
  } finally {
    bar.finish()
  }
}
