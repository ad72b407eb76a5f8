/**
 * OutboxSignal: a pod-local hand-off from the transactions that append outbox rows to the pod's outbox
 * relay, so events are published right after the commit instead of at the next poll, without the relay
 * having to claim them: the rows were inserted already claimed by this pod (see `appendToOutbox`), and
 * after the commit the writer hands them over here. Wake-ups coalesce: many commits, one wake-up.
 */
import { Context, Effect, Layer, Queue } from "effect"

/** An outbox row as the relay publishes it. */
export interface OutboxRow {
  readonly seq: number
  readonly stream: string
  readonly body: string
}

export interface OutboxSignalShape {
  /** Wakes the relay. */
  readonly notify: Effect.Effect<void>
  /** Waits for a notification, or returns after `millis` without one. */
  readonly await: (millis: number) => Effect.Effect<void>
  /** Hands committed rows, claimed by this pod, to its relay; wakes it. */
  readonly handOff: (rows: ReadonlyArray<OutboxRow>) => Effect.Effect<void>
  /** Takes every row handed off so far, in the order they were handed. */
  readonly takeHandedOff: Effect.Effect<ReadonlyArray<OutboxRow>>
}

/**
 * The hand-off list shared by the implementations; `notify` is their notification. One whose
 * notification is synchronous passes it as `unsafeNotify` too: a hand-off is then one Effect operation.
 */
export const makeHandOff = (notify: Effect.Effect<void>, unsafeNotify?: () => void) => {
  let handed: Array<OutboxRow> = []
  const none: ReadonlyArray<OutboxRow> = []
  const push = (rows: ReadonlyArray<OutboxRow>) => {
    for (const row of rows) handed.push(row)
  }
  return {
    handOff: (rows: ReadonlyArray<OutboxRow>): Effect.Effect<void> =>
      rows.length === 0
        ? Effect.void
        : unsafeNotify !== undefined
        ? Effect.sync(() => {
          push(rows)
          unsafeNotify()
        })
        : Effect.zipRight(Effect.sync(() => push(rows)), notify),
    takeHandedOff: Effect.sync((): ReadonlyArray<OutboxRow> => {
      if (handed.length === 0) return none
      const rows = handed
      handed = []
      return rows
    })
  }
}

export class OutboxSignal extends Context.Tag("starcoffee/OutboxSignal")<OutboxSignal, OutboxSignalShape>() {
  static readonly layer: Layer.Layer<OutboxSignal> = Layer.effect(
    OutboxSignal,
    Effect.gen(function*() {
      const queue = yield* Queue.sliding<void>(1)
      const notify = Effect.asVoid(Queue.offer(queue, undefined))
      return {
        notify,
        await: (millis) =>
          Queue.take(queue).pipe(
            Effect.timeoutTo({ duration: millis, onSuccess: () => undefined, onTimeout: () => undefined }),
            Effect.zipRight(Queue.takeAll(queue)),
            Effect.asVoid
          ),
        ...makeHandOff(notify)
      }
    })
  )
}
