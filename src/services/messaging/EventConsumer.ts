/**
 * EventConsumer: a pod's subscription to the bus as a member of its service's consumer group.
 *
 * It reads new entries, decodes each into an EventEnvelope and hands it to the service's handler, then
 * acknowledges. A body that does not decode is dead-lettered with its reason and acknowledged: it can
 * never stop the consumer. A handler failure leaves the entry pending; the claim loop redelivers
 * entries idle past `claimIdleMillis` (also those of pods that died), and an entry that has failed
 * `maxDeliveries` times is dead-lettered. While the bus is unavailable the loops back off and retry.
 */
import { Cause, Effect, Either, Exit, Schema } from "effect"
import { type EventEnvelope, EventEnvelopeJson } from "../../domain/Events.js"
import { type BusEntry, type BusUnavailable, EventBus, Streams } from "../ports/EventBus.js"
import { PodIdentity } from "../ports/PodIdentity.js"
import { SystemObserver } from "../ports/SystemObserver.js"
import { SagaConfig } from "../SagaConfig.js"

const decodeEnvelopeUncached = Schema.decodeUnknownEither(EventEnvelopeJson)

/**
 * Decodes a bus body. Every consumer group decodes every body of its streams (a bad body must be
 * dead-lettered wherever it arrives), so the same text is decoded by up to three groups in a row: the
 * last results are kept by text. Decoding is a pure function of the text and the envelope is
 * immutable, so a kept result is exactly what decoding again would give.
 */
const decodeEnvelope = (() => {
  const size = 256
  let current = new Map<string, ReturnType<typeof decodeEnvelopeUncached>>()
  let previous = current
  return (body: string) => {
    let decoded = current.get(body)
    if (decoded !== undefined) return decoded
    decoded = previous.get(body) ?? decodeEnvelopeUncached(body)
    if (current.size >= size) {
      previous = current
      current = new Map()
    }
    current.set(body, decoded)
    return decoded
  }
})()

export interface Subscription<R> {
  /** Consumer group: the service's name. */
  readonly group: string
  readonly streams: ReadonlyArray<string>
  /** Handles one event; fails to leave it pending for redelivery. */
  readonly handle: (envelope: EventEnvelope, entry: BusEntry) => Effect.Effect<void, unknown, R>
}

const okOrNot = (ok: boolean): Effect.Effect<boolean> => Exit.succeed(ok)

const describeParseError = (error: unknown): string => {
  const text = String((error as { message?: unknown })?.message ?? error)
  return text.length > 500 ? `${text.slice(0, 500)}…` : text
}

export const runConsumer = <R>(subscription: Subscription<R>) =>
  Effect.gen(function*() {
    const bus = yield* EventBus
    const config = (yield* SagaConfig).messaging
    const { pod } = yield* PodIdentity
    const observer = yield* SystemObserver
    const { group, streams } = subscription

    const deadLetter = (entry: BusEntry, reason: string) =>
      bus.publish(
        Streams.deadLetter,
        JSON.stringify({ stream: entry.stream, id: entry.id, group, consumer: pod, reason, body: entry.body })
      ).pipe(Effect.zipRight(observer.note({ _tag: "DeadLettered", pod, stream: entry.stream, id: entry.id, reason })))

    /** What happens to an entry whose handler failed: dead-lettered past maxDeliveries, else left pending. */
    const handlerFailed = (entry: BusEntry, cause: Cause.Cause<unknown>): Effect.Effect<boolean, BusUnavailable> => {
      if (Cause.isInterruptedOnly(cause)) return Effect.interrupt
      if (entry.deliveryCount >= config.maxDeliveries) {
        return Effect.as(
          deadLetter(entry, `handler failed ${entry.deliveryCount} times: ${Cause.pretty(cause).split("\n")[0]}`),
          true
        )
      }
      return Effect.as(Effect.logWarning(`handler failed for ${entry.stream} ${entry.id}; left pending`), false)
    }

    /**
     * Processes one entry, then `then(true)` when it may be acknowledged, else `then(false)` (the
     * handler's outcome matched directly: no Exit value in between).
     */
    const processEntry = <A>(
      entry: BusEntry,
      then: (ok: boolean) => Effect.Effect<A, BusUnavailable>
    ): Effect.Effect<A, BusUnavailable, R> => {
      const decoded = decodeEnvelope(entry.body)
      if (Either.isLeft(decoded)) {
        return Effect.zipRight(deadLetter(entry, `malformed message: ${describeParseError(decoded.left)}`), then(true))
      }
      return Effect.matchCauseEffect(subscription.handle(decoded.right, entry), {
        onSuccess: () => then(true),
        onFailure: (cause) => Effect.flatMap(handlerFailed(entry, cause), then)
      })
    }

    const processBatch = (entries: ReadonlyArray<BusEntry>): Effect.Effect<void, BusUnavailable, R> => {
      if (entries.length === 0) return Effect.void
      if (entries.length === 1) {
        // The common case: one entry per wake-up.
        const entry = entries[0]!
        return processEntry(entry, (ok) => ok ? bus.ack(entry.stream, group, [entry.id]) : Effect.void)
      }
      return Effect.gen(function*() {
        const done = new Map<string, Array<string>>()
        for (const entry of entries) {
          if (yield* processEntry(entry, okOrNot)) {
            const ids = done.get(entry.stream)
            if (ids) ids.push(entry.id)
            else done.set(entry.stream, [entry.id])
          }
        }
        for (const [stream, ids] of done) yield* bus.ack(stream, group, ids)
      })
    }

    const backoff = Effect.sleep(config.retryBackoffMillis)
    const retrying = <A, E, R2>(effect: Effect.Effect<A, E, R2>) =>
      effect.pipe(Effect.catchAll(() => backoff), Effect.asVoid)

    // Create the groups before anything else; retry while the bus is down.
    for (const stream of streams) {
      while (!(yield* bus.ensureGroup(stream, group).pipe(Effect.as(true), Effect.orElseSucceed(() => false)))) {
        yield* backoff
      }
    }

    // A loop without Effect.forever's yield per round: each round either blocks in the read (nothing
    // new) or handles what it read, so it never holds the scheduler for long (and a busy fiber is still
    // preempted by the scheduler's operation budget). A failure backs off, then reads again.
    const readRound = Effect.catchAll(
      Effect.flatMap(
        bus.read({ group, consumer: pod, streams, count: config.readCount, block: config.readBlockMillis }),
        processBatch
      ),
      () => backoff
    )
    const readLoop: Effect.Effect<never, never, R> = Effect.flatMap(readRound, () => readLoop)

    const claimLoop = Effect.forever(
      Effect.sleep(config.claimEveryMillis).pipe(
        Effect.zipRight(Effect.forEach(streams, (stream) =>
          retrying(
            bus.claimIdle({ stream, group, consumer: pod, minIdle: config.claimIdleMillis, count: config.readCount })
              .pipe(Effect.flatMap(processBatch))
          ), { discard: true }))
      )
    )

    yield* Effect.all([readLoop, claimLoop], { concurrency: 2, discard: true })
  })
