/**
 * The saga end to end in the simulated world (kernel + SimWorld): the happy path, customer cancel,
 * payment down, make down (NFR2), duplicate delivery, a timed-out payment call and the circuit
 * breaker. Assertions read virtual time, the run's history and the services' own databases.
 */
import { Effect, Schema } from "effect"
import { describe, expect, it } from "vitest"
import { EventEnvelopeJson } from "../../src/domain/Events.js"
import { constant, uniform } from "../../src/services/Distribution.js"
import { allMakes } from "../../src/services/make/MakeStore.js"
import { outboxBacklog } from "../../src/services/messaging/Outbox.js"
import { allOrders } from "../../src/services/order/OrderStore.js"
import { allPayments } from "../../src/services/payment/PaymentStore.js"
import { Streams } from "../../src/services/ports/EventBus.js"
import type { SystemNote } from "../../src/services/ports/SystemObserver.js"
import { defaultSagaConfig } from "../../src/services/SagaConfig.js"
import type { SimWorld } from "../../src/sim/world/SimWorld.js"
import { bringUp, eventsOf, now, postJson, raw, runInWorld, takeDown, waitUntil } from "../support/world.js"

const GW = "http://gateway"

/** Payment well within order's timeout, so no order in these tests times out by chance. */
const fastPayment = { config: { ...defaultSagaConfig, payment: { processing: uniform(50, 150) } } }

/** Places an order through the gateway; returns the answer and how long it took in virtual time. */
const place = (world: SimWorld, price = 2000) =>
  Effect.gen(function*() {
    const t0 = yield* now
    const answer = yield* postJson(world.clientHttp(), `${GW}/orders`, { menuId: 4, price })
    return { ...answer, latency: (yield* now) - t0, orderId: answer.json?.orderId as number | undefined }
  })

const orderStatus = (world: SimWorld, orderId: number) =>
  Effect.map(raw(world.clientHttp(), "GET", `${GW}/orders/${orderId}`), (r) => r.json?.status as string)

const mypageStatus = (world: SimWorld, orderId: number) =>
  Effect.map(raw(world.clientHttp(), "GET", `${GW}/mypages/${orderId}`), (r) => r.json?.status as string)

/** Everything the services hold, from their own databases and the broker. */
const truth = (world: SimWorld) =>
  Effect.gen(function*() {
    const backlog = (yield* world.query("order", outboxBacklog)) + (yield* world.query("payment", outboxBacklog)) +
      (yield* world.query("make", outboxBacklog))
    const snapshot = yield* world.broker.inspect.snapshot
    return {
      orders: yield* world.query("order", allOrders),
      payments: yield* world.query("payment", allPayments),
      makes: yield* world.query("make", allMakes),
      backlog,
      pending: snapshot.totalPending,
      lag: snapshot.totalLag,
      counters: snapshot.counters
    }
  }).pipe(Effect.orDie)

const notes = (world: SimWorld) =>
  world.history.entries.flatMap((e) => (e.type === "note" ? [{ t: e.t, note: e.note }] : [])) as Array<
    { t: number; note: SystemNote }
  >

const kinds = (world: SimWorld, orderId: number) => eventsOf(world.history.entries, { orderId }).map((e) => e.kind)

describe("saga in the simulated world", () => {
  it("happy path: order → pay → make → mypage shows made, in causal order and virtual time", () => {
    const r = runInWorld((world) =>
      Effect.gen(function*() {
        const placed = yield* place(world)
        const orderId = placed.orderId!
        const waited = yield* waitUntil("the coffee is made", Effect.map(mypageStatus(world, orderId), (s) => s === "made"))
        return {
          placed,
          waited,
          kinds: kinds(world, orderId),
          events: eventsOf(world.history.entries, { orderId }),
          order: yield* orderStatus(world, orderId),
          truth: yield* truth(world)
        }
      }), { world: { config: { ...defaultSagaConfig, payment: { processing: constant(500) } } } })
    expect(r.placed.status).toBe(201)
    expect(r.placed.json).toMatchObject({ status: "Placed", price: 2000, menuId: 4 })
    // the synchronous payment call: 500 ms of processing, plus network and CPU, within order's 610 ms timeout
    expect(r.placed.latency).toBeGreaterThan(500)
    expect(r.placed.latency).toBeLessThan(610)
    expect(r.kinds).toEqual(["PaymentApproved", "OrderPlaced", "CoffeeMade"])
    const [approved, placedAt, made] = r.events.map((e) => e.t) as [number, number, number]
    expect(approved).toBeLessThanOrEqual(placedAt)
    expect(made).toBeGreaterThanOrEqual(placedAt)
    expect(made - approved).toBeLessThan(100)
    expect(r.waited).toBeLessThan(1_000)
    expect(r.order).toBe("Made")
    expect(r.truth.payments).toEqual([{ order_id: r.placed.orderId, amount: 2000, status: "Approved", refunds: 0 }])
    expect(r.truth.makes).toEqual([{ order_id: r.placed.orderId, paid: 1, placed: 1, status: "Made", brews: 1 }])
    expect([r.truth.backlog, r.truth.pending, r.truth.lag]).toEqual([0, 0, 0])
  })

  it("cancel before make: 202, then CoffeeCancelled, a refund, no coffee; order Cancelled, mypage cancelled", () => {
    const r = runInWorld((world) =>
      Effect.gen(function*() {
        yield* takeDown(world, "make")
        const placed = yield* place(world)
        const orderId = placed.orderId!
        const cancel = yield* raw(world.clientHttp(), "POST", `${GW}/orders/${orderId}/cancel`)
        const whileDown = yield* mypageStatus(world, orderId)
        yield* bringUp(world, "make")
        yield* waitUntil("the order is cancelled", Effect.map(orderStatus(world, orderId), (s) => s === "Cancelled"))
        yield* Effect.sleep(2_000)
        return {
          orderId,
          placed,
          cancel,
          whileDown,
          kinds: kinds(world, orderId),
          mypage: yield* mypageStatus(world, orderId),
          truth: yield* truth(world)
        }
      }), { seed: 5, world: fastPayment })
    expect(r.placed.status).toBe(201)
    expect(r.cancel.status).toBe(202)
    expect(r.cancel.json.status).toBe("CancelRequested")
    expect(r.whileDown).toBe("cancelling")
    expect(r.kinds).toContain("CoffeeCancelled")
    expect(r.kinds).toContain("PaymentCancelled")
    expect(r.kinds).not.toContain("CoffeeMade")
    expect(r.kinds.indexOf("CoffeeCancelled")).toBeLessThan(r.kinds.indexOf("PaymentCancelled"))
    expect(r.mypage).toBe("cancelled")
    expect(r.truth.orders.map((o) => o.status)).toEqual(["Cancelled"])
    expect(r.truth.payments).toEqual([{ order_id: r.orderId, amount: 2000, status: "Refunded", refunds: 1 }])
    expect(r.truth.makes).toEqual([{ order_id: r.orderId, paid: 1, placed: 1, status: "Cancelled", brews: 0 }])
  })

  it("payment down: the order is rejected with 503 at once, never made, and shown as rejected", () => {
    const r = runInWorld((world) =>
      Effect.gen(function*() {
        yield* takeDown(world, "payment")
        const placed = yield* place(world)
        yield* Effect.sleep(3_000)
        return { placed, truth: yield* truth(world), mypage: yield* mypageStatus(world, 1), kinds: kinds(world, 1), notes: notes(world) }
      }))
    expect(r.placed.status).toBe(503)
    expect(r.placed.json).toMatchObject({ _tag: "Unavailable", reason: "payment-unreachable" })
    expect(r.placed.latency).toBeLessThan(50) // no endpoint: no waiting for the timeout
    expect(r.truth.orders.map((o) => [o.orderId, o.status])).toEqual([[1, "Rejected"]])
    expect(r.truth.makes.filter((m) => m.brews > 0)).toEqual([])
    // order gives up (OrderCancelled payment-failed) and make, told so, never brews (CoffeeCancelled)
    expect(r.kinds).toEqual(["OrderCancelled", "CoffeeCancelled"])
    expect(r.mypage).toBe("rejected")
    expect(r.notes.map((n) => n.note)).toContainEqual(expect.objectContaining({ _tag: "PaymentCallFailed", orderId: 1, reason: "unreachable" }))
  })

  it("make down (NFR2): orders are still accepted, and every one is made once make returns", () => {
    const r = runInWorld((world) =>
      Effect.gen(function*() {
        yield* takeDown(world, "make")
        const answers = yield* Effect.forEach([1000, 1500, 2000, 2500], (price) => place(world, price), { concurrency: 2 })
        const madeWhileDown = (yield* truth(world)).makes.length
        yield* Effect.sleep(5_000)
        const stillWaiting = yield* Effect.forEach(answers, (a) => mypageStatus(world, a.orderId!))
        const upAt = yield* now
        yield* bringUp(world, "make")
        yield* waitUntil("every order is made", Effect.map(truth(world), (t) => t.makes.filter((m) => m.status === "Made").length === 4))
        const madeAt = eventsOf(world.history.entries, { kind: "CoffeeMade" }).map((e) => e.t)
        return { answers, madeWhileDown, stillWaiting, upAt, madeAt, truth: yield* truth(world) }
      }), { world: fastPayment })
    expect(r.answers.map((a) => a.status)).toEqual([201, 201, 201, 201])
    expect(r.madeWhileDown).toBe(0)
    expect(r.stillWaiting).toEqual(["placed", "placed", "placed", "placed"])
    expect(r.madeAt).toHaveLength(4)
    for (const t of r.madeAt) expect(t).toBeGreaterThan(r.upAt)
    expect(r.truth.makes.map((m) => m.brews)).toEqual([1, 1, 1, 1])
    expect(r.truth.orders.map((o) => o.status)).toEqual(["Made", "Made", "Made", "Made"])
  })

  it("the same PaymentApproved delivered again (re-published twice) makes exactly one coffee", () => {
    const r = runInWorld((world) =>
      Effect.gen(function*() {
        const placed = yield* place(world)
        yield* Effect.sleep(1_000)
        const entries = yield* world.broker.inspect.entries(Streams.payment)
        const approved = entries.find((e) => e.body.includes("PaymentApproved"))!
        yield* world.broker.bus.publish(Streams.payment, approved.body)
        yield* world.broker.bus.publish(Streams.payment, approved.body)
        yield* Effect.sleep(3_000)
        return { placed, body: approved.body, truth: yield* truth(world), kinds: kinds(world, placed.orderId!) }
      }), { world: fastPayment })
    expect(Schema.decodeUnknownSync(EventEnvelopeJson)(r.body).event._tag).toBe("PaymentApproved")
    expect(r.truth.makes).toEqual([{ order_id: r.placed.orderId, paid: 1, placed: 1, status: "Made", brews: 1 }])
    expect(r.kinds.filter((k) => k === "CoffeeMade")).toHaveLength(1)
    expect(r.truth.payments[0]).toMatchObject({ status: "Approved", refunds: 0 })
    expect([r.truth.pending, r.truth.lag]).toEqual([0, 0])
  })

  it("the broker's duplicate-delivery fault redelivers every event, yet each order is charged and brewed once", () => {
    const r = runInWorld((world) =>
      Effect.gen(function*() {
        yield* world.broker.control.setDuplicateProbability(1)
        const answers = yield* Effect.forEach([1000, 2000, 3000], (price) => place(world, price))
        yield* Effect.sleep(12_000) // past the claim idle time: lost acks are redelivered
        yield* world.broker.control.setDuplicateProbability(0)
        yield* Effect.sleep(12_000)
        return { answers, truth: yield* truth(world) }
      }), { world: fastPayment })
    expect(r.answers.map((a) => a.status)).toEqual([201, 201, 201])
    expect(r.truth.counters.ackLost).toBeGreaterThan(0)
    expect(r.truth.counters.redelivered).toBeGreaterThanOrEqual(r.truth.counters.ackLost)
    expect(r.truth.makes.map((m) => [m.status, m.brews])).toEqual([["Made", 1], ["Made", 1], ["Made", 1]])
    expect(r.truth.payments.map((p) => [p.status, p.refunds])).toEqual([["Approved", 0], ["Approved", 0], ["Approved", 0]])
    expect([r.truth.pending, r.truth.lag]).toEqual([0, 0])
  })

  it("a payment call past the 610 ms timeout: client told 503 at the timeout, never charged in the end, no coffee", () => {
    const config = { ...defaultSagaConfig, payment: { processing: constant(900) } }
    const r = runInWorld((world) =>
      Effect.gen(function*() {
        const placed = yield* place(world)
        yield* Effect.sleep(5_000)
        return { placed, truth: yield* truth(world), kinds: kinds(world, 1), notes: notes(world), mypage: yield* mypageStatus(world, 1) }
      }), { world: { config } })
    expect(r.placed.status).toBe(503)
    expect(r.placed.json).toMatchObject({ _tag: "Unavailable", reason: "payment-timeout" })
    expect(r.placed.latency).toBeGreaterThanOrEqual(610)
    expect(r.placed.latency).toBeLessThan(700)
    expect(r.notes.map((n) => n.note)).toContainEqual(expect.objectContaining({ _tag: "PaymentCallFailed", orderId: 1, reason: "timeout" }))
    expect(r.truth.orders.map((o) => o.status)).toEqual(["Rejected"])
    // the cancellation reached payment before the late charge: voided, and the charge refused
    expect(r.truth.payments.map((p) => p.status)).toEqual(["Voided"])
    expect(r.kinds).not.toContain("CoffeeMade")
    expect(r.kinds).not.toContain("PaymentApproved")
    expect(r.mypage).toBe("rejected")
  })

  it("a timed-out payment call that was charged after all is refunded, and never brewed", () => {
    // slow answers from payment: the charge succeeds at once, but order has given up by the time it hears
    const r = runInWorld((world) =>
      Effect.gen(function*() {
        world.network.setLatency("payment", "order", constant(700))
        const placed = yield* place(world)
        world.network.setLatency("payment", "order", undefined)
        yield* Effect.sleep(5_000)
        return { placed, truth: yield* truth(world), kinds: kinds(world, 1), mypage: yield* mypageStatus(world, 1) }
      }), { world: fastPayment })
    expect(r.placed.status).toBe(503)
    expect(r.placed.json.reason).toBe("payment-timeout")
    expect(r.kinds).toContain("PaymentApproved")
    expect(r.kinds).toContain("PaymentCancelled")
    expect(r.kinds).not.toContain("CoffeeMade")
    expect(r.kinds).not.toContain("OrderPlaced")
    expect(r.truth.orders.map((o) => o.status)).toEqual(["Rejected"])
    expect(r.truth.payments).toEqual([{ order_id: 1, amount: 2000, status: "Refunded", refunds: 1 }])
    expect(r.truth.makes.map((m) => [m.status, m.brews])).toEqual([["Cancelled", 0]])
    expect(r.mypage).toBe("rejected")
  })

  it("the circuit breaker opens after enough failures, then fails fast, and closes once payment answers again", () => {
    const r = runInWorld((world) =>
      Effect.gen(function*() {
        world.network.setLatency("order", "payment", constant(700))
        const storm = yield* Effect.forEach(Array.from({ length: 20 }, () => 1000), (p) => place(world, p), { concurrency: "unbounded" })
        const openAt = yield* now
        const fast = yield* Effect.forEach([1, 2, 3], () => place(world))
        world.network.setLatency("order", "payment", undefined)
        yield* Effect.sleep(5_000)
        const recovered = yield* place(world)
        return {
          storm,
          openAt,
          fast,
          recovered,
          transitions: notes(world).flatMap((n) => (n.note._tag === "BreakerTransition" ? [{ t: n.t, from: n.note.from, to: n.note.to }] : []))
        }
      }), { world: fastPayment })
    // Hystrix's pool: 10 calls wait out the timeout, the other 10 are rejected at once; all 20 fail.
    const reasons = r.storm.map((a) => a.json?.reason)
    expect(reasons.filter((x) => x === "payment-timeout")).toHaveLength(10)
    expect(reasons.filter((x) => x === "payment-rejected")).toHaveLength(10)
    expect(r.transitions[0]).toMatchObject({ from: "Closed", to: "Open" })
    expect(r.transitions[0]!.t).toBeLessThanOrEqual(r.openAt)
    // while open: answered at once, without waiting for payment's timeout
    for (const answer of r.fast) {
      expect(answer.status).toBe(503)
      expect(answer.json.reason).toBe("payment-circuit-open")
      expect(answer.latency).toBeLessThan(50)
    }
    expect(r.recovered.status).toBe(201)
    expect(r.transitions.map((t) => `${t.from}→${t.to}`)).toEqual(["Closed→Open", "Open→HalfOpen", "HalfOpen→Closed"])
  })
})
