/**
 * OutboxRelay: the background fiber of each pod that moves committed outbox rows onto the bus.
 *
 * Hot path: the transactions of this pod insert their rows already claimed by this pod (with a lease)
 * and, once committed, hand them over (OutboxSignal); the relay publishes them in order and deletes
 * them in one statement. No claim query per row.
 *
 * Claiming rounds, as before: the relay claims a batch with a lease (so replicas sharing a database
 * rarely publish the same row twice, and rows of a dead relay are taken over once the lease expires),
 * publishes each row, then deletes it. A claiming round runs when the relay starts, when no row was
 * handed over (the poll), at least once per poll interval under load, and after any failure; the
 * first round and the rounds after a failure also take back this pod's own claims (rows handed over
 * but not published, rows of a previous run of the pod), handed-over rows being dropped then, since
 * the round takes them in order. A publish that fails (broker down) leaves its row and the rest for
 * the next round: at-least-once.
 */
import { SqlClient } from "@effect/sql"
import { Effect, Exit } from "effect"
import type { SqlError } from "@effect/sql/SqlError"
import { EventBus, type EventBusShape } from "../ports/EventBus.js"
import { PodIdentity } from "../ports/PodIdentity.js"
import { SagaConfig } from "../SagaConfig.js"
import { withService } from "../ServiceAccess.js"
import { OutboxSignal, type OutboxRow } from "./OutboxSignal.js"

const BATCH = 100

/** What a relay round runs on. */
type RelayContext = SqlClient.SqlClient | EventBus | PodIdentity | SagaConfig

/** Outcome of a round: rows published, and whether a publish failed (the rest was left). */
interface RoundResult {
  readonly published: number
  readonly failed: boolean
}

const published = Exit.succeed(true)
const notPublished = Exit.succeed(false)
const nothingClaimed: RoundResult = { published: 0, failed: false }

/** Publishes one row; false when the bus is unavailable (its only failure). */
const publishRow = (bus: EventBusShape, row: OutboxRow): Effect.Effect<boolean> =>
  Effect.matchEffect(bus.publish(row.stream, row.body), { onSuccess: () => published, onFailure: () => notPublished })

/** Publishes rows in order until one fails; returns the rows published. */
const publishAll = (rows: ReadonlyArray<OutboxRow>): Effect.Effect<Array<number>, never, EventBus> =>
  withService(EventBus, (bus) => {
    if (rows.length === 1) {
      const row = rows[0]!
      return Effect.matchEffect(bus.publish(row.stream, row.body), {
        onSuccess: () => Exit.succeed([row.seq]),
        onFailure: () => Exit.succeed([])
      })
    }
    return Effect.gen(function*() {
      const published: Array<number> = []
      for (const row of rows) {
        if (!(yield* publishRow(bus, row))) break
        published.push(row.seq)
      }
      return published
    })
  })

/** Releases this pod's claims, so that the next round (here or on another pod) retries them in order. */
const releaseOwnClaims = Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  const { pod } = yield* PodIdentity
  yield* sql`UPDATE outbox SET claimed_by = NULL, claimed_until = NULL WHERE claimed_by = ${pod}`
})

/** Publishes rows handed over after their commit (claimed by this pod at insert) and deletes them. */
const publishHandedOff = (rows: ReadonlyArray<OutboxRow>) =>
  withService(SqlClient.SqlClient, (sql) => {
    const sorted = rows.length > 1 ? [...rows].sort((a, b) => a.seq - b.seq) : rows
    return Effect.flatMap(publishAll(sorted), (published) => {
      const result: RoundResult = { published: published.length, failed: published.length < sorted.length }
      const deleted = published.length === 0
        ? Effect.void
        : published.length === 1
        ? sql`DELETE FROM outbox WHERE seq = ${published[0]!}`
        : sql`DELETE FROM outbox WHERE seq IN ${sql.in(published)}`
      return Effect.as(result.failed ? Effect.zipRight(deleted, releaseOwnClaims) : deleted, result)
    })
  })

/**
 * One claiming round: claims up to `batch` rows nobody holds (unclaimed, or lease expired) — and this
 * pod's own claims when `takeOwn` — publishes them in order and deletes each once published.
 */
export const relayOnce = (batch = BATCH, takeOwn = true) =>
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    const bus = yield* EventBus
    const { pod } = yield* PodIdentity
    const config = yield* SagaConfig
    const now = yield* Effect.clockWith((clock) => clock.currentTimeMillis)
    const until = now + config.messaging.relayLeaseMillis
    // The rows this round may take: nobody holds them (unclaimed, or the lease expired), and this pod's
    // own claims when `takeOwn`.
    const claimable = takeOwn
      ? sql`claimed_by IS NULL OR claimed_until < ${now} OR claimed_by = ${pod}`
      : sql`claimed_by IS NULL OR claimed_until < ${now}`
    // Most rounds find nothing to claim: a read of one row says so in about a microsecond, where the
    // claiming UPDATE (a write transaction, RETURNING) costs 50–100 µs even on an empty table. A row
    // committed after this read is claimed by the next round, as one committed after the UPDATE would be.
    if ((yield* sql`SELECT 1 FROM outbox WHERE ${claimable} LIMIT 1`).length === 0) return nothingClaimed
    const rows = yield* sql<OutboxRow>`UPDATE outbox SET claimed_by = ${pod}, claimed_until = ${until}
      WHERE seq IN (SELECT seq FROM outbox WHERE ${claimable} ORDER BY seq LIMIT ${batch})
      RETURNING seq, stream, body`
    if (rows.length === 0) return nothingClaimed
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
    const failed = published < sorted.length
    if (failed) yield* releaseOwnClaims
    return { published, failed } satisfies RoundResult
  })

/** Runs forever: publish what was handed over (or claim), then wait for a hand-over or the poll interval. */
export const runOutboxRelay = Effect.gen(function*() {
  const signal = yield* OutboxSignal
  const config = yield* SagaConfig
  const pollMillis = config.messaging.relayPollMillis
  /** Take back this pod's own claims in the next claiming round (at start and after a failure). */
  let takeOwn = true
  let lastClaimAt = Number.NEGATIVE_INFINITY
  type Round = RoundResult & { readonly full?: boolean }
  const claimRound = (now: number, published: number): Effect.Effect<Round, SqlError, RelayContext> => {
    lastClaimAt = now
    return Effect.map(relayOnce(BATCH, takeOwn), (claimed) => ({
      published: published + claimed.published,
      failed: claimed.failed,
      full: claimed.published === BATCH
    }))
  }
  // Publish what was handed over; claim too when nothing was (the poll) or a poll interval has passed.
  // While taking back own claims, handed-over rows are among them: the claiming round publishes them.
  const round: Effect.Effect<Round, SqlError, RelayContext> = Effect.clockWith((clock) =>
    Effect.flatMap(signal.takeHandedOff, (handed) => {
      const now = clock.unsafeCurrentTimeMillis()
      if (takeOwn || handed.length === 0) return claimRound(now, 0)
      return Effect.flatMap(publishHandedOff(handed), (result) =>
        result.failed || now - lastClaimAt < pollMillis ? Effect.succeed(result) : claimRound(now, result.published))
    })
  )
  while (true) {
    const result: Round = yield* round.pipe(
      Effect.catchAllCause((cause) =>
        Effect.logWarning("outbox relay round failed", cause).pipe(Effect.as({ published: -1, failed: true }))
      )
    )
    if (result.failed) {
      takeOwn = true
    } else if (result.full === true) {
      continue
    } else if (result.full === false) {
      takeOwn = false
    }
    yield* signal.await(result.published < 0 ? config.messaging.retryBackoffMillis : pollMillis)
  }
})
