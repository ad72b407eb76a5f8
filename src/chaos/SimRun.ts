/**
 * SimRun: runs one scenario in the sim world from one seed, inside the kernel — safety phase
 * (workload and faults), then liveness phase (every fault healed, convergence awaited within a
 * bound) — then gathers the truth, checks every invariant and threshold, and returns the result.
 * Nothing here reads the real clock: the caller measures wall time.
 */
import { Effect } from "effect"
import { allMakes } from "../services/make/MakeStore.js"
import { outboxBacklog } from "../services/messaging/Outbox.js"
import { type MutantName } from "../services/Mutants.js"
import { allViews } from "../services/mypage/MypageStore.js"
import { allOrders } from "../services/order/OrderStore.js"
import { allPayments } from "../services/payment/PaymentStore.js"
import { defaultSagaConfig } from "../services/SagaConfig.js"
import type { HistoryEntry } from "./history/History.js"
import { Kernel } from "../sim/kernel/Kernel.js"
import { runSiege } from "./workload/Siege.js"
import { SimWorld } from "../sim/world/SimWorld.js"
import { runFaultSchedule } from "./faults/SimFaultInjector.js"
import { livenessInvariants } from "./invariants/LivenessInvariants.js"
import { indexTruth, type InvariantResult, type RunTruth } from "./invariants/RunTruth.js"
import { safetyInvariants } from "./invariants/SafetyInvariants.js"
import { computeMetrics, type RunMetrics } from "./RunMetrics.js"
import type { Scenario, Threshold } from "./Scenario.js"

export interface SimRunOptions {
  readonly seed: number
  /** Mutants to switch on, in addition to the scenario's own. Default: none. */
  readonly mutants?: ReadonlyArray<MutantName>
  /** Shuffle the kernel's ready queue (seeded) to explore interleavings. Default: false. */
  readonly shuffle?: boolean
  /**
   * Called every simulated second with the virtual time and the planned length of the safety phase,
   * for progress bars. The ticker runs whether or not a callback is given, so it never changes the
   * trace. Default: none.
   */
  readonly onProgress?: (simulatedMs: number, plannedMs: number) => void
  /** Return the run's whole history with the result (for --out). Default: false. */
  readonly keepHistory?: boolean
}

/** Planned length of a scenario's safety phase: its workload or its last fault, whichever ends later. */
export const plannedMillis = (scenario: Scenario): number => {
  const workload = (scenario.workload?.startMillis ?? 0) + (scenario.workload?.durationMillis ?? 60_000)
  const faults = (scenario.faults ?? []).map((f) => f.atMillis + f.durationMillis)
  return Math.max(workload, ...faults)
}

export interface SimRunResult {
  readonly scenario: string
  readonly mode: "sim"
  readonly seed: number
  readonly ok: boolean
  readonly traceHash: string
  readonly simulatedMs: number
  readonly invariants: ReadonlyArray<InvariantResult>
  readonly metrics: RunMetrics
  readonly mutants: ReadonlyArray<MutantName>
  /** How the kernel ended: Completed normally, or a Deadlock / limit, which fails the run. */
  readonly kernel: string
  readonly historyLength: number
  readonly requests: number
  /** The history, when asked for with `keepHistory`. */
  readonly history?: ReadonlyArray<HistoryEntry>
}

const gatherTruth = (world: SimWorld) =>
  Effect.gen(function*() {
    const orders = yield* world.query("order", allOrders)
    const payments = yield* world.query("payment", allPayments)
    const makes = yield* world.query("make", allMakes)
    const mypages = yield* world.query("mypage", allViews)
    const backlog: Record<string, number> = {}
    for (const service of ["order", "payment", "make"] as const) backlog[service] = yield* world.query(service, outboxBacklog)
    const snapshot = yield* world.broker.inspect.snapshot
    const deadLetters = yield* world.broker.inspect.deadLetters
    const truth: RunTruth = {
      history: world.history.entries,
      orders: orders.map((o) => ({ orderId: o.orderId, status: o.status, price: o.price })),
      payments: payments.map((p) => ({ orderId: p.order_id, amount: p.amount, status: p.status, refunds: p.refunds })),
      makes: makes.map((m) => ({ orderId: m.order_id, status: m.status, brews: m.brews })),
      mypages: mypages.map((v) => ({ orderId: v.orderId, status: v.status })),
      outboxBacklog: backlog,
      brokerPending: snapshot.totalPending,
      brokerLag: snapshot.totalLag,
      deadLetters: deadLetters.length
    }
    return truth
  }).pipe(Effect.orDie)

/** Converged: every accepted order finished, outboxes empty, nothing pending on the bus. */
const converged = (world: SimWorld) =>
  Effect.map(gatherTruth(world), (truth) => {
    const index = indexTruth(truth)
    return livenessInvariants.every((check) => check(truth, index).ok)
  })

const compare = (value: number, t: Threshold) => {
  switch (t.op) {
    case ">=":
      return value >= t.value
    case "<=":
      return value <= t.value
    case ">":
      return value > t.value
    case "<":
      return value < t.value
    case "==":
      return value === t.value
  }
}

export const checkThreshold = (metrics: RunMetrics, t: Threshold): InvariantResult => {
  const value = metrics[t.metric as keyof RunMetrics] as number
  return {
    name: `${t.metric} ${t.op} ${t.value}`,
    kind: "behaviour",
    ok: compare(value, t),
    detail: `${t.why}: measured ${Number.isInteger(value) ? value : value.toFixed(4)}`
  }
}

/** The scenario as an Effect on the current (virtual) clock. */
export const scenarioProgram = (scenario: Scenario, options: SimRunOptions) =>
  Effect.gen(function*() {
    const mutants = [...new Set([...(scenario.mutants ?? []), ...(options.mutants ?? [])])]
    const config = scenario.config ? scenario.config(defaultSagaConfig) : defaultSagaConfig
    const world = yield* SimWorld.make({
      config,
      mutants: new Set(mutants),
      ...(scenario.replicas ? { replicas: scenario.replicas } : {})
    })
    if (scenario.autoscale) {
      const { service, ...hpa } = scenario.autoscale
      yield* world.cluster.autoscale(service, hpa)
    }
    const planned = plannedMillis(scenario)
    const onProgress = options.onProgress
    yield* Effect.forkScoped(Effect.forever(Effect.sleep(1_000).pipe(
      Effect.zipRight(Effect.clockWith((c) => c.currentTimeMillis)),
      Effect.map((t) => onProgress?.(t, planned))
    )))
    // Safety phase: workload and faults together; every fault heals by the end of its duration.
    yield* Effect.all([
      runSiege(world.clientHttp(), world.history, scenario.workload),
      runFaultSchedule(world, scenario.faults ?? [])
    ], { concurrency: 2, discard: true })
    // Liveness phase: no faults; poll for convergence within the bound.
    const bound = scenario.livenessBoundMillis ?? 60_000
    const started = yield* Effect.clockWith((c) => c.currentTimeMillis)
    while ((yield* Effect.clockWith((c) => c.currentTimeMillis)) - started < bound) {
      if (yield* converged(world)) break
      yield* Effect.sleep(1_000)
    }
    const truth = yield* gatherTruth(world)
    const index = indexTruth(truth)
    const metrics = computeMetrics(world.history.entries)
    const invariants: Array<InvariantResult> = [
      ...safetyInvariants.map((check) => check(truth, index)),
      ...livenessInvariants.map((check) => check(truth, index)),
      ...(scenario.thresholds ?? []).map((t) => checkThreshold(metrics, t))
    ]
    return {
      invariants,
      metrics,
      mutants,
      traceHash: world.history.traceHash(),
      historyLength: world.history.length,
      requests: world.network.counters.requests,
      history: world.history.entries
    }
  }).pipe(Effect.scoped)

/** Runs a scenario in a fresh kernel from one seed. Synchronous; deterministic. */
export const runScenarioSim = (scenario: Scenario, options: SimRunOptions): SimRunResult => {
  const kernel = new Kernel({ seed: options.seed, shuffleReadyQueue: options.shuffle ?? false })
  // Tracing spans cost ~20% and nothing reads them in a simulated run.
  // Bounds that turn a runaway run into a reported failure instead of a hang: virtual time well past
  // the safety and liveness phases, and a step budget against a livelock at one instant.
  const untilMillis = plannedMillis(scenario) + (scenario.livenessBoundMillis ?? 60_000) + 120_000
  const result = kernel.run(Effect.withTracerEnabled(scenarioProgram(scenario, options), false), {
    seed: options.seed,
    untilMillis,
    maxSteps: 50_000_000
  })
  kernel.shutdown()
  if (result._tag === "Completed" && result.exit._tag === "Success") {
    const r = result.exit.value
    return {
      scenario: scenario.name,
      mode: "sim",
      seed: options.seed,
      ok: r.invariants.every((i) => i.ok),
      traceHash: r.traceHash,
      simulatedMs: result.nowMillis,
      invariants: r.invariants,
      metrics: r.metrics,
      mutants: r.mutants,
      kernel: "Completed",
      historyLength: r.historyLength,
      requests: r.requests,
      ...(options.keepHistory ? { history: r.history } : {})
    }
  }
  const live = "live" in result ? (result as { live?: ReadonlyArray<string> }).live ?? [] : []
  const why = result._tag === "Deadlock"
    ? `deadlock at ${result.nowMillis} ms: ${result.blocked.slice(0, 5).join("; ")}`
    : result._tag === "Completed"
    ? `the run failed: ${String(result.exit._tag === "Failure" ? result.exit.cause : "")}`.slice(0, 2000)
    : `${result._tag} at ${result.nowMillis} ms; still running: ${live.slice(0, 8).join("; ")}`
  return {
    scenario: scenario.name,
    mode: "sim",
    seed: options.seed,
    ok: false,
    traceHash: "",
    simulatedMs: result.nowMillis,
    invariants: [{ name: "the simulation completes", kind: "liveness", ok: false, detail: why }],
    metrics: computeMetrics([]),
    mutants: [...(options.mutants ?? [])],
    kernel: result._tag,
    historyLength: 0,
    requests: 0
  }
}
