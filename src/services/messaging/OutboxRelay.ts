/**
 * OutboxRelay: the background fiber of each pod that moves committed outbox rows onto the bus.
 * It claims a batch with a lease (so replicas sharing a database rarely publish the same row twice,
 * and rows of a dead relay are taken over once the lease expires), publishes each row, then deletes
 * it. A publish that fails (broker down) leaves the row for the next round: at-least-once.
 */
import { SqlClient } from "@effect/sql"
import { Effect } from "effect"
import { EventBus } from "../ports/EventBus.js"
import { PodIdentity } from "../ports/PodIdentity.js"
import { SagaConfig } from "../SagaConfig.js"
import { OutboxSignal } from "./OutboxSignal.js"

interface OutboxRow {
  readonly seq: number
  readonly stream: string
  readonly body: string
}

/** One relay round: returns how many rows were published. */
export const relayOnce = (batch = 100) =>
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    const bus = yield* EventBus
    const { pod } = yield* PodIdentity
    const config = yield* SagaConfig
    const now = yield* Effect.clockWith((clock) => clock.currentTimeMillis)
    const rows = yield* sql<OutboxRow>`UPDATE outbox SET claimed_by = ${pod}, claimed_until = ${
      now + config.messaging.relayLeaseMillis
    }
      WHERE seq IN (SELECT seq FROM outbox WHERE claimed_by IS NULL OR claimed_until < ${now} OR claimed_by = ${pod}
                    ORDER BY seq LIMIT ${batch})
      RETURNING seq, stream, body`
    if (rows.length === 0) return 0
    // RETURNING does not promise an order: publish in commit order.
    const sorted = rows.length > 1 ? [...rows].sort((a, b) => a.seq - b.seq) : rows
    let published = 0
    for (const row of sorted) {
      const ok = yield* bus.publish(row.stream, row.body).pipe(
        Effect.as(true),
        Effect.catchTag("BusUnavailable", () => Effect.succeed(false))
      )
      if (!ok) break
      yield* sql`DELETE FROM outbox WHERE seq = ${row.seq}`
      published++
    }
    if (published < sorted.length) {
      // Release the rest so that the next round (here or on another pod) retries them in order.
      yield* sql`UPDATE outbox SET claimed_by = NULL, claimed_until = NULL WHERE claimed_by = ${pod}`
    }
    return published
  })

/** Runs forever: relay, then wait for a commit notification or the poll interval. */
export const runOutboxRelay = Effect.gen(function*() {
  const signal = yield* OutboxSignal
  const config = yield* SagaConfig
  while (true) {
    const published = yield* relayOnce().pipe(
      Effect.catchAllCause((cause) => Effect.logWarning("outbox relay round failed", cause).pipe(Effect.as(-1)))
    )
    if (published === 100) continue
    yield* signal.await(published < 0 ? config.messaging.retryBackoffMillis : config.messaging.relayPollMillis)
  }
})
