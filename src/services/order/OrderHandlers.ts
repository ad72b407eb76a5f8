/**
 * The order service's HTTP handlers: place (with the synchronous payment call), read, cancel.
 *
 * Placing an order: a Pending row is written first, so the order id exists before payment is asked.
 * Payment approved → the order is Placed and OrderPlaced is published (make needs it to brew).
 * Payment failed, refused or timed out → the order is Rejected, OrderCancelled("payment-failed") is
 * published and the customer gets 503. A timed-out call may still succeed at payment; the
 * OrderCancelled makes payment refund it and make never brew it, so a customer told "failed" is
 * neither charged in the end nor served.
 */
import { HttpApiBuilder } from "@effect/platform"
import { SqlClient } from "@effect/sql"
import { Effect, Either, Option } from "effect"
import type { OrderId } from "../../domain/Ids.js"
import * as Order from "../../domain/Order.js"
import { Conflict, NotFound, Unavailable } from "../http/ApiErrors.js"
import { checkHealth } from "../http/HealthApi.js"
import { appendToOutbox, notifyRelay, type OutboxRow } from "../messaging/Outbox.js"
import { isOn } from "../Mutants.js"
import { PodIdentity } from "../ports/PodIdentity.js"
import { SystemObserver } from "../ports/SystemObserver.js"
import { OrderApi } from "./OrderApi.js"
import { findOrder, insertPending, saveStatus } from "./OrderStore.js"
import { PaymentGateway } from "./PaymentGateway.js"

/** Loads an order, applies a command, saves the new state and its events in one transaction. */
export const applyOrderCommand = (orderId: OrderId, command: Order.OrderCommand) =>
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    const result: Either.Either<{ order: Order.Order; rows: ReadonlyArray<OutboxRow> }, NotFound | Conflict> = yield* sql
      .withTransaction(Effect.gen(function*() {
      const found = yield* findOrder(orderId)
      if (Option.isNone(found)) {
        return Either.left<NotFound | Conflict>(new NotFound({ message: `order ${orderId} not found` }))
      }
      const decision = Order.decide(found.value, command)
      if (Either.isLeft(decision)) {
        return Either.left<NotFound | Conflict>(new Conflict({ message: decision.left.message, state: decision.left.state }))
      }
      const next = decision.right.reduce(Order.evolve, found.value)
      if (next !== found.value) yield* saveStatus(next)
      const rows = yield* appendToOutbox(decision.right, null)
      return Either.right({ order: next, rows })
    }))
    if (Either.isRight(result)) yield* notifyRelay(result.right.rows)
    return yield* result
  })

export const OrdersHandlers = HttpApiBuilder.group(OrderApi, "orders", (handlers) =>
  handlers
    .handle("place", ({ payload }) =>
      Effect.gen(function*() {
        const gateway = yield* PaymentGateway
        const pending = yield* insertPending(payload.menuId, payload.price)
        const charged = yield* Effect.either(gateway.charge(pending.orderId, payload.price))
        if (Either.isRight(charged)) {
          return yield* applyOrderCommand(pending.orderId, { _tag: "ConfirmPayment" }).pipe(
            Effect.map(({ order }) => order),
            Effect.catchAll((error) =>
              Effect.fail(
                new Unavailable({ message: `order ${pending.orderId} was abandoned: ${error.message}`, reason: "abandoned" })
              )
            )
          )
        }
        const failure = charged.left
        const observer = yield* SystemObserver
        const { pod } = yield* PodIdentity
        yield* observer.note({ _tag: "PaymentCallFailed", pod, orderId: pending.orderId, reason: failure.reason })
        // Mutant: keep (and brew) an order whose payment call failed, while telling the customer it failed.
        const keep = yield* isOn("timeout-keeps-order")
        yield* applyOrderCommand(pending.orderId, keep ? { _tag: "ConfirmPayment" } : { _tag: "RejectPayment" }).pipe(
          Effect.ignore
        )
        return yield* Effect.fail(
          new Unavailable({
            message: `order ${pending.orderId} rejected: payment ${failure.reason} (${failure.detail})`,
            reason: `payment-${failure.reason}`
          })
        )
      }).pipe(Effect.orDie))
    .handle("get", ({ path }) =>
      findOrder(path.orderId).pipe(
        Effect.orDie,
        Effect.flatMap(Option.match({
          onNone: () => Effect.fail(new NotFound({ message: `order ${path.orderId} not found` })),
          onSome: Effect.succeed
        }))
      ))
    .handle("cancel", ({ path }) =>
      applyOrderCommand(path.orderId, { _tag: "Cancel" }).pipe(
        Effect.map(({ order }) => order),
        Effect.catchTag("SqlError", Effect.die)
      ))
)

export const OrderHealthHandlers = HttpApiBuilder.group(OrderApi, "health", (h) => h.handle("check", () => checkHealth))
