/**
 * RecordingBus: the broker as one pod sees it, with every domain event it publishes appended to the
 * run's history (the trace the checkers and the trace hash read), stamped with the world's true time
 * (`clock`), not the pod's own clock, which a clock-skew fault may have set wrong.
 */
import { type Clock, Effect } from "effect"
import type { EventBusShape } from "../../services/ports/EventBus.js"
import { Streams } from "../../services/ports/EventBus.js"
import type { History } from "../../chaos/history/History.js"

interface EnvelopeHead {
  readonly eventId?: string
  readonly event?: { readonly _tag?: string; readonly orderId?: number }
}

export const recordingBus = (bus: EventBusShape, history: History, pod: string, clock: Clock.Clock): EventBusShape => ({
  ...bus,
  publish: (stream, body) =>
    bus.publish(stream, body).pipe(
      Effect.tap(() =>
        Effect.sync(() => {
          if (stream === Streams.deadLetter) return
          let head: EnvelopeHead
          try {
            head = JSON.parse(body) as EnvelopeHead
          } catch {
            return
          }
          history.record({
            t: clock.unsafeCurrentTimeMillis(),
            type: "event",
            stream,
            eventId: String(head.eventId),
            kind: String(head.event?._tag),
            orderId: Number(head.event?.orderId),
            pod
          })
        })
      )
    )
})
