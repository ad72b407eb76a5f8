/**
 * PaymentGateway: order's synchronous call to payment (NFR1), behind a timeout and a circuit breaker.
 *
 * The call goes to one of payment's ready endpoints, round-robin. At most `maxConcurrentPaymentCalls`
 * run at once per pod (Hystrix's thread pool); one more is rejected at once. It fails with PaymentCallFailed when
 * payment refuses the charge, is unreachable or answers an error, when it does not answer within the
 * timeout (610 ms by default, the seed's Hystrix setting), or at once while the breaker is open.
 * A timed-out call may still complete at payment; order then cancels the order, and payment refunds
 * (see OrderHandlers.ts and the note in docs/ARCHITECTURE.md). The breaker's policy, every call it
 * sees and every transition go to the SystemObserver, for the history's reference model of it.
 * Mutants living here: breaker-never-opens, bulkhead-leaks-on-timeout.
 */
import { HttpApiClient, HttpClient } from "@effect/platform"
import { Context, Data, Effect, Layer } from "effect"
import type { OrderId } from "../../domain/Ids.js"
import type { Money } from "../../domain/Money.js"
import type { Payment } from "../../domain/Payment.js"
import { ChargeOrder, PaymentApi } from "../payment/PaymentApi.js"
import { Mutants } from "../Mutants.js"
import { PodIdentity } from "../ports/PodIdentity.js"
import { makeRoundRobin, ServiceDirectory } from "../ports/ServiceDirectory.js"
import { SystemObserver } from "../ports/SystemObserver.js"
import * as CircuitBreaker from "../resilience/CircuitBreaker.js"
import { timeoutFail } from "../resilience/Timeout.js"
import { SagaConfig } from "../SagaConfig.js"

export type PaymentFailureReason = "timeout" | "circuit-open" | "rejected" | "refused" | "unreachable" | "error"

export class PaymentCallFailed extends Data.TaggedError("PaymentCallFailed")<{
  readonly reason: PaymentFailureReason
  readonly detail: string
}> {}

export interface PaymentGatewayShape {
  readonly charge: (orderId: OrderId, amount: Money) => Effect.Effect<Payment, PaymentCallFailed>
  readonly breaker: CircuitBreaker.CircuitBreaker
}

/**
 * Hystrix's thread pool as a count: a call runs if fewer than `capacity` are in flight, else fails at
 * once with `rejected()`; its slot comes back whatever its exit (interrupted too). What
 * `Semaphore.withPermitsIfAvailable` does, in a third of the Effect operations; `resize` is
 * `Semaphore.resize` (a smaller pool rejects until enough calls have ended).
 */
const makeBulkhead = <E>(initialCapacity: number, rejected: () => E) => {
  let capacity = initialCapacity
  let inFlight = 0
  return {
    resize: (n: number) => {
      capacity = n
    },
    run: <A, E1, R>(effect: Effect.Effect<A, E1, R>): Effect.Effect<A, E | E1, R> =>
      Effect.uninterruptibleMask((restore): Effect.Effect<A, E | E1, R> => {
        if (inFlight >= capacity) return Effect.fail(rejected())
        inFlight++
        return Effect.matchCauseEffect(restore(effect), {
          onFailure: (cause) => {
            inFlight--
            return Effect.failCause(cause)
          },
          onSuccess: (a) => {
            inFlight--
            return Effect.succeed(a)
          }
        })
      })
  }
}

export class PaymentGateway extends Context.Tag("starcoffee/order/PaymentGateway")<PaymentGateway, PaymentGatewayShape>() {
  /** Over HTTP, through the world's HttpClient and ServiceDirectory. One breaker per pod, as Hystrix has. */
  static readonly Http = Layer.effect(
    PaymentGateway,
    Effect.gen(function*() {
      const config = yield* SagaConfig
      const observer = yield* SystemObserver
      const { pod } = yield* PodIdentity
      const directory = yield* ServiceDirectory
      const nextEndpoint = makeRoundRobin(directory, "payment")
      const httpClient = yield* HttpClient.HttpClient
      // One typed client per endpoint, built on first use.
      const clients = new Map<string, Effect.Effect.Success<ReturnType<typeof makeClient>>>()
      const makeClient = (baseUrl: string) => HttpApiClient.makeWith(PaymentApi, { httpClient, baseUrl })
      const clientFor = (baseUrl: string) => {
        const cached = clients.get(baseUrl)
        return cached
          ? Effect.succeed(cached)
          : Effect.tap(makeClient(baseUrl), (client) => Effect.sync(() => clients.set(baseUrl, client)))
      }
      const mutants = yield* Mutants
      const name = "order→payment"
      // Rejections noted: the first of each run of them, then one a second (a correct rejection changes
      // nothing a model of the breaker tracks, so the rest would only lengthen the history).
      let lastRejectionNoted = Number.NEGATIVE_INFINITY
      const noted = (c: CircuitBreaker.BreakerCall) => {
        if (c.outcome !== "rejected") lastRejectionNoted = Number.NEGATIVE_INFINITY
        else if (Math.abs(c.startMillis - lastRejectionNoted) < 1_000) return false
        else lastRejectionNoted = c.startMillis
        return true
      }
      const breaker = yield* CircuitBreaker.make(name, {
        ...config.order.breaker,
        onTransition: (t) =>
          observer.note({ _tag: "BreakerTransition", pod, breaker: t.name, from: t.from, to: t.to, reason: t.reason, at: t.atMillis }),
        onCall: (c) =>
          !noted(c) ? Effect.void : observer.note({
            _tag: "BreakerCall",
            pod,
            breaker: name,
            outcome: c.outcome,
            start: c.startMillis,
            end: c.endMillis,
            seq: [c.admittedSeq, c.completedSeq]
          }),
        ...(mutants.has("breaker-never-opens") ? { defect: "never-opens" } as const : {})
      })
      yield* observer.note({ _tag: "BreakerConfigured", pod, breaker: name, policy: breaker.policy })
      const timeout = config.order.paymentTimeoutMillis
      const maxCalls = config.order.maxConcurrentPaymentCalls
      const bulkhead = makeBulkhead(maxCalls, () =>
        new PaymentCallFailed({ reason: "rejected", detail: `${maxCalls} payment calls already in flight` }))
      // Mutant bulkhead-leaks-on-timeout: the pool never gets back the slot of a call that timed out.
      let leaked = 0
      const leakOnTimeout = mutants.has("bulkhead-leaks-on-timeout")
        ? <A>(effect: Effect.Effect<A, PaymentCallFailed>) =>
          Effect.tapError(effect, (e) =>
            e.reason === "timeout" ? Effect.sync(() => bulkhead.resize(Math.max(0, maxCalls - ++leaked))) : Effect.void)
        : <A>(effect: Effect.Effect<A, PaymentCallFailed>) => effect

      const call = (orderId: OrderId, amount: Money) =>
        nextEndpoint.pipe(
          Effect.flatMap((base) =>
            base === undefined
              ? Effect.fail(new PaymentCallFailed({ reason: "unreachable", detail: "payment has no ready endpoint" }))
              : clientFor(base)
          ),
          // orderId and amount are already typed (OrderId, Money): the payload is not validated twice.
          Effect.flatMap((client) => client.payments.charge({ payload: new ChargeOrder({ orderId, amount }, true) })),
          Effect.catchAll((error): Effect.Effect<never, PaymentCallFailed> => {
            const e = error as { _tag?: string; message?: string }
            if (e._tag === "PaymentCallFailed") return Effect.fail(error as PaymentCallFailed)
            if (e._tag === "Conflict") {
              return Effect.fail(new PaymentCallFailed({ reason: "refused", detail: e.message ?? "refused" }))
            }
            if (e._tag === "RequestError") {
              return Effect.fail(new PaymentCallFailed({ reason: "unreachable", detail: e.message ?? "unreachable" }))
            }
            return Effect.fail(new PaymentCallFailed({ reason: "error", detail: e.message ?? String(e._tag) }))
          }),
          (effect) =>
            timeoutFail(effect, {
              duration: timeout,
              onTimeout: () => new PaymentCallFailed({ reason: "timeout", detail: `no answer within ${timeout} ms` })
            })
        )

      return {
        breaker,
        charge: (orderId, amount) =>
          breaker.protect(bulkhead.run(leakOnTimeout(call(orderId, amount)))).pipe(
            Effect.catchTag("CircuitBreakerOpen", (open) =>
              Effect.fail(
                new PaymentCallFailed({ reason: "circuit-open", detail: `breaker open, retry in ${open.retryAfterMillis} ms` })
              ))
          )
      }
    })
  )
}
