/**
 * Bad input through the real HTTP stack of the simulated world (client → network → gateway → pod, or
 * straight to a pod): malformed or ill-typed bodies and path ids answer 400 with a JSON body naming
 * the field (HttpApiDecodeError `issues[].path`), unknown ids 404, illegal transitions 409, unknown
 * gateway routes 404 JSON; malformed bus messages are dead-lettered with a reason while the consumers
 * keep consuming and nothing is lost.
 */
import { Effect } from "effect"
import { describe, expect, it } from "vitest"
import { envelope, EventEnvelopeJson, OrderPlaced } from "../../src/domain/Events.js"
import { MenuId, OrderId } from "../../src/domain/Ids.js"
import { Money } from "../../src/domain/Money.js"
import { allMakes } from "../../src/services/make/MakeStore.js"
import { allOrders } from "../../src/services/order/OrderStore.js"
import { allPayments } from "../../src/services/payment/PaymentStore.js"
import { Streams } from "../../src/services/ports/EventBus.js"
import { Schema } from "effect"
import {
  bringUp,
  eventsOf,
  issuePaths,
  postJson,
  raw,
  type RawResponse,
  runInWorld,
  takeDown,
  waitUntil
} from "../support/world.js"

const GW = "http://gateway"

/** A 400 whose JSON body is the platform's HttpApiDecodeError naming `field` ("" for the body itself). */
const expectBadField = (response: RawResponse, field: string) => {
  expect(response.status, response.text).toBe(400)
  expect(response.json?._tag, response.text).toBe("HttpApiDecodeError")
  expect(issuePaths(response.json)).toContain(field)
}

/** Places an order through the gateway and returns its id (the order must be accepted). */
const placeOrder = (world: Parameters<Parameters<typeof runInWorld>[0]>[0], price = 1000) =>
  Effect.gen(function*() {
    const placed = yield* postJson(world.clientHttp(), `${GW}/orders`, { menuId: 1, price })
    if (placed.status !== 201) return yield* Effect.dieMessage(`place answered ${placed.status}: ${placed.text}`)
    return placed.json.orderId as number
  })

describe("bad input over HTTP", () => {
  it("POST /orders: wrong types, negative, fractional or huge price, bad menu, missing field → 400 naming it", () => {
    const answers = runInWorld((world) =>
      Effect.gen(function*() {
        const http = world.clientHttp()
        return {
          menuNotNumber: yield* postJson(http, `${GW}/orders`, { menuId: "latte", price: 1000 }),
          priceNotNumber: yield* postJson(http, `${GW}/orders`, { menuId: 1, price: "1000" }),
          negativePrice: yield* postJson(http, `${GW}/orders`, { menuId: 1, price: -5 }),
          fractionalPrice: yield* postJson(http, `${GW}/orders`, { menuId: 1, price: 10.5 }),
          hugePrice: yield* postJson(http, `${GW}/orders`, { menuId: 1, price: 100_000_001 }),
          zeroMenu: yield* postJson(http, `${GW}/orders`, { menuId: 0, price: 1000 }),
          missingPrice: yield* postJson(http, `${GW}/orders`, { menuId: 1 })
        }
      })
    )
    expectBadField(answers.menuNotNumber, "menuId")
    expectBadField(answers.priceNotNumber, "price")
    expectBadField(answers.negativePrice, "price")
    expectBadField(answers.fractionalPrice, "price")
    expectBadField(answers.hugePrice, "price")
    expectBadField(answers.zeroMenu, "menuId")
    expectBadField(answers.missingPrice, "price")
    expect(answers.missingPrice.json.issues[0]._tag).toBe("Missing")
  })

  it("a body that is not JSON, or JSON of the wrong shape, answers 400 with a JSON error body", () => {
    const answers = runInWorld((world) =>
      Effect.gen(function*() {
        const http = world.clientHttp()
        return {
          notJson: yield* postJson(http, `${GW}/orders`, "{not json"),
          notJsonDirect: yield* postJson(http, "http://order-0/orders", "price=12"),
          array: yield* postJson(http, `${GW}/orders`, "[1, 2, 3]"),
          nullBody: yield* postJson(http, `${GW}/orders`, "null")
        }
      })
    )
    expectBadField(answers.notJson, "")
    expectBadField(answers.notJsonDirect, "")
    expectBadField(answers.array, "")
    expectBadField(answers.nullBody, "")
  })

  it("a rejected body creates no order and charges nothing", () => {
    const truth = runInWorld((world) =>
      Effect.gen(function*() {
        const http = world.clientHttp()
        yield* postJson(http, `${GW}/orders`, { menuId: 1, price: -1 })
        yield* postJson(http, `${GW}/orders`, "{not json")
        yield* Effect.sleep(2_000)
        return {
          orders: yield* world.query("order", allOrders),
          payments: yield* world.query("payment", allPayments),
          events: eventsOf(world.history.entries).length
        }
      })
    )
    expect(truth).toEqual({ orders: [], payments: [], events: 0 })
  })

  it("POST /payments straight to the payment pod: wrong amount type and negative amount → 400 naming the field", () => {
    const answers = runInWorld((world) =>
      Effect.gen(function*() {
        const http = world.clientHttp()
        return {
          amountType: yield* postJson(http, "http://payment-0/payments", { orderId: 1, amount: "x" }),
          negative: yield* postJson(http, `${GW}/payments`, { orderId: 1, amount: -100 }),
          orderId: yield* postJson(http, `${GW}/payments`, { orderId: "one", amount: 100 }),
          stored: yield* world.query("payment", allPayments)
        }
      })
    )
    expectBadField(answers.amountType, "amount")
    expectBadField(answers.negative, "amount")
    expectBadField(answers.orderId, "orderId")
    expect(answers.stored).toEqual([])
  })

  it("non-numeric, negative or fractional ids in the path → 400 naming orderId, on every service", () => {
    const answers = runInWorld((world) =>
      Effect.gen(function*() {
        const http = world.clientHttp()
        return [
          yield* raw(http, "GET", `${GW}/orders/abc`),
          yield* raw(http, "POST", `${GW}/orders/abc/cancel`),
          yield* raw(http, "GET", `${GW}/payments/-3`),
          yield* raw(http, "GET", `${GW}/makes/1.5`),
          yield* raw(http, "GET", `${GW}/mypages/0`),
          yield* raw(http, "GET", "http://mypage-0/mypages/x")
        ]
      })
    )
    for (const answer of answers) expectBadField(answer, "orderId")
  })

  it("unknown ids → 404 with a JSON NotFound body, on every service", () => {
    const answers = runInWorld((world) =>
      Effect.gen(function*() {
        const http = world.clientHttp()
        return [
          yield* raw(http, "GET", `${GW}/orders/999`),
          yield* raw(http, "POST", `${GW}/orders/999/cancel`),
          yield* raw(http, "GET", `${GW}/payments/999`),
          yield* raw(http, "GET", `${GW}/makes/999`),
          yield* raw(http, "GET", `${GW}/mypages/999`)
        ]
      })
    )
    for (const answer of answers) {
      expect(answer.status, answer.text).toBe(404)
      expect(answer.json?._tag).toBe("NotFound")
      expect(answer.json?.message).toContain("999")
    }
  })

  it("an unknown gateway route → 404 with a JSON body; a prefix that only looks similar is not routed", () => {
    const answers = runInWorld((world) =>
      Effect.gen(function*() {
        const http = world.clientHttp()
        return [yield* raw(http, "GET", `${GW}/coffee`), yield* raw(http, "GET", `${GW}/ordersX/1`)]
      })
    )
    for (const answer of answers) {
      expect(answer.status).toBe(404)
      expect(answer.json).toMatchObject({ error: "NotFound" })
      expect(answer.json.message).toContain("no route")
    }
  })

  it("cancelling a made order → 409 Conflict naming its state; cancelling twice is idempotent (202)", () => {
    const answers = runInWorld((world) =>
      Effect.gen(function*() {
        const http = world.clientHttp()
        const made = yield* placeOrder(world)
        yield* Effect.sleep(3_000)
        const madeStatus = (yield* raw(http, "GET", `${GW}/orders/${made}`)).json.status
        const cancelMade = yield* raw(http, "POST", `${GW}/orders/${made}/cancel`)
        // a second order, cancelled while make is down, then cancelled again
        yield* takeDown(world, "make")
        const other = yield* placeOrder(world)
        const first = yield* raw(http, "POST", `${GW}/orders/${other}/cancel`)
        const second = yield* raw(http, "POST", `${GW}/orders/${other}/cancel`)
        yield* bringUp(world, "make")
        yield* waitUntil("the cancel is done", Effect.map(raw(http, "GET", `${GW}/orders/${other}`), (r) => r.json.status === "Cancelled"))
        const third = yield* raw(http, "POST", `${GW}/orders/${other}/cancel`)
        return { madeStatus, cancelMade, first, second, third }
      })
    )
    expect(answers.madeStatus).toBe("Made")
    expect(answers.cancelMade.status).toBe(409)
    expect(answers.cancelMade.json).toMatchObject({ _tag: "Conflict", state: "Made" })
    expect(answers.first.status, answers.first.text).toBe(202)
    expect(answers.first.json.status).toBe("CancelRequested")
    expect(answers.second.status).toBe(202)
    expect(answers.third.status).toBe(409)
    expect(answers.third.json).toMatchObject({ _tag: "Conflict", state: "Cancelled" })
  })
})

describe("malformed bus messages", () => {
  it("are dead-lettered with a reason by every consumer group, which keeps consuming; nothing is lost", () => {
    const good = JSON.parse(
      Schema.encodeSync(EventEnvelopeJson)(
        envelope(new OrderPlaced({ orderId: OrderId.make(77), menuId: MenuId.make(1), price: Money.make(100) }), 0, null)
      )
    )
    const wrongSchema = JSON.stringify({ ...good, event: { ...good.event, _tag: "CoffeeSpilled" } })
    const result = runInWorld((world) =>
      Effect.gen(function*() {
        yield* world.broker.bus.publish(Streams.order, "{not json")
        yield* world.broker.bus.publish(Streams.order, wrongSchema)
        yield* world.broker.bus.publish(Streams.payment, JSON.stringify({ hello: "world" }))
        yield* Effect.sleep(1_000)
        const orderId = yield* placeOrder(world)
        yield* Effect.sleep(5_000)
        return {
          orderId,
          deadLetters: (yield* world.broker.inspect.deadLetters).map((e) => JSON.parse(e.body)),
          makes: yield* world.query("make", allMakes),
          snapshot: yield* world.broker.inspect.snapshot,
          mypage: (yield* raw(world.clientHttp(), "GET", `${GW}/mypages/${orderId}`)).json,
          notes: world.history.entries.filter((e) => e.type === "note" && e.note._tag === "DeadLettered").length
        }
      })
    )
    // order-events is read by payment, make and mypage; payment-events by make and mypage
    const byBody = (body: string) => result.deadLetters.filter((d) => d.body === body)
    expect(byBody("{not json").map((d) => d.group).sort()).toEqual(["make", "mypage", "payment"])
    expect(byBody(wrongSchema).map((d) => d.group).sort()).toEqual(["make", "mypage", "payment"])
    expect(byBody(JSON.stringify({ hello: "world" })).map((d) => d.group).sort()).toEqual(["make", "mypage"])
    expect(result.deadLetters).toHaveLength(8)
    for (const letter of result.deadLetters) {
      expect(letter.reason).toMatch(/^malformed message: /)
      expect(letter.stream).toMatch(/^(order|payment)-events$/)
      expect(letter.id).toMatch(/^\d+-\d+$/)
    }
    expect(byBody(wrongSchema)[0].reason).toContain(`["event"]`)
    expect(result.notes).toBe(8)
    // the consumers kept consuming: the next order was made and shown as made
    expect(result.makes).toEqual([{ order_id: result.orderId, paid: 1, placed: 1, status: "Made", brews: 1 }])
    expect(result.mypage.status).toBe("made")
    // nothing is left pending or undelivered on the bus
    expect(result.snapshot.totalPending).toBe(0)
    expect(result.snapshot.totalLag).toBe(0)
  })
})
