/**
 * LiveSqlite: a service's database in the live world — one SQLite file per service (WAL), opened
 * through the stock `@effect/sql-sqlite-node` client by every replica of the service, and migrated
 * with the service's own migrations.
 *
 * Replicas are separate processes writing the same file. SQLite serialises writers with a lock, and
 * a writer waits for it (better-sqlite3's 5 s busy timeout) — except a transaction that has already
 * read and then wants to write: it cannot wait (its snapshot might be stale) and fails at once with
 * SQLITE_BUSY. The services' transactions read then write, so each transaction here takes the write
 * lock with its first statement (a write that changes nothing), as BEGIN IMMEDIATE would: then it
 * waits its turn instead of failing. `synchronous = NORMAL` keeps every committed transaction
 * through a killed process (only an operating-system crash could lose the last ones), which is the
 * fault the live world injects.
 */
import * as Reactivity from "@effect/experimental/Reactivity"
import { SqlClient } from "@effect/sql"
import * as Migrator from "@effect/sql/Migrator"
import type { SqlError } from "@effect/sql/SqlError"
import * as SqliteClient from "@effect/sql-sqlite-node/SqliteClient"
import { Context, Effect, type Scope } from "effect"
import { join } from "node:path"
import type { ServiceDefinition } from "../services/ServiceDefinition.js"

/** The file of a service's database in a run's data directory. */
export const databaseFile = (dataDir: string, service: string): string => join(dataDir, `${service}.sqlite`)

const runMigrations = Migrator.make({})

/** A client whose transactions take SQLite's write lock with their first statement. */
const writeFirst = (client: SqlClient.SqlClient): SqlClient.SqlClient => {
  const takeWriteLock = client`UPDATE live_write_lock SET n = n WHERE 0`
  const withTransaction = <R, E, A>(effect: Effect.Effect<A, E, R>) =>
    client.withTransaction(Effect.zipRight(takeWriteLock, effect))
  return new Proxy(client, {
    get: (target, property, receiver) =>
      property === "withTransaction" ? withTransaction : Reflect.get(target, property, receiver)
  })
}

/**
 * Opens (creating if needed) a service's database file and migrates it. The connection lives as long
 * as the scope.
 */
export const openLiveDatabase = (
  definition: ServiceDefinition,
  file: string
): Effect.Effect<Context.Context<SqlClient.SqlClient>, SqlError, Scope.Scope> =>
  Effect.gen(function*() {
    const stock = yield* SqliteClient.make({ filename: file }).pipe(Effect.provide(Reactivity.layer))
    yield* stock`PRAGMA synchronous = NORMAL`
    yield* stock`CREATE TABLE IF NOT EXISTS live_write_lock (n INTEGER)`
    const client = writeFirst(stock)
    const context = Context.make(SqlClient.SqlClient, client)
    if (Object.keys(definition.migrations).length > 0) {
      yield* runMigrations({ loader: Migrator.fromRecord(definition.migrations) }).pipe(
        Effect.provide(context),
        Effect.orDie
      )
    }
    return context
  })

/** Opens a database only to read it (the checkers' view of a service's truth after a run). */
export const openForReading = (file: string): Effect.Effect<Context.Context<SqlClient.SqlClient>, never, Scope.Scope> =>
  Effect.map(
    SqliteClient.make({ filename: file }).pipe(Effect.provide(Reactivity.layer)),
    (client) => Context.make(SqlClient.SqlClient, client as SqlClient.SqlClient)
  )
