/**
 * The live world's verbs on real processes, one stack for the file: each fault does to the running
 * system what it claims — SIGKILL and replacement, SIGSTOP and release, a restart in place, a
 * partition through Toxiproxy, a broker outage with the outbox holding events until Redis is back,
 * latency on a link, scaling to zero and back, a rolling update gated on readiness, duplicate
 * deliveries absorbed by the inboxes, a skewed clock, a CPU hog — and truth() reads the services'
 * SQLite files and Redis. At the end the world's scope closes and no process is left.
 */
import { Effect, Exit, Scope } from "effect"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { indexTruth } from "../../src/chaos/invariants/RunTruth.js"
import { livenessInvariants } from "../../src/chaos/invariants/LivenessInvariants.js"
import { safetyInvariants } from "../../src/chaos/invariants/SafetyInvariants.js"
import { trackedPids } from "../../src/live/ChildProcesses.js"
import { processCpuMillis } from "../../src/live/LiveAutoscaler.js"
import { LiveWorld } from "../../src/live/LiveWorld.js"
import { defaultSagaConfig } from "../../src/services/SagaConfig.js"
import { awaitGone } from "./support/processes.js"

/** Every duration of the world at half its real length. */
const SCALE = 0.5
let world: LiveWorld
let scope: Scope.CloseableScope

const run = <A>(effect: Effect.Effect<A>) => Effect.runPromise(Effect.withClock(effect, world.stack.clock))
const sleep = (millis: number) => new Promise((resolve) => setTimeout(resolve, millis))
const gateway = () => world.stack.supervisor.directoryFor("client").gateway?.[0] ?? "http://127.0.0.1:1"

const place = async (timeoutMillis = 5_000) => {
  try {
    const response = await fetch(`${gateway()}/orders`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ menuId: 1, price: 1500 }),
      signal: AbortSignal.timeout(timeoutMillis)
    })
    const body = await response.json() as { orderId?: number; reason?: string }
    return { ...body, status: response.status }
  } catch (error) {
    return { status: 0, reason: (error as Error).name }
  }
}

const until = async (what: string, check: () => Promise<boolean> | boolean, millis = 30_000) => {
  const deadline = Date.now() + millis
  while (Date.now() < deadline) {
    if (await check()) return
    await sleep(100)
  }
  throw new Error(`timed out waiting for ${what}`)
}

const cluster = (action: string, pod: string) =>
  world.history.entries.some((e) => e.type === "cluster" && e.action === action && e.pod === pod)

beforeAll(async () => {
  scope = Effect.runSync(Scope.make())
  world = await Effect.runPromise(Scope.extend(LiveWorld.make({
    timeScale: SCALE,
    config: { ...defaultSagaConfig, payment: { processing: { _tag: "Uniform", minMillis: 20, maxMillis: 40 } } }
  }), scope))
})

afterAll(async () => {
  const pids = trackedPids()
  await Effect.runPromise(Scope.close(scope, Exit.void))
  expect(trackedPids()).toEqual([])
  expect(await awaitGone(pids)).toEqual([])
})

describe("LiveWorld", () => {
  it("starts every service's replica warm and ready, and serves the saga", async () => {
    for (const service of ["order", "payment", "make", "mypage", "gateway"] as const) expect(world.replicas(service)).toBe(1)
    const placed = await place()
    expect(placed.status).toBe(201)
    await until("the order to be made", async () => {
      const truth = await run(world.truth())
      return truth.orders.some((o) => o.orderId === placed.orderId && o.status === "Made")
    })
    const truth = await run(world.truth())
    expect(truth.orders.find((o) => o.orderId === placed.orderId)?.status).toBe("Made")
    expect(truth.payments.find((p) => p.orderId === placed.orderId)).toMatchObject({ status: "Approved", amount: 1500 })
    const kinds = world.history.entries.filter((e) => e.type === "event" && e.orderId === placed.orderId).map((e) => e.type === "event" && e.kind)
    expect(new Set(kinds)).toEqual(new Set(["OrderPlaced", "PaymentApproved", "CoffeeMade"]))
  })

  it("kill: SIGKILL, then the ReplicaSet's replacement becomes ready and serves", async () => {
    const outcome = await run(world.kill({ service: "payment", replica: 0 }))
    expect(outcome).toEqual({ _tag: "Applied", target: "payment-0" })
    expect(cluster("killed", "payment-0")).toBe(true)
    expect(world.replicas("payment")).toBe(0)
    await until("payment-1 to be ready", () => cluster("ready", "payment-1"), 60_000)
    expect((await place()).status).toBe(201)
  })

  it("hang: SIGSTOP leaves the process alive and silent until release", async () => {
    const hung = await run(world.hang({ service: "order", replica: 0 }))
    expect(hung._tag).toBe("Applied")
    const pod = world.stack.supervisor.pod("order-0")!
    expect(pod.containerRunning).toBe(true)
    expect((await place(1_500)).status).not.toBe(201)
    await run(world.release("order-0"))
    expect(cluster("recover", "order-0")).toBe(true)
    await until("order to answer again", async () => (await place()).status === 201)
  })

  it("restart: the container dies and the kubelet starts a new one in the same pod", async () => {
    const pid = world.stack.supervisor.pod("make-0")!.container!.child.pid
    expect((await run(world.restart({ service: "make", replica: 0 })))._tag).toBe("Applied")
    await until("make-0's new container", () => {
      const container = world.stack.supervisor.pod("make-0")?.container
      return container !== undefined && container.running && container.child.pid !== pid
    }, 60_000)
    expect(cluster("crash", "make-0")).toBe(true)
    expect(cluster("restart", "make-0")).toBe(true)
  })

  it("partition: order cannot reach payment through its proxy until repaired", async () => {
    await run(world.partition("order", "payment", { oneWay: false }))
    const refused = await place()
    expect(refused.status).toBe(503)
    expect(refused.reason).toMatch(/^payment-(unreachable|timeout|circuit-open)$/)
    await run(world.repair("order", "payment"))
    // the breaker may be open for its wait (5 s of the scenario): retry until it lets calls through
    await until("orders to be accepted again", async () => (await place()).status === 201, 30_000)
  })

  it("broker outage: orders are still accepted, their events wait in the outbox and drain once Redis is back", async () => {
    await run(world.brokerDown())
    const placed = await place()
    expect(placed.status).toBe(201)
    await sleep(500)
    const during = await run(world.truth())
    expect(during.outboxBacklog.order).toBeGreaterThan(0)
    await run(world.brokerUp())
    await until("the outboxes to drain and the coffee to be made", async () => {
      const truth = await run(world.truth())
      return truth.outboxBacklog.order === 0 && truth.makes.some((m) => m.orderId === placed.orderId && m.status === "Made")
    }, 60_000)
  })

  it("slow: latency on the client → gateway link delays every answer", async () => {
    await run(world.slow("client", "gateway", { _tag: "Constant", millis: 800 }))
    const started = Date.now()
    expect((await place()).status).toBe(201)
    // 800 scenario ms at half scale: 400 ms of real latency on the answer
    expect(Date.now() - started).toBeGreaterThanOrEqual(400)
    await run(world.slow("client", "gateway", undefined))
  })

  it("scale to zero and back: orders fail while payment has no replica, then succeed", async () => {
    await run(world.scale("payment", 0, "test"))
    await until("payment to have no replica", () => world.replicas("payment") === 0, 30_000)
    const refused = await place()
    expect(refused.status).toBe(503)
    await run(world.scale("payment", 1, "test"))
    await until("a payment replica to be ready", () => (world.stack.supervisor.directoryFor("order").payment ?? []).length === 1, 60_000)
    expect((await place()).status).toBe(201)
  })

  it("roll: a rolling update with readiness replaces the replica, the new one ready first", async () => {
    await run(world.roll("mypage", { readiness: true }))
    await until("the rollout to complete", () => cluster("rollout-complete", "mypage"), 90_000)
    const pods = world.stack.supervisor.podsOf("mypage")
    expect(pods).toHaveLength(1)
    expect(pods[0]!.version).toBe(2)
  })

  it("duplicate deliveries: every new event is appended again, and the inboxes keep effects single", async () => {
    await run(world.brokerDuplicate(1))
    const placed = await place()
    expect(placed.status).toBe(201)
    // OrderPlaced, PaymentApproved and CoffeeMade, each appended twice
    await until("the order's three events to be duplicated", () => world.tail.duplicates >= 3)
    await run(world.brokerDuplicate(0))
    await until("the duplicated order to be made", async () => {
      const truth = await run(world.truth())
      return truth.orders.some((o) => o.orderId === placed.orderId && o.status === "Made")
    })
    const truth = await run(world.truth())
    const index = indexTruth(truth)
    for (const check of safetyInvariants) expect(check(truth, index)).toMatchObject({ ok: true })
  })

  it("clock skew: the replica's own clock (its events' occurredAt) runs an hour ahead", async () => {
    await run(world.skewClock({ service: "payment", replica: 0 }, { offsetMillis: 3_600_000 }))
    await sleep(200)
    const placed = await place()
    expect(placed.status).toBe(201)
    await run(world.truth())
    const entries = await world.redis.xrange("payment-events", "-", "+")
    const body = entries.map(([, fields]) => JSON.parse(fields[1]!)).find((e) => e.event.orderId === placed.orderId)
    const now = world.stack.clock.unsafeCurrentTimeMillis()
    expect(body.occurredAt - now).toBeGreaterThan(3_000_000)
    await run(world.unskewClock(world.stack.supervisor.podsOf("payment")[0]!.name))
  })

  it("CPU hog: the replica's process burns the CPU it is told to, an idle one does not", async () => {
    const hogged = world.stack.supervisor.podsOf("make")[0]!
    const idle = world.stack.supervisor.podsOf("mypage")[0]!
    const cpu = () => [processCpuMillis(hogged.container!.child.pid!)!, processCpuMillis(idle.container!.child.pid!)!] as const
    const [hogBefore, idleBefore] = cpu()
    await run(world.hogCpu({ service: "make", replica: 0 }, 0.9))
    await sleep(2_000)
    const [hogAfter, idleAfter] = cpu()
    await run(world.unhogCpu(hogged.name))
    // however loaded the machine, a process busy 90 % of the time takes far more than an idle one
    expect(hogAfter - hogBefore).toBeGreaterThan(2 * (idleAfter - idleBefore) + 50)
  })

  it("no fault failed to reach its proxy", () => {
    expect(world.stack.proxies.errors).toEqual([])
  })

  it("after healAll, every liveness invariant holds", async () => {
    await run(world.healAll())
    await until("the system to converge", async () => {
      const truth = await run(world.truth())
      const index = indexTruth(truth)
      return livenessInvariants.every((check) => check(truth, index).ok)
    }, 60_000)
    const truth = await run(world.truth())
    const index = indexTruth(truth)
    for (const check of safetyInvariants) expect(check(truth, index)).toMatchObject({ ok: true })
  })
})
