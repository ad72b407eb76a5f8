/**
 * The order service's background work: it follows make's outcome (CoffeeMade / CoffeeCancelled) into
 * the order's state, abandons Pending orders whose pod died mid-call, and relays its outbox.
 */
import { Effect } from "effect"
import type { EventEnvelope } from "../../domain/Events.js"
import * as Order from "../../domain/Order.js"
import { runConsumer } from "../messaging/EventConsumer.js"
import { processOnce } from "../messaging/Inbox.js"
import { runOutboxRelay } from "../messaging/OutboxRelay.js"
import { Streams } from "../ports/EventBus.js"
import { PodIdentity } from "../ports/PodIdentity.js"
import { SystemObserver } from "../ports/SystemObserver.js"
import { SagaConfig } from "../SagaConfig.js"
import { applyOrderCommand } from "./OrderHandlers.js"
import { findAbandoned, findOrder, saveStatus } from "./OrderStore.js"

const GROUP = "order"

const onMakeEvent = (envelope: EventEnvelope) => {
  const event = envelope.event
  if (event._tag !== "CoffeeMade" && event._tag !== "CoffeeCancelled") return Effect.void
  return processOnce(
    GROUP,
    envelope.eventId,
    Effect.gen(function*() {
      const found = yield* findOrder(event.orderId)
      if (found._tag === "None") return
      const next = Order.evolve(found.value, event)
      if (next !== found.value) yield* saveStatus(next)
    })
  )
}

/** Rejects Pending orders older than the abandon limit: their payment call will never be answered. */
export const sweepAbandoned = Effect.gen(function*() {
  const config = yield* SagaConfig
  const observer = yield* SystemObserver
  const { pod } = yield* PodIdentity
  const now = yield* Effect.clockWith((clock) => clock.currentTimeMillis)
  const abandoned = yield* findAbandoned(now - config.order.abandonPendingAfterMillis)
  for (const order of abandoned) {
    const rejected = yield* applyOrderCommand(order.orderId, { _tag: "RejectPayment" }).pipe(
      Effect.as(true),
      Effect.catchTags({ Conflict: () => Effect.succeed(false), NotFound: () => Effect.succeed(false) })
    )
    if (rejected) yield* observer.note({ _tag: "OrderAbandoned", pod, orderId: order.orderId })
  }
})

export const orderWorkers = Effect.gen(function*() {
  const config = yield* SagaConfig
  const sweeper = Effect.forever(
    Effect.sleep(config.order.sweepEveryMillis).pipe(
      Effect.zipRight(sweepAbandoned.pipe(Effect.catchAllCause((c) => Effect.logWarning("sweep failed", c))))
    )
  )
  yield* Effect.all([
    runOutboxRelay,
    runConsumer({ group: GROUP, streams: [Streams.make], handle: onMakeEvent }),
    sweeper
  ], { concurrency: "unbounded", discard: true })
})
