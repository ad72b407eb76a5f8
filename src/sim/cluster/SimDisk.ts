/**
 * SimDisk: each service's SQLite database, in memory, owned by the simulated node rather than by a
 * pod — so a pod that is killed and restarted finds its data again, as with a persistent volume.
 * Migrations run once per service and process: the migrated database is kept as an image, and every
 * later disk starts from a copy of it (the same tables, without running the migrations again in each
 * world). Each database has its in-service SQL faults (SqlFaults.ts); the checkers' reads (`query`)
 * are exempt from them.
 *
 * Faults modelled: SQL latency and failure per service (SqlFaults.ts).
 */
import { SqlClient } from "@effect/sql"
import * as Migrator from "@effect/sql/Migrator"
import { Context, Effect, type Scope } from "effect"
import type { ServiceName } from "../../services/ports/ServiceDirectory.js"
import type { ServiceDefinition } from "../../services/ServiceDefinition.js"
import { makeSimSqlClientWith, simSqlClose, simSqlImage } from "./SimSql.js"
import { SqlFaults, sqlFaultsExempt } from "./SqlFaults.js"

export type ServiceDatabase = Context.Context<SqlClient.SqlClient>

const runMigrations = Migrator.make({})

/** Each service's database as its migrations left it, made once per process. */
const migrated = new WeakMap<ServiceDefinition, Buffer>()

/** Opens one in-memory database for a service, migrated (a copy of the migrated image once there is one). */
export const openDatabase = (
  definition: ServiceDefinition,
  faults?: SqlFaults
): Effect.Effect<ServiceDatabase, never, Scope.Scope> =>
  Effect.gen(function*() {
    const image = migrated.get(definition)
    const client = yield* makeSimSqlClientWith(faults, image)
    const context = Context.make(SqlClient.SqlClient, client)
    if (image === undefined && Object.keys(definition.migrations).length > 0) {
      yield* runMigrations({ loader: Migrator.fromRecord(definition.migrations) }).pipe(
        Effect.provide(context),
        Effect.orDie
      )
      migrated.set(definition, simSqlImage(client))
    }
    return context
  })

export class SimDisk {
  constructor(
    private readonly databases: ReadonlyMap<ServiceName, ServiceDatabase>,
    private readonly faults: ReadonlyMap<ServiceName, SqlFaults> = new Map()
  ) {}

  static make(definitions: ReadonlyArray<ServiceDefinition>): Effect.Effect<SimDisk, never, Scope.Scope> {
    const faults = new Map(definitions.map((d) => [d.name, new SqlFaults()] as const))
    return Effect.map(
      Effect.forEach(definitions, (d) => Effect.map(openDatabase(d, faults.get(d.name)), (db) => [d.name, db] as const)),
      (pairs) => new SimDisk(new Map(pairs), faults)
    )
  }

  /**
   * Closes every database now, outside any scope: for a run that leaves its world's scope open
   * (SimRun.ts). The databases must not be used afterwards.
   */
  closeAll(): void {
    for (const db of this.databases.values()) simSqlClose(Context.get(db, SqlClient.SqlClient))
  }

  /** The in-service SQL faults of a service's database. */
  sqlFaults(service: ServiceName): SqlFaults | undefined {
    return this.faults.get(service)
  }

  database(service: ServiceName): ServiceDatabase {
    const db = this.databases.get(service)
    if (!db) throw new Error(`no database for ${service}`)
    return db
  }

  /** Runs a query against a service's database (for checkers reading the services' truth). */
  query<A, E>(service: ServiceName, effect: Effect.Effect<A, E, SqlClient.SqlClient>): Effect.Effect<A, E> {
    return Effect.provide(Effect.locally(effect, sqlFaultsExempt, true), this.database(service))
  }
}
