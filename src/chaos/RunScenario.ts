/**
 * RunScenario: one scenario in a World, whichever it is — the safety phase (the workload and the
 * fault schedule together), then the liveness phase (TigerBeetle's liveness mode: `healAll`, then
 * convergence awaited within the scenario's bound), then the truth gathered and every invariant,
 * order-of-events checker, schedule property (invariants/HistoryInvariants.ts) and threshold
 * checked. Runs on the world's clock; reads no real time itself.
 *
 * A scenario with faults is also probed, so that "availability recovers after faults heal" can be
 * judged whatever its workload and schedule: a baseline probe (one user placing a few orders back to
 * back) before the safety phase gives the fault-free level, and a post-heal probe opens the liveness
 * phase: one user ordering while the cluster and the breakers recover, then the workload's users (at
 * most PROBE_MAX_USERS, with its think time, at least PROBE_MIN_THINK_MILLIS) until the property has
 * enough orders placed after that recovery to show a service still down, or the liveness bound passes. The probes' operations are in the history but not in the metrics, which stay
 * the workload's.
 */
import { Effect } from "effect"
import { runFaultSchedule } from "./faults/FaultInjector.js"
import type { HistoryEntry } from "./history/History.js"
import { availabilityProbeNeed, MIN_BEFORE } from "./invariants/AvailabilityRecovers.js"
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
import { deriveSeed } from "./Seeds.js"
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

/** Most users of the post-heal probe (a siege of a hundred users needs no more to be judged). */
export const PROBE_MAX_USERS = 5
/** Shortest think time of the post-heal probe's users, ms: it measures availability, it is no siege. */
const PROBE_MIN_THINK_MILLIS = 500
/**
 * How often the post-heal probe's lone user orders while orders do not count yet, ms: often enough that
 * a breaker (5 s wait by default) gets its half-open trial call soon after its wait, and no more (each
 * order costs a whole saga to simulate).
 */
const PROBE_TRICKLE_EVERY_MILLIS = 2_000
/** The post-heal probe runs in slices this long, the property asked between them. */
const PROBE_SLICE_MILLIS = 2_000

const placesOnly = { place: 1, cancel: 0, status: 0 }
const probeSeed = (seed: number | undefined, label: string) => (seed === undefined ? undefined : deriveSeed(seed, label))

/** A few fault-free orders back to back: the level availability must return to. */
const baselineProbe = (world: World, seed: number | undefined) =>
  runSiege(world.client(), world.history, { users: 1, repetitions: MIN_BEFORE, thinkMillis: 0, mix: placesOnly }, probeSeed(seed, "probe/baseline"))

/**
 * How long `users` users thinking up to `thinkMillis` (Siege.ts draws it uniformly) take to place
 * about `missing` orders: each orders at once, then once per half a think time and an answer's
 * latency (PROBE_LATENCY_MILLIS). The next slice tops up what chance left short; at least 1 ms.
 */
const countingSliceMillis = (missing: number, users: number, thinkMillis: number) =>
  Math.max(1, Math.ceil((Math.ceil(missing / users) - 1) * (thinkMillis / 2 + PROBE_LATENCY_MILLIS)))

/** A probe order's answer time as the counting slice assumes it, ms (a saga without faults: ~100–300 ms). */
const PROBE_LATENCY_MILLIS = 200

/**
 * Orders placed after the heal, slice by slice, until availability can be judged or `boundMillis`
 * passes. Until orders count (the cluster and the breakers still recovering: `countsFrom`) one user
 * keeps ordering — a breaker half-opens only on a call, and a crowd arriving at once at a half-open
 * breaker would be turned away — and its slice ends when orders start to count; from then on the
 * workload's users (at most PROBE_MAX_USERS) order until there are enough to judge — and to show a
 * service still down against the fault-free level (`availabilityProbeNeed`) — in slices sized to
 * place about as many orders as are missing (each order costs a whole saga to simulate).
 */
const postHealProbe = (world: World, scenario: Scenario, seed: number | undefined, boundMillis: number) =>
  Effect.gen(function*() {
    const started = yield* now
    const users = Math.min(PROBE_MAX_USERS, Math.max(1, scenario.workload?.users ?? 1))
    const thinkMillis = Math.max(PROBE_MIN_THINK_MILLIS, scenario.workload?.thinkMillis ?? 0)
    for (let slice = 0; ; slice++) {
      const t = yield* now
      const left = boundMillis - (t - started)
      const need = availabilityProbeNeed(world.history.entries)
      if (left <= 0 || need === undefined) return
      const untilCounted = need.countsFrom === undefined ? PROBE_SLICE_MILLIS : need.countsFrom - t
      const sliceSeed = probeSeed(seed, `probe/${slice}`)
      if (untilCounted > 0) {
        yield* runSiege(world.client(), world.history, { users: 1, repetitions: 1, thinkMillis: 0, mix: placesOnly }, sliceSeed)
        const since = (yield* now) - t
        yield* Effect.sleep(Math.max(0, Math.min(PROBE_TRICKLE_EVERY_MILLIS, untilCounted, left) - since))
      } else {
        const durationMillis = Math.min(left, PROBE_SLICE_MILLIS, countingSliceMillis(need.missing, users, thinkMillis))
        yield* runSiege(world.client(), world.history, { users, thinkMillis, durationMillis, mix: placesOnly }, sliceSeed)
      }
    }
  })

const isClientOperation = (e: HistoryEntry): e is Extract<HistoryEntry, { type: "invoke" | "ok" | "fail" | "info" }> =>
  e.type === "invoke" || e.type === "ok" || e.type === "fail" || e.type === "info"

/**
 * The history without the probes: their client operations (outside entries [from, to)) and the events
 * of the orders they placed, so that the metrics (orders accepted, coffees made, refunds) count the
 * workload's orders only.
 */
const withoutProbes = (entries: ReadonlyArray<HistoryEntry>, from: number, to: number) => {
  const probeOrders = new Set<number>()
  entries.forEach((e, i) => {
    if ((i < from || i >= to) && isClientOperation(e) && e.orderId !== undefined) probeOrders.add(e.orderId)
  })
  return entries.filter((e, i) =>
    isClientOperation(e) ? i >= from && i < to : !(e.type === "event" && probeOrders.has(e.orderId))
  )
}

export const runScenario = (world: World, scenario: Scenario, options: RunScenarioOptions = {}) =>
  Effect.gen(function*() {
    const start = yield* now
    const planned = plannedMillis(scenario)
    const onProgress = options.onProgress
    yield* Effect.forkScoped(Effect.forever(Effect.sleep(1_000).pipe(
      Effect.zipRight(now),
      Effect.map((t) => onProgress?.(t - start, planned))
    )))
    const probed = (scenario.faults ?? []).length > 0
    if (probed) yield* baselineProbe(world, options.workloadSeed)
    const safetyFrom = world.history.length
    if (scenario.autoscale) {
      const { service, ...hpa } = scenario.autoscale
      yield* world.autoscale(service, hpa)
    }
    // Safety phase: workload and faults together; every fault heals by the end of its duration.
    yield* Effect.all([
      runSiege(world.client(), world.history, scenario.workload ?? {}, options.workloadSeed),
      runFaultSchedule(world, scenario.faults ?? [])
    ], { concurrency: 2, discard: true })
    const safetyTo = world.history.length
    const bound = scenario.livenessBoundMillis ?? 60_000
    if (probed) {
      yield* world.healAll()
      yield* postHealProbe(world, scenario, options.workloadSeed, bound)
    }
    yield* awaitConvergence(world, bound)
    const truth = yield* world.truth()
    const index = indexTruth(truth)
    const metrics = computeMetrics(withoutProbes(world.history.entries, safetyFrom, safetyTo))
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
