/**
 * SimSql, the lean SqlClient of the simulated databases: statements, transactions (commit, rollback,
 * nested savepoints) and the database lock between fibers, inside the kernel; and the copies of a
 * migrated database every world after the first starts from (SimDisk.ts), and their closing at the end
 * of a run.
 */
import { Context, Effect, Fiber } from "effect"
import { describe, expect, it } from "vitest"
import { SqlClient } from "@effect/sql"
import { openDatabase } from "../../src/sim/cluster/SimDisk.js"
import { makeSimSqlClient, makeSimSqlClientWith, simSqlImage } from "../../src/sim/cluster/SimSql.js"
import { Kernel } from "../../src/sim/kernel/Kernel.js"
import { OrderService } from "../../src/services/order/OrderService.js"
import { runScenarioSim } from "../../src/sim/world/SimRun.js"
import { sagaServices } from "../../src/sim/world/SimWorld.js"
import { createRequire } from "node:module"

const run = <A>(program: Effect.Effect<A, unknown, never>): A => {
  const result = new Kernel({}).run(program)
  if (result._tag !== "Completed" || result.exit._tag !== "Success") throw new Error(`run: ${result._tag} ${String(result.exit)}`)
  return result.exit.value
}

describe("SimSql", () => {
  it("runs statements with plain values, fragments and helpers, as the stock client compiles them", () => {
    const out = run(Effect.scoped(Effect.gen(function*() {
      const sql = yield* makeSimSqlClient
      yield* sql`CREATE TABLE t (a INTEGER, b TEXT, c REAL)`
      yield* sql`INSERT INTO t VALUES (${1}, ${"x"}, ${null})`
      yield* sql`INSERT INTO t ${sql.insert({ a: 2, b: "y", c: 2.5 })}`
      return {
        compiled: (sql`SELECT ${1} AS a, ${"b"} AS b` as any).compile(),
        rows: yield* sql<{ a: number }>`SELECT a, b, c FROM t WHERE a IN ${sql.in([1, 2])} ORDER BY a`
      }
    })))
    expect(out.compiled).toEqual(["SELECT ? AS a, ? AS b", [1, "b"]])
    expect(out.rows).toEqual([{ a: 1, b: "x", c: null }, { a: 2, b: "y", c: 2.5 }])
  })

  it("commits, rolls back, and rolls a failed nested transaction back to its savepoint", () => {
    const out = run(Effect.scoped(Effect.gen(function*() {
      const sql = yield* makeSimSqlClient
      yield* sql`CREATE TABLE t (a INTEGER)`
      yield* sql.withTransaction(sql`INSERT INTO t VALUES (1)`)
      const failed = yield* Effect.exit(sql.withTransaction(Effect.zipRight(sql`INSERT INTO t VALUES (2)`, Effect.fail("no"))))
      yield* sql.withTransaction(Effect.gen(function*() {
        yield* sql`INSERT INTO t VALUES (3)`
        yield* Effect.exit(sql.withTransaction(Effect.zipRight(sql`INSERT INTO t VALUES (4)`, Effect.fail("inner"))))
        yield* sql.withTransaction(sql`INSERT INTO t VALUES (5)`)
      }))
      return { failed: failed._tag, rows: (yield* sql<{ a: number }>`SELECT a FROM t ORDER BY a`).map((r) => r.a) }
    })))
    expect(out).toEqual({ failed: "Failure", rows: [1, 3, 5] })
  })

  it("keeps other fibers' statements out of an open transaction until it ends", () => {
    const out = run(Effect.scoped(Effect.gen(function*() {
      const sql = yield* makeSimSqlClient
      yield* sql`CREATE TABLE t (a INTEGER)`
      const log: Array<string> = []
      const tx = yield* Effect.fork(Effect.exit(sql.withTransaction(Effect.gen(function*() {
        yield* sql`INSERT INTO t VALUES (1)`
        log.push("tx wrote")
        yield* Effect.sleep(100)
        log.push("tx fails")
        return yield* Effect.fail("rollback")
      }))))
      yield* Effect.yieldNow()
      const outside = yield* Effect.fork(sql`INSERT INTO t VALUES (2)`.pipe(Effect.tap(() => Effect.sync(() => log.push("outside wrote")))))
      yield* Fiber.join(outside)
      yield* Fiber.join(tx)
      return { log, rows: (yield* sql<{ a: number }>`SELECT a FROM t ORDER BY a`).map((r) => r.a) }
    })))
    expect(out).toEqual({ log: ["tx wrote", "tx fails", "outside wrote"], rows: [2] })
  })

  it("opens a copy of an image: the same rows, and writes to either stay in it", () => {
    const out = run(Effect.scoped(Effect.gen(function*() {
      const first = yield* makeSimSqlClient
      yield* first`CREATE TABLE t (a INTEGER)`
      yield* first`INSERT INTO t VALUES (1)`
      const copy = yield* makeSimSqlClientWith(undefined, simSqlImage(first))
      yield* copy`INSERT INTO t VALUES (2)`
      yield* first`INSERT INTO t VALUES (3)`
      const rows = (sql: SqlClient.SqlClient) => Effect.map(sql<{ a: number }>`SELECT a FROM t ORDER BY a`, (r) => r.map((x) => x.a))
      return { first: yield* rows(first), copy: yield* rows(copy) }
    })))
    expect(out).toEqual({ first: [1, 3], copy: [1, 2] })
  })

  it("gives every disk of a process its own migrated database, the second one copied from the first", () => {
    const tables = (sql: SqlClient.SqlClient) =>
      Effect.map(sql<{ name: string }>`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`, (r) => r.map((x) => x.name))
    const out = run(Effect.scoped(Effect.gen(function*() {
      const a = Context.get(yield* openDatabase(OrderService), SqlClient.SqlClient)
      const b = Context.get(yield* openDatabase(OrderService), SqlClient.SqlClient)
      yield* a`CREATE TABLE only_in_a (x INTEGER)`
      return { a: yield* tables(a), b: yield* tables(b) }
    })))
    expect(out.b).toContain("orders")
    expect(out.b).toContain("effect_sql_migrations")
    expect(out.a).toEqual([...out.b, "only_in_a"].sort())
  })

  it("is closed by a simulated run, which leaves its world's scope open: one close per service database", () => {
    const require = createRequire(import.meta.url)
    const Database = createRequire(require.resolve("@effect/sql-sqlite-node"))("better-sqlite3")
    const close = Database.prototype.close
    let closed = 0
    Database.prototype.close = function(this: unknown) {
      closed++
      return close.call(this)
    }
    try {
      const result = runScenarioSim({ name: "t", description: "one user, one second", workload: { users: 1, durationMillis: 1_000 } }, { seed: 1 })
      expect(result.kernel).toBe("Completed")
    } finally {
      Database.prototype.close = close
    }
    expect(closed).toBe(sagaServices.length)
  })
})
