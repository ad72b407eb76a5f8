/**
 * Transactional outbox: a service writes its state change and the events it publishes in one SQLite
 * transaction; the relay (OutboxRelay.ts) publishes them later and deletes them once the bus has them.
 * An event is therefore never lost between a commit and a publish, and never published for a change
 * that rolled back.
 */
import { SqlClient } from "@effect/sql"
import { Effect } from "effect"
import { type DomainEvent, envelope, EventEnvelopeJson } from "../../domain/Events.js"
import type { EventId } from "../../domain/Ids.js"
import { Streams } from "../ports/EventBus.js"
import { Schema } from "effect"
import { OutboxSignal } from "./OutboxSignal.js"

export const outboxMigration = Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  yield* sql`CREATE TABLE outbox (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    stream TEXT NOT NULL,
    event_id TEXT NOT NULL,
    body TEXT NOT NULL,
    claimed_by TEXT,
    claimed_until REAL
  )`
})

const encodeEnvelope = Schema.encodeSync(EventEnvelopeJson)

/** The stream an event is published on: the stream of the service that owns it. */
export const streamOf = (event: DomainEvent): string => {
  switch (event._tag) {
    case "OrderPlaced":
    case "OrderCancelled":
      return Streams.order
    case "PaymentApproved":
    case "PaymentCancelled":
      return Streams.payment
    case "CoffeeMade":
    case "CoffeeCancelled":
      return Streams.make
  }
}

/**
 * Appends events to the outbox. Call it inside the transaction that changes the state; the relay is
 * woken after the caller's transaction commits (see `notifyRelay`).
 */
export const appendToOutbox = (events: ReadonlyArray<DomainEvent>, causationId: EventId | null) =>
  Effect.gen(function*() {
    if (events.length === 0) return
    const sql = yield* SqlClient.SqlClient
    const now = yield* Effect.clockWith((clock) => clock.currentTimeMillis)
    for (const event of events) {
      const env = envelope(event, now, causationId)
      yield* sql`INSERT INTO outbox (stream, event_id, body) VALUES (${streamOf(event)}, ${env.eventId}, ${
        encodeEnvelope(env)
      })`
    }
  })

/** Wakes this pod's relay; call after a commit that appended events. */
export const notifyRelay = Effect.flatMap(OutboxSignal, (signal) => signal.notify)

/** Rows still waiting to be published (for "outboxes drain" checks). */
export const outboxBacklog = Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  const rows = yield* sql<{ n: number }>`SELECT count(*) AS n FROM outbox`
  return rows[0]?.n ?? 0
})
