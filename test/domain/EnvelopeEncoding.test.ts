/**
 * The outbox writes envelopes with JSON.stringify instead of Schema.encodeSync(EventEnvelopeJson)
 * (src/services/messaging/Outbox.ts): for envelopes our code builds, both give the same text, and
 * that text decodes back to the same envelope.
 */
import { Schema } from "effect"
import { describe, expect, it } from "vitest"
import {
  CoffeeCancelled,
  CoffeeMade,
  type DomainEvent,
  envelope,
  EventEnvelopeJson,
  eventIdOf,
  OrderCancelled,
  OrderPlaced,
  PaymentApproved,
  PaymentCancelled
} from "../../src/domain/Events.js"
import { MenuId, OrderId } from "../../src/domain/Ids.js"
import { Money } from "../../src/domain/Money.js"
import { encodeEnvelope } from "../../src/services/messaging/Outbox.js"

const orderId = OrderId.make(7)
// Built as the services build them: constructors told to skip validation.
const events: ReadonlyArray<DomainEvent> = [
  new OrderPlaced({ orderId, menuId: MenuId.make(2), price: Money.make(4500) }, true),
  new OrderCancelled({ orderId, reason: "customer" }, true),
  new OrderCancelled({ orderId, reason: "payment-failed" }, true),
  new PaymentApproved({ orderId, amount: Money.make(4500) }, true),
  new PaymentCancelled({ orderId, amount: Money.make(0) }, true),
  new CoffeeMade({ orderId }, true),
  new CoffeeCancelled({ orderId }, true)
]

describe("outbox envelope encoding", () => {
  it("JSON.stringify gives exactly the schema's encoding, and it decodes back to the same envelope", () => {
    const encode = Schema.encodeSync(EventEnvelopeJson)
    const decode = Schema.decodeUnknownSync(EventEnvelopeJson)
    for (const event of events) {
      for (const [occurredAt, causation] of [[0, null], [1234.5678, eventIdOf(events[0]!)]] as const) {
        const env = envelope(event, occurredAt, causation)
        const text = encodeEnvelope(env)
        expect(text).toBe(encode(env))
        expect(decode(text)).toEqual(env)
      }
    }
  })
})
