/**
 * ConsumerGroup: one consumer group of one stream (XGROUP CREATE / XREADGROUP > / XACK / XAUTOCLAIM).
 *
 * Owns the group's cursor (index of the next never-delivered entry, i.e. last-delivered position + 1)
 * and its pending-entries list (PEL): owner consumer, delivery count, last delivery time.
 *
 * The PEL is a Map kept in order of last delivery time (new deliveries and claims are (re)inserted at
 * the end; broker time never goes backwards), so XAUTOCLAIM stops at the first entry that is not idle
 * enough instead of scanning the whole list.
 *
 * Fault modelled here: lost XACK (duplicate delivery). `ack(id, lose = true)` leaves the entry pending
 * and marks it, so the entry is redelivered by a later claim; a marked entry's next ack always
 * succeeds, so an entry is duplicated at most once per group.
 */
import type { BusEntry } from "../../services/ports/EventBus.js"
import type { SimStream, StreamEntry } from "./Stream.js"

/** One PEL record. Mutable inside the broker; exposed only as copies (see Inspect.ts). */
export interface PendingRecord {
  readonly entry: StreamEntry
  consumer: string
  deliveryCount: number
  lastDeliveredAt: number
  /** An XACK of this entry was already lost once (duplicate-delivery fault). */
  ackLost: boolean
}

export type AckOutcome = "acked" | "lost" | "absent"

export class ConsumerGroup {
  /** Index in the stream of the next entry never delivered to this group. */
  cursor = 0
  readonly pending = new Map<string, PendingRecord>()

  constructor(
    readonly name: string,
    readonly stream: SimStream
  ) {}

  /** Entries of the stream not yet delivered to the group (Redis 7 "lag"). */
  get lag(): number {
    return this.stream.entries.length - this.cursor
  }

  /**
   * XREADGROUP … >: moves up to `limit` visible entries from the cursor to the PEL (owner `consumer`),
   * appending them to `out`. Returns how many were delivered.
   */
  deliver(consumer: string, limit: number, now: number, out: Array<BusEntry>): number {
    const entries = this.stream.entries
    let n = 0
    while (n < limit && this.cursor < entries.length) {
      const entry = entries[this.cursor]!
      if (entry.visibleAt > now) break
      this.cursor++
      this.pending.set(entry.id, { entry, consumer, deliveryCount: 1, lastDeliveredAt: now, ackLost: false })
      out.push({ id: entry.id, stream: entry.stream, body: entry.body, deliveryCount: 1 })
      n++
    }
    return n
  }

  /**
   * When the next undelivered entry exists but is not visible yet (slow delivery), the broker time at
   * which it becomes visible; otherwise undefined.
   */
  nextVisibleAt(now: number): number | undefined {
    const entry = this.stream.entries[this.cursor]
    return entry !== undefined && entry.visibleAt > now ? entry.visibleAt : undefined
  }

  /** XACK of one id; with `lose` the ack is lost once (the entry stays pending). */
  ack(id: string, lose: boolean): AckOutcome {
    const record = this.pending.get(id)
    if (record === undefined) return "absent"
    if (lose && !record.ackLost) {
      record.ackLost = true
      return "lost"
    }
    this.pending.delete(id)
    return "acked"
  }

  /** Whether an ack of `id` could be lost (pending, never lost before). */
  canLoseAck(id: string): boolean {
    const record = this.pending.get(id)
    return record !== undefined && !record.ackLost
  }

  /**
   * XAUTOCLAIM: hands over to `consumer` up to `limit` pending entries idle for at least `minIdle`,
   * incrementing their delivery count. The result is in stream order.
   */
  claim(consumer: string, minIdle: number, limit: number, now: number): Array<PendingRecord> {
    const claimed: Array<PendingRecord> = []
    for (const record of this.pending.values()) {
      if (claimed.length >= limit || now - record.lastDeliveredAt < minIdle) break
      claimed.push(record)
    }
    for (const record of claimed) {
      this.pending.delete(record.entry.id)
      record.consumer = consumer
      record.deliveryCount++
      record.lastDeliveredAt = now
      this.pending.set(record.entry.id, record)
    }
    if (claimed.length > 1) claimed.sort((a, b) => a.entry.index - b.entry.index)
    return claimed
  }
}
