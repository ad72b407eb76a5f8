/**
 * The payment service's HTTP handlers: charge an order (taking the configured processing time, the
 * seed's 400–620 ms) and read a payment. Charging is idempotent per order; a charge for an order
 * already cancelled is refused with 409.
 * Mutants living here: charge-after-void, charge-decided-early.
 */
import { HttpApiBuilder } from "@effect/platform"
import { Effect, Either, Option } from "effect"
import * as Payment from "../../domain/Payment.js"
import { sample } from "../Distribution.js"
import { Conflict, NotFound } from "../http/ApiErrors.js"
import { checkHealth } from "../http/HealthApi.js"
import { notifyRelay } from "../messaging/Outbox.js"
import { isOn } from "../Mutants.js"
import { SagaConfig } from "../SagaConfig.js"
import { PaymentApi } from "./PaymentApi.js"
import { applyPaymentCommand, findPayment } from "./PaymentStore.js"

export const PaymentsHandlers = HttpApiBuilder.group(PaymentApi, "payments", (handlers) =>
  handlers
    .handle("charge", ({ payload }) =>
      Effect.gen(function*() {
        const config = yield* SagaConfig
        // Mutant charge-decided-early: the payment is read before the processing time and the charge
        // decided on that read, so a void that lands meanwhile is overwritten.
        const early = (yield* isOn("charge-decided-early"))
          ? { readEarlier: Option.getOrElse(yield* Effect.orDie(findPayment(payload.orderId)), () => Payment.none(payload.orderId)) }
          : {}
        yield* Effect.sleep(yield* sample(config.payment.processing))
        const chargeVoided = yield* isOn("charge-after-void")
        const approve = { _tag: "Approve", amount: payload.amount } as const
        const result = yield* applyPaymentCommand(payload.orderId, approve, null, { chargeVoided, ...early }).pipe(Effect.orDie)
        if (Either.isLeft(result)) {
          return yield* Effect.fail(new Conflict({ message: result.left.message, state: result.left.state }))
        }
        yield* notifyRelay(result.right.rows)
        return result.right.payment
      }))
    .handle("get", ({ path }) =>
      findPayment(path.orderId).pipe(
        Effect.orDie,
        Effect.flatMap(Option.match({
          onNone: () => Effect.fail(new NotFound({ message: `no payment for order ${path.orderId}` })),
          onSome: Effect.succeed
        }))
      ))
)

export const PaymentHealthHandlers = HttpApiBuilder.group(PaymentApi, "health", (h) => h.handle("check", () => checkHealth))
