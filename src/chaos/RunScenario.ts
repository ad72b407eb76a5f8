/**
 * RunScenario: one scenario in a World, whichever it is — the safety phase (the workload and the
 * fault schedule together), then the liveness phase (TigerBeetle's liveness mode: `healAll`, then
 * convergence awaited within the scenario's bound), then the truth gathered and every invariant,
 * order-of-events checker, schedule property (invariants/HistoryInvariants.ts) and threshold
 * checked. Runs on the world's clock; reads no real time itself.
 */
import { Effect } from "effect"
import { runFaultSchedule } from "./faults/FaultInjector.js"
import {
  orderOfEventsInvariants,
  scheduleLivenessProperties,
  scheduleSafetyProperties
} from "./invariants/HistoryInvariants.js"
import { livenessInvariants } from "./invariants/LivenessInvariants.js"
import { indexTruth, type InvariantResult } from "./invariants/RunTruth.js"
import { safetyInvariants } from "./invariants/SafetyInvariants.js"
import { checkThreshold } from "./invariants/Thresholds.js"
import { computeMetrics, type RunMetrics } from "./RunMetrics.js"
import { plannedMillis, type Scenario } from "./Scenario.js"
import { runSiege } from "./workload/Siege.js"
import type { World } from "./world/World.js"

export interface RunScenarioOptions {
  /**
   * Called every second of the world's time with the time since the start and the planned length of
   * the safety phase, for progress bars. The ticker runs whether or not a callback is given, so it
   * never changes the trace. Default: none.
   */
  readonly onProgress?: (elapsedMs: number, plannedMs: number) => void
  /** The workload's own seed (its Random), so that its draws do not depend on other subsystems'. */
  readonly workloadSeed?: number
}

export interface ScenarioOutcome {
  readonly invariants: ReadonlyArray<InvariantResult>
  readonly metrics: RunMetrics
  readonly traceHash: string
  readonly historyLength: number
}

const now = Effect.clockWith((c) => c.currentTimeMillis)

/** Liveness mode: every fault healed, then poll until the liveness invariants hold or the bound passes. */
const awaitConvergence = (world: World, boundMillis: number) =>
  Effect.gen(function*() {
    yield* world.healAll()
    const started = yield* now
    while ((yield* now) - started < boundMillis) {
      const truth = yield* world.truth()
      const index = indexTruth(truth)
      if (livenessInvariants.every((check) => check(truth, index).ok)) return
      yield* Effect.sleep(1_000)
    }
  })

export const runScenario = (world: World, scenario: Scenario, options: RunScenarioOptions = {}) =>
  Effect.gen(function*() {
    const start = yield* now
    const planned = plannedMillis(scenario)
    const onProgress = options.onProgress
    yield* Effect.forkScoped(Effect.forever(Effect.sleep(1_000).pipe(
      Effect.zipRight(now),
      Effect.map((t) => onProgress?.(t - start, planned))
    )))
    if (scenario.autoscale) {
      const { service, ...hpa } = scenario.autoscale
      yield* world.autoscale(service, hpa)
    }
    // Safety phase: workload and faults together; every fault heals by the end of its duration.
    yield* Effect.all([
      runSiege(world.client(), world.history, scenario.workload ?? {}, options.workloadSeed),
      runFaultSchedule(world, scenario.faults ?? [])
    ], { concurrency: 2, discard: true })
    yield* awaitConvergence(world, scenario.livenessBoundMillis ?? 60_000)
    const truth = yield* world.truth()
    const index = indexTruth(truth)
    const metrics = computeMetrics(world.history.entries)
    const invariants: Array<InvariantResult> = [
      ...safetyInvariants.map((check) => check(truth, index)),
      ...orderOfEventsInvariants.map((check) => check(truth, index)),
      ...scheduleSafetyProperties.map((check) => check(truth, index)),
      ...livenessInvariants.map((check) => check(truth, index)),
      ...scheduleLivenessProperties.map((check) => check(truth, index)),
      ...(scenario.thresholds ?? []).map((t) => checkThreshold(metrics, t))
    ]
    return { invariants, metrics, traceHash: world.history.traceHash(), historyLength: world.history.length } satisfies ScenarioOutcome
  }).pipe(Effect.scoped)
