/**
 * The saga's six domain events and the envelope they travel in on the bus.
 *
 * OrderPlaced      order accepted: payment approved synchronously
 * OrderCancelled   the customer cancelled, or order gave up on payment (reason "payment-failed")
 * PaymentApproved  payment charged the order's amount
 * PaymentCancelled payment refunded the charge
 * CoffeeMade       make brewed the coffee (the saga's pivot: after it, no cancellation)
 * CoffeeCancelled  make will never brew this order
 */
import { Schema } from "effect"
import { EventId, MenuId, OrderId } from "./Ids.js"
import { Money } from "./Money.js"

export class OrderPlaced extends Schema.TaggedClass<OrderPlaced>()("OrderPlaced", {
  orderId: OrderId,
  menuId: MenuId,
  price: Money
}) {}

export const CancelReason = Schema.Literal("customer", "payment-failed")
export type CancelReason = typeof CancelReason.Type

export class OrderCancelled extends Schema.TaggedClass<OrderCancelled>()("OrderCancelled", {
  orderId: OrderId,
  reason: CancelReason
}) {}

export class PaymentApproved extends Schema.TaggedClass<PaymentApproved>()("PaymentApproved", {
  orderId: OrderId,
  amount: Money
}) {}

export class PaymentCancelled extends Schema.TaggedClass<PaymentCancelled>()("PaymentCancelled", {
  orderId: OrderId,
  amount: Money
}) {}

export class CoffeeMade extends Schema.TaggedClass<CoffeeMade>()("CoffeeMade", {
  orderId: OrderId
}) {}

export class CoffeeCancelled extends Schema.TaggedClass<CoffeeCancelled>()("CoffeeCancelled", {
  orderId: OrderId
}) {}

export const DomainEvent = Schema.Union(
  OrderPlaced,
  OrderCancelled,
  PaymentApproved,
  PaymentCancelled,
  CoffeeMade,
  CoffeeCancelled
)
export type DomainEvent = typeof DomainEvent.Type
export type DomainEventTag = DomainEvent["_tag"]

/** The envelope every event travels in: identity, causality and time. */
export class EventEnvelope extends Schema.Class<EventEnvelope>("EventEnvelope")({
  eventId: EventId,
  /** The aggregate the event belongs to ("order-17"). */
  aggregateId: Schema.NonEmptyTrimmedString,
  /** The event id that caused this one, or null when a command from outside caused it. */
  causationId: Schema.NullOr(EventId),
  /** Epoch milliseconds from the publishing service's Clock. */
  occurredAt: Schema.Number,
  event: DomainEvent
}) {}

/** JSON text ⇄ envelope: what the bus carries. */
export const EventEnvelopeJson = Schema.parseJson(EventEnvelope)

/** The deterministic event id of an event: one event of a kind per order, so re-publishing is idempotent (a tag and a number: never empty, not validated again). */
export const eventIdOf = (event: DomainEvent): EventId => EventId.make(`${event._tag}:${event.orderId}`, true)

export const aggregateIdOf = (event: DomainEvent): string => `order-${event.orderId}`

export const envelope = (event: DomainEvent, occurredAt: number, causationId: EventId | null): EventEnvelope =>
  new EventEnvelope({
    eventId: eventIdOf(event),
    aggregateId: aggregateIdOf(event),
    causationId,
    occurredAt,
    event
  }, true)
