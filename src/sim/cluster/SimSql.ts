/**
 * SimSql: the `SqlClient` of a simulated service database — `@effect/sql-sqlite-node`'s connection
 * (better-sqlite3, in memory) behind a leaner client than `SqliteClient.make` builds.
 *
 * Why: inside the kernel every statement is synchronous native work of a few microseconds, but the
 * stock client wraps each one in a span (a no-op span when tracing is off, still ≈ 6 µs), a scope
 * (≈ 9 µs) and a semaphore round trip (≈ 5 µs), and each transaction in a span, a scope and a fresh
 * `prepare` of BEGIN and COMMIT: about 30 µs of Effect machinery per statement and 35 µs per
 * transaction, for 3–5 µs of SQLite. This client keeps the same semantics and drops the machinery:
 *
 * - statements written with the `sql` tag execute on the transaction's connection when the fiber is
 *   in a transaction (`SqlClient.TransactionConnection`, exactly as the stock client decides), and
 *   otherwise under the database's lock, taken and released around the synchronous native call;
 * - `withTransaction` takes the same lock for the whole transaction (BEGIN … COMMIT / ROLLBACK), nests
 *   with SAVEPOINTs like the stock client (a nested success keeps its savepoint, a nested failure
 *   rolls back to it), and is uninterruptible outside the transaction's own body, as the stock one is;
 * - anything else (`.raw`, `.values`, `.unprepared`, `.stream`, `reserve`, a statement transformer
 *   set with `Statement.withTransformer`) goes through the stock `@effect/sql` code over the same lock.
 *
 * No spans: simulated runs keep the tracer off (SimRun), and with it off the stock client's spans are
 * no-ops anyway.
 */
import * as Reactivity from "@effect/experimental/Reactivity"
import { SqlClient, type SqlConnection, Statement } from "@effect/sql"
import type { SqlError } from "@effect/sql/SqlError"
import { SqliteClient } from "@effect/sql-sqlite-node"
import { Context, Effect, Exit, FiberRef, type Scope } from "effect"

type Connection = SqlConnection.Connection

/**
 * The database's lock: held by a transaction from BEGIN to COMMIT/ROLLBACK, and by a statement outside
 * any transaction while it runs. A release wakes the first waiter, which then takes the lock if it is
 * still free (no hand-over, so an interrupted waiter can never leak it; one interrupted after its
 * wake-up passes the wake-up on).
 */
class DbLock {
  private locked = false
  private readonly waiters: Array<() => void> = []

  /** Takes the lock, waiting (first come, first served) while it is held. Interruptible while waiting. */
  readonly acquire: Effect.Effect<void> = Effect.suspend(() => this.take(false))

  private take(again: boolean): Effect.Effect<void> {
    if (!this.locked) {
      this.locked = true
      return Effect.void
    }
    // A woken waiter that finds the lock taken again waits at the head of the queue.
    return Effect.zipRight(this.waitRelease(again), Effect.suspend(() => this.take(true)))
  }

  private waitRelease(first: boolean): Effect.Effect<void> {
    return Effect.async<void>((resume) => {
      const waiter = () => resume(Effect.void)
      if (first) this.waiters.unshift(waiter)
      else this.waiters.push(waiter)
      return Effect.sync(() => {
        const i = this.waiters.indexOf(waiter)
        if (i >= 0) this.waiters.splice(i, 1)
        else if (!this.locked) this.wakeNext() // woken, then interrupted: pass the wake-up on
      })
    })
  }

  readonly release: Effect.Effect<void> = Effect.sync(() => {
    this.locked = false
    this.wakeNext()
  })

  private wakeNext(): void {
    const next = this.waiters.shift()
    if (next !== undefined) next()
  }

  /** Runs `effect` (synchronous native work) under the lock. */
  run<A, E>(effect: Effect.Effect<A, E>): Effect.Effect<A, E> {
    return Effect.uninterruptibleMask((restore) =>
      Effect.suspend(() => {
        if (!this.locked) {
          this.locked = true
          return Effect.ensuring(effect, this.release)
        }
        return Effect.zipRight(restore(this.acquire), Effect.ensuring(effect, this.release))
      })
    )
  }

  /** The lock for the life of the current scope. */
  readonly scoped: Effect.Effect<void, never, Scope.Scope> = Effect.uninterruptibleMask((restore) =>
    Effect.zipRight(restore(this.acquire), Effect.asVoid(Effect.addFinalizer(() => this.release)))
  )
}

/** Makes the client over a fresh in-memory SQLite database, closed with the scope. */
export const makeSimSqlClient: Effect.Effect<SqlClient.SqlClient, never, Scope.Scope> = Effect.gen(function*() {
  const sqlite = yield* SqliteClient.make({ filename: ":memory:", disableWAL: true }).pipe(
    Effect.provide(Reactivity.layer),
    Effect.orDie
  )
  // The stock client's connection object (its own semaphore is not used again: this client has its lock).
  const conn: Connection = yield* Effect.scoped(sqlite.reserve).pipe(Effect.orDie)
  const lock = new DbLock()
  const compiler = Statement.makeCompilerSqlite()
  const acquirer: SqlConnection.Connection.Acquirer = Effect.as(lock.scoped, conn)
  const stock = yield* SqlClient.make({ acquirer, compiler, spanAttributes: [] }).pipe(Effect.provide(Reactivity.layer))

  const exec = (c: Connection, sql: string) => Effect.orDie(c.execute(sql, [], undefined))

  // A statement of the stock client whose execution (`commit`) takes the short path.
  const probe = stock`SELECT 1` as unknown as { constructor: new(...args: Array<any>) => any }
  const Primitive = Object.getPrototypeOf(probe).constructor as new(...args: Array<any>) => {
    readonly segments: unknown
    readonly acquirer: unknown
    readonly compiler: Statement.Compiler
    readonly spanAttributes: unknown
    readonly transformRows: unknown
    compile(withoutTransform?: boolean): readonly [string, ReadonlyArray<unknown>]
    commit(): Effect.Effect<ReadonlyArray<any>, SqlError>
  }
  class SimStatement extends Primitive {
    override commit(): Effect.Effect<ReadonlyArray<any>, SqlError> {
      return Effect.withFiberRuntime((fiber) => {
        if (fiber.getFiberRef(Statement.currentTransformer)._tag === "Some" || this.transformRows !== undefined) {
          return super.commit()
        }
        const [sql, params] = this.compile()
        const tx = Context.getOption(fiber.currentContext, SqlClient.TransactionConnection)
        return tx._tag === "Some" ? tx.value[0].execute(sql, params, undefined) : lock.run(conn.execute(sql, params, undefined))
      })
    }
  }

  const withTransaction = <A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<A, E | SqlError, R> =>
    Effect.uninterruptibleMask((restore) =>
      Effect.withFiberRuntime<A, E | SqlError, R>((fiber) => {
        const context = fiber.currentContext
        const outer = Context.getOption(context, SqlClient.TransactionConnection)
        if (outer._tag === "Some") {
          const [c, depth] = outer.value
          const id = depth + 1
          const inner = Effect.locally(
            restore(effect),
            FiberRef.currentContext,
            Context.add(context, SqlClient.TransactionConnection, [c, id] as const)
          )
          return Effect.flatMap(
            Effect.exit(Effect.zipRight(c.execute(`SAVEPOINT effect_sql_${id}`, [], undefined), inner)),
            (exit) =>
              Exit.isSuccess(exit)
                ? exit
                : Effect.zipRight(exec(c, `ROLLBACK TO SAVEPOINT effect_sql_${id}`), exit)
          )
        }
        const body = Effect.locally(
          restore(effect),
          FiberRef.currentContext,
          Context.add(context, SqlClient.TransactionConnection, [conn, 0] as const)
        )
        return Effect.zipRight(
          restore(lock.acquire),
          Effect.flatMap(
            Effect.exit(Effect.zipRight(conn.execute("BEGIN", [], undefined), body)),
            (exit) =>
              Effect.zipRight(
                Effect.ensuring(exec(conn, Exit.isSuccess(exit) ? "COMMIT" : "ROLLBACK"), lock.release),
                exit
              )
          )
        )
      })
    )

  // Statements whose interpolations are all plain values (the services' only kind) are built here
  // directly: the same segments the stock tag builds, and the compiled text (`strings.join("?")`, as
  // the SQLite compiler renders literals and parameters) put in the compiler's own per-statement cache.
  const shape = stock`a${1}b` as unknown as { readonly segments: ReadonlyArray<{ constructor: new(value: unknown) => unknown }> }
  const Literal = shape.segments[0]!.constructor
  const Parameter = shape.segments[1]!.constructor
  const getConnection = (probe as unknown as { readonly acquirer: unknown }).acquirer
  const compiledCache = Symbol.for("@effect/sql/Statement/statementCache")
  const texts = new WeakMap<TemplateStringsArray, string>()
  const plain = (strings: TemplateStringsArray, args: Array<unknown>) => {
    const segments: Array<unknown> = []
    if (strings[0]!.length > 0) segments.push(new Literal(strings[0]))
    for (let i = 0; i < args.length; i++) {
      segments.push(new Parameter(args[i]))
      if (strings[i + 1]!.length > 0) segments.push(new Literal(strings[i + 1]))
    }
    let text = texts.get(strings)
    if (text === undefined) {
      text = strings.join("?")
      texts.set(strings, text)
    }
    const statement = new SimStatement(segments, getConnection, compiler, [], undefined)
    ;(statement as any)[compiledCache] = [text, args]
    return statement
  }

  const sqlTag = function sql(strings: unknown, ...args: Array<unknown>) {
    if (Array.isArray(strings) && "raw" in strings) {
      let simple = true
      for (const arg of args) {
        if (arg !== null && typeof arg === "object") {
          simple = false
          break
        }
      }
      if (simple) return plain(strings as unknown as TemplateStringsArray, args)
    }
    const made = (stock as any)(strings, ...args)
    if (made instanceof Primitive && made.constructor === Primitive) {
      return new SimStatement(made.segments, made.acquirer, made.compiler, made.spanAttributes, made.transformRows)
    }
    return made
  }
  const client = Object.assign(sqlTag, stock, { withTransaction }) as unknown as SqlClient.SqlClient
  ;(client as any).safe = client
  return client
})
