/**
 * MakeBrewer: brewing that takes time (SagaConfig `make.brew`), so that a customer's cancel can race
 * a brew. make's consumer decides to brew when it holds both facts; with a brew time it does not
 * publish CoffeeMade at once but records the decision (the make stays Waiting with both facts) with a
 * claim — this pod, until the brew's time plus `brewLeaseMillis` — and hands the brew to this pod's
 * brewer. The brewer sleeps for the brew, then finishes it in a transaction that re-reads the make:
 *
 *   still Waiting with both facts → Made, one brew counted, CoffeeMade through the outbox;
 *   Cancelled meanwhile           → nothing: the cancel won the race (make published CoffeeCancelled);
 *   Made meanwhile                → nothing: another pod took the brew over and finished first.
 *
 * Crash safety: the brew lives in the database, not in the fiber. A pod that dies or hangs mid-brew
 * loses its brewing fibers (they run in the workers' scope); its claim expires and the sweep, which
 * every make pod runs every `brewSweepMillis`, brews the order again; a restarted pod takes its own
 * claims back at once. Claims compare the claiming pod's clock with the clock of the pod that wrote
 * them, so a skewed clock can take over a brew still under way: two pods brew, the transactional
 * finish keeps it to one coffee.
 *
 * Mutants living here: brew-ignores-cancel, brew-lease-trusted.
 */
import { SqlClient } from "@effect/sql"
import { Effect, FiberSet, Option, type Scope } from "effect"
import { CoffeeMade } from "../../domain/Events.js"
import type { OrderId } from "../../domain/Ids.js"
import * as Make from "../../domain/Make.js"
import { type Distribution, sample } from "../Distribution.js"
import { appendToOutbox, notifyRelay, type OutboxRow } from "../messaging/Outbox.js"
import { isOn } from "../Mutants.js"
import { PodIdentity } from "../ports/PodIdentity.js"
import { SagaConfig } from "../SagaConfig.js"
import { brewCause, claimBrew, dueBrews, findMake, saveMake } from "./MakeStore.js"

/** A brew that takes no time is made in the transaction that decides it (the seed's make). */
export const isInstant = (brew: Distribution): boolean =>
  brew._tag === "Constant" ? brew.millis <= 0 : brew.maxMillis <= 0

/** This pod's brews under way. */
export interface Brewer {
  /** Brews an order this pod has just claimed, finishing it after `millis`; nothing if already brewing it. */
  readonly start: (orderId: OrderId, millis: number) => Effect.Effect<void, never, BrewPorts>
  readonly isBrewing: (orderId: OrderId) => boolean
}

type BrewPorts = Effect.Effect.Context<ReturnType<typeof finishBrew>>

/** What finishing a brew decides from the make as it is now (mutants aside: see the header). */
const finishing = (current: Make.Make, ignoreCancel: boolean, trustLease: boolean): Make.MakeDecision => {
  // Mutant brew-ignores-cancel: the barista finishes the coffee already brewing, cancelled or not.
  if (ignoreCancel && current.status === "Cancelled" && current.paid && current.placed) {
    return { next: new Make.Make({ ...current, status: "Made" }, true), events: [new CoffeeMade({ orderId: current.orderId }, true)] }
  }
  // Mutant brew-lease-trusted: the claim is taken as proof nobody else brewed it; no look at the status.
  if (trustLease && current.status === "Made") {
    return { next: current, events: [new CoffeeMade({ orderId: current.orderId }, true)] }
  }
  return Make.brewIfReady(current)
}

/** Finishes a brew: one transaction that re-reads the make, then the CoffeeMade (if any) to the relay. */
export const finishBrew = (orderId: OrderId) =>
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    const ignoreCancel = yield* isOn("brew-ignores-cancel")
    const trustLease = yield* isOn("brew-lease-trusted")
    const rows: ReadonlyArray<OutboxRow> = yield* sql.withTransaction(Effect.gen(function*() {
      const found = yield* findMake(orderId)
      if (Option.isNone(found)) return []
      const { events, next } = finishing(found.value, ignoreCancel, trustLease)
      if (events.length === 0) return []
      yield* saveMake(next, events.length)
      return yield* appendToOutbox(events, yield* brewCause(orderId))
    }))
    yield* notifyRelay(rows)
  })

/** A brewer whose brews run in the caller's scope: they stop when the pod's workers stop. */
export const makeBrewer: Effect.Effect<Brewer, never, Scope.Scope> = Effect.gen(function*() {
  const fibers = yield* FiberSet.make<void, never>()
  const brewing = new Set<number>()
  const brew = (orderId: OrderId, millis: number) =>
    Effect.sleep(millis).pipe(
      Effect.zipRight(finishBrew(orderId)),
      // A failed finish leaves the claim to expire: the sweep brews the order again.
      Effect.catchAllCause((cause) => Effect.logWarning(`brew of order ${orderId} failed`, cause)),
      Effect.ensuring(Effect.sync(() => brewing.delete(orderId)))
    )
  return {
    isBrewing: (orderId) => brewing.has(orderId),
    start: (orderId, millis) =>
      Effect.suspend(() => {
        if (brewing.has(orderId)) return Effect.void
        brewing.add(orderId)
        return Effect.asVoid(FiberSet.run(fibers, brew(orderId, millis)))
      })
  }
})

/**
 * One sweep: claims the brews that are due (claims expired; with `own`, also this pod's own from a
 * previous run) and brews each again from the start, for a freshly drawn brew time.
 */
const sweepBrews = (brewer: Brewer, own: boolean) =>
  Effect.gen(function*() {
    const { pod } = yield* PodIdentity
    const config = (yield* SagaConfig).make
    const now = yield* Effect.clockWith((clock) => clock.currentTimeMillis)
    for (const orderId of yield* dueBrews(now, pod, own)) {
      if (brewer.isBrewing(orderId)) continue
      const millis = yield* sample(config.brew)
      if (yield* claimBrew(orderId, pod, now, now + millis + config.brewLeaseMillis, own)) yield* brewer.start(orderId, millis)
    }
  }).pipe(Effect.catchAllCause((cause) => Effect.logWarning("brew sweep failed", cause)))

/** Runs forever: takes back this pod's own brews at start, then sweeps for abandoned ones. */
export const runBrewSweeps = (brewer: Brewer) =>
  Effect.gen(function*() {
    const every = (yield* SagaConfig).make.brewSweepMillis
    yield* sweepBrews(brewer, true)
    return yield* Effect.forever(Effect.zipRight(Effect.sleep(every), sweepBrews(brewer, false)))
  })
