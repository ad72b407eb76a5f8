/**
 * The mypage read model's table. Each event sets one fact with a single commutative upsert (flags only
 * ever turn on), so mypage needs no inbox: a duplicate or out-of-order event changes nothing.
 */
import { SqlClient } from "@effect/sql"
import { Effect, Option } from "effect"
import type { DomainEvent } from "../../domain/Events.js"
import { OrderId } from "../../domain/Ids.js"
import { Money } from "../../domain/Money.js"
import { emptyFacts, foldFacts, type MypageFacts, view } from "../../domain/MypageProjection.js"
import { withService } from "../ServiceAccess.js"

export const mypageMigrations = {
  "1_mypages": Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    yield* sql`CREATE TABLE mypages (
      order_id INTEGER PRIMARY KEY,
      price INTEGER,
      placed INTEGER NOT NULL DEFAULT 0,
      cancel_requested INTEGER NOT NULL DEFAULT 0,
      payment_failed INTEGER NOT NULL DEFAULT 0,
      paid INTEGER NOT NULL DEFAULT 0,
      refunded INTEGER NOT NULL DEFAULT 0,
      made INTEGER NOT NULL DEFAULT 0,
      coffee_cancelled INTEGER NOT NULL DEFAULT 0
    )`
  })
}

interface MypageRow {
  readonly order_id: number
  readonly price: number | null
  readonly placed: number
  readonly cancel_requested: number
  readonly payment_failed: number
  readonly paid: number
  readonly refunded: number
  readonly made: number
  readonly coffee_cancelled: number
}

const b = (flag: boolean) => (flag ? 1 : 0)

/** Folds one event into the stored view: the domain fold decides the facts, SQL merges them. */
export const recordEvent = (event: DomainEvent) =>
  withService(SqlClient.SqlClient, (sql) => {
    const f = foldFacts(emptyFacts, event)
    return sql`INSERT INTO mypages (order_id, price, placed, cancel_requested, payment_failed, paid, refunded, made, coffee_cancelled)
      VALUES (${event.orderId}, ${f.price}, ${b(f.placed)}, ${b(f.cancelRequested)}, ${b(f.paymentFailed)}, ${b(f.paid)},
              ${b(f.refunded)}, ${b(f.made)}, ${b(f.coffeeCancelled)})
      ON CONFLICT (order_id) DO UPDATE SET
        price = coalesce(price, excluded.price),
        placed = max(placed, excluded.placed),
        cancel_requested = max(cancel_requested, excluded.cancel_requested),
        payment_failed = max(payment_failed, excluded.payment_failed),
        paid = max(paid, excluded.paid),
        refunded = max(refunded, excluded.refunded),
        made = max(made, excluded.made),
        coffee_cancelled = max(coffee_cancelled, excluded.coffee_cancelled)`
  })

// A row this service wrote from typed values: its brands are not validated again.
const toFacts = (row: MypageRow): MypageFacts => ({
  price: row.price === null ? null : Money.make(row.price, true),
  placed: row.placed === 1,
  cancelRequested: row.cancel_requested === 1,
  paymentFailed: row.payment_failed === 1,
  paid: row.paid === 1,
  refunded: row.refunded === 1,
  made: row.made === 1,
  coffeeCancelled: row.coffee_cancelled === 1
})

export const findView = (orderId: OrderId) =>
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    const rows = yield* sql<MypageRow>`SELECT * FROM mypages WHERE order_id = ${orderId}`
    return rows.length === 0 ? Option.none() : Option.some(view(orderId, toFacts(rows[0]!)))
  })

export const allViews = Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  const rows = yield* sql<MypageRow>`SELECT * FROM mypages ORDER BY order_id`
  return rows.map((row) => view(OrderId.make(row.order_id, true), toFacts(row)))
})
