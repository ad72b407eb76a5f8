/**
 * Transactional outbox: a service writes its state change and the events it publishes in one SQLite
 * transaction; the relay (OutboxRelay.ts) publishes them later and deletes them once the bus has them.
 * An event is therefore never lost between a commit and a publish, and never published for a change
 * that rolled back.
 *
 * Rows are inserted already claimed by the writing pod for one lease, and after the commit the writer
 * hands them to its pod's relay (`notifyRelay(rows)`), which publishes them without claiming. If the
 * pod dies first, the lease expires and any relay claims them (see OutboxRelay.ts).
 */
import { SqlClient } from "@effect/sql"
import type { SqlError } from "@effect/sql/SqlError"
import { Clock, Context, Effect } from "effect"
import { type DomainEvent, envelope, type EventEnvelope } from "../../domain/Events.js"
import type { EventId } from "../../domain/Ids.js"
import { Streams } from "../ports/EventBus.js"
import { PodIdentity } from "../ports/PodIdentity.js"
import { SagaConfig } from "../SagaConfig.js"
import { withService } from "../ServiceAccess.js"
import { OutboxSignal, type OutboxRow } from "./OutboxSignal.js"

export type { OutboxRow } from "./OutboxSignal.js"

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

/**
 * The JSON text of an envelope we built ourselves (`envelope`, from domain events constructed by our
 * own code): the same text as `Schema.encodeSync(EventEnvelopeJson)` — every field encodes to itself
 * and the keys come in the same order (test/domain/EnvelopeEncoding.test.ts proves it for every event)
 * — without validating again what was just built. What comes from outside is still decoded with the
 * schema (EventConsumer.ts).
 */
export const encodeEnvelope = (env: EventEnvelope): string => JSON.stringify(env)

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

const noRows: ReadonlyArray<OutboxRow> = []

/**
 * Appends events to the outbox, claimed by this pod for one relay lease. Call it inside the
 * transaction that changes the state; after that transaction commits, hand the rows it returns to the
 * relay with `notifyRelay`.
 */
export const appendToOutbox = (
  events: ReadonlyArray<DomainEvent>,
  causationId: EventId | null
): Effect.Effect<ReadonlyArray<OutboxRow>, SqlError, SqlClient.SqlClient | PodIdentity | SagaConfig> =>
  // The fiber's clock and services read in one Effect operation (not a clockWith and a context read).
  events.length === 0 ? Effect.succeed(noRows) : Effect.withFiberRuntime((fiber) => {
      const clock = Context.get(fiber.currentDefaultServices, Clock.Clock)
      const context = fiber.currentContext as Context.Context<SqlClient.SqlClient | PodIdentity | SagaConfig>
      const sql = Context.get(context, SqlClient.SqlClient)
      const { pod } = Context.get(context, PodIdentity)
      const lease = Context.get(context, SagaConfig).messaging.relayLeaseMillis
      const now = clock.unsafeCurrentTimeMillis()
      const rows: Array<OutboxRow> = []
      const insert = (event: DomainEvent) => {
        const env = envelope(event, now, causationId)
        const stream = streamOf(event)
        const body = encodeEnvelope(env)
        return Effect.map(
          sql<{ seq: number }>`INSERT INTO outbox (stream, event_id, body, claimed_by, claimed_until)
        VALUES (${stream}, ${env.eventId}, ${body}, ${pod}, ${now + lease}) RETURNING seq`,
          (inserted) => {
            rows.push({ seq: inserted[0]!.seq, stream, body })
            return rows
          }
        )
      }
      return events.length === 1 ? insert(events[0]!) : Effect.as(Effect.forEach(events, insert, { discard: true }), rows)
    })

/** Hands rows appended by a committed transaction to this pod's relay and wakes it. */
export const notifyRelay = (rows: ReadonlyArray<OutboxRow>) =>
  rows.length === 0 ? Effect.void : withService(OutboxSignal, (signal) => signal.handOff(rows))

/** Rows still waiting to be published (for "outboxes drain" checks). */
export const outboxBacklog = Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  const rows = yield* sql<{ n: number }>`SELECT count(*) AS n FROM outbox`
  return rows[0]?.n ?? 0
})
