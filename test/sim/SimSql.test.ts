/**
 * SimSql, the lean SqlClient of the simulated databases: statements, transactions (commit, rollback,
 * nested savepoints) and the database lock between fibers, inside the kernel.
 */
import { Effect, Fiber } from "effect"
import { describe, expect, it } from "vitest"
import { makeSimSqlClient } from "../../src/sim/cluster/SimSql.js"
import { Kernel } from "../../src/sim/kernel/Kernel.js"

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
})
