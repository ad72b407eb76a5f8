/**
 * Inspect: read-only views of the broker for invariant checkers and reports (stream lengths, per-group
 * pending and lag, counters, dead letters). Inspection works during an outage and draws no randomness.
 *
 * Fault modelled here: none; `counters.ackLost` and `counters.rejected` record the effects of the
 * duplicate-delivery and outage faults.
 */
import type { Effect } from "effect"
import type { FaultSettings } from "./Faults.js"
import type { StreamEntry } from "./Stream.js"

export interface BrokerCounters {
  /** Entries appended (XADD). */
  published: number
  /** First deliveries (XREADGROUP >), summed over groups. */
  delivered: number
  /** Redeliveries (XAUTOCLAIM), summed over groups. */
  redelivered: number
  /** Entries removed from a PEL by XACK. */
  acked: number
  /** XACKs lost by the duplicate-delivery fault (entry left pending). */
  ackLost: number
  /** Operations refused with BusUnavailable because of an outage (blocked reads included). */
  rejected: number
}

export const emptyCounters = (): BrokerCounters => ({
  published: 0,
  delivered: 0,
  redelivered: 0,
  acked: 0,
  ackLost: 0,
  rejected: 0
})

export interface PendingInfo {
  readonly id: string
  readonly consumer: string
  readonly deliveryCount: number
  readonly lastDeliveredAt: number
}

export interface GroupInfo {
  readonly group: string
  /** Entries delivered and not acked (PEL size). */
  readonly pending: number
  /** Entries never delivered to the group. */
  readonly lag: number
  /** Id of the last entry delivered to the group, or "0-0" when none. */
  readonly lastDeliveredId: string
  /** PEL size per consumer (only consumers with pending entries). */
  readonly pendingByConsumer: Readonly<Record<string, number>>
}

export interface StreamInfo {
  readonly stream: string
  readonly length: number
  readonly groups: ReadonlyArray<GroupInfo>
}

export interface BrokerSnapshot {
  /** Streams in creation order, groups in creation order. */
  readonly streams: ReadonlyArray<StreamInfo>
  readonly counters: Readonly<BrokerCounters>
  /** Sums over all groups: "pending messages drain" means both reach 0. */
  readonly totalPending: number
  readonly totalLag: number
  /** Readers currently blocked in XREADGROUP. */
  readonly blockedReaders: number
  readonly faults: FaultSettings
}

export interface BrokerInspect {
  readonly snapshot: Effect.Effect<BrokerSnapshot>
  readonly counters: Effect.Effect<Readonly<BrokerCounters>>
  /** 0 for a stream that does not exist. */
  readonly streamLength: (stream: string) => Effect.Effect<number>
  /** 0 when the group does not exist. */
  readonly pendingCount: (stream: string, group: string) => Effect.Effect<number>
  /** 0 when the group does not exist. */
  readonly lag: (stream: string, group: string) => Effect.Effect<number>
  /** The group's PEL in last-delivery order; [] when the group does not exist. */
  readonly pending: (stream: string, group: string) => Effect.Effect<ReadonlyArray<PendingInfo>>
  /** A copy of the stream's entries; [] for a stream that does not exist. */
  readonly entries: (stream: string) => Effect.Effect<ReadonlyArray<StreamEntry>>
  /** Contents of the dead-letter stream (Streams.deadLetter unless configured otherwise). */
  readonly deadLetters: Effect.Effect<ReadonlyArray<StreamEntry>>
  readonly blockedReaders: Effect.Effect<number>
}
