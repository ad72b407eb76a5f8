/**
 * EventBus port: the message bus the services publish to and consume from.
 *
 * The operations mirror Redis Streams (XADD, XGROUP CREATE, XREADGROUP, XACK, XAUTOCLAIM) so that the
 * live adapter is a thin mapping and the simulated broker can reproduce the same semantics:
 * per-stream order, consumer groups, a pending-entries list, at-least-once delivery and redelivery
 * of entries left unacknowledged past an idle time. Bodies are JSON text, exactly as they travel on
 * the wire, so a malformed message can be produced and must be dead-lettered by the consumer.
 */
import { Context, Data, type Duration, type Effect } from "effect"

/** One stream entry as delivered to a consumer of a group. */
export interface BusEntry {
  /** Stream entry id assigned by the broker ("<ms>-<seq>", as Redis does). */
  readonly id: string
  readonly stream: string
  /** The message body: JSON text. */
  readonly body: string
  /** How many times this entry has been delivered to the group (1 on first delivery). */
  readonly deliveryCount: number
}

/** The bus could not be reached or refused the operation (broker outage, connection loss). */
export class BusUnavailable extends Data.TaggedError("BusUnavailable")<{ readonly reason: string }> {}

export interface EventBusShape {
  /** XADD: append a body to a stream; returns the entry id. */
  readonly publish: (stream: string, body: string) => Effect.Effect<string, BusUnavailable>
  /** XGROUP CREATE … MKSTREAM from the start of the stream; a no-op when the group exists. */
  readonly ensureGroup: (stream: string, group: string) => Effect.Effect<void, BusUnavailable>
  /**
   * XREADGROUP GROUP g c COUNT n BLOCK ms STREAMS … >: new entries for this consumer, moved to the
   * group's pending list. Waits up to `block` for at least one entry; returns [] on timeout.
   */
  readonly read: (options: {
    readonly group: string
    readonly consumer: string
    readonly streams: ReadonlyArray<string>
    readonly count: number
    readonly block: Duration.DurationInput
  }) => Effect.Effect<ReadonlyArray<BusEntry>, BusUnavailable>
  /** XACK: remove entries from the group's pending list. */
  readonly ack: (stream: string, group: string, ids: ReadonlyArray<string>) => Effect.Effect<void, BusUnavailable>
  /**
   * XAUTOCLAIM: take over pending entries of the group idle for at least `minIdle` (their consumer
   * died or gave up), incrementing their delivery count.
   */
  readonly claimIdle: (options: {
    readonly stream: string
    readonly group: string
    readonly consumer: string
    readonly minIdle: Duration.DurationInput
    readonly count: number
  }) => Effect.Effect<ReadonlyArray<BusEntry>, BusUnavailable>
}

export class EventBus extends Context.Tag("starcoffee/EventBus")<EventBus, EventBusShape>() {}

/** Stream names used by the saga. One stream per publishing service, plus the dead-letter stream. */
export const Streams = {
  order: "order-events",
  payment: "payment-events",
  make: "make-events",
  deadLetter: "dead-letter"
} as const
