/**
 * LiveRun: one scenario in the live world — the stack started for it (its replicas, configuration
 * and mutants), chaos's world-agnostic runner (chaos/RunScenario.ts) on the run's clock, the result
 * with its failure class, judged by the scenario's thresholds with their declared live tolerances
 * (LiveThresholds.ts). The workload draws from the seed as in sim, but real processes, real
 * timers and the operating system's scheduling decide the rest: a live result is never
 * byte-reproducible, and says so. With a time scale below 1 every duration of the scenario, the
 * services and the probes shrinks by that factor (LiveClock.ts), and every time in the result is in
 * scenario ms.
 *
 * A stack that cannot start (a missing binary, a port in use, a replica that dies at start) fails
 * with LiveStartError; a run that outlives its bound ends as incomplete.
 */
import { Cause, Effect, Exit, Option } from "effect"
import { classify, type RunResult } from "../chaos/RunResult.js"
import { computeMetrics } from "../chaos/RunMetrics.js"
import { runScenario } from "../chaos/RunScenario.js"
import { plannedMillis, type Scenario, scenarioConfig } from "../chaos/Scenario.js"
import { deriveSeeds } from "../chaos/Seeds.js"
import type { MutantName } from "../services/MutantNames.js"
import { withLiveThresholds } from "./LiveThresholds.js"
import { LiveWorld } from "./LiveWorld.js"

export interface LiveRunOptions {
  /** Seeds the workload (what users do and when). Default: 1. */
  readonly seed: number
  /** Mutants to switch on, in addition to the scenario's own. Default: none. */
  readonly mutants?: ReadonlyArray<MutantName>
  /** Real ms per scenario ms (0.25: four times faster than the scenario says). Default: 1. */
  readonly timeScale?: number
  /** Return the run's whole history with the result. Default: false. */
  readonly keepHistory?: boolean
  /** Called every scenario second with the elapsed and planned time, for progress bars. Default: none. */
  readonly onProgress?: (elapsedMs: number, plannedMs: number) => void
}

/** The live stack could not be started; the message is one line naming what failed. */
export class LiveStartError extends Error {
  override readonly name = "LiveStartError"
}

const firstError = (cause: Cause.Cause<unknown>): string => {
  const error = Option.getOrUndefined(Cause.failureOption(cause)) ?? Cause.squash(cause)
  return (error instanceof Error ? error.message : String(error)).split("\n")[0]!
}

export const runScenarioLive = async (scenario: Scenario, options: LiveRunOptions): Promise<RunResult> => {
  const mutants = [...new Set([...(scenario.mutants ?? []), ...(options.mutants ?? [])])]
  const timeScale = options.timeScale ?? 1
  let started = false
  const program = Effect.scoped(Effect.gen(function*() {
    const world = yield* LiveWorld.make({
      timeScale,
      config: scenarioConfig(scenario),
      mutants,
      ...(scenario.replicas ? { replicas: scenario.replicas } : {})
    })
    started = true
    const clock = world.stack.clock
    const outcome = yield* runScenario(world, withLiveThresholds(scenario), {
      workloadSeed: deriveSeeds(options.seed).workload,
      ...(options.onProgress ? { onProgress: options.onProgress } : {})
    }).pipe(Effect.withClock(clock))
    const requests = world.history.entries.filter((e) => e.type === "invoke").length
    return { ...outcome, requests, history: world.history.entries, simulatedMs: clock.unsafeCurrentTimeMillis() }
  }))
  // A bound in real time: the scenario's own bounds, scaled, and a minute for the processes.
  const boundMillis = (plannedMillis(scenario) + (scenario.livenessBoundMillis ?? 60_000) + 120_000) * timeScale + 60_000
  const exit = await Effect.runPromiseExit(Effect.timeoutFail(program, {
    duration: boundMillis,
    onTimeout: () => new Error(`the live run did not finish within ${Math.round(boundMillis / 1000)} s of real time`)
  }))
  const base = { scenario: scenario.name, mode: "live" as const, seed: options.seed, reproducible: false, mutants }
  if (Exit.isSuccess(exit)) {
    const r = exit.value
    const failureClass = classify(r.invariants, true)
    return {
      ...base,
      ok: failureClass === "pass",
      failureClass,
      traceHash: r.traceHash,
      simulatedMs: r.simulatedMs,
      invariants: r.invariants,
      metrics: r.metrics,
      kernel: "Completed",
      historyLength: r.historyLength,
      requests: r.requests,
      ...(options.keepHistory ? { history: r.history } : {})
    }
  }
  if (!started) throw new LiveStartError(firstError(exit.cause))
  return {
    ...base,
    ok: false,
    failureClass: "incomplete",
    traceHash: "",
    simulatedMs: 0,
    invariants: [{ name: "the live run completes", kind: "liveness", ok: false, detail: firstError(exit.cause) }],
    metrics: computeMetrics([]),
    kernel: "Failed",
    historyLength: 0,
    requests: 0
  }
}
