/**
 * BacklogSampler: what the history does not record — outbox rows waiting to be published and the
 * broker's backlog — read every second of the world's clock while a run goes on, for the report's
 * backlog chart. It only reads (a COUNT on each service's outbox, the broker's inspection view) and
 * records into its own array, never into the history; in the sim world it leaves trace hashes
 * unchanged except under `--shuffle` (its fiber joins the shuffled ready queue), so runs with
 * `--shuffle` are not sampled.
 *
 * Faults modelled: none.
 */
import { Effect } from "effect"
import { outboxBacklog } from "../services/messaging/Outbox.js"
import type { SimWorld } from "../sim/world/SimWorld.js"
import type { BacklogSeries } from "./ReportModel.js"

export interface BacklogReading {
  readonly outbox: Readonly<Record<string, number>>
  readonly brokerLag: number
  readonly brokerPending: number
}

export interface BacklogSample extends BacklogReading {
  readonly t: number
}

/** Services with an outbox. */
const outboxServices = ["order", "payment", "make"] as const

/** The reading of a simulated world: each outbox's row count and the broker's snapshot. */
export const simBacklogProbe = (world: SimWorld): Effect.Effect<BacklogReading> =>
  Effect.gen(function*() {
    const outbox: Record<string, number> = {}
    for (const service of outboxServices) outbox[service] = yield* world.query(service, outboxBacklog)
    const snapshot = yield* world.broker.inspect.snapshot
    return { outbox, brokerLag: snapshot.totalLag, brokerPending: snapshot.totalPending }
  }).pipe(Effect.orDie)

/** Forever: every `everyMillis` of the world's clock, one reading appended to `into`. Fork it scoped. */
export const sampleBacklog = (
  probe: Effect.Effect<BacklogReading>,
  into: Array<BacklogSample>,
  everyMillis = 1_000
): Effect.Effect<never> =>
  Effect.forever(Effect.gen(function*() {
    yield* Effect.sleep(everyMillis)
    const t = yield* Effect.clockWith((c) => c.currentTimeMillis)
    into.push({ t, ...(yield* probe) })
  }))

/** The samples as the report's series (times relative to `startMs`, the run's start). */
export const backlogSeries = (samples: ReadonlyArray<BacklogSample>, everyMillis = 1_000, startMs = 0): BacklogSeries => {
  const outbox: Record<string, Array<number>> = {}
  for (const s of samples) {
    for (const [service, n] of Object.entries(s.outbox)) (outbox[service] ??= []).push(n)
  }
  return {
    everyMillis,
    t: samples.map((s) => s.t - startMs),
    outbox,
    brokerLag: samples.map((s) => s.brokerLag),
    brokerPending: samples.map((s) => s.brokerPending)
  }
}
