/**
 * The mypage read model (CQRS) as a pure fold over the saga's events.
 *
 * Events reach mypage from three streams in no guaranteed order and possibly more than once, so the
 * fold records facts as flags and derives the status from them: it is commutative and idempotent, and
 * any order of delivery of the same set of events gives the same view.
 */
import { Schema } from "effect"
import type { DomainEvent } from "./Events.js"
import { OrderId } from "./Ids.js"
import { Money } from "./Money.js"

export const MypageStatus = Schema.Literal("unknown", "placed", "cancelling", "made", "cancelled", "rejected")
export type MypageStatus = typeof MypageStatus.Type

export class MypageView extends Schema.Class<MypageView>("MypageView")({
  orderId: OrderId,
  status: MypageStatus,
  price: Schema.NullOr(Money),
  placed: Schema.Boolean,
  cancelRequested: Schema.Boolean,
  paymentFailed: Schema.Boolean,
  paid: Schema.Boolean,
  refunded: Schema.Boolean,
  made: Schema.Boolean,
  coffeeCancelled: Schema.Boolean
}) {}

export type MypageFacts = Omit<MypageView, "status" | "orderId">

export const emptyFacts: MypageFacts = {
  price: null,
  placed: false,
  cancelRequested: false,
  paymentFailed: false,
  paid: false,
  refunded: false,
  made: false,
  coffeeCancelled: false
}

/** The status a customer sees, derived from the facts known so far. */
export const statusOf = (f: MypageFacts): MypageStatus => {
  if (f.made) return "made"
  if (f.paymentFailed) return "rejected"
  if (f.coffeeCancelled) return "cancelled"
  if (f.cancelRequested) return "cancelling"
  if (f.placed) return "placed"
  return "unknown"
}

/** Adds one event's fact. Pure, commutative across event kinds, idempotent per event. */
export const foldFacts = (facts: MypageFacts, event: DomainEvent): MypageFacts => {
  switch (event._tag) {
    case "OrderPlaced":
      return { ...facts, placed: true, price: event.price }
    case "OrderCancelled":
      return event.reason === "customer" ? { ...facts, cancelRequested: true } : { ...facts, paymentFailed: true }
    case "PaymentApproved":
      return { ...facts, paid: true }
    case "PaymentCancelled":
      return { ...facts, refunded: true }
    case "CoffeeMade":
      return { ...facts, made: true }
    case "CoffeeCancelled":
      return { ...facts, coffeeCancelled: true }
  }
}

/** The view of typed facts: built from values that already are what the schema says, so not validated again. */
export const view = (orderId: OrderId, facts: MypageFacts): MypageView =>
  new MypageView({ orderId, status: statusOf(facts), ...facts }, true)

/** Folds a whole sequence of events about one order. */
export const project = (orderId: OrderId, events: Iterable<DomainEvent>): MypageView => {
  let facts = emptyFacts
  for (const event of events) if (event.orderId === orderId) facts = foldFacts(facts, event)
  return view(orderId, facts)
}
