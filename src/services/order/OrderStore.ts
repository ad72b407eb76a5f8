/**
 * The order service's database: the orders table plus its outbox and inbox, and the queries on them.
 */
import { SqlClient } from "@effect/sql"
import { Effect, Option } from "effect"
import { MenuId, OrderId } from "../../domain/Ids.js"
import { Money } from "../../domain/Money.js"
import { Order, type OrderStatus } from "../../domain/Order.js"
import { inboxMigration } from "../messaging/Inbox.js"
import { outboxMigration } from "../messaging/Outbox.js"
import { withService } from "../ServiceAccess.js"

export const orderMigrations = {
  "1_orders": Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    yield* sql`CREATE TABLE orders (
      order_id INTEGER PRIMARY KEY AUTOINCREMENT,
      menu_id INTEGER NOT NULL,
      price INTEGER NOT NULL,
      status TEXT NOT NULL,
      created_at REAL NOT NULL
    )`
    yield* sql`CREATE INDEX orders_pending ON orders (status, created_at)`
  }),
  "2_outbox": outboxMigration,
  "3_inbox": inboxMigration
}

interface OrderRow {
  readonly order_id: number
  readonly menu_id: number
  readonly price: number
  readonly status: OrderStatus
}

// A row this service wrote from typed values: neither the class nor its brands are validated again.
const toOrder = (row: OrderRow) =>
  new Order({
    orderId: OrderId.make(row.order_id, true),
    menuId: MenuId.make(row.menu_id, true),
    price: Money.make(row.price, true),
    status: row.status
  }, { disableValidation: true })

// The hot queries read the client with `withService` and map the rows without an Effect.gen: fewer
// Effect operations per statement (ServiceAccess.ts).
export const insertPending = (menuId: MenuId, price: Money) =>
  Effect.clockWith((clock) =>
    withService(SqlClient.SqlClient, (sql) =>
      Effect.map(
        sql<OrderRow>`INSERT INTO orders (menu_id, price, status, created_at)
      VALUES (${menuId}, ${price}, 'Pending', ${clock.unsafeCurrentTimeMillis()}) RETURNING order_id, menu_id, price, status`,
        (rows) => toOrder(rows[0]!)
      ))
  )

export const findOrder = (orderId: OrderId) =>
  withService(SqlClient.SqlClient, (sql) =>
    Effect.map(
      sql<OrderRow>`SELECT order_id, menu_id, price, status FROM orders WHERE order_id = ${orderId}`,
      (rows) => rows.length === 0 ? Option.none() : Option.some(toOrder(rows[0]!))
    ))

export const saveStatus = (order: Order) =>
  withService(SqlClient.SqlClient, (sql) =>
    sql`UPDATE orders SET status = ${order.status} WHERE order_id = ${order.orderId}`.pipe(Effect.asVoid))

/** Pending orders (their payment call in flight, or abandoned by a pod that died), oldest first. */
export const findPending = Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  const rows = yield* sql<OrderRow>`SELECT order_id, menu_id, price, status FROM orders
    WHERE status = 'Pending' ORDER BY order_id LIMIT 100`
  return rows.map(toOrder)
})

export const allOrders = Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  const rows = yield* sql<OrderRow>`SELECT order_id, menu_id, price, status FROM orders ORDER BY order_id`
  return rows.map(toOrder)
})
