/**
 * OutboxSignal: a pod-local wake-up for the outbox relay, so events are published right after the
 * commit instead of at the next poll. Notifications coalesce: many commits, one wake-up.
 */
import { Context, Effect, Layer, Queue } from "effect"

export interface OutboxSignalShape {
  readonly notify: Effect.Effect<void>
  /** Waits for a notification, or returns after `millis` without one. */
  readonly await: (millis: number) => Effect.Effect<void>
}

export class OutboxSignal extends Context.Tag("starcoffee/OutboxSignal")<OutboxSignal, OutboxSignalShape>() {
  static readonly layer: Layer.Layer<OutboxSignal> = Layer.effect(
    OutboxSignal,
    Effect.gen(function*() {
      const queue = yield* Queue.sliding<void>(1)
      return {
        notify: Effect.asVoid(Queue.offer(queue, undefined)),
        await: (millis) =>
          Queue.take(queue).pipe(
            Effect.timeoutTo({ duration: millis, onSuccess: () => undefined, onTimeout: () => undefined }),
            Effect.zipRight(Queue.takeAll(queue)),
            Effect.asVoid
          )
      }
    })
  )
}
