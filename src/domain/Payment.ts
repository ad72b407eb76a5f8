/**
 * The Payment aggregate as a state machine, one per order.
 *
 *   None ──approve──▶ Approved ──refund──▶ Refunded
 *     └───refund (cancellation seen before the charge)──▶ Voided   (a later approve is refused: 409)
 *
 * Approve is idempotent per order (a retried call returns the same payment), a charge happens at most
 * once and a refund never exceeds it.
 */
import { Either, Schema } from "effect"
import { IllegalTransition } from "./DomainError.js"
import { PaymentApproved, PaymentCancelled } from "./Events.js"
import { OrderId } from "./Ids.js"
import { Money } from "./Money.js"

export const PaymentStatus = Schema.Literal("None", "Approved", "Refunded", "Voided")
export type PaymentStatus = typeof PaymentStatus.Type

export class Payment extends Schema.Class<Payment>("Payment")({
  orderId: OrderId,
  amount: Money,
  status: PaymentStatus
}) {}

export type PaymentCommand =
  | { readonly _tag: "Approve"; readonly amount: Money }
  | { readonly _tag: "Refund" }

export type PaymentEvent = PaymentApproved | PaymentCancelled

export const none = (orderId: OrderId): Payment => new Payment({ orderId, amount: Money.make(0, true), status: "None" }, true)

const illegal = (payment: Payment, command: string, message: string) =>
  Either.left(new IllegalTransition({ aggregate: "payment", state: payment.status, command, message }))

/** The state change a command makes, with the events it publishes. */
export interface PaymentDecision {
  readonly next: Payment
  readonly events: ReadonlyArray<PaymentEvent>
}

export const decide = (
  payment: Payment,
  command: PaymentCommand
): Either.Either<PaymentDecision, IllegalTransition> => {
  switch (command._tag) {
    case "Approve":
      switch (payment.status) {
        case "None":
          return Either.right({
            next: new Payment({ ...payment, amount: command.amount, status: "Approved" }, true),
            events: [new PaymentApproved({ orderId: payment.orderId, amount: command.amount }, true)]
          })
        case "Approved":
          return payment.amount === command.amount
            ? Either.right({ next: payment, events: [] })
            : illegal(payment, "Approve", `order ${payment.orderId} was already charged a different amount`)
        case "Refunded":
        case "Voided":
          return illegal(payment, "Approve", `order ${payment.orderId} was cancelled; payment refused`)
      }
    // falls through: every case above returns
    case "Refund":
      switch (payment.status) {
        case "None":
          return Either.right({ next: new Payment({ ...payment, status: "Voided" }, true), events: [] })
        case "Approved":
          return Either.right({
            next: new Payment({ ...payment, status: "Refunded" }, true),
            events: [new PaymentCancelled({ orderId: payment.orderId, amount: payment.amount }, true)]
          })
        case "Refunded":
        case "Voided":
          return Either.right({ next: payment, events: [] })
      }
  }
}

export const evolve = (payment: Payment, event: PaymentEvent): Payment => {
  switch (event._tag) {
    case "PaymentApproved":
      return payment.status === "None" ? new Payment({ ...payment, amount: event.amount, status: "Approved" }, true) : payment
    case "PaymentCancelled":
      return payment.status === "Approved" ? new Payment({ ...payment, status: "Refunded" }, true) : payment
  }
}
