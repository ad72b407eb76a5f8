/**
 * Events and their envelope: JSON round-trips, deterministic ids, malformed envelopes refused.
 */
import { Either, Schema } from "effect"
import { describe, expect, it } from "vitest"
import { CoffeeMade, envelope, EventEnvelope, EventEnvelopeJson, eventIdOf } from "../../src/domain/Events.js"
import { OrderId } from "../../src/domain/Ids.js"
import { oneOfEachEvent } from "../support/sampleEvents.js"

const orderId = OrderId.make(7)
const all = oneOfEachEvent()

const encode = Schema.encodeSync(EventEnvelopeJson)
const decode = Schema.decodeUnknownEither(EventEnvelopeJson)

describe("EventEnvelope", () => {
  it("round-trips every event kind through JSON text unchanged", () => {
    for (const event of all) {
      const env = envelope(event, 1234.5, null)
      const text = encode(env)
      expect(typeof text).toBe("string")
      const back = Either.getOrThrow(decode(text))
      expect(back).toBeInstanceOf(EventEnvelope)
      expect(back).toEqual(env)
      expect(back.event).toBeInstanceOf(event.constructor)
      expect(JSON.parse(text).event._tag).toBe(event._tag)
    }
  })

  it("keeps the causation id and derives a deterministic event id and aggregate id", () => {
    const cause = eventIdOf(all[3]!)
    const env = envelope(new CoffeeMade({ orderId }), 10, cause)
    expect(env.eventId).toBe("CoffeeMade:7")
    expect(env.aggregateId).toBe("order-7")
    expect(Either.getOrThrow(decode(encode(env))).causationId).toBe("PaymentApproved:7")
    // the same event published twice has the same id, so an inbox recognises the duplicate
    expect(envelope(new CoffeeMade({ orderId }), 99, null).eventId).toBe(env.eventId)
    // the two kinds of OrderCancelled share an id: one cancellation per order
    expect(eventIdOf(all[1]!)).toBe(eventIdOf(all[2]!))
  })

  it("refuses text that is not JSON", () => {
    expect(Either.isLeft(decode("{not json"))).toBe(true)
    expect(Either.isLeft(decode(""))).toBe(true)
  })

  it("refuses well-formed JSON with the wrong shape, naming what is wrong", () => {
    const good = JSON.parse(encode(envelope(all[0]!, 1, null)))
    const cases: ReadonlyArray<[unknown, string]> = [
      [{ ...good, eventId: "" }, "eventId"],
      [{ ...good, occurredAt: "yesterday" }, "occurredAt"],
      [{ ...good, event: { ...good.event, _tag: "CoffeeSpilled" } }, "_tag"],
      [{ ...good, event: { ...good.event, orderId: -1 } }, "orderId"],
      [{ ...good, event: { ...good.event, price: 1.5 } }, "price"],
      [{ ...good, event: { _tag: "OrderCancelled", orderId: 7, reason: "bored" } }, "reason"],
      [{ hello: "world" }, "eventId"]
    ]
    for (const [value, field] of cases) {
      const result = decode(JSON.stringify(value))
      expect(Either.isLeft(result), JSON.stringify(value)).toBe(true)
      if (Either.isLeft(result)) expect(result.left.message).toContain(field)
    }
  })
})
