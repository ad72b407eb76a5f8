/**
 * The Make aggregate as a state machine, one per order.
 *
 * Make brews only when it holds both facts: the payment was approved (PaymentApproved) and the order
 * was accepted (OrderPlaced). The two arrive on different streams in any order. OrderCancelled before
 * the brew cancels it for good (CoffeeCancelled); after the brew it is too late and nothing changes.
 *
 *   Waiting{paid?, placed?} ──both seen──▶ Made
 *   Waiting ──OrderCancelled──▶ Cancelled
 *
 * When brewing takes time (make's `brew` setting), the make service holds the decision to brew as
 * Waiting{paid, placed} while the coffee brews and finishes it with `brewIfReady`; an OrderCancelled
 * meanwhile still cancels it (the pivot is CoffeeMade).
 */
import { Either, Schema } from "effect"
import { IllegalTransition } from "./DomainError.js"
import { CoffeeCancelled, CoffeeMade } from "./Events.js"
import { OrderId } from "./Ids.js"

export const MakeStatus = Schema.Literal("Waiting", "Made", "Cancelled")
export type MakeStatus = typeof MakeStatus.Type

export class Make extends Schema.Class<Make>("Make")({
  orderId: OrderId,
  paid: Schema.Boolean,
  placed: Schema.Boolean,
  status: MakeStatus
}) {}

export type MakeCommand =
  | { readonly _tag: "RecordPayment" }
  | { readonly _tag: "RecordOrder" }
  | { readonly _tag: "Cancel" }

export type MakeEvent = CoffeeMade | CoffeeCancelled

export interface MakeDecision {
  readonly next: Make
  readonly events: ReadonlyArray<MakeEvent>
}

export const waiting = (orderId: OrderId): Make => new Make({ orderId, paid: false, placed: false, status: "Waiting" }, true)

/** Brews when both facts are known and nothing was decided yet: Made and CoffeeMade; otherwise nothing. */
export const brewIfReady = (make: Make): MakeDecision =>
  make.status === "Waiting" && make.paid && make.placed
    ? { next: new Make({ ...make, status: "Made" }, true), events: [new CoffeeMade({ orderId: make.orderId }, true)] }
    : { next: make, events: [] }

/**
 * decide: never refuses — make is driven by events, and every event is meaningful in every state — but
 * keeps the Either shape of the other aggregates so a mutant can refuse.
 */
export const decide = (make: Make, command: MakeCommand): Either.Either<MakeDecision, IllegalTransition> => {
  switch (command._tag) {
    case "RecordPayment":
      return Either.right(brewIfReady(make.paid ? make : new Make({ ...make, paid: true }, true)))
    case "RecordOrder":
      return Either.right(brewIfReady(make.placed ? make : new Make({ ...make, placed: true }, true)))
    case "Cancel":
      return Either.right(
        make.status === "Waiting"
          ? {
            next: new Make({ ...make, status: "Cancelled" }, true),
            events: [new CoffeeCancelled({ orderId: make.orderId }, true)]
          }
          : { next: make, events: [] }
      )
  }
}
