/**
 * The payment service's background work: refunds (PaymentCancelled) when an order is given up on
 * (OrderCancelled "payment-failed") or its coffee is cancelled (CoffeeCancelled), and relays its outbox.
 * Mutants living here: double-refund, void-publishes-refund.
 */
import { Effect } from "effect"
import { type EventEnvelope, PaymentCancelled } from "../../domain/Events.js"
import { runConsumer } from "../messaging/EventConsumer.js"
import { processOnce } from "../messaging/Inbox.js"
import { appendToOutbox, notifyRelay, type OutboxRow } from "../messaging/Outbox.js"
import { runOutboxRelay } from "../messaging/OutboxRelay.js"
import { isOn } from "../Mutants.js"
import { Streams } from "../ports/EventBus.js"
import { applyPaymentCommandInTransaction } from "./PaymentStore.js"

const GROUP = "payment"

const onEvent = (envelope: EventEnvelope) =>
  Effect.gen(function*() {
    const event = envelope.event
    const refund = (event._tag === "OrderCancelled" && event.reason === "payment-failed") ||
      event._tag === "CoffeeCancelled"
    if (!refund) return
    const doubleRefund = yield* isOn("double-refund")
    const announceVoid = yield* isOn("void-publishes-refund")
    let rows: ReadonlyArray<OutboxRow> = []
    yield* processOnce(
      GROUP,
      envelope.eventId,
      applyPaymentCommandInTransaction(event.orderId, { _tag: "Refund" }, envelope.eventId, { forceRefund: doubleRefund }).pipe(
        Effect.flatMap((result) => {
          if (result._tag === "Left") return Effect.void
          rows = result.right.rows
          const { payment } = result.right
          // Mutant: a void (nothing was charged) announced as a refund.
          if (!announceVoid || payment.status !== "Voided" || rows.length > 0) return Effect.void
          return appendToOutbox([new PaymentCancelled({ orderId: payment.orderId, amount: payment.amount }, true)], envelope.eventId)
            .pipe(Effect.map((appended) => {
              rows = appended
            }))
        })
      )
    )
    yield* notifyRelay(rows)
  })

export const paymentWorkers = Effect.all([
  runOutboxRelay,
  runConsumer({ group: GROUP, streams: [Streams.order, Streams.make], handle: onEvent })
], { concurrency: "unbounded", discard: true })
