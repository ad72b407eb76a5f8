/**
 * The make service's database: one make row per order (the facts make holds and its status), plus
 * outbox and inbox.
 */
import { SqlClient } from "@effect/sql"
import { Effect, Option } from "effect"
import { OrderId } from "../../domain/Ids.js"
import * as Make from "../../domain/Make.js"
import { inboxMigration } from "../messaging/Inbox.js"
import { outboxMigration } from "../messaging/Outbox.js"

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
  "3_inbox": inboxMigration
}

interface MakeRow {
  readonly order_id: number
  readonly paid: number
  readonly placed: number
  readonly status: Make.MakeStatus
  readonly brews: number
}

const toMake = (row: MakeRow) =>
  new Make.Make({ orderId: OrderId.make(row.order_id), paid: row.paid === 1, placed: row.placed === 1, status: row.status }, {
    disableValidation: true
  })

export const findMake = (orderId: OrderId) =>
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    const rows = yield* sql<MakeRow>`SELECT order_id, paid, placed, status, brews FROM makes WHERE order_id = ${orderId}`
    return rows.length === 0 ? Option.none() : Option.some(toMake(rows[0]!))
  })

/** Saves a make row; `brewed` adds to the count of coffees brewed for the order (1 in a correct run). */
export const saveMake = (make: Make.Make, brewed: number) =>
  Effect.flatMap(SqlClient.SqlClient, (sql) =>
    sql`INSERT INTO makes (order_id, paid, placed, status, brews)
      VALUES (${make.orderId}, ${make.paid ? 1 : 0}, ${make.placed ? 1 : 0}, ${make.status}, ${brewed})
      ON CONFLICT (order_id) DO UPDATE SET paid = excluded.paid, placed = excluded.placed, status = excluded.status,
        brews = brews + excluded.brews`.pipe(Effect.asVoid))

export const allMakes = Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  return yield* sql<MakeRow>`SELECT order_id, paid, placed, status, brews FROM makes ORDER BY order_id`
})
