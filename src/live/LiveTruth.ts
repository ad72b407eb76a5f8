/**
 * LiveTruth: what the checkers read after (or during) a live run, gathered from outside the services
 * as in the sim world — each service's own SQLite file (orders, payments, makes, mypage views,
 * outbox backlogs, through the services' own queries) and Redis (the consumer groups' pending and
 * undelivered entries, the dead letters), with the history brought up to date with every event
 * Redis holds first.
 */
import type { SqlClient } from "@effect/sql"
import { type Context, Effect, type Scope } from "effect"
import type { Redis } from "ioredis"
import type { History } from "../chaos/history/History.js"
import type { RunTruth } from "../chaos/invariants/RunTruth.js"
import { allMakes } from "../services/make/MakeStore.js"
import { outboxBacklog } from "../services/messaging/Outbox.js"
import { allViews } from "../services/mypage/MypageStore.js"
import { allOrders } from "../services/order/OrderStore.js"
import { allPayments } from "../services/payment/PaymentStore.js"
import { Streams } from "../services/ports/EventBus.js"
import type { ServiceName } from "../services/ports/ServiceDirectory.js"
import type { EventTail } from "./EventTail.js"
import { databaseFile, openForReading } from "./LiveSqlite.js"

const eventStreams = [Streams.order, Streams.payment, Streams.make] as const

export interface BrokerBacklog {
  /** Entries delivered to a group and not acknowledged, over all groups. */
  readonly pending: number
  /** Entries not yet delivered to a group, over all groups. */
  readonly lag: number
  readonly deadLetters: number
}

/** XINFO GROUPS' flat [key, value, …] answer as an object. */
const asRecord = (flat: ReadonlyArray<unknown>): Record<string, unknown> => {
  const out: Record<string, unknown> = {}
  for (let i = 0; i + 1 < flat.length; i += 2) out[String(flat[i])] = flat[i + 1]
  return out
}

/** Entries after `id` in a stream (the lag of a group whose lag Redis cannot tell). */
const countAfter = async (redis: Redis, stream: string, id: string): Promise<number> =>
  ((await redis.xrange(stream, `(${id}`, "+")) as Array<unknown>).length

export const brokerBacklog = async (redis: Redis): Promise<BrokerBacklog> => {
  let pending = 0
  let lag = 0
  for (const stream of eventStreams) {
    if ((await redis.exists(stream)) === 0) continue
    const groups = (await redis.xinfo("GROUPS", stream)) as Array<Array<unknown>>
    for (const group of groups.map(asRecord)) {
      pending += Number(group.pending ?? 0)
      lag += group.lag === null || group.lag === undefined
        ? await countAfter(redis, stream, String(group["last-delivered-id"]))
        : Number(group.lag)
    }
  }
  return { pending, lag, deadLetters: await redis.xlen(Streams.deadLetter) }
}

export class LiveTruth {
  private constructor(
    private readonly databases: ReadonlyMap<ServiceName, Context.Context<SqlClient.SqlClient>>,
    private readonly redis: Redis,
    private readonly tail: EventTail,
    private readonly history: History
  ) {}

  /** Opens each service's database for reading, for as long as the scope lasts. */
  static make(dataDir: string, redis: Redis, tail: EventTail, history: History): Effect.Effect<LiveTruth, never, Scope.Scope> {
    return Effect.gen(function*() {
      const databases = new Map<ServiceName, Context.Context<SqlClient.SqlClient>>()
      for (const service of ["order", "payment", "make", "mypage"] as const) {
        databases.set(service, yield* openForReading(databaseFile(dataDir, service)))
      }
      return new LiveTruth(databases, redis, tail, history)
    })
  }

  private query<A, E>(service: ServiceName, effect: Effect.Effect<A, E, SqlClient.SqlClient>) {
    return Effect.provide(effect, this.databases.get(service)!)
  }

  readonly gather: Effect.Effect<RunTruth> = Effect.gen(this, function*() {
    yield* Effect.promise(() => this.tail.catchUp())
    const orders = yield* this.query("order", allOrders)
    const payments = yield* this.query("payment", allPayments)
    const makes = yield* this.query("make", allMakes)
    const mypages = yield* this.query("mypage", allViews)
    const backlog: Record<string, number> = {}
    for (const service of ["order", "payment", "make"] as const) backlog[service] = yield* this.query(service, outboxBacklog)
    const broker = yield* Effect.promise(() => brokerBacklog(this.redis))
    return {
      history: this.history.entries,
      orders: orders.map((o) => ({ orderId: o.orderId, status: o.status, price: o.price })),
      payments: payments.map((p) => ({ orderId: p.order_id, amount: p.amount, status: p.status, refunds: p.refunds })),
      makes: makes.map((m) => ({ orderId: m.order_id, status: m.status, brews: m.brews })),
      mypages: mypages.map((v) => ({ orderId: v.orderId, status: v.status })),
      outboxBacklog: backlog,
      brokerPending: broker.pending,
      brokerLag: broker.lag,
      deadLetters: broker.deadLetters
    } satisfies RunTruth
  }).pipe(Effect.orDie)
}
