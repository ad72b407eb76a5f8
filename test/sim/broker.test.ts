import { describe, expect, it } from "@effect/vitest"
import { Effect, Exit, Fiber, Option, Random, TestClock } from "effect"
import { type BusEntry, BusUnavailable, EventBus, type EventBusShape } from "../../src/services/ports/EventBus.js"
import { layer, make, SimBroker, type SimBrokerOptions } from "../../src/sim/broker/SimBroker.js"

const G = "g"

const read = (
  bus: EventBusShape,
  consumer: string,
  streams: ReadonlyArray<string>,
  options: { readonly count?: number; readonly block?: number; readonly group?: string } = {}
) =>
  bus.read({
    group: options.group ?? G,
    consumer,
    streams,
    count: options.count ?? 100,
    block: options.block ?? 0
  })

const bodies = (entries: ReadonlyArray<BusEntry>) => entries.map((e) => e.body)
const ids = (entries: ReadonlyArray<BusEntry>) => entries.map((e) => e.id)

/** Lets forked fibers run until they block (no virtual time passes). */
const settle = Effect.gen(function*() {
  for (let i = 0; i < 20; i++) yield* Effect.yieldNow()
})

const setup = (options?: SimBrokerOptions) => make(options)

const publishAll = (bus: EventBusShape, stream: string, items: ReadonlyArray<string>) =>
  Effect.forEach(items, (body) => bus.publish(stream, body))

describe("SimBroker", () => {
  it.effect("assigns monotonic <ms>-<seq> ids and preserves per-stream order", () =>
    Effect.gen(function*() {
      const { bus } = yield* setup()
      yield* bus.ensureGroup("s1", G)
      yield* bus.ensureGroup("s2", G)
      const a = yield* bus.publish("s1", "a")
      const b = yield* bus.publish("s1", "b")
      const c = yield* bus.publish("s2", "c")
      yield* TestClock.adjust("5 millis")
      const d = yield* bus.publish("s1", "d")
      const e = yield* bus.publish("s2", "e")
      expect([a, b, c, d, e]).toEqual(["0-0", "0-1", "0-0", "5-0", "5-0"])

      const got = yield* read(bus, "c1", ["s1", "s2"])
      expect(got.map((x) => `${x.stream}:${x.body}:${x.id}:${x.deliveryCount}`)).toEqual([
        "s1:a:0-0:1",
        "s1:b:0-1:1",
        "s1:d:5-0:1",
        "s2:c:0-0:1",
        "s2:e:5-0:1"
      ])
    }))

  it.effect("COUNT limits each stream (as XREADGROUP does) and continues where it stopped", () =>
    Effect.gen(function*() {
      const { bus } = yield* setup()
      yield* bus.ensureGroup("s1", G)
      yield* bus.ensureGroup("s2", G)
      yield* publishAll(bus, "s1", ["a1", "a2", "a3"])
      yield* publishAll(bus, "s2", ["b1", "b2", "b3"])
      expect(bodies(yield* read(bus, "c", ["s1", "s2"], { count: 2 }))).toEqual(["a1", "a2", "b1", "b2"])
      expect(bodies(yield* read(bus, "c", ["s1", "s2"], { count: 2 }))).toEqual(["a3", "b3"])
      expect(yield* read(bus, "c", ["s1", "s2"], { count: 2 })).toEqual([])
    }))

  it.effect("two consumers of one group split the entries; two groups each get every entry", () =>
    Effect.gen(function*() {
      const { bus, inspect } = yield* setup()
      yield* bus.ensureGroup("s", "g1")
      yield* bus.ensureGroup("s", "g2")
      yield* publishAll(bus, "s", ["1", "2", "3", "4", "5"])

      const c1 = yield* read(bus, "c1", ["s"], { group: "g1", count: 2 })
      const c2 = yield* read(bus, "c2", ["s"], { group: "g1", count: 10 })
      expect(bodies(c1)).toEqual(["1", "2"])
      expect(bodies(c2)).toEqual(["3", "4", "5"])
      expect(yield* read(bus, "c1", ["s"], { group: "g1" })).toEqual([])

      const other = yield* read(bus, "x", ["s"], { group: "g2" })
      expect(bodies(other)).toEqual(["1", "2", "3", "4", "5"])

      const snapshot = yield* inspect.snapshot
      expect(snapshot.streams[0]!.groups.map((g) => [g.group, g.pending, g.lag, g.pendingByConsumer])).toEqual([
        ["g1", 5, 0, { c1: 2, c2: 3 }],
        ["g2", 5, 0, { x: 5 }]
      ])
    }))

  it.effect("a group created after publishes still sees the earlier entries", () =>
    Effect.gen(function*() {
      const { bus, inspect } = yield* setup()
      yield* publishAll(bus, "s", ["early1", "early2"])
      expect(yield* inspect.lag("s", G)).toBe(0) // no group yet
      yield* bus.ensureGroup("s", G)
      expect(yield* inspect.lag("s", G)).toBe(2)
      yield* bus.publish("s", "late")
      // ensureGroup on an existing group is a no-op: it does not rewind the cursor.
      expect(bodies(yield* read(bus, "c", ["s"], { count: 1 }))).toEqual(["early1"])
      yield* bus.ensureGroup("s", G)
      expect(bodies(yield* read(bus, "c", ["s"]))).toEqual(["early2", "late"])
    }))

  it.effect("reading a group that does not exist fails with NOGROUP", () =>
    Effect.gen(function*() {
      const { bus } = yield* setup()
      yield* bus.publish("s", "x")
      const error = yield* Effect.flip(read(bus, "c", ["s"]))
      expect(error).toBeInstanceOf(BusUnavailable)
      expect(error.reason).toMatch(/^NOGROUP/)
      const claimError = yield* Effect.flip(
        bus.claimIdle({ stream: "s", group: G, consumer: "c", minIdle: 0, count: 10 })
      )
      expect(claimError.reason).toMatch(/^NOGROUP/)
    }))

  it.effect("ack removes entries from the PEL; unknown and repeated ids are ignored", () =>
    Effect.gen(function*() {
      const { bus, inspect } = yield* setup()
      yield* bus.ensureGroup("s", G)
      yield* publishAll(bus, "s", ["a", "b", "c"])
      const got = yield* read(bus, "c", ["s"])
      expect(yield* inspect.pendingCount("s", G)).toBe(3)
      yield* bus.ack("s", G, [got[0]!.id, got[2]!.id, got[2]!.id, "99-0"])
      expect((yield* inspect.pending("s", G)).map((p) => p.id)).toEqual([got[1]!.id])
      yield* bus.ack("s", "other-group", [got[1]!.id]) // wrong group: no effect
      expect(yield* inspect.pendingCount("s", G)).toBe(1)
      yield* bus.ack("s", G, [got[1]!.id])
      expect(yield* inspect.pendingCount("s", G)).toBe(0)
      expect((yield* inspect.counters).acked).toBe(3)
      // acked entries are not redelivered, not even when idle
      yield* TestClock.adjust("1 hour")
      expect(yield* bus.claimIdle({ stream: "s", group: G, consumer: "c2", minIdle: 0, count: 10 })).toEqual([])
    }))

  it.effect("unacked entries stay pending and are reclaimed only after the idle time, with deliveryCount 2", () =>
    Effect.gen(function*() {
      const { bus, inspect } = yield* setup()
      yield* bus.ensureGroup("s", G)
      yield* publishAll(bus, "s", ["a", "b"])
      const first = yield* read(bus, "dead", ["s"], { count: 1 })
      yield* TestClock.adjust("400 millis")
      const second = yield* read(bus, "dead", ["s"], { count: 1 })
      expect(bodies(first)).toEqual(["a"])
      expect(bodies(second)).toEqual(["b"])

      const claim = (consumer: string) => bus.claimIdle({ stream: "s", group: G, consumer, minIdle: "1 second", count: 10 })
      yield* TestClock.adjust("599 millis") // a idle 999 ms
      expect(yield* claim("alive")).toEqual([])
      yield* TestClock.adjust("1 millis") // a idle 1000 ms, b idle 600 ms
      const claimed = yield* claim("alive")
      expect(claimed).toEqual([{ id: first[0]!.id, stream: "s", body: "a", deliveryCount: 2 }])
      expect((yield* inspect.pending("s", G)).map((p) => [p.id, p.consumer, p.deliveryCount])).toEqual([
        [second[0]!.id, "dead", 1],
        [first[0]!.id, "alive", 2]
      ])
      // the claim reset the idle time of a
      yield* TestClock.adjust("400 millis")
      expect(yield* claim("alive")).toEqual([{ id: second[0]!.id, stream: "s", body: "b", deliveryCount: 2 }])
      yield* TestClock.adjust("600 millis")
      const again = yield* claim("third")
      expect(again.map((e) => [e.body, e.deliveryCount])).toEqual([["a", 3]])
      expect((yield* inspect.counters).redelivered).toBe(3)
      // never handed out again by ">"
      expect(yield* read(bus, "alive", ["s"])).toEqual([])
    }))

  it.effect("claimIdle honours count and returns entries in stream order", () =>
    Effect.gen(function*() {
      const { bus } = yield* setup()
      yield* bus.ensureGroup("s", G)
      yield* publishAll(bus, "s", ["a", "b", "c", "d"])
      yield* read(bus, "c", ["s"])
      yield* TestClock.adjust("10 millis")
      const claim = bus.claimIdle({ stream: "s", group: G, consumer: "d", minIdle: 5, count: 3 })
      expect(bodies(yield* claim)).toEqual(["a", "b", "c"])
      // d is the only one still idle for 5 ms
      expect(bodies(yield* claim)).toEqual(["d"])
      expect(yield* claim).toEqual([])
      // After claiming a alone the PEL is b, c, d, a in last-delivery order; a claim still answers in id order.
      yield* TestClock.adjust("10 millis")
      const claimOne = bus.claimIdle({ stream: "s", group: G, consumer: "e", minIdle: 5, count: 1 })
      expect(bodies(yield* claimOne)).toEqual(["a"])
      yield* TestClock.adjust("10 millis")
      const all = yield* bus.claimIdle({ stream: "s", group: G, consumer: "e", minIdle: 0, count: 10 })
      expect(all.map((e) => [e.body, e.deliveryCount])).toEqual([["a", 4], ["b", 3], ["c", 3], ["d", 3]])
    }))

  it.effect("a blocking read wakes on publish, and times out with [] otherwise", () =>
    Effect.gen(function*() {
      const { bus, inspect } = yield* setup()
      yield* bus.ensureGroup("s", G)
      yield* bus.ensureGroup("other", G)

      const waiting = yield* Effect.fork(read(bus, "c", ["s"], { block: 1000 }))
      yield* settle
      expect(yield* inspect.blockedReaders).toBe(1)
      yield* TestClock.adjust("300 millis")
      yield* bus.publish("other", "not for this reader")
      yield* settle
      expect(yield* Fiber.poll(waiting)).toEqual(Option.none())
      yield* bus.publish("s", "hello")
      yield* settle
      const woken = yield* Fiber.poll(waiting)
      expect(Option.isSome(woken)).toBe(true)
      expect(bodies(yield* Fiber.join(waiting))).toEqual(["hello"])
      expect(yield* TestClock.currentTimeMillis).toBe(300)
      expect(yield* inspect.blockedReaders).toBe(0)

      const idle = yield* Effect.fork(read(bus, "c", ["s"], { block: 1000 }))
      yield* settle
      yield* TestClock.adjust("999 millis")
      expect(yield* Fiber.poll(idle)).toEqual(Option.none())
      yield* TestClock.adjust("1 millis")
      expect(yield* Fiber.join(idle)).toEqual([])
      expect(yield* inspect.blockedReaders).toBe(0)
    }))

  it.effect("one publish wakes one of two blocked readers of a group; the other keeps waiting its full block", () =>
    Effect.gen(function*() {
      const { bus, inspect } = yield* setup()
      yield* bus.ensureGroup("s", G)
      const r1 = yield* Effect.fork(read(bus, "c1", ["s"], { block: 500 }))
      const r2 = yield* Effect.fork(read(bus, "c2", ["s"], { block: 500 }))
      yield* settle
      yield* TestClock.adjust("100 millis")
      yield* bus.publish("s", "only")
      yield* settle
      const [p1, p2] = [yield* Fiber.poll(r1), yield* Fiber.poll(r2)]
      expect([Option.isSome(p1), Option.isSome(p2)]).toEqual([true, false])
      expect(bodies(yield* Fiber.join(r1))).toEqual(["only"])
      expect(yield* inspect.blockedReaders).toBe(1)
      yield* TestClock.adjust("399 millis")
      expect(yield* Fiber.poll(r2)).toEqual(Option.none())
      yield* TestClock.adjust("1 millis")
      expect(yield* Fiber.join(r2)).toEqual([])
    }))

  it.effect("interrupting a blocked read leaves no waiter behind; a later publish goes to the next reader", () =>
    Effect.gen(function*() {
      const { bus, inspect } = yield* setup()
      yield* bus.ensureGroup("s1", G)
      yield* bus.ensureGroup("s2", G)
      const blocked = yield* Effect.fork(read(bus, "gone", ["s1", "s2"], { block: 60_000 }))
      yield* settle
      yield* TestClock.adjust("1 second")
      expect(yield* inspect.blockedReaders).toBe(1)
      yield* Fiber.interrupt(blocked)
      expect(yield* inspect.blockedReaders).toBe(0)

      yield* bus.publish("s2", "after")
      const next = yield* read(bus, "next", ["s1", "s2"])
      expect(bodies(next)).toEqual(["after"])
      expect((yield* inspect.pending("s2", G)).map((p) => p.consumer)).toEqual(["next"])
      yield* TestClock.adjust("2 minutes")
      expect(yield* inspect.blockedReaders).toBe(0)
    }))

  it.effect("an outage fails every operation with BusUnavailable, fails blocked reads, and recovery loses nothing", () =>
    Effect.gen(function*() {
      const { bus, control, inspect } = yield* setup()
      yield* bus.ensureGroup("s", G)
      yield* publishAll(bus, "s", ["a", "b"])
      const a = yield* read(bus, "c", ["s"], { count: 1 })
      yield* bus.ensureGroup("t", G)
      const blocked = yield* Effect.fork(read(bus, "c", ["t"], { block: 10_000 }))
      yield* settle

      yield* control.setOutage(true)
      yield* settle
      const blockedExit = yield* Fiber.poll(blocked)
      expect(Option.isSome(blockedExit) && Exit.isFailure(blockedExit.value)).toBe(true)
      expect(yield* Effect.flip(Fiber.join(blocked))).toBeInstanceOf(BusUnavailable)
      expect(yield* inspect.blockedReaders).toBe(0)

      const failures = yield* Effect.all([
        Effect.flip(bus.publish("s", "lost")),
        Effect.flip(bus.ensureGroup("s", "new-group")),
        Effect.flip(read(bus, "c", ["s"])),
        Effect.flip(read(bus, "c", ["s"], { block: 1000 })),
        Effect.flip(bus.ack("s", G, [a[0]!.id])),
        Effect.flip(bus.claimIdle({ stream: "s", group: G, consumer: "c", minIdle: 0, count: 10 }))
      ])
      expect(failures.map((e) => e._tag)).toEqual(Array(6).fill("BusUnavailable"))
      expect((yield* inspect.counters).rejected).toBe(7)

      yield* TestClock.adjust("5 seconds")
      yield* control.setOutage(false)
      expect(yield* inspect.streamLength("s")).toBe(2)
      expect(yield* inspect.pendingCount("s", G)).toBe(1)
      expect(bodies(yield* read(bus, "c", ["s"]))).toEqual(["b"])
      const reclaimed = yield* bus.claimIdle({ stream: "s", group: G, consumer: "c2", minIdle: "5 seconds", count: 10 })
      expect(reclaimed.map((e) => [e.body, e.deliveryCount])).toEqual([["a", 2]])
      yield* bus.ack("s", G, ["0-0", "0-1"])
      expect(yield* inspect.pendingCount("s", G)).toBe(0)
      expect(yield* bus.publish("s", "c")).toBe("5000-0")
    }))

  describe("slow delivery", () => {
    const delay = { minMillis: 10, maxMillis: 100 }

    it.effect("delays visibility by the delay drawn from Random (deterministic per seed)", () =>
      Effect.gen(function*() {
        const replay = Random.make(1234)
        const expected: Array<number> = []
        for (let i = 0; i < 3; i++) expected.push(yield* replay.nextIntBetween(10, 101))

        const { bus, control, inspect } = yield* setup()
        yield* control.setDeliveryDelay(delay)
        yield* bus.ensureGroup("s", G)
        for (let i = 0; i < 3; i++) {
          const published = yield* TestClock.currentTimeMillis
          yield* bus.publish("s", `m${i}`)
          const d = expected[i]!
          yield* TestClock.adjust(d - 1)
          expect(yield* read(bus, "c", ["s"])).toEqual([])
          expect(yield* inspect.lag("s", G)).toBe(1)
          yield* TestClock.adjust(1)
          expect(bodies(yield* read(bus, "c", ["s"]))).toEqual([`m${i}`])
          const entry = (yield* inspect.entries("s"))[i]!
          expect([entry.publishedAt, entry.visibleAt]).toEqual([published, published + d])
        }
      }).pipe(Effect.withRandom(Random.make(1234))))

    it.effect("same seed gives the same delays, another seed different ones", () =>
      Effect.gen(function*() {
        const run = (seed: number) =>
          Effect.gen(function*() {
            const { bus, inspect } = yield* setup({ deliveryDelay: delay })
            for (let i = 0; i < 8; i++) yield* bus.publish("s", `m${i}`)
            return (yield* inspect.entries("s")).map((e) => e.visibleAt - e.publishedAt)
          }).pipe(Effect.withRandom(Random.make(seed)))
        const a = yield* run(7)
        const b = yield* run(7)
        const c = yield* run(8)
        expect(a).toEqual(b)
        expect(a).not.toEqual(c)
        for (const d of a) expect(d >= 10 && d <= 100).toBe(true)
      }))

    it.effect("a blocked read wakes exactly when a delayed entry becomes visible", () =>
      Effect.gen(function*() {
        const { bus, control } = yield* setup()
        yield* control.setDeliveryDelay({ minMillis: 250, maxMillis: 250 })
        yield* bus.ensureGroup("s", G)
        const reader = yield* Effect.fork(read(bus, "c", ["s"], { block: 1000 }))
        yield* settle
        yield* bus.publish("s", "slow")
        yield* settle
        yield* TestClock.adjust("249 millis")
        expect(yield* Fiber.poll(reader)).toEqual(Option.none())
        yield* TestClock.adjust("1 millis")
        expect(bodies(yield* Fiber.join(reader))).toEqual(["slow"])
      }))

    it.effect("a slow entry holds back the entries behind it (per-stream order kept)", () =>
      Effect.gen(function*() {
        const { bus, control } = yield* setup()
        yield* bus.ensureGroup("s", G)
        yield* control.setDeliveryDelay({ minMillis: 100, maxMillis: 100 })
        yield* bus.publish("s", "slow")
        yield* control.setDeliveryDelay(null)
        yield* bus.publish("s", "fast")
        expect(yield* read(bus, "c", ["s"])).toEqual([])
        yield* TestClock.adjust("100 millis")
        expect(bodies(yield* read(bus, "c", ["s"]))).toEqual(["slow", "fast"])
      }))
  })

  describe("duplicate delivery", () => {
    it.effect("probability 1 redelivers each entry exactly once more", () =>
      Effect.gen(function*() {
        const { bus, control, inspect } = yield* setup()
        yield* control.setDuplicateProbability(1)
        yield* bus.ensureGroup("s", G)
        yield* publishAll(bus, "s", ["a", "b", "c"])
        const got = yield* read(bus, "c1", ["s"])
        yield* bus.ack("s", G, ids(got))
        expect(yield* inspect.pendingCount("s", G)).toBe(3)
        expect(yield* read(bus, "c1", ["s"])).toEqual([]) // not new entries: only a claim redelivers
        const claim = bus.claimIdle({ stream: "s", group: G, consumer: "c2", minIdle: 1000, count: 10 })
        expect(yield* claim).toEqual([])
        yield* TestClock.adjust("1 second")
        const again = yield* claim
        expect(again.map((e) => [e.body, e.deliveryCount])).toEqual([["a", 2], ["b", 2], ["c", 2]])
        yield* bus.ack("s", G, ids(again))
        expect(yield* inspect.pendingCount("s", G)).toBe(0)
        yield* TestClock.adjust("1 hour")
        expect(yield* claim).toEqual([])
        const counters = yield* inspect.counters
        expect([counters.delivered, counters.redelivered, counters.acked, counters.ackLost]).toEqual([3, 3, 3, 3])
      }))

    it.effect("the cap is per group: each group duplicates each entry once", () =>
      Effect.gen(function*() {
        const { bus, inspect } = yield* setup({ duplicateProbability: 1 })
        for (const group of ["g1", "g2"]) {
          yield* bus.ensureGroup("s", group)
        }
        yield* bus.publish("s", "x")
        for (const group of ["g1", "g2"]) {
          const got = yield* read(bus, "c", ["s"], { group })
          yield* bus.ack("s", group, ids(got))
          expect(yield* inspect.pendingCount("s", group)).toBe(1)
          yield* bus.ack("s", group, ids(got))
          expect(yield* inspect.pendingCount("s", group)).toBe(0)
        }
      }))

    it.effect("probability p loses the acks whose Random draw is below p", () =>
      Effect.gen(function*() {
        const p = 0.5
        const replay = Random.make("dup-seed")
        const draws: Array<number> = []
        for (let i = 0; i < 20; i++) draws.push(yield* replay.next)
        const expectedLost = draws.filter((d) => d < p).length
        expect(expectedLost).toBeGreaterThan(0)
        expect(expectedLost).toBeLessThan(20)

        const { bus, control, inspect } = yield* setup()
        yield* control.setDuplicateProbability(p)
        yield* bus.ensureGroup("s", G)
        yield* publishAll(bus, "s", Array.from({ length: 20 }, (_, i) => `m${i}`))
        const got = yield* read(bus, "c", ["s"])
        yield* bus.ack("s", G, ids(got)).pipe(Effect.withRandom(Random.make("dup-seed")))
        const pending = (yield* inspect.pending("s", G)).map((x) => x.id)
        expect(pending).toEqual(got.filter((_, i) => draws[i]! < p).map((e) => e.id))
        expect((yield* inspect.counters).ackLost).toBe(expectedLost)
      }))
  })

  it.effect("inspect reports lengths, pending, lag, counters and dead letters", () =>
    Effect.gen(function*() {
      const { bus, inspect } = yield* setup()
      yield* bus.ensureGroup("orders", "a")
      yield* bus.ensureGroup("orders", "b")
      yield* publishAll(bus, "orders", ["1", "2", "3", "4"])
      yield* bus.publish("dead-letter", "{broken")
      const fromA = yield* read(bus, "c", ["orders"], { group: "a", count: 3 })
      yield* bus.ack("orders", "a", [fromA[0]!.id])
      yield* read(bus, "c", ["orders"], { group: "b", count: 1 })
      yield* TestClock.adjust("10 millis")
      yield* bus.claimIdle({ stream: "orders", group: "a", consumer: "d", minIdle: 5, count: 1 })

      const snapshot = yield* inspect.snapshot
      expect(snapshot.streams.map((s) => [s.stream, s.length])).toEqual([["orders", 4], ["dead-letter", 1]])
      expect(snapshot.streams[0]!.groups).toEqual([
        { group: "a", pending: 2, lag: 1, lastDeliveredId: "0-2", pendingByConsumer: { c: 1, d: 1 } },
        { group: "b", pending: 1, lag: 3, lastDeliveredId: "0-0", pendingByConsumer: { c: 1 } }
      ])
      expect([snapshot.totalPending, snapshot.totalLag, snapshot.blockedReaders]).toEqual([3, 4, 0])
      expect(snapshot.counters).toEqual({
        published: 5,
        delivered: 4,
        redelivered: 1,
        acked: 1,
        ackLost: 0,
        rejected: 0
      })
      expect((yield* inspect.deadLetters).map((e) => [e.stream, e.id, e.body])).toEqual([["dead-letter", "0-0", "{broken"]])
      expect(yield* inspect.streamLength("nope")).toBe(0)
    }))

  it.effect("the layer provides the same broker as EventBus and SimBroker", () =>
    Effect.gen(function*() {
      const bus = yield* EventBus
      const broker = yield* SimBroker
      expect(bus).toBe(broker.bus)
      yield* bus.publish("s", "x")
      expect(yield* broker.inspect.streamLength("s")).toBe(1)
    }).pipe(Effect.provide(layer())))

  it.effect("handles a 50,000-message run and drains", () =>
    Effect.gen(function*() {
      const { bus, inspect } = yield* setup()
      yield* bus.ensureGroup("s", G)
      const n = 50_000
      for (let i = 0; i < n; i++) {
        yield* bus.publish("s", "x")
        if (i % 100 === 99) yield* TestClock.adjust(1)
      }
      let seen = 0
      let last = ""
      for (;;) {
        const batch = yield* read(bus, "c", ["s"], { count: 500 })
        if (batch.length === 0) break
        seen += batch.length
        last = batch[batch.length - 1]!.id
        yield* bus.ack("s", G, ids(batch))
      }
      expect(seen).toBe(n)
      expect(last).toBe("499-99")
      const snapshot = yield* inspect.snapshot
      expect([snapshot.totalPending, snapshot.totalLag]).toEqual([0, 0])
    }))
})
