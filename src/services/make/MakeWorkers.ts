/**
 * The make service's background work: it records PaymentApproved and OrderPlaced, brews once both are
 * known (CoffeeMade), cancels on OrderCancelled before the coffee is made (CoffeeCancelled), and relays
 * its outbox. An instant brew (the default) is made in the transaction that decides it; a brew that
 * takes time is recorded with this pod's claim in that transaction and finished by the brewer
 * (MakeBrewer.ts) after the brew time, unless a cancel got there first.
 * Mutants living here: cancel-publishes-made, make-on-payment-only, make-no-inbox, make-acks-failed-event,
 * make-outbox-apart, make-drops-slow-event.
 */
import { SqlClient } from "@effect/sql"
import { Effect, Either, Option } from "effect"
import type { DomainEvent } from "../../domain/Events.js"
import type { EventId, OrderId } from "../../domain/Ids.js"
import { CoffeeMade, type EventEnvelope } from "../../domain/Events.js"
import * as Make from "../../domain/Make.js"
import { runConsumer } from "../messaging/EventConsumer.js"
import { processOnce } from "../messaging/Inbox.js"
import { appendToOutbox, notifyRelay, type OutboxRow } from "../messaging/Outbox.js"
import { runOutboxRelay } from "../messaging/OutboxRelay.js"
import { Mutants } from "../Mutants.js"
import { Streams } from "../ports/EventBus.js"
import { PodIdentity } from "../ports/PodIdentity.js"
import { sample } from "../Distribution.js"
import { SagaConfig } from "../SagaConfig.js"
import { type Brewer, isInstant, makeBrewer, runBrewSweeps } from "./MakeBrewer.js"
import { findMake, holdBrew, saveMake } from "./MakeStore.js"

const GROUP = "make"

const commandFor = (envelope: EventEnvelope): Make.MakeCommand | undefined => {
  switch (envelope.event._tag) {
    case "PaymentApproved":
      return { _tag: "RecordPayment" }
    case "OrderPlaced":
      return { _tag: "RecordOrder" }
    case "OrderCancelled":
      return { _tag: "Cancel" }
    default:
      return undefined
  }
}

/**
 * Holds a decision to brew while the coffee brews: the make keeps its facts and stays Waiting, claimed
 * by this pod for the brew's time plus a lease. Returns the brew time drawn.
 */
const holdForBrewing = (decided: Make.Make, cause: EventId) =>
  Effect.gen(function*() {
    const config = (yield* SagaConfig).make
    const { pod } = yield* PodIdentity
    const now = yield* Effect.clockWith((clock) => clock.currentTimeMillis)
    const millis = yield* sample(config.brew)
    yield* holdBrew(decided, pod, now + millis + config.brewLeaseMillis, cause)
    return millis
  })

/** The handler of one event; the pod's mutants and SQL client are read once, when the workers start. */
const onEvent = (brewer: Brewer | undefined, mutants: Mutants["Type"], sql: SqlClient.SqlClient) => (envelope: EventEnvelope) =>
  Effect.gen(function*() {
    const command = commandFor(envelope)
    if (command === undefined) return
    const orderId = envelope.event.orderId
    let rows: ReadonlyArray<OutboxRow> = []
    // Mutant make-outbox-apart: the events are written to the outbox in a second transaction.
    const outboxApart = mutants.has("make-outbox-apart")
    let apart: ReadonlyArray<DomainEvent> = []
    const toOutbox = (events: ReadonlyArray<DomainEvent>) =>
      outboxApart ? Effect.sync(() => (apart = events, [] as ReadonlyArray<OutboxRow>)) : appendToOutbox(events, envelope.eventId)
    let brew = undefined as { readonly orderId: OrderId; readonly millis: number } | undefined
    const apply = Effect.gen(function*() {
      const current = Option.getOrElse(yield* findMake(orderId), () => Make.waiting(orderId))
      let decided = Make.decide(current, command)
      if (Either.isLeft(decided)) return
      let { events, next } = decided.right
      if (mutants.has("make-on-payment-only") && command._tag === "RecordPayment" && next.status === "Waiting") {
        decided = Make.decide(new Make.Make({ ...next, placed: true }, true), { _tag: "RecordPayment" })
        if (Either.isRight(decided)) ({ events, next } = decided.right)
      }
      if (mutants.has("cancel-publishes-made") && command._tag === "Cancel" && events.length > 0) {
        // The seed's bug: the cancel handler saves a new record whose post-persist hook says "made".
        events = [...events, new CoffeeMade({ orderId }, true)]
      }
      if (mutants.has("make-no-inbox") && command._tag === "RecordPayment" && current.status === "Made") {
        events = [new CoffeeMade({ orderId }, true)]
      }
      if (brewer !== undefined && current.status === "Waiting" && next.status === "Made") {
        // The decision to brew, held while the coffee brews (MakeBrewer.ts finishes it).
        brew = { orderId, millis: yield* holdForBrewing(next, envelope.eventId) }
        rows = yield* toOutbox(events.filter((e) => e._tag !== "CoffeeMade"))
        return
      }
      const brewed = events.filter((e) => e._tag === "CoffeeMade").length
      if (next !== current || brewed > 0) yield* saveMake(next, brewed)
      rows = yield* toOutbox(events)
    })
    let handled: Effect.Effect<unknown, unknown, any> = mutants.has("make-no-inbox")
      ? sql.withTransaction(apply)
      : processOnce(GROUP, envelope.eventId, apply)
    // Mutant make-acks-failed-event: a handler that failed (its transaction rolled back) counts as handled.
    if (mutants.has("make-acks-failed-event")) handled = Effect.catchAll(handled, () => Effect.void)
    // Mutant make-drops-slow-event: an event whose handling takes over a second is given up as handled.
    if (mutants.has("make-drops-slow-event")) handled = Effect.timeoutTo(handled, { duration: 1_000, onTimeout: () => undefined, onSuccess: (a) => a })
    yield* handled
    if (outboxApart && apart.length > 0) rows = yield* sql.withTransaction(appendToOutbox(apart, envelope.eventId))
    yield* notifyRelay(rows)
    if (brewer !== undefined && brew !== undefined) yield* brewer.start(brew.orderId, brew.millis)
  })

/** The consumer and the relay; with a brew time, the brewer and its sweep too. */
export const makeWorkers = Effect.scoped(Effect.gen(function*() {
  const config = (yield* SagaConfig).make
  const brewer = isInstant(config.brew) ? undefined : yield* makeBrewer
  const handle = onEvent(brewer, yield* Mutants, yield* SqlClient.SqlClient)
  yield* Effect.all([
    runOutboxRelay,
    runConsumer({ group: GROUP, streams: [Streams.order, Streams.payment], handle }),
    ...(brewer === undefined ? [] : [runBrewSweeps(brewer)])
  ], { concurrency: "unbounded", discard: true })
}))
