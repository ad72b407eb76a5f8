/**
 * RecordingBus: the broker as one pod sees it, with every domain event it publishes appended to the
 * run's history (the trace the checkers and the trace hash read), and, for the event kinds a checker
 * judges the order of, every delivery of one to this pod (`delivered`: a read or a claim handed it the
 * entry, before the pod handled it) — stamped with the world's true time (`clock`), not the pod's own
 * clock, which a clock-skew fault may have set wrong.
 */
import { type Clock, Effect } from "effect"
import type { BusEntry, EventBusShape } from "../../services/ports/EventBus.js"
import { Streams } from "../../services/ports/EventBus.js"
import type { History } from "../../chaos/history/History.js"

interface EnvelopeHead {
  readonly eventId?: string
  readonly event?: { readonly _tag?: string; readonly orderId?: number }
}

/** The envelope's event id ("Kind:orderId"), which our own encoding writes first; undefined for a foreign body. */
const eventIdOf = (body: string): string | undefined => /^\{"eventId":"([^"\\]*)"/.exec(body)?.[1]

export const recordingBus = (
  bus: EventBusShape,
  history: History,
  pod: string,
  clock: Clock.Clock,
  /** Event kinds whose deliveries to this pod are recorded. Default: none. */
  deliveries: ReadonlySet<string> = new Set()
): EventBusShape => {
  const recordDeliveries = (entries: ReadonlyArray<BusEntry>) =>
    Effect.sync(() => {
      for (const entry of entries) {
        const eventId = eventIdOf(entry.body)
        if (eventId !== undefined && deliveries.has(eventId.slice(0, eventId.indexOf(":")))) {
          history.record({ t: clock.unsafeCurrentTimeMillis(), type: "delivered", pod, eventId })
        }
      }
    })
  return {
    ...bus,
    ...(deliveries.size === 0 ? {} : {
      read: (options) => Effect.tap(bus.read(options), recordDeliveries),
      claimIdle: (options) => Effect.tap(bus.claimIdle(options), recordDeliveries)
    }),
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
  }
}
