/**
 * EventTail: the live run's record of published events, read from Redis itself — the harness follows
 * the three event streams (XRANGE from the last entry seen, on its own connection straight to Redis,
 * outside every fault) and records each entry in the history as the simulated world's recording bus
 * does: stream, event id, kind, order, publishing replica, and the time Redis gave the entry. An
 * event is recorded once its XADD succeeded, whatever happens to its publisher afterwards.
 *
 * It also injects the duplicate-delivery fault: while on, each new entry is appended again with
 * probability p (a `dup` field names the original), so every consumer group receives it twice — the
 * at-least-once delivery the services' inboxes must absorb. Copies are not recorded as new events.
 */
import type { Redis } from "ioredis"
import type { History } from "../chaos/history/History.js"
import { Streams } from "../services/ports/EventBus.js"
import { type LiveClock, toScenarioMillis } from "./LiveClock.js"

const eventStreams = [Streams.order, Streams.payment, Streams.make] as const

type Entry = [id: string, fields: Array<string>]

const field = (fields: ReadonlyArray<string>, name: string): string | undefined => {
  for (let i = 0; i + 1 < fields.length; i += 2) if (fields[i] === name) return fields[i + 1]
  return undefined
}

interface EnvelopeHead {
  readonly eventId?: string
  readonly event?: { readonly _tag?: string; readonly orderId?: number }
}

export class EventTail {
  private readonly last = new Map<string, string>(eventStreams.map((s) => [s, "0-0"]))
  private running: Promise<void> = Promise.resolve()
  /** Probability that a new entry is appended again (the duplicate-delivery fault). */
  duplicateProbability = 0
  /** Copies appended so far. */
  duplicates = 0

  constructor(private readonly redis: Redis, private readonly history: History, private readonly clock: LiveClock) {}

  /** Reads and records every entry appended since the last call; calls run one after another. */
  catchUp(): Promise<void> {
    this.running = this.running.then(() => this.readAll(), () => this.readAll())
    return this.running
  }

  private async readAll(): Promise<void> {
    for (const stream of eventStreams) {
      while (true) {
        const entries = await this.redis.xrange(stream, `(${this.last.get(stream)}`, "+", "COUNT", 1000) as Array<Entry>
        if (entries.length === 0) break
        for (const entry of entries) await this.record(stream, entry)
        this.last.set(stream, entries[entries.length - 1]![0])
      }
    }
  }

  private async record(stream: string, [id, fields]: Entry): Promise<void> {
    if (field(fields, "dup") !== undefined) return
    const body = field(fields, "body") ?? ""
    let head: EnvelopeHead
    try {
      head = JSON.parse(body) as EnvelopeHead
    } catch {
      return
    }
    this.history.record({
      t: toScenarioMillis(this.clock.time(), Number(id.split("-")[0])),
      type: "event",
      stream,
      eventId: String(head.eventId),
      kind: String(head.event?._tag),
      orderId: Number(head.event?.orderId),
      pod: field(fields, "pod") ?? "?"
    })
    if (this.duplicateProbability > 0 && Math.random() < this.duplicateProbability) {
      await this.redis.xadd(stream, "*", "body", body, "pod", field(fields, "pod") ?? "?", "dup", id)
      this.duplicates++
    }
  }
}
