/**
 * The payment service's database: one payment row per order, plus outbox and inbox, and the
 * transactional command that charges or refunds.
 */
import { SqlClient } from "@effect/sql"
import { Effect, Either, Option } from "effect"
import { OrderId } from "../../domain/Ids.js"
import { Money } from "../../domain/Money.js"
import * as Payment from "../../domain/Payment.js"
import type { IllegalTransition } from "../../domain/DomainError.js"
import type { EventId } from "../../domain/Ids.js"
import { inboxMigration } from "../messaging/Inbox.js"
import { appendToOutbox, outboxMigration } from "../messaging/Outbox.js"
import { withService } from "../ServiceAccess.js"

export const paymentMigrations = {
  "1_payments": Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    yield* sql`CREATE TABLE payments (
      order_id INTEGER PRIMARY KEY,
      amount INTEGER NOT NULL,
      status TEXT NOT NULL,
      refunds INTEGER NOT NULL DEFAULT 0
    )`
  }),
  "2_outbox": outboxMigration,
  "3_inbox": inboxMigration
}

interface PaymentRow {
  readonly order_id: number
  readonly amount: number
  readonly status: Payment.PaymentStatus
  readonly refunds: number
}

// A row this service wrote from typed values: neither the class nor its brands are validated again.
const toPayment = (row: PaymentRow) =>
  new Payment.Payment({ orderId: OrderId.make(row.order_id, true), amount: Money.make(row.amount, true), status: row.status }, {
    disableValidation: true
  })

export const findPayment = (orderId: OrderId) =>
  withService(SqlClient.SqlClient, (sql) =>
    Effect.map(
      sql<PaymentRow>`SELECT order_id, amount, status, refunds FROM payments WHERE order_id = ${orderId}`,
      (rows) => rows.length === 0 ? Option.none() : Option.some(toPayment(rows[0]!))
    ))

/** Deliberate defects (services/MutantNames.ts) a caller switches on. */
export interface PaymentDefects {
  readonly forceRefund?: boolean
  readonly chargeVoided?: boolean
  /** The payment as the caller read it earlier, decided on instead of a fresh read (charge-decided-early). */
  readonly readEarlier?: Payment.Payment
}

/**
 * Applies a command to an order's payment in one transaction with its outbox rows. `forceRefund`
 * re-emits a refund even when already refunded (the double-refund mutant); `chargeVoided` charges an
 * order already voided (the charge-after-void mutant); `readEarlier` decides on a payment read before
 * the transaction (the charge-decided-early mutant).
 */
export const applyPaymentCommand = (
  orderId: OrderId,
  command: Payment.PaymentCommand,
  causationId: EventId | null,
  options: PaymentDefects = {}
) =>
  withService(
    SqlClient.SqlClient,
    (sql) => sql.withTransaction(applyPaymentCommandInTransaction(orderId, command, causationId, options))
  )

/**
 * `applyPaymentCommand` for a caller already in a transaction (the refund consumer's inbox
 * transaction): the same statements, without a nested SAVEPOINT. It fails only with an SqlError, which
 * rolls the caller's whole transaction back.
 */
export const applyPaymentCommandInTransaction = (
  orderId: OrderId,
  command: Payment.PaymentCommand,
  causationId: EventId | null,
  options: PaymentDefects = {}
) =>
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    const found = options.readEarlier ?? Option.getOrElse(yield* findPayment(orderId), () => Payment.none(orderId))
    // Mutant charge-after-void: a voided payment is taken for one not made yet.
    const current = options.chargeVoided && command._tag === "Approve" && found.status === "Voided"
      ? Payment.none(orderId)
      : found
    const decided = Payment.decide(current, command)
    if (Either.isLeft(decided)) return Either.left<IllegalTransition>(decided.left)
    let { events, next } = decided.right
    if (options.forceRefund && command._tag === "Refund" && current.status === "Refunded") {
      events = Payment.decide(new Payment.Payment({ ...current, status: "Approved" }, true), command).pipe(
        Either.map((d) => d.events),
        Either.getOrElse(() => [])
      )
    }
    if (next !== current || events.length > 0) {
      const refunds = events.filter((e) => e._tag === "PaymentCancelled").length
      yield* sql`INSERT INTO payments (order_id, amount, status, refunds) VALUES (${orderId}, ${next.amount}, ${next.status}, ${refunds})
        ON CONFLICT (order_id) DO UPDATE SET amount = excluded.amount, status = excluded.status, refunds = refunds + excluded.refunds`
    }
    const rows = yield* appendToOutbox(events, causationId)
    return Either.right({ payment: next, rows })
  })

export const allPayments = Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  return yield* sql<PaymentRow>`SELECT order_id, amount, status, refunds FROM payments ORDER BY order_id`
})
