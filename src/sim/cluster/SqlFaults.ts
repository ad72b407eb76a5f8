/**
 * SqlFaults: the in-service faults of one service's database, as its SQL client (SimSql.ts) meets
 * them before each statement — FoundationDB's BUGGIFY in spirit, switched on by a fault:
 *
 * - latency: each statement first waits a drawn simulated time (SQLite waiting on a busy disk);
 * - failure: each statement fails with this probability, with SQLITE_BUSY ("database is locked") or
 *   SQLITE_IOERR ("disk I/O error"), as better-sqlite3 reports them;
 * - step yields: while a crash point is armed on a pod of the service, each statement first yields,
 *   so the pod's steps are apart and a crash can land between any two statements of a handler.
 *
 * Draws come from the running fiber's Random (the pod's own: PodRuntime.ts). The checkers' reads of
 * the services' truth (SimDisk.query) are exempt. With nothing on, `gate` is undefined and the client
 * takes its usual path.
 *
 * Faults modelled: SQL latency, SQL failure (SQLITE_BUSY, SQLITE_IOERR), steps apart for crash points.
 */
import { SqlError } from "@effect/sql/SqlError"
import { Effect, FiberRef, Random } from "effect"
import { type Distribution, sample } from "../../services/Distribution.js"

export const SqlErrorCodes = ["SQLITE_BUSY", "SQLITE_IOERR"] as const
export type SqlErrorCode = (typeof SqlErrorCodes)[number]

const messages: Record<SqlErrorCode, string> = {
  SQLITE_BUSY: "database is locked",
  SQLITE_IOERR: "disk I/O error"
}

/** Set on the checkers' fibers: their statements never meet a fault. */
export const sqlFaultsExempt: FiberRef.FiberRef<boolean> = FiberRef.unsafeMake(false)

export interface SqlFailure {
  readonly probability: number
  readonly code: SqlErrorCode
}

export class SqlFaults {
  private latency: Distribution | undefined = undefined
  private failure: SqlFailure | undefined = undefined
  private stepYields = 0
  /** What runs before each statement; undefined when no fault is on. */
  gate: Effect.Effect<void, SqlError> | undefined = undefined

  setLatency(latency: Distribution | undefined): void {
    this.latency = latency
    this.refresh()
  }

  setFailure(failure: SqlFailure | undefined): void {
    this.failure = failure !== undefined && failure.probability > 0 ? failure : undefined
    this.refresh()
  }

  /** One more (or, with -1, one fewer) armed crash point on a pod of the service. */
  yieldSteps(delta: 1 | -1): void {
    this.stepYields = Math.max(0, this.stepYields + delta)
    this.refresh()
  }

  clear(): void {
    this.latency = undefined
    this.failure = undefined
    this.refresh()
  }

  private refresh(): void {
    const steps: Array<Effect.Effect<void, SqlError>> = []
    if (this.stepYields > 0) steps.push(Effect.yieldNow())
    const latency = this.latency
    if (latency !== undefined) steps.push(Effect.flatMap(sample(latency), (ms) => (ms > 0 ? Effect.sleep(ms) : Effect.void)))
    const failure = this.failure
    if (failure !== undefined) {
      // Stackless: where the fault was switched on says nothing about the statement it fails.
      const cause = Object.assign(new Error(messages[failure.code]), { code: failure.code })
      cause.stack = `Error: ${messages[failure.code]} (${failure.code})`
      const error = new SqlError({ cause, message: "Failed to execute statement" })
      error.stack = `SqlError: Failed to execute statement: ${messages[failure.code]} (${failure.code}, an injected SqlFail)`
      steps.push(Effect.flatMap(Random.next, (u) => (u < failure.probability ? Effect.fail(error) : Effect.void)))
    }
    if (steps.length === 0) {
      this.gate = undefined
      return
    }
    const inject = Effect.all(steps, { discard: true })
    this.gate = Effect.flatMap(FiberRef.get(sqlFaultsExempt), (exempt) => (exempt ? Effect.void : inject))
  }
}
