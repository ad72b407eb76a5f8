/**
 * The make service's background work: it records PaymentApproved and OrderPlaced, brews once both are
 * known (CoffeeMade), cancels on OrderCancelled before the brew (CoffeeCancelled), and relays its outbox.
 * Mutants living here: cancel-publishes-made, make-on-payment-only, make-no-inbox.
 */
import { SqlClient } from "@effect/sql"
import { Effect, Either, Option } from "effect"
import { CoffeeMade, type EventEnvelope } from "../../domain/Events.js"
import * as Make from "../../domain/Make.js"
import { runConsumer } from "../messaging/EventConsumer.js"
import { processOnce } from "../messaging/Inbox.js"
import { appendToOutbox, notifyRelay, type OutboxRow } from "../messaging/Outbox.js"
import { runOutboxRelay } from "../messaging/OutboxRelay.js"
import { Mutants } from "../Mutants.js"
import { Streams } from "../ports/EventBus.js"
import { findMake, saveMake } from "./MakeStore.js"

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

const onEvent = (envelope: EventEnvelope) =>
  Effect.gen(function*() {
    const command = commandFor(envelope)
    if (command === undefined) return
    const mutants = yield* Mutants
    const sql = yield* SqlClient.SqlClient
    const orderId = envelope.event.orderId
    let rows: ReadonlyArray<OutboxRow> = []
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
      const brewed = events.filter((e) => e._tag === "CoffeeMade").length
      if (next !== current || brewed > 0) yield* saveMake(next, brewed)
      rows = yield* appendToOutbox(events, envelope.eventId)
    })
    if (mutants.has("make-no-inbox")) yield* sql.withTransaction(apply)
    else yield* processOnce(GROUP, envelope.eventId, apply)
    yield* notifyRelay(rows)
  })

export const makeWorkers = Effect.all([
  runOutboxRelay,
  runConsumer({ group: GROUP, streams: [Streams.order, Streams.payment], handle: onEvent })
], { concurrency: "unbounded", discard: true })
