/**
 * OutboxRelay's claiming round (services/messaging/OutboxRelay.ts `relayOnce`): which rows a relay may
 * take — unclaimed rows, rows whose lease expired, and its own claims when asked — and which it must
 * leave — another pod's rows under a live lease — on a real SQLite database (SimSql) at a virtual time.
 */
import { SqlClient } from "@effect/sql"
import { Effect, Layer } from "effect"
import { describe, expect, it } from "vitest"
import { outboxMigration } from "../../src/services/messaging/Outbox.js"
import { relayOnce } from "../../src/services/messaging/OutboxRelay.js"
import { EventBus, type EventBusShape } from "../../src/services/ports/EventBus.js"
import { PodIdentity } from "../../src/services/ports/PodIdentity.js"
import { SagaConfig } from "../../src/services/SagaConfig.js"
import { makeSimSqlClient } from "../../src/sim/cluster/SimSql.js"
import { Kernel } from "../../src/sim/kernel/Kernel.js"

/** A bus that records what is published, in order. */
const recordingBus = (published: Array<string>): EventBusShape => ({
  publish: (_stream, body) => Effect.sync(() => (published.push(body), String(published.length))),
  ensureGroup: () => Effect.void,
  read: () => Effect.succeed([]),
  ack: () => Effect.void,
  claimIdle: () => Effect.succeed([])
})

/** Rows (body, claimed_by, claimed_until) in the outbox at virtual time 10 000 ms; one round of `pod-a`. */
const roundAt10s = (rows: ReadonlyArray<readonly [string, string | null, number | null]>, takeOwn: boolean) => {
  const published: Array<string> = []
  const program = Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    yield* outboxMigration
    for (const [body, by, until] of rows) {
      yield* sql`INSERT INTO outbox (stream, event_id, body, claimed_by, claimed_until) VALUES ('s', ${body}, ${body}, ${by}, ${until})`
    }
    yield* Effect.sleep(10_000)
    const result = yield* relayOnce(100, takeOwn)
    const left = yield* sql<{ body: string }>`SELECT body FROM outbox ORDER BY seq`
    return { result, left: left.map((r) => r.body) }
  })
  const result = new Kernel({}).run(program.pipe(
    Effect.provide(Layer.mergeAll(
      Layer.scoped(SqlClient.SqlClient, makeSimSqlClient),
      Layer.succeed(EventBus, recordingBus(published)),
      Layer.succeed(PodIdentity, { service: "make", pod: "pod-a" }),
      SagaConfig.Default
    )),
    Effect.scoped
  ))
  if (result._tag !== "Completed" || result.exit._tag !== "Success") throw new Error(`round: ${result._tag}`)
  return { ...result.exit.value, published }
}

describe("OutboxRelay claiming round", () => {
  it("publishes unclaimed rows and rows whose lease expired, in order, and deletes them", () => {
    const out = roundAt10s([["a", null, null], ["b", "pod-b", 9_000], ["c", null, null]], false)
    expect(out.published).toEqual(["a", "b", "c"])
    expect(out.left).toEqual([])
    expect(out.result).toEqual({ published: 3, failed: false })
  })

  it("takes over a row whose lease expired when no other row is claimable", () => {
    const out = roundAt10s([["stale", "pod-b", 9_999], ["live", "pod-b", 10_001]], false)
    expect(out.published).toEqual(["stale"])
    expect(out.left).toEqual(["live"])
  })

  it("leaves another pod's rows under a live lease, and its own unless told to take them back", () => {
    const rows = [["mine", "pod-a", 12_000], ["theirs", "pod-b", 12_000]] as const
    const notOwn = roundAt10s(rows, false)
    expect(notOwn.published).toEqual([])
    expect(notOwn.left).toEqual(["mine", "theirs"])
    const own = roundAt10s(rows, true)
    expect(own.published).toEqual(["mine"])
    expect(own.left).toEqual(["theirs"])
  })

  it("finds nothing in an empty outbox", () => {
    const out = roundAt10s([], true)
    expect(out.result).toEqual({ published: 0, failed: false })
    expect(out.published).toEqual([])
  })
})
