/**
 * LiveWorld: the World (chaos/world/World.ts) made of real things — the live stack (LiveStack.ts:
 * replica processes, Redis, Toxiproxy) driven through its verbs, so chaos code runs a scenario here
 * exactly as in the sim world. Process faults go to the supervisor (SIGKILL, SIGSTOP / SIGCONT,
 * restarts, scaling, rolling updates), network and broker faults to the Toxiproxy proxies
 * (LinkFaults.ts says which toxic each becomes), duplicate deliveries to the event tail, clock skew
 * and CPU hogs to the replica's process over its IPC channel. Every verb runs on the run's clock.
 *
 * Faults modelled: every fault of the World interface but the in-service ones (SQL latency and
 * failure, handler delays, crash points), which answer Skipped "not supported live"; the autoscaler follows each order replica's
 * real CPU use (LiveAutoscaler.ts).
 */
import type { HttpClient } from "@effect/platform"
import { Effect, Scope } from "effect"
import { Redis } from "ioredis"
import type { History } from "../chaos/history/History.js"
import type { RunTruth } from "../chaos/invariants/RunTruth.js"
import {
  applied,
  type AutoscaleSpec,
  type ClockSkew,
  type NodeName,
  type ReplicaRef,
  skipped,
  type Targeted,
  type World
} from "../chaos/world/World.js"
import type { Distribution } from "../services/Distribution.js"
import { type ServiceName, ServiceNames } from "../services/ports/ServiceDirectory.js"
import { EventTail } from "./EventTail.js"
import { startLiveAutoscaler } from "./LiveAutoscaler.js"
import { makeLiveClient } from "./LiveClient.js"
import type { LivePod } from "./LivePod.js"
import { type LiveStack, type LiveStackOptions, startLiveStack } from "./LiveStack.js"
import { LiveTruth } from "./LiveTruth.js"

export class LiveWorld implements World {
  readonly mode = "live" as const
  readonly history: History

  private constructor(
    readonly stack: LiveStack,
    /** The harness's own connection to Redis (straight, outside every fault). */
    readonly redis: Redis,
    private readonly http: HttpClient.HttpClient,
    readonly tail: EventTail,
    private readonly liveTruth: LiveTruth,
    private readonly scope: Scope.Scope
  ) {
    this.history = stack.history
  }

  /**
   * Starts the stack and everything the world reads it with; the world lives as long as the scope.
   * Run the scenario under `world.stack.clock` (see LiveRun.ts) so that both share the run's time.
   */
  static make(options: LiveStackOptions = {}): Effect.Effect<LiveWorld, Error, Scope.Scope> {
    return Effect.flatMap(startLiveStack(options), (stack) => Effect.withClock(LiveWorld.around(stack), stack.clock))
  }

  private static around(stack: LiveStack): Effect.Effect<LiveWorld, never, Scope.Scope> {
    return Effect.gen(function*() {
      const scope = yield* Effect.scope
      const redis = yield* Effect.acquireRelease(
        Effect.sync(() => new Redis(stack.redisPort, "127.0.0.1", { connectionName: "harness", maxRetriesPerRequest: 3 })),
        (r) => Effect.sync(() => r.disconnect())
      )
      redis.on("error", () => {})
      const tail = new EventTail(redis, stack.history, stack.clock)
      const truth = yield* LiveTruth.make(stack.dataDir, redis, tail, stack.history)
      const http = yield* makeLiveClient(() => stack.supervisor.directoryFor("client").gateway ?? [])
      // Events are recorded as they reach Redis, not only when the checkers look.
      yield* Effect.forkScoped(Effect.forever(Effect.zipRight(
        Effect.promise(() => tail.catchUp().catch(() => undefined)),
        Effect.promise(() => new Promise((resolve) => setTimeout(resolve, 50)))
      )))
      return new LiveWorld(stack, redis, http, tail, truth, scope)
    })
  }

  readonly client = (): HttpClient.HttpClient => this.http

  // ---- processes -----------------------------------------------------------------------------------

  private get supervisor() {
    return this.stack.supervisor
  }

  /** The running replica a reference names (index modulo the running replicas). */
  private podOf(target: ReplicaRef): LivePod | undefined {
    const pods = this.supervisor.podsOf(target.service)
    return pods.length === 0 ? undefined : pods[target.replica % pods.length]
  }

  private onPod(target: ReplicaRef, act: (pod: LivePod) => Effect.Effect<Targeted>): Effect.Effect<Targeted> {
    return Effect.suspend(() => {
      const pod = this.podOf(target)
      return pod ? act(pod) : Effect.succeed(skipped(`${target.service} has no running replica`))
    })
  }

  readonly kill = (target: ReplicaRef) =>
    this.onPod(target, (pod) => Effect.as(this.supervisor.kill(pod.name), applied(pod.name)))
  readonly restart = (target: ReplicaRef) =>
    this.onPod(target, (pod) => Effect.as(this.supervisor.restart(pod.name), applied(pod.name)))
  readonly hang = (target: ReplicaRef) =>
    this.onPod(target, (pod) =>
      Effect.map(this.supervisor.hang(pod.name), (hung) => (hung ? applied(pod.name) : skipped(`${pod.name} is not running`))))
  readonly release = (target: string) => this.supervisor.release(target)
  readonly replicas = (service: ServiceName) => this.supervisor.podsOf(service).length
  readonly scale = (service: ServiceName, replicas: number, reason: string) => this.supervisor.scale(service, replicas, reason)
  readonly roll = (service: ServiceName, options: { readonly readiness: boolean }) =>
    this.supervisor.roll(service, options.readiness)
  readonly autoscale = (service: ServiceName, spec: AutoscaleSpec) =>
    startLiveAutoscaler(this.supervisor, this.history, service, spec, this.stack.clock.time().scale).pipe(
      Effect.provideService(Scope.Scope, this.scope)
    )

  // ---- network and broker --------------------------------------------------------------------------

  private links(change: () => void): Effect.Effect<void> {
    return Effect.promise(() => {
      change()
      return this.stack.proxies.sync()
    })
  }

  readonly partition = (a: NodeName, b: NodeName, options: { readonly oneWay: boolean }) =>
    this.links(() => this.stack.faults.partition(a, b, options.oneWay))
  readonly repair = (a: NodeName, b: NodeName) => this.links(() => this.stack.faults.repair(a, b))
  readonly slow = (from: NodeName, to: NodeName, latency: Distribution | undefined) =>
    this.links(() => this.stack.faults.slow(from, to, latency))
  readonly drop = (from: NodeName, to: NodeName, probability: number) =>
    this.links(() => this.stack.faults.drop(from, to, probability))
  readonly brokerDown = () => this.links(() => (this.stack.faults.brokerDown = true))
  readonly brokerUp = () => this.links(() => (this.stack.faults.brokerDown = false))
  readonly brokerSlow = (delay: { readonly minMillis: number; readonly maxMillis: number } | null) =>
    this.links(() => (this.stack.faults.brokerDelay = delay))
  readonly brokerDuplicate = (probability: number) => Effect.sync(() => (this.tail.duplicateProbability = probability))

  // ---- pods ------------------------------------------------------------------------------------------

  readonly skewClock = (target: ReplicaRef, skew: ClockSkew) =>
    this.onPod(target, (pod) =>
      Effect.sync(() => {
        pod.skew = skew
        pod.container?.send({ type: "skew", skew })
        return applied(pod.name)
      }))
  readonly unskewClock = (target: string) =>
    Effect.sync(() => {
      const pod = this.supervisor.pod(target)
      if (!pod) return
      pod.skew = undefined
      pod.container?.send({ type: "skew", skew: null })
    })
  readonly hogCpu = (target: ReplicaRef, fraction: number) =>
    this.onPod(target, (pod) =>
      Effect.sync(() => {
        pod.hog = fraction
        pod.container?.send({ type: "hog", fraction })
        return applied(pod.name)
      }))
  readonly unhogCpu = (target: string) =>
    Effect.sync(() => {
      const pod = this.supervisor.pod(target)
      if (!pod) return
      pod.hog = 0
      pod.container?.send({ type: "hog", fraction: 0 })
    })

  // ---- inside the services: not injectable into real processes ------------------------------------

  private readonly notLive = Effect.succeed(skipped("not supported live (in-service faults are sim-only)"))
  readonly sqlSlow = () => this.notLive
  readonly sqlFail = () => this.notLive
  readonly delayHandlers = () => this.notLive
  readonly crashAfter = () => this.notLive
  readonly uncrash = () => Effect.void

  readonly healAll = (): Effect.Effect<void> =>
    Effect.gen(this, function*() {
      yield* this.links(() => this.stack.faults.healAll())
      this.tail.duplicateProbability = 0
      for (const pod of this.supervisor.allPods()) {
        if (pod.hung) yield* this.supervisor.release(pod.name)
        if (pod.skew) yield* this.unskewClock(pod.name)
        if (pod.hog > 0) yield* this.unhogCpu(pod.name)
      }
      for (const service of ServiceNames) {
        if (this.supervisor.deployments.get(service)?.replicas === 0) yield* this.supervisor.scale(service, 1, "healAll")
      }
    })

  readonly truth = (): Effect.Effect<RunTruth> => this.liveTruth.gather
}
