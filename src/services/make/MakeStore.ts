/**
 * The make service's database: one make row per order (the facts make holds and its status, and,
 * while a brew that takes time is under way, who claims it until when and which event decided it),
 * plus outbox and inbox.
 */
import { SqlClient } from "@effect/sql"
import { Effect, Option } from "effect"
import { EventId, OrderId } from "../../domain/Ids.js"
import * as Make from "../../domain/Make.js"
import { inboxMigration } from "../messaging/Inbox.js"
import { outboxMigration } from "../messaging/Outbox.js"
import { withService } from "../ServiceAccess.js"

export const makeMigrations = {
  "1_makes": Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    yield* sql`CREATE TABLE makes (
      order_id INTEGER PRIMARY KEY,
      paid INTEGER NOT NULL,
      placed INTEGER NOT NULL,
      status TEXT NOT NULL,
      brews INTEGER NOT NULL DEFAULT 0
    )`
  }),
  "2_outbox": outboxMigration,
  "3_inbox": inboxMigration,
  "4_brewing": Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    // The pod brewing the order, until when (its clock), and the event that completed the facts.
    yield* sql`ALTER TABLE makes ADD COLUMN brewer TEXT`
    yield* sql`ALTER TABLE makes ADD COLUMN brew_until REAL`
    yield* sql`ALTER TABLE makes ADD COLUMN brew_cause TEXT`
    yield* sql`CREATE INDEX makes_brewing ON makes (brew_until) WHERE status = 'Waiting' AND paid = 1 AND placed = 1`
  })
}

interface MakeRow {
  readonly order_id: number
  readonly paid: number
  readonly placed: number
  readonly status: Make.MakeStatus
  readonly brews: number
}

// A row this service wrote from typed values: neither the class nor its brands are validated again.
const toMake = (row: MakeRow) =>
  new Make.Make({ orderId: OrderId.make(row.order_id, true), paid: row.paid === 1, placed: row.placed === 1, status: row.status }, {
    disableValidation: true
  })

export const findMake = (orderId: OrderId) =>
  withService(SqlClient.SqlClient, (sql) =>
    Effect.map(
      sql<MakeRow>`SELECT order_id, paid, placed, status, brews FROM makes WHERE order_id = ${orderId}`,
      (rows) => rows.length === 0 ? Option.none() : Option.some(toMake(rows[0]!))
    ))

/** Saves a make row; `brewed` adds to the count of coffees brewed for the order (1 in a correct run). */
export const saveMake = (make: Make.Make, brewed: number) =>
  withService(SqlClient.SqlClient, (sql) =>
    sql`INSERT INTO makes (order_id, paid, placed, status, brews)
      VALUES (${make.orderId}, ${make.paid ? 1 : 0}, ${make.placed ? 1 : 0}, ${make.status}, ${brewed})
      ON CONFLICT (order_id) DO UPDATE SET paid = excluded.paid, placed = excluded.placed, status = excluded.status,
        brews = brews + excluded.brews`.pipe(Effect.asVoid))

export const allMakes = Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  return yield* sql<MakeRow>`SELECT order_id, paid, placed, status, brews FROM makes ORDER BY order_id`
})

/**
 * Records make's decision to brew, brewing for `brewer` until `until`: the make stays Waiting with both
 * facts (nothing is made yet, a cancel can still win) and the claim says who brews it.
 */
export const holdBrew = (make: Make.Make, brewer: string, until: number, cause: EventId) =>
  Effect.flatMap(SqlClient.SqlClient, (sql) =>
    sql`INSERT INTO makes (order_id, paid, placed, status, brews, brewer, brew_until, brew_cause)
      VALUES (${make.orderId}, ${make.paid ? 1 : 0}, ${make.placed ? 1 : 0}, 'Waiting', 0, ${brewer}, ${until}, ${cause})
      ON CONFLICT (order_id) DO UPDATE SET paid = excluded.paid, placed = excluded.placed, status = 'Waiting',
        brewer = excluded.brewer, brew_until = excluded.brew_until, brew_cause = excluded.brew_cause`.pipe(Effect.asVoid))

/**
 * Brews decided but not finished whose claim has expired by `now` (their pod died mid-brew) — and,
 * with `own`, those claimed by `brewer` itself (a previous run of the same pod).
 */
export const dueBrews = (now: number, brewer: string, own: boolean) =>
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    const rows = own
      ? yield* sql<{ order_id: number }>`SELECT order_id FROM makes
        WHERE status = 'Waiting' AND paid = 1 AND placed = 1 AND (brew_until < ${now} OR brewer = ${brewer})
        ORDER BY order_id LIMIT 100`
      : yield* sql<{ order_id: number }>`SELECT order_id FROM makes
        WHERE status = 'Waiting' AND paid = 1 AND placed = 1 AND brew_until < ${now}
        ORDER BY order_id LIMIT 100`
    return rows.map((r) => OrderId.make(r.order_id))
  })

/** Takes over a due brew (see `dueBrews`) for `brewer` until `until`; false if it is no longer due. */
export const claimBrew = (orderId: OrderId, brewer: string, now: number, until: number, own: boolean) =>
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    const rows = yield* sql<{ order_id: number }>`UPDATE makes SET brewer = ${brewer}, brew_until = ${until}
      WHERE order_id = ${orderId} AND status = 'Waiting' AND paid = 1 AND placed = 1
        AND (brew_until < ${now} OR (${own ? 1 : 0} = 1 AND brewer = ${brewer}))
      RETURNING order_id`
    return rows.length > 0
  })

/** The event that decided an order's brew (the causation of its CoffeeMade), if one was recorded. */
export const brewCause = (orderId: OrderId) =>
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    const rows = yield* sql<{ brew_cause: string | null }>`SELECT brew_cause FROM makes WHERE order_id = ${orderId}`
    const cause = rows[0]?.brew_cause
    return cause === null || cause === undefined ? null : EventId.make(cause)
  })
