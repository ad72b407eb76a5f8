/**
 * Stream: one append-only stream of the simulated broker (the XADD side of Redis Streams).
 *
 * Owns the entries array, entry ids ("<ms>-<seq>", monotonic like `XADD *`: when the clock has not
 * advanced past the last id's milliseconds the sequence is bumped), the stream's consumer groups and
 * the readers currently blocked on it.
 *
 * Fault modelled here: slow delivery. Every entry carries `visibleAt`; an entry is readable only from
 * that (broker) time on. Groups read a stream strictly in order, so a slow entry also holds back the
 * entries behind it (per-stream order is never broken by the delay).
 */
import type { ConsumerGroup } from "./ConsumerGroup.js"
import type { Waiter } from "./Waiters.js"

/** One stored stream entry. */
export interface StreamEntry {
  /** Position in the stream (0-based); entries are never removed, so this is stable. */
  readonly index: number
  /** "<ms>-<seq>" */
  readonly id: string
  readonly stream: string
  /** JSON text, as published. */
  readonly body: string
  /** Broker time of the XADD. */
  readonly publishedAt: number
  /** Broker time from which the entry may be delivered (publishedAt + drawn delivery delay). */
  readonly visibleAt: number
}

export class SimStream {
  readonly entries: Array<StreamEntry> = []
  readonly groups = new Map<string, ConsumerGroup>()
  /** Readers blocked in XREADGROUP on this stream; woken by every append. */
  readonly waiters = new Set<Waiter>()
  private lastMs = -1
  private lastSeq = -1

  constructor(readonly name: string) {}

  /** The id XADD * would assign at `now` (milliseconds, possibly fractional). */
  private nextId(now: number): string {
    const ms = Math.floor(now)
    if (ms > this.lastMs) {
      this.lastMs = ms
      this.lastSeq = 0
    } else {
      this.lastSeq++
    }
    return `${this.lastMs}-${this.lastSeq}`
  }

  append(now: number, body: string, delayMillis: number): StreamEntry {
    const entry: StreamEntry = {
      index: this.entries.length,
      id: this.nextId(now),
      stream: this.name,
      body,
      publishedAt: now,
      visibleAt: now + delayMillis
    }
    this.entries.push(entry)
    return entry
  }
}
