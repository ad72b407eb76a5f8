/**
 * Soak: the live world under repeated SIGKILL — a siege runs through the gateway while order and
 * make replicas are killed one after another, each while another replica of its service is ready
 * (so the service keeps serving, and each kill lands on a replica at work, at a random moment),
 * until the wanted number of kills; then every fault is
 * healed, the system is given its liveness bound to converge, and the same checkers as any scenario
 * judge the truth read from the SQLite files and Redis: no accepted order lost, none made or charged
 * twice, outboxes and pending entries drained.
 *
 * Faults modelled: kill (SIGKILL) of order and make replicas, repeated; the ReplicaSet replaces each.
 */
import { Effect, Fiber, Random } from "effect"
import { indexTruth, type InvariantResult } from "../chaos/invariants/RunTruth.js"
import { livenessInvariants } from "../chaos/invariants/LivenessInvariants.js"
import { safetyInvariants } from "../chaos/invariants/SafetyInvariants.js"
import { computeMetrics, type RunMetrics } from "../chaos/RunMetrics.js"
import { runSiege } from "../chaos/workload/Siege.js"
import { type ServiceName } from "../services/ports/ServiceDirectory.js"
import { defaultSagaConfig } from "../services/SagaConfig.js"
import type { World } from "../chaos/world/World.js"
import { LiveWorld } from "./LiveWorld.js"

export interface SoakOptions {
  /** SIGKILLs to deliver, half to order replicas and half to make replicas. Default: 100. */
  readonly kills?: number
  /** Real ms per scenario ms. Default: 0.5. */
  readonly timeScale?: number
  /** Replicas of order and of make (the other services have one); at least 2. Default: 3. */
  readonly replicas?: number
  /** Siege users, each placing an order then thinking up to `thinkMillis`. Default: 10 users, 200 ms. */
  readonly users?: number
  readonly thinkMillis?: number
  /** Longest moment (scenario ms) before each kill, drawn uniformly. Default: 400. */
  readonly maxKillDelayMillis?: number
  /** Bound of the convergence after the last kill (scenario ms). Default: 60 000. */
  readonly livenessBoundMillis?: number
  /** The workload's seed. Default: 1. */
  readonly seed?: number
}

export interface SoakResult {
  readonly kills: number
  readonly killsByService: Readonly<Record<string, number>>
  readonly ok: boolean
  readonly invariants: ReadonlyArray<InvariantResult>
  readonly metrics: RunMetrics
  /** Scenario ms the soak took, and the orders the order service ever wrote. */
  readonly simulatedMs: number
  readonly orders: number
}

const now = Effect.clockWith((c) => c.currentTimeMillis)

/** Waits (on the run's clock) until `service` has at least `ready` ready replicas; their indexes among the running ones. */
const readyReplicas = (world: LiveWorld, service: ServiceName, ready: number) =>
  Effect.gen(function*() {
    while (true) {
      const indexes = world.stack.supervisor.podsOf(service)
        .map((pod, index) => (pod.ready && pod.containerRunning ? index : -1))
        .filter((index) => index >= 0)
      if (indexes.length >= ready) return indexes
      yield* Effect.sleep(50)
    }
  })

/**
 * Kills `target` replicas of one service, one at a time, each while at least one other replica is
 * ready (the service stays up, so every kill lands on a replica that is serving the siege).
 */
const killer = (world: LiveWorld, service: ServiceName, target: number, maxDelay: number) =>
  Effect.gen(function*() {
    let kills = 0
    while (kills < target) {
      yield* readyReplicas(world, service, 2)
      yield* Effect.sleep(yield* Random.nextIntBetween(0, maxDelay + 1))
      const ready = yield* readyReplicas(world, service, 2)
      const replica = ready[yield* Random.nextIntBetween(0, ready.length)]!
      if ((yield* world.kill({ service, replica }))._tag === "Applied") kills++
    }
    return kills
  })

/** Heals, then polls until the liveness invariants hold or the bound passes. */
const converge = (world: World, boundMillis: number) =>
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

export const runSoak = (options: SoakOptions = {}) =>
  Effect.scoped(Effect.gen(function*() {
    const replicas = Math.max(2, options.replicas ?? 3)
    const world = yield* LiveWorld.make({
      timeScale: options.timeScale ?? 0.5,
      config: { ...defaultSagaConfig, payment: { processing: { _tag: "Uniform", minMillis: 50, maxMillis: 150 } } },
      replicas: { order: replicas, make: replicas },
      // A replacement is probed from its first second (not the seed's 10 s): a kill every few seconds.
      supervisor: { restartDelayMillis: 500, deployment: { readiness: { initialDelayMillis: 500, periodMillis: 500 } } }
    })
    const program = Effect.gen(function*() {
      const siege = yield* Effect.fork(runSiege(world.client(), world.history, {
        users: options.users ?? 10,
        thinkMillis: options.thinkMillis ?? 200,
        durationMillis: Number.MAX_SAFE_INTEGER
      }, options.seed ?? 1))
      const target = options.kills ?? 100
      const maxDelay = options.maxKillDelayMillis ?? 400
      const [order, make] = yield* Effect.all([
        killer(world, "order", Math.ceil(target / 2), maxDelay),
        killer(world, "make", Math.floor(target / 2), maxDelay)
      ], { concurrency: 2 })
      const byService = { order, make }
      yield* Fiber.interrupt(siege)
      yield* converge(world, options.livenessBoundMillis ?? 60_000)
      const truth = yield* world.truth()
      const index = indexTruth(truth)
      const invariants = [...safetyInvariants, ...livenessInvariants].map((check) => check(truth, index))
      const kills = world.history.entries.filter((e) => e.type === "cluster" && e.action === "killed").length
      return {
        kills,
        killsByService: byService,
        ok: invariants.every((i) => i.ok),
        invariants,
        metrics: computeMetrics(world.history.entries),
        simulatedMs: yield* now,
        orders: truth.orders.length
      } satisfies SoakResult
    })
    return yield* Effect.withClock(program, world.stack.clock)
  }))
