/**
 * RecordingBus: the broker as one pod sees it, with every domain event it publishes appended to the
 * run's history (the trace the checkers and the trace hash read).
 */
import { Effect } from "effect"
import type { EventBusShape } from "../../services/ports/EventBus.js"
import { Streams } from "../../services/ports/EventBus.js"
import type { History } from "../../chaos/history/History.js"

interface EnvelopeHead {
  readonly eventId?: string
  readonly event?: { readonly _tag?: string; readonly orderId?: number }
}

export const recordingBus = (bus: EventBusShape, history: History, pod: string): EventBusShape => ({
  ...bus,
  publish: (stream, body) =>
    bus.publish(stream, body).pipe(
      Effect.tap(() =>
        Effect.clockWith((clock) =>
          clock.currentTimeMillis.pipe(Effect.map((t) => {
            if (stream === Streams.deadLetter) return
            let head: EnvelopeHead
            try {
              head = JSON.parse(body) as EnvelopeHead
            } catch {
              return
            }
            history.record({
              t,
              type: "event",
              stream,
              eventId: String(head.eventId),
              kind: String(head.event?._tag),
              orderId: Number(head.event?.orderId),
              pod
            })
          }))
        )
      )
    )
})
