/**
 * The simulated cluster's Kubernetes semantics: probes (liveness restarts, readiness removal), rolling
 * updates with and without readiness, the CPU limit, the HPA and the node's database across restarts.
 * Every world runs in the kernel; assertions are on virtual time and the history.
 */
import { HttpApiClient, HttpClientRequest } from "@effect/platform"
import { Effect, Exit, type Scope } from "effect"
import { describe, expect, it } from "vitest"
import { MenuId } from "../../src/domain/Ids.js"
import { Money } from "../../src/domain/Money.js"
import { constant } from "../../src/services/Distribution.js"
import { OrderApi } from "../../src/services/order/OrderApi.js"
import { recommend, defaultAutoscale, type HpaPod } from "../../src/sim/cluster/Autoscaler.js"
import { seedLiveness, seedReadiness } from "../../src/sim/cluster/DeploymentSpec.js"
import { planReplicas, resolveRollingUpdate } from "../../src/sim/cluster/RollingUpdate.js"
import type { ReplicaSample } from "../../src/sim/cluster/SimCluster.js"
import type { HistoryEntry } from "../../src/chaos/history/History.js"
import { Kernel } from "../../src/sim/kernel/Kernel.js"
import { SimWorld, type WorldOptions } from "../../src/sim/world/SimWorld.js"

// ---- harness ---------------------------------------------------------------------------------

const runWorld = <A>(
  options: WorldOptions,
  program: (world: SimWorld) => Effect.Effect<A, unknown, Scope.Scope>,
  seed = 1
): { value: A; world: SimWorld; hash: string } => {
  let world: SimWorld | undefined
  const result = new Kernel().run(
    Effect.scoped(Effect.gen(function*() {
      world = yield* SimWorld.make(options)
      return yield* program(world)
    })),
    { seed }
  )
  if (result._tag !== "Completed") throw new Error(`run ended with ${result._tag}`)
  if (Exit.isFailure(result.exit)) throw new Error(`run failed: ${String(result.exit.cause)}`)
  return { value: result.exit.value, world: world!, hash: world!.history.traceHash() }
}

const now = Effect.clockWith((c) => c.currentTimeMillis)

type Cluster = Extract<HistoryEntry, { type: "cluster" }>
const clusterEvents = (world: SimWorld, action?: string, pod?: string): Array<Cluster> =>
  world.history.entries.filter((e): e is Cluster =>
    e.type === "cluster" && (action === undefined || e.action === action) && (pod === undefined || e.pod === pod)
  )

interface Outcome {
  readonly t: number
  /** HTTP status, 0 for a transport error or no answer. */
  readonly status: number
}

/**
 * Open-loop load: one GET every `everyMillis` for `durationMillis`, each with a client timeout, from
 * a client outside the cluster. Returns when the last answer (or timeout) is in.
 */
const load = (world: SimWorld, options: {
  readonly url: string
  readonly everyMillis: number
  readonly durationMillis: number
  readonly timeoutMillis?: number
  readonly onSend?: (t: number) => void
}) =>
  Effect.gen(function*() {
    const http = world.clientHttp()
    const outcomes: Array<Outcome> = []
    const one = Effect.gen(function*() {
      const t = yield* now
      options.onSend?.(t)
      const status = yield* http.execute(HttpClientRequest.get(options.url)).pipe(
        Effect.map((r) => r.status),
        Effect.timeoutTo({ duration: options.timeoutMillis ?? 5_000, onSuccess: (s) => s, onTimeout: () => 0 }),
        Effect.orElseSucceed(() => 0)
      )
      outcomes.push({ t, status })
    })
    const n = Math.floor(options.durationMillis / options.everyMillis)
    const fibers = []
    for (let i = 0; i < n; i++) {
      fibers.push(yield* Effect.fork(one))
      yield* Effect.sleep(options.everyMillis)
    }
    for (const f of fibers) yield* f.await
    return outcomes
  })

/** A failed request: no answer, or a 5xx (404 is an answer: the order does not exist). */
const failed = (o: Outcome) => o.status === 0 || o.status >= 500

// ---- probes ----------------------------------------------------------------------------------

describe("liveness", () => {
  it("restarts a hung pod that was running at start, in place, within period × failureThreshold + timeout", () => {
    const hangAt = 5_000
    const { value, world } = runWorld({}, (world) =>
      Effect.gen(function*() {
        yield* Effect.sleep(hangAt)
        yield* world.cluster.hang("order-0")
        yield* Effect.sleep(60_000)
        const pod = world.cluster.pod("order-0")!
        const answer = yield* world.clientHttp().execute(HttpClientRequest.get("http://order-0/health")).pipe(
          Effect.map((r) => r.status),
          Effect.orElseSucceed(() => 0)
        )
        return { restarts: pod.restarts, ready: pod.ready, hung: pod.hung, answer }
      }))
    const kills = clusterEvents(world, "liveness-kill", "order-0")
    expect(kills).toHaveLength(1)
    const after = kills[0]!.t - hangAt
    // the bound of the brief, and the tighter one for a pod whose initial delay is long past
    expect(after).toBeLessThanOrEqual(seedLiveness.initialDelayMillis + seedLiveness.periodMillis * seedLiveness.failureThreshold + seedLiveness.timeoutMillis)
    expect(after).toBeLessThanOrEqual(seedLiveness.periodMillis * seedLiveness.failureThreshold + seedLiveness.timeoutMillis)
    // it took failureThreshold failed probes, not fewer
    expect(after).toBeGreaterThanOrEqual(seedLiveness.periodMillis * (seedLiveness.failureThreshold - 1) + seedLiveness.timeoutMillis)
    expect(clusterEvents(world, "probe-failed", "order-0").filter((e) => e.detail?.startsWith("liveness"))).toHaveLength(5)
    // restarted in place: same pod, restart count 1, answering and ready again
    expect(value).toEqual({ restarts: 1, ready: true, hung: false, answer: 200 })
    expect(clusterEvents(world, "create").filter((e) => e.pod.startsWith("order"))).toHaveLength(1)
  })

  it("waits initialDelay after a new container starts before probing it", () => {
    const { world } = runWorld({}, (world) =>
      Effect.gen(function*() {
        yield* world.cluster.scale("order", 2)
        yield* Effect.sleep(20_000)
        yield* world.cluster.hang("order-1")
        yield* Effect.sleep(200_000)
      }))
    const started = clusterEvents(world, "started", "order-1")[0]!.t
    const hangAt = 20_000
    const kill = clusterEvents(world, "liveness-kill", "order-1")[0]!.t
    expect(kill - hangAt).toBeLessThanOrEqual(
      seedLiveness.initialDelayMillis + seedLiveness.periodMillis * seedLiveness.failureThreshold + seedLiveness.timeoutMillis
    )
    const firstLivenessFailure = clusterEvents(world, "probe-failed", "order-1").find((e) => e.detail?.startsWith("liveness"))!
    expect(firstLivenessFailure.t).toBeGreaterThanOrEqual(started + seedLiveness.initialDelayMillis)
    expect(kill).toBeGreaterThanOrEqual(started + seedLiveness.initialDelayMillis + seedLiveness.periodMillis * 4)
  })
})

describe("readiness", () => {
  it("takes a hung pod out of the endpoints after failureThreshold probes, and requests stop going to it", () => {
    const hangAt = 5_000
    const received: Array<{ t: number; n: number }> = []
    const { value, world } = runWorld(
      { replicas: { order: 2 }, cluster: { services: { order: { liveness: null } } } },
      (world) =>
        Effect.gen(function*() {
          const hung = Effect.sleep(hangAt).pipe(Effect.zipRight(world.cluster.hang("order-1")))
          const [, outcomes] = yield* Effect.all([
            hung,
            load(world, {
              url: "http://order/orders/1",
              everyMillis: 100,
              durationMillis: 90_000,
              timeoutMillis: 3_000,
              onSend: (t) => received.push({ t, n: world.cluster.pod("order-1")!.requestsReceived })
            })
          ], { concurrency: "unbounded" })
          const endpoints = yield* world.cluster.directory.endpoints("order")
          return { outcomes, endpoints, finalReceived: world.cluster.pod("order-1")!.requestsReceived }
        })
    )
    const unready = clusterEvents(world, "unready", "order-1")
    expect(unready).toHaveLength(1)
    const removedAfter = unready[0]!.t - hangAt
    expect(removedAfter).toBeLessThanOrEqual(seedReadiness.periodMillis * seedReadiness.failureThreshold + seedReadiness.timeoutMillis)
    expect(removedAfter).toBeGreaterThanOrEqual(seedReadiness.periodMillis * (seedReadiness.failureThreshold - 1))
    expect(value.endpoints).toEqual(["http://order-0"])
    // before removal the hung pod got (and dropped) requests; after it, none reached it
    const lost = value.outcomes.filter((o) => o.t > hangAt && o.t < unready[0]!.t && failed(o))
    expect(lost.length).toBeGreaterThan(10)
    const atRemoval = received.find((r) => r.t > unready[0]!.t)!.n
    expect(value.finalReceived).toBe(atRemoval)
    expect(value.outcomes.filter((o) => o.t > unready[0]!.t).every((o) => o.status === 404)).toBe(true)
    // the pod is still alive (no liveness probe): hung, not restarted
    expect(clusterEvents(world, "liveness-kill")).toHaveLength(0)
  })
})

// ---- rolling update --------------------------------------------------------------------------

describe("rolling update arithmetic", () => {
  it("rounds maxSurge up and maxUnavailable down, and makes maxUnavailable 1 when both are 0", () => {
    const d = { maxSurge: "25%", maxUnavailable: "25%" } as const
    expect(resolveRollingUpdate(1, d)).toEqual({ maxSurge: 1, maxUnavailable: 0 })
    expect(resolveRollingUpdate(3, d)).toEqual({ maxSurge: 1, maxUnavailable: 0 })
    expect(resolveRollingUpdate(4, d)).toEqual({ maxSurge: 1, maxUnavailable: 1 })
    expect(resolveRollingUpdate(10, d)).toEqual({ maxSurge: 3, maxUnavailable: 2 })
    expect(resolveRollingUpdate(3, { maxSurge: 0, maxUnavailable: "25%" })).toEqual({ maxSurge: 0, maxUnavailable: 1 })
    expect(resolveRollingUpdate(5, { maxSurge: 2, maxUnavailable: 0 })).toEqual({ maxSurge: 2, maxUnavailable: 0 })
  })

  it("plans a surge pod first and deletes an old pod only once a new one is ready", () => {
    const strategy = { maxSurge: "25%", maxUnavailable: "25%" } as const
    const old = [1, 2, 3].map(() => ({ ready: true, version: 1 }))
    const start = planReplicas({ replicas: 3, version: 2, strategy, pods: old, pendingNew: 0, pendingOld: 0 })
    expect(start.create).toBe(1)
    expect(start.terminate).toHaveLength(0)
    const surged = [...old, { ready: false, version: 2 }]
    expect(planReplicas({ replicas: 3, version: 2, strategy, pods: surged, pendingNew: 0, pendingOld: 0 }).terminate).toHaveLength(0)
    const newReady = [...old, { ready: true, version: 2 }]
    const next = planReplicas({ replicas: 3, version: 2, strategy, pods: newReady, pendingNew: 0, pendingOld: 0 })
    expect(next.terminate).toEqual([old[2]])
    expect(next.create).toBe(0)
  })
})

/** The samples of a replica series that lie in [from, to]. */
const during = (series: ReadonlyArray<ReplicaSample>, from: number, to: number) => {
  const before = series.filter((s) => s.t <= from).at(-1)
  return [...(before ? [before] : []), ...series.filter((s) => s.t > from && s.t <= to)]
}

const rolloutRun = (options: WorldOptions & { readonly replicas: { readonly order: number } }, seed = 1) =>
  runWorld(options, (world) =>
    Effect.gen(function*() {
      const rollAt = 5_000
      const roll = Effect.gen(function*() {
        yield* Effect.sleep(rollAt)
        yield* world.cluster.rollout("order")
        yield* world.cluster.awaitRollout("order")
        return yield* now
      })
      const [doneAt, outcomes] = yield* Effect.all([
        roll,
        load(world, { url: "http://gateway/orders/1", everyMillis: 50, durationMillis: 90_000 })
      ], { concurrency: "unbounded" })
      return { rollAt, doneAt, outcomes, pods: world.cluster.podsOf("order").map((p) => ({ v: p.version, ready: p.ready })) }
    }), seed)

describe("rolling update", () => {
  it("with readiness: never below replicas − maxUnavailable ready pods, no failed request, ends all on the new version", () => {
    const { value, world } = rolloutRun({ replicas: { order: 4 } })
    const series = during(world.cluster.replicaSeries("order"), value.rollAt, value.doneAt)
    expect(series.length).toBeGreaterThan(4)
    // 4 replicas: maxSurge 1, maxUnavailable 1
    expect(Math.min(...series.map((s) => s.ready))).toBe(3)
    expect(Math.max(...series.map((s) => s.pods))).toBeLessThanOrEqual(5)
    expect(value.pods).toEqual([1, 2, 3, 4].map(() => ({ v: 2, ready: true })))
    expect(clusterEvents(world, "rollout-complete")).toHaveLength(1)
    expect(value.outcomes.length).toBe(1_800)
    expect(value.outcomes.filter(failed)).toEqual([])
    // new pods became ready through the readiness probe, not at container start
    const readyNew = clusterEvents(world, "ready").filter((e) => e.t > value.rollAt)
    expect(readyNew).toHaveLength(4)
    expect(readyNew.every((e) => e.detail === "readiness probe passed")).toBe(true)
  })

  it("with 3 replicas (surge 1, unavailable 0) keeps 3 ready pods and at most 4 pods", () => {
    const { value, world } = rolloutRun({ replicas: { order: 3 } })
    const series = during(world.cluster.replicaSeries("order"), value.rollAt, value.doneAt)
    expect(Math.min(...series.map((s) => s.ready))).toBe(3)
    expect(Math.max(...series.map((s) => s.pods))).toBe(4)
    expect(value.pods).toEqual([1, 2, 3].map(() => ({ v: 2, ready: true })))
    expect(value.outcomes.filter(failed)).toEqual([])
    expect(clusterEvents(world, "rollout")[0]!.detail).toContain("maxSurge=1 maxUnavailable=0")
  })

  it("without readiness: new pods count as ready before their app answers, and requests fail", () => {
    const { value, world } = rolloutRun({ replicas: { order: 3 }, cluster: { services: { order: { readiness: null } } } })
    const fails = value.outcomes.filter(failed)
    expect(fails.length).toBeGreaterThan(0)
    expect(fails.every((o) => o.t >= value.rollAt && o.t <= value.doneAt + 10_000)).toBe(true)
    expect(value.pods).toEqual([1, 2, 3].map(() => ({ v: 2, ready: true })))
    const readyNew = clusterEvents(world, "ready").filter((e) => e.t > value.rollAt)
    expect(readyNew.every((e) => e.detail === "container running (no readiness probe)")).toBe(true)
  })

  it("is deterministic: same seed, same trace", () => {
    expect(rolloutRun({ replicas: { order: 3 } }, 7).hash).toBe(rolloutRun({ replicas: { order: 3 } }, 7).hash)
  })
})

// ---- CPU -------------------------------------------------------------------------------------

/** Closed-loop users hammering one URL for a while; returns answers received. */
const hammer = (world: SimWorld, url: string, users: number, durationMillis: number) =>
  Effect.gen(function*() {
    const http = world.clientHttp()
    const deadline = (yield* now) + durationMillis
    let answered = 0
    const user = Effect.gen(function*() {
      while ((yield* now) < deadline) {
        const ok = yield* http.execute(HttpClientRequest.get(url)).pipe(Effect.as(true), Effect.orElseSucceed(() => false))
        if (ok && (yield* now) <= deadline) answered++
      }
    })
    yield* Effect.all(Array.from({ length: users }, () => user), { concurrency: "unbounded", discard: true })
    return answered
  })

describe("CPU limit", () => {
  const cpuMillis = 10
  const seconds = 5
  const users = 4

  it("caps a 500m pod at 1000 / (c / 0.5) requests per second", () => {
    const { value } = runWorld(
      { cluster: { services: { order: { cpuPerRequest: constant(cpuMillis) } } } },
      (world) => hammer(world, "http://order/orders/1", users, seconds * 1_000)
    )
    const cap = (1_000 / (cpuMillis / 0.5)) * seconds // 50 per second
    expect(value).toBeLessThanOrEqual(cap + 1)
    expect(value).toBeGreaterThanOrEqual(cap * 0.95)
  })

  it("a pod without a limit is not capped", () => {
    const { value } = runWorld(
      { cluster: { services: { order: { cpuPerRequest: constant(cpuMillis), resources: { limitMillicores: null } } } } },
      (world) => hammer(world, "http://order/orders/1", users, seconds * 1_000)
    )
    // only the network's 2–6 ms round trip limits each user
    expect(value).toBeGreaterThan(10 * (1_000 / (cpuMillis / 0.5)) * seconds)
  })

  it("measures usage against the request: 10 ms × 10/s on 200m is 50 %", () => {
    const { world } = runWorld(
      { cluster: { services: { order: { cpuPerRequest: constant(cpuMillis) } } } },
      (world) =>
        Effect.gen(function*() {
          yield* world.cluster.autoscale("order", { cpuPercent: 50, min: 1, max: 1 })
          yield* load(world, { url: "http://order/orders/1", everyMillis: 100, durationMillis: 61_000 })
        })
    )
    const utilisations = clusterEvents(world, "hpa").map((e) => Number(/cpu (\d+)%/.exec(e.detail!)?.[1]))
    expect(utilisations.length).toBeGreaterThanOrEqual(3)
    for (const u of utilisations.slice(1, 3)) expect(Math.abs(u - 50)).toBeLessThanOrEqual(1)
  })
})

// ---- HPA -------------------------------------------------------------------------------------

describe("HPA", () => {
  const hpaEntries = (world: SimWorld) =>
    clusterEvents(world, "hpa").map((e) => ({
      t: e.t,
      utilisation: Number(/cpu (\d+)%/.exec(e.detail!)?.[1] ?? NaN),
      desired: Number(/desired=(\d+)/.exec(e.detail!)![1])
    }))

  it("scales order from 1 to max under load, and back to min only after the 300 s stabilisation", () => {
    const loadMillis = 120_000
    const { world } = runWorld(
      { cluster: { services: { order: { cpuPerRequest: constant(10) } } } },
      (world) =>
        Effect.gen(function*() {
          yield* world.cluster.autoscale("order", { cpuPercent: 5, min: 1, max: 3 })
          yield* load(world, { url: "http://gateway/orders/1", everyMillis: 50, durationMillis: loadMillis })
          yield* Effect.sleep(400_000)
        })
    )
    const series = world.cluster.replicaSeries("order")
    expect(series[0]!.desired).toBe(1)
    expect(Math.max(...series.map((s) => s.desired))).toBe(3)
    expect(Math.max(...series.map((s) => s.ready))).toBe(3)
    const scales = clusterEvents(world, "scale", "order")
    expect(scales.map((e) => e.detail)).toEqual(["1→3 (hpa)", "3→1 (hpa)"])
    const up = scales[0]!.t
    const down = scales[1]!.t
    expect(up).toBeLessThanOrEqual(30_000) // the first sync with a metric window
    const lastBusy = hpaEntries(world).filter((e) => e.utilisation > 5).at(-1)!
    expect(lastBusy.t).toBeGreaterThanOrEqual(loadMillis - 15_000)
    expect(down - lastBusy.t).toBeGreaterThan(300_000 - 15_000)
    expect(down - lastBusy.t).toBeLessThanOrEqual(300_000 + 15_000)
    expect(down - loadMillis).toBeGreaterThanOrEqual(300_000 - 15_000)
    expect(series.at(-1)).toMatchObject({ desired: 1, ready: 1, pods: 1 })
  })

  it("does nothing while the ratio is within tolerance, and scales once it is not", () => {
    const run = (cpuPercent: number) =>
      runWorld(
        { cluster: { services: { order: { cpuPerRequest: constant(10) } } } },
        (world) =>
          Effect.gen(function*() {
            yield* world.cluster.autoscale("order", { cpuPercent, min: 1, max: 5 })
            // 10 ms every 100 ms: 100m, i.e. 50 % of the 200m request
            yield* load(world, { url: "http://order/orders/1", everyMillis: 100, durationMillis: 300_000 })
          })
      ).world
    const within = run(47) // ratio ≈ 1.06
    expect(clusterEvents(within, "scale", "order")).toHaveLength(0)
    expect(hpaEntries(within).length).toBeGreaterThanOrEqual(19)
    expect(hpaEntries(within).every((e) => e.desired === 1)).toBe(true)
    const beyond = run(40) // ratio 1.25
    expect(clusterEvents(beyond, "scale", "order")[0]!.detail).toBe("1→2 (hpa)")
  })

  it("follows Kubernetes' rules for missing metrics and not-yet-ready pods", () => {
    const pod = (name: string, over: Partial<HpaPod>): HpaPod => ({
      name,
      phase: "Running",
      ready: true,
      readyChangedAt: -1e9,
      startedAt: -1e9,
      requestMillicores: 200,
      metric: { timestamp: 0, windowMillis: 15_000, millicores: 0 },
      ...over
    })
    const o = { ...defaultAutoscale, cpuPercent: 50 }
    const busy = { timestamp: 0, windowMillis: 15_000, millicores: 200 } // 100 %
    // scale up: a pod without metrics counts as 0 %: (100 + 0) / 2 = 50 % → within tolerance, no change
    expect(recommend(0, 2, [pod("a", { metric: busy }), pod("b", { metric: undefined })], o).replicas).toBe(2)
    // without the missing pod it would have doubled
    expect(recommend(0, 1, [pod("a", { metric: busy })], o).replicas).toBe(2)
    // scale down: a pod without metrics counts as 100 %: (0 + 100) / 2 → no change
    expect(recommend(0, 2, [pod("a", {}), pod("b", { metric: undefined })], o).replicas).toBe(2)
    // a not-yet-ready pod (started 10 s ago) counts as 0 % on a scale up: (100+100+0)/3 = 67 % → ceil(1.33 × 3) = 4
    expect(
      recommend(0, 3, [pod("a", { metric: busy }), pod("b", { metric: busy }), pod("c", { ready: false, startedAt: -10_000, readyChangedAt: -10_000 })], o)
        .replicas
    ).toBe(4)
    // terminating pods are ignored
    expect(recommend(0, 1, [pod("a", { metric: busy }), pod("b", { phase: "Terminating" })], o).replicas).toBe(2)
  })

  describe("Kubernetes 1.33 replica calculator details", () => {
    const pod = (name: string, over: Partial<HpaPod>): HpaPod => ({
      name,
      phase: "Running",
      ready: true,
      readyChangedAt: -1e9,
      startedAt: -1e9,
      requestMillicores: 200,
      metric: { timestamp: 0, windowMillis: 15_000, millicores: 0 },
      ...over
    })
    const using = (millicores: number) => ({ timestamp: 0, windowMillis: 15_000, millicores })
    const o = { ...defaultAutoscale, cpuPercent: 50 }

    it("a Pending pod counts as unready (0 % on a scale-up), not ignored", () => {
      // 100 % on a, Pending b at 0 %: (200 + 0) / 400 = 50 % → ratio 1, no change (ignoring b would double)
      const r = recommend(0, 1, [pod("a", { metric: using(200) }), pod("b", { phase: "Pending", metric: undefined })], o)
      expect(r).toMatchObject({ replicas: 1, readyPods: 1, unreadyPods: 1, ignoredPods: 0 })
    })

    it("tolerance is (1 − down) ≤ ratio ≤ (1 + up), with no float edge at exactly 1.1", () => {
      // 2 pods at 55 %: ratio 55 / 50 = 1.1 exactly is within the default 0.1
      expect(recommend(0, 2, [pod("a", { metric: using(110) }), pod("b", { metric: using(110) })], o).replicas).toBe(2)
      // 57 %: ratio 1.14, outside the default, inside a scale-up tolerance of 0.2
      const busy = [pod("a", { metric: using(115) }), pod("b", { metric: using(115) })]
      expect(recommend(0, 2, busy, o).replicas).toBe(3)
      expect(recommend(0, 2, busy, { ...o, scaleUp: { ...o.scaleUp, tolerance: 0.2 } }).replicas).toBe(2)
      // four pods at 37 %: ratio 0.74 → ceil(0.74 × 4) = 3, unless the scale-down tolerance covers it
      const idle = ["a", "b", "c", "d"].map((name) => pod(name, { metric: using(75) }))
      expect(recommend(0, 4, idle, o).replicas).toBe(3)
      expect(recommend(0, 4, idle, { ...o, scaleUp: { ...o.scaleUp, tolerance: 0.5 } }).replicas).toBe(3)
      expect(recommend(0, 4, idle, { ...o, scaleDown: { ...o.scaleDown, tolerance: 0.3 } }).replicas).toBe(4)
    })

    it("a zero total CPU request is an error (no recommendation), not 0 replicas", () => {
      const r = recommend(0, 2, [pod("a", { requestMillicores: 0, metric: using(50) }), pod("b", { requestMillicores: 0 })], o)
      expect(r.replicas).toBeUndefined()
    })

    it("the missing-pod fallback on a scale-down is integer milli-CPU: ⌊request × max(100, target) / 100⌋", () => {
      // target 150 %: the missing pod counts as ⌊333 × 150 / 100⌋ = 499m (not 499.5m), so utilisation is
      // ⌊(7 + 499) × 100 / 666⌋ = 75 % → ratio 0.5 → ceil(0.5 × 2) = 1 (499.5m would give 76 % → 2)
      const pods = [pod("a", { requestMillicores: 333, metric: using(7) }), pod("b", { requestMillicores: 333, metric: undefined })]
      expect(recommend(0, 2, pods, { ...o, cpuPercent: 150 }).replicas).toBe(1)
    })
  })
})

// ---- persistence -----------------------------------------------------------------------------

describe("node disk", () => {
  it("keeps a service's database across a kill (new pod) and a container restart (same pod)", () => {
    const { value, world } = runWorld({}, (world) =>
      Effect.gen(function*() {
        const client = yield* HttpApiClient.makeWith(OrderApi, { httpClient: world.clientHttp(), baseUrl: "http://gateway" })
        const placed = yield* client.orders.place({ payload: { menuId: MenuId.make(1), price: Money.make(1000) } })
        yield* world.cluster.kill("order-0")
        yield* Effect.sleep(30_000)
        const afterKill = yield* client.orders.get({ path: { orderId: placed.orderId } })
        const replacement = world.cluster.podsOf("order").map((p) => p.address)
        yield* world.cluster.restart(replacement[0]!)
        yield* Effect.sleep(30_000)
        const afterRestart = yield* client.orders.get({ path: { orderId: placed.orderId } })
        return { placed, afterKill, afterRestart, replacement, restarts: world.cluster.pod(replacement[0]!)!.restarts }
      }))
    expect(value.replacement).toEqual(["order-1"])
    expect(value.restarts).toBe(1)
    expect(value.afterKill.orderId).toBe(value.placed.orderId)
    expect(value.afterRestart.orderId).toBe(value.placed.orderId)
    expect(value.afterRestart.status).toBe(value.afterKill.status)
    expect(clusterEvents(world, "terminated", "order-0")[0]!.detail).toBe("killed")
  })
})
