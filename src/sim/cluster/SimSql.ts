/**
 * SimSql: the `SqlClient` of a simulated service database — an in-memory SQLite database (better-sqlite3,
 * the driver of `@effect/sql-sqlite-node`) behind a lean `@effect/sql` client.
 *
 * Why: inside the kernel every statement is synchronous native work of a few microseconds, but the
 * stock client wraps each one in a span, a scope, a semaphore round trip and an Effect `Cache` lookup of
 * the prepared statement (hashing the SQL text), and each transaction in a span, a scope and a fresh
 * `prepare` of BEGIN and COMMIT: 25–30 Effect operations per statement and 75 per transaction, for
 * 2–5 µs of SQLite. This client keeps the same semantics and drops the machinery:
 *
 * - prepared statements are kept in a plain `Map` by SQL text (the database never changes schema under
 *   a running statement here, and the stock cache's 10-minute TTL only matters to long-lived servers);
 * - statements written with the `sql` tag execute on the transaction's connection when the fiber is in
 *   a transaction (`SqlClient.TransactionConnection`, exactly as the stock client decides); otherwise,
 *   when no transaction holds the database, at once (a statement is one synchronous native call: nothing
 *   can run between taking and releasing a lock around it), and else after the transaction ends;
 * - `withTransaction` holds the database from BEGIN to COMMIT / ROLLBACK, nests with SAVEPOINTs like the
 *   stock client (a nested success keeps its savepoint, a nested failure rolls back to it), and is
 *   uninterruptible outside the transaction's own body, as the stock one is;
 * - anything else (`.raw`, `.values`, `.unprepared`, `.stream`, `reserve`, a statement transformer
 *   set with `Statement.withTransformer`) goes through the stock `@effect/sql` code over the same
 *   connection and lock.
 *
 * Errors are the stock client's: `SqlError` "Failed to prepare statement " / "Failed to execute
 * statement"; `SqlClient.SafeIntegers` is honoured. No spans: simulated runs keep the tracer off.
 *
 * Faults modelled: SQL statements that take time or fail (SqlFaults.ts), before each `sql`-tag statement.
 */
import * as Reactivity from "@effect/experimental/Reactivity"
import { SqlClient, type SqlConnection, Statement } from "@effect/sql"
import { SqlError } from "@effect/sql/SqlError"
import { Context, Effect, Exit, FiberRef, type Scope, Stream } from "effect"
import { createRequire } from "node:module"
import { setInPlace } from "../../services/http/OwnFiber.js"
import type { SqlFaults } from "./SqlFaults.js"

type Connection = SqlConnection.Connection

/** The part of better-sqlite3's API this client uses. */
interface NativeStatement {
  readonly reader: boolean
  all(...params: ReadonlyArray<unknown>): Array<unknown>
  run(...params: ReadonlyArray<unknown>): unknown
  raw(on: boolean): NativeStatement
  safeIntegers(on: boolean): NativeStatement
}
interface NativeDatabase {
  prepare(sql: string): NativeStatement
  serialize(): Buffer
  close(): void
}

/**
 * better-sqlite3, resolved as `@effect/sql-sqlite-node` (whose driver it is) resolves it: a fresh
 * in-memory database, or a copy of an image made by `serialize` (in memory too, writable).
 */
const openNative: (image?: Buffer) => NativeDatabase = (() => {
  const require = createRequire(import.meta.url)
  const Database = createRequire(require.resolve("@effect/sql-sqlite-node"))("better-sqlite3") as new(
    filenameOrImage: string | Buffer
  ) => NativeDatabase
  return (image) => new Database(image ?? ":memory:")
})()

/** What a client made by `makeSimSqlClientWith` keeps of its native database, under this key. */
const nativeOf = Symbol.for("starcoffee/SimSql/native")
interface NativeHandle {
  readonly image: () => Buffer
  readonly close: () => void
}

const handleOf = (client: SqlClient.SqlClient, caller: string): NativeHandle => {
  const handle = (client as { [nativeOf]?: NativeHandle })[nativeOf]
  if (handle === undefined) throw new Error(`${caller}: not a SimSql client`)
  return handle
}

/**
 * The whole database of a client made by `makeSimSqlClientWith`, as bytes: open a copy of it with
 * `makeSimSqlClientWith(faults, image)` (SimDisk.ts copies migrated databases this way).
 */
export const simSqlImage = (client: SqlClient.SqlClient): Buffer => handleOf(client, "simSqlImage").image()

/**
 * Closes the database of a client made by `makeSimSqlClientWith` at once, before its scope ends (the
 * scope's own close then does nothing). For a world whose scope is never closed (SimRun.ts).
 */
export const simSqlClose = (client: SqlClient.SqlClient): void => handleOf(client, "simSqlClose").close()

/** Statements executed by every simulated database of this process (for the benchmark's per-order figure). */
let statementsExecuted = 0

/** How many SQL statements the simulated databases of this process have executed so far. */
export const simSqlStatements = (): number => statementsExecuted

/**
 * One in-memory database: prepared statements by text, synchronous execution. `run*` throw a
 * `SqlError` (the stock client's messages) and are only called while the caller may use the database.
 */
class NativeConnection {
  private readonly prepared = new Map<string, NativeStatement>()

  constructor(readonly db: NativeDatabase) {}

  private prepare(sql: string): NativeStatement {
    let statement = this.prepared.get(sql)
    if (statement === undefined) {
      try {
        statement = this.db.prepare(sql)
      } catch (cause) {
        throw new SqlError({ cause, message: "Failed to prepare statement " })
      }
      this.prepared.set(sql, statement)
    }
    return statement
  }

  /** Rows of a reader, [] for a writer (`raw`: the writer's run result, as `executeRaw` returns). */
  run(sql: string, params: ReadonlyArray<unknown>, safeIntegers: boolean, raw = false): ReadonlyArray<any> {
    statementsExecuted++
    const statement = this.prepare(sql)
    if (safeIntegers) statement.safeIntegers(true)
    try {
      if (statement.reader) return statement.all(...params)
      const result = statement.run(...params)
      return raw ? result as ReadonlyArray<any> : []
    } catch (cause) {
      throw new SqlError({ cause, message: "Failed to execute statement" })
    }
  }

  /** Rows as arrays of values. */
  runValues(sql: string, params: ReadonlyArray<unknown>): ReadonlyArray<ReadonlyArray<unknown>> {
    statementsExecuted++
    const statement = this.prepare(sql)
    try {
      if (!statement.reader) {
        statement.run(...params)
        return []
      }
      statement.raw(true)
      try {
        return statement.all(...params) as Array<Array<unknown>>
      } finally {
        statement.raw(false)
      }
    } catch (cause) {
      throw new SqlError({ cause, message: "Failed to execute statement" })
    }
  }

  /** A statement prepared afresh and not kept. */
  runUnprepared(sql: string, params: ReadonlyArray<unknown>): ReadonlyArray<any> {
    statementsExecuted++
    let statement: NativeStatement
    try {
      statement = this.db.prepare(sql)
    } catch (cause) {
      throw new SqlError({ cause, message: "Failed to execute statement" })
    }
    try {
      return statement.reader ? statement.all(...params) : (statement.run(...params), [])
    } catch (cause) {
      throw new SqlError({ cause, message: "Failed to execute statement" })
    }
  }
}

/** Runs `f` now and turns its result or its thrown `SqlError` into an Exit (itself an Effect). */
const attempt = <A>(f: () => A): Exit.Exit<A, SqlError> => {
  try {
    return Exit.succeed(f())
  } catch (error) {
    if (error instanceof SqlError) return Exit.fail(error)
    throw error
  }
}

const safeIntegersOf = (context: Context.Context<never>): boolean => Context.get(context, SqlClient.SafeIntegers)

/** The `@effect/sql` connection over a native one (for the stock code paths). */
const toConnection = (native: NativeConnection): Connection => {
  const withRows = (
    effect: Effect.Effect<ReadonlyArray<any>, SqlError>,
    transformRows: (<A extends object>(rows: ReadonlyArray<A>) => ReadonlyArray<A>) | undefined
  ) => transformRows ? Effect.map(effect, transformRows) : effect
  return {
    execute: (sql, params, transformRows) =>
      withRows(
        Effect.withFiberRuntime((fiber) => attempt(() => native.run(sql, params, safeIntegersOf(fiber.currentContext)))),
        transformRows
      ),
    executeRaw: (sql, params) =>
      Effect.withFiberRuntime((fiber) => attempt(() => native.run(sql, params, safeIntegersOf(fiber.currentContext), true))),
    executeValues: (sql, params) => Effect.suspend(() => attempt(() => native.runValues(sql, params))),
    executeUnprepared: (sql, params, transformRows) =>
      withRows(Effect.suspend(() => attempt(() => native.runUnprepared(sql, params ?? []))), transformRows),
    executeStream: () => Stream.dieMessage("executeStream not implemented")
  }
}

/**
 * The database's lock: held by a transaction from BEGIN to COMMIT/ROLLBACK, and by a statement of the
 * stock paths while it runs. A release wakes the first waiter, which then takes the lock if it is
 * still free (no hand-over, so an interrupted waiter can never leak it; one interrupted after its
 * wake-up passes the wake-up on).
 */
class DbLock {
  locked = false
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

  unsafeRelease(): void {
    this.locked = false
    this.wakeNext()
  }

  readonly release: Effect.Effect<void> = Effect.sync(() => this.unsafeRelease())

  private wakeNext(): void {
    const next = this.waiters.shift()
    if (next !== undefined) next()
  }

  /** The lock for the life of the current scope. */
  readonly scoped: Effect.Effect<void, never, Scope.Scope> = Effect.uninterruptibleMask((restore) =>
    Effect.zipRight(restore(this.acquire), Effect.asVoid(Effect.addFinalizer(() => this.release)))
  )
}

/** Makes the client over a fresh in-memory SQLite database, closed with the scope. */
export const makeSimSqlClient: Effect.Effect<SqlClient.SqlClient, never, Scope.Scope> = Effect.suspend(() => makeSimSqlClientWith())

/**
 * The same, with the service's in-service SQL faults (latency, failure) applied before each statement;
 * the database starts empty, or as a copy of `image` (`simSqlImage`).
 */
export const makeSimSqlClientWith = (
  faults?: SqlFaults,
  image?: Buffer
): Effect.Effect<SqlClient.SqlClient, never, Scope.Scope> => Effect.gen(function*() {
  let open = true
  const close = (db: NativeDatabase) => {
    if (open) db.close()
    open = false
  }
  const db = yield* Effect.acquireRelease(Effect.sync(() => openNative(image)), (db) => Effect.sync(() => close(db)))
  const native = new NativeConnection(db)
  const conn = toConnection(native)
  const lock = new DbLock()
  const compiler = Statement.makeCompilerSqlite()
  const acquirer: SqlConnection.Connection.Acquirer = Effect.as(lock.scoped, conn)
  const stock = yield* SqlClient.make({ acquirer, compiler, spanAttributes: [] }).pipe(Effect.provide(Reactivity.layer))
  const exec = (c: Connection, sql: string) => Effect.orDie(c.execute(sql, [], undefined))
  const execNow = (sql: string) => {
    native.run(sql, [], false)
  }

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
  const execute = (context: Context.Context<never>, sql: string, params: ReadonlyArray<unknown>) =>
    attempt(() => native.run(sql, params, safeIntegersOf(context)))
  class SimStatement extends Primitive {
    override commit(): Effect.Effect<ReadonlyArray<any>, SqlError> {
      // An in-service fault (SqlFaults.ts): latency or failure before the statement.
      const gate = faults?.gate
      return gate === undefined ? this.commitNow() : Effect.zipRight(gate, Effect.suspend(() => this.commitNow()))
    }

    commitNow(): Effect.Effect<ReadonlyArray<any>, SqlError> {
      return Effect.withFiberRuntime((fiber) => {
        if (this.transformRows !== undefined || fiber.getFiberRef(Statement.currentTransformer)._tag === "Some") {
          return super.commit()
        }
        const [sql, params] = this.compile()
        const context = fiber.currentContext
        const tx = Context.getOption(context, SqlClient.TransactionConnection)
        if (tx._tag === "Some") {
          const c = tx.value[0]
          return c === conn ? execute(context, sql, params) : c.execute(sql, params, undefined)
        }
        if (!lock.locked) return execute(context, sql, params)
        // A transaction holds the database: wait for it, then run (nothing can slip in between).
        return Effect.uninterruptibleMask((restore) =>
          Effect.zipRight(
            restore(lock.acquire),
            Effect.suspend(() => {
              lock.unsafeRelease()
              return execute(context, sql, params)
            })
          )
        )
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
        if (!lock.locked) {
          lock.locked = true
          return topLevel(fiber, context, restore(effect))
        }
        return Effect.zipRight(restore(lock.acquire), Effect.suspend(() => topLevel(fiber, context, restore(effect))))
      })
    )

  /**
   * A top-level transaction, the lock taken: BEGIN, the body, then COMMIT or ROLLBACK (a failure of
   * these dies, as in the stock client) and the lock's release, whatever happened — run as the body's
   * continuations (no Effect operations of their own). The body runs with the transaction's connection
   * in its context: set in place on this fiber and put back when the body ends, whatever the exit (where
   * the runtime cannot, `Effect.locally`).
   */
  const topLevel = <A, E, R>(
    fiber: unknown,
    context: Context.Context<never>,
    body: Effect.Effect<A, E, R>
  ): Effect.Effect<A, E | SqlError, R> => {
    const inTransaction = Context.add(context, SqlClient.TransactionConnection, [conn, 0] as const)
    let swapped = false
    const finish = <X, Y>(exit: Exit.Exit<X, Y>): Exit.Exit<X, Y> => {
      if (swapped) setInPlace(fiber, FiberRef.currentContext, context)
      try {
        execNow(Exit.isSuccess(exit) ? "COMMIT" : "ROLLBACK")
      } finally {
        lock.unsafeRelease()
      }
      return exit
    }
    const begun = attempt(() => execNow("BEGIN"))
    if (begun._tag === "Failure") return finish(Exit.failCause(begun.cause))
    swapped = setInPlace(fiber, FiberRef.currentContext, inTransaction)
    return Effect.matchCauseEffect(swapped ? body : Effect.locally(body, FiberRef.currentContext, inTransaction), {
      onFailure: (cause) => finish(Exit.failCause(cause)),
      onSuccess: (a) => finish(Exit.succeed(a))
    })
  }

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
  ;(client as any)[nativeOf] = { image: () => db.serialize(), close: () => close(db) } satisfies NativeHandle
  return client
})
