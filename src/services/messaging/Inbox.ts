/**
 * Idempotent inbox: a consumed event's id is recorded in the same transaction as the effect it has,
 * so a redelivered or duplicated event has no second effect.
 */
import { SqlClient } from "@effect/sql"
import type { SqlError } from "@effect/sql/SqlError"
import { Effect } from "effect"
import { withService } from "../ServiceAccess.js"

export const inboxMigration = Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  yield* sql`CREATE TABLE inbox (event_id TEXT PRIMARY KEY, group_name TEXT NOT NULL) WITHOUT ROWID`
})

/**
 * Runs `effect` once per event id, inside a transaction with the inbox record. Returns whether it ran
 * (false: a duplicate, already processed).
 */
export const processOnce = <E, R>(
  group: string,
  eventId: string,
  effect: Effect.Effect<void, E, R>
): Effect.Effect<boolean, E | SqlError, R | SqlClient.SqlClient> =>
  withService(SqlClient.SqlClient, (sql) =>
    sql.withTransaction(
      Effect.flatMap(
        sql<{ event_id: string }>`INSERT INTO inbox (event_id, group_name) VALUES (${eventId}, ${group})
          ON CONFLICT DO NOTHING RETURNING event_id`,
        (inserted) => inserted.length === 0 ? duplicate : Effect.as(effect, true)
      )
    ))

const duplicate = Effect.succeed(false)
