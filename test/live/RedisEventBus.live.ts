/**
 * The EventBus port over a real redis-server (started by the harness on a free port): the contract
 * the simulated broker also keeps — consumer groups, pending entries and their acknowledgement,
 * XAUTOCLAIM of entries a dead consumer left with their delivery counts — plus BusUnavailable, fast,
 * when Redis cannot be reached.
 */
import { Effect } from "effect"
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { startRedis } from "../../src/live/Dependencies.js"
import { freePort } from "../../src/live/FreePort.js"
import { makeRedisEventBus } from "../../src/live/RedisEventBus.js"
import { Scope, Exit } from "effect"

let scope: Scope.CloseableScope
let url = ""
const dir = mkdtempSync(join(tmpdir(), "starcoffee-bus-"))

beforeAll(async () => {
  scope = Effect.runSync(Scope.make())
  const port = await Effect.runPromise(Scope.extend(startRedis(dir), scope))
  url = `redis://127.0.0.1:${port}`
})
afterAll(async () => {
  await Effect.runPromise(Scope.close(scope, Exit.void))
  rmSync(dir, { recursive: true, force: true })
})

const withBus = <A, E>(pod: string, f: (bus: Effect.Effect.Success<ReturnType<typeof makeRedisEventBus>>) => Effect.Effect<A, E>) =>
  Effect.runPromise(Effect.scoped(Effect.flatMap(makeRedisEventBus({ url, pod, time: { origin: 0, scale: 1 } }), f)))

describe("RedisEventBus", () => {
  it("delivers each entry once per group, keeps it pending until acked, and hands idle entries to another consumer", async () => {
    await withBus("order-0", (bus) =>
      Effect.gen(function*() {
        yield* bus.ensureGroup("t1", "make")
        yield* bus.ensureGroup("t1", "make") // a no-op when the group exists
        yield* bus.ensureGroup("t1", "mypage")
        const a = yield* bus.publish("t1", "{\"n\":1}")
        const b = yield* bus.publish("t1", "{\"n\":2}")
        const first = yield* bus.read({ group: "make", consumer: "make-0", streams: ["t1"], count: 10, block: 100 })
        expect(first.map((e) => [e.id, e.body, e.deliveryCount])).toEqual([[a, "{\"n\":1}", 1], [b, "{\"n\":2}", 1]])
        // another group gets its own copy; the same group nothing more
        expect((yield* bus.read({ group: "mypage", consumer: "mypage-0", streams: ["t1"], count: 10, block: 100 })).length).toBe(2)
        expect(yield* bus.read({ group: "make", consumer: "make-1", streams: ["t1"], count: 10, block: 50 })).toEqual([])
        // make-0 acks a and dies with b pending: make-1 claims b once it has been idle long enough
        yield* bus.ack("t1", "make", [a])
        expect(yield* bus.claimIdle({ stream: "t1", group: "make", consumer: "make-1", minIdle: 60_000, count: 10 })).toEqual([])
        yield* Effect.promise(() => new Promise((r) => setTimeout(r, 30)))
        const claimed = yield* bus.claimIdle({ stream: "t1", group: "make", consumer: "make-1", minIdle: 20, count: 10 })
        expect(claimed.map((e) => [e.id, e.deliveryCount])).toEqual([[b, 2]])
        yield* bus.ack("t1", "make", [b])
        expect(yield* bus.claimIdle({ stream: "t1", group: "make", consumer: "make-1", minIdle: 0, count: 10 })).toEqual([])
      }))
  })

  it("scales BLOCK and min-idle by the run's time scale", async () => {
    await Effect.runPromise(Effect.scoped(Effect.gen(function*() {
      const bus = yield* makeRedisEventBus({ url, pod: "p", time: { origin: 0, scale: 0.01 } })
      yield* bus.ensureGroup("t2", "g")
      const started = Date.now()
      // 10 000 scenario ms at scale 0.01: a 100 ms real block
      expect(yield* bus.read({ group: "g", consumer: "c", streams: ["t2"], count: 1, block: 10_000 })).toEqual([])
      expect(Date.now() - started).toBeLessThan(2_000)
    })))
  })

  it("fails with BusUnavailable at once when Redis cannot be reached", async () => {
    const port = await freePort()
    const outcome = await Effect.runPromise(Effect.scoped(Effect.gen(function*() {
      const bus = yield* makeRedisEventBus({ url: `redis://127.0.0.1:${port}`, pod: "p", time: { origin: 0, scale: 1 } })
      const started = Date.now()
      const publish = yield* Effect.either(bus.publish("t3", "x"))
      const read = yield* Effect.either(bus.read({ group: "g", consumer: "c", streams: ["t3"], count: 1, block: 5_000 }))
      return { publish, read, millis: Date.now() - started }
    })))
    expect(outcome.publish._tag === "Left" && outcome.publish.left._tag).toBe("BusUnavailable")
    expect(outcome.read._tag === "Left" && outcome.read.left._tag).toBe("BusUnavailable")
    expect(outcome.millis).toBeLessThan(2_000)
  })
})
