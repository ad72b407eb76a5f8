/**
 * SimBroker: the in-memory message broker of the simulated world, with Redis Streams semantics
 * (XADD, XGROUP CREATE … MKSTREAM, XREADGROUP … > with COUNT and BLOCK, XACK, XAUTOCLAIM) behind the
 * EventBus port, plus fault hooks (BrokerControl) and read-only views (BrokerInspect).
 *
 * This file owns the assembly: the stream table, broker time, the operations of the port and the
 * counters. The parts live next to it: Stream.ts (entries, ids, slow-delivery visibility),
 * ConsumerGroup.ts (cursor, PEL, claim, lost acks), Waiters.ts (blocked readers), Faults.ts (outage,
 * slow delivery, duplicate delivery), Inspect.ts (views).
 *
 * Determinism: time only from Effect's Clock (the broker's own, as Redis reads its server's clock,
 * when the world gives it one; else the calling fiber's), randomness only from Effect's Random (of
 * the calling fiber), and only while a fault that needs it is on. Broker time is the maximum clock
 * reading seen so far, so ids and idle times never go backwards even if callers' clocks disagree. Nothing iterates in an order that depends on anything but insertion order.
 *
 * Cost: publish and ack are O(1) per entry; read is O(delivered + streams); claim is
 * O(claimed · log claimed) (the PEL is kept in last-delivery order); no array is copied per operation.
 */
import { type Clock, Context, Duration, Effect, Layer, Random } from "effect"
import {
  type BusEntry,
  BusUnavailable,
  EventBus,
  type EventBusShape,
  Streams
} from "../../services/ports/EventBus.js"
import { wakeOrTimeout } from "../kernel/Kernel.js"
import { ConsumerGroup } from "./ConsumerGroup.js"
import {
  type BrokerControl,
  type DeliveryDelay,
  drawDelay,
  FaultState,
  invalidDelay,
  invalidProbability
} from "./Faults.js"
import {
  type BrokerCounters,
  type BrokerInspect,
  type BrokerSnapshot,
  emptyCounters,
  type GroupInfo,
  type PendingInfo
} from "./Inspect.js"
import { SimStream, type StreamEntry } from "./Stream.js"
import { type Waiter, Waiters } from "./Waiters.js"

export type { BrokerControl, DeliveryDelay, FaultSettings } from "./Faults.js"
export type { BrokerCounters, BrokerInspect, BrokerSnapshot, GroupInfo, PendingInfo, StreamInfo } from "./Inspect.js"
export type { StreamEntry } from "./Stream.js"

export interface SimBrokerOptions {
  /** Initial slow-delivery setting (default: none). */
  readonly deliveryDelay?: DeliveryDelay | null
  /** Initial duplicate-delivery probability (default: 0). */
  readonly duplicateProbability?: number
  /** Stream reported by `inspect.deadLetters` (default: Streams.deadLetter). */
  readonly deadLetterStream?: string
  /**
   * Seed of the broker's own Random (delivery delays, lost acks), apart from its callers'. Default:
   * none: draws come from the calling fiber's Random.
   */
  readonly seed?: number
  /**
   * The broker's own clock (Redis's server clock): ids and idle times are read from it, so a caller
   * whose clock is skewed cannot move broker time. Default: none: the calling fiber's clock.
   */
  readonly clock?: Clock.Clock
}

export interface SimBrokerShape {
  readonly bus: EventBusShape
  readonly control: BrokerControl
  readonly inspect: BrokerInspect
}

/** The whole broker (bus + control + inspect), for the world and the chaos layer. */
export class SimBroker extends Context.Tag("starcoffee/sim/SimBroker")<SimBroker, SimBrokerShape>() {}

type Step =
  | { readonly _tag: "Done"; readonly entries: ReadonlyArray<BusEntry> }
  | { readonly _tag: "Down" }
  | { readonly _tag: "Wait"; readonly waiter: Waiter; readonly millis: number }

const DOWN: Step = { _tag: "Down" }
const NOTHING: Step = { _tag: "Done", entries: [] }

/** Builds a broker synchronously. Throws on invalid options. */
export const unsafeMake = (options: SimBrokerOptions = {}): SimBrokerShape => {
  const random = options.seed === undefined ? undefined : Random.make(options.seed)
  const draw = <A>(effect: Effect.Effect<A>): Effect.Effect<A> => (random ? Effect.withRandom(effect, random) : effect)
  const faults = new FaultState()
  const initialDelay = options.deliveryDelay ?? null
  const initialP = options.duplicateProbability ?? 0
  const badOption = invalidDelay(initialDelay) ?? invalidProbability(initialP)
  if (badOption !== undefined) throw new Error(`SimBroker: ${badOption}`)
  faults.deliveryDelay = initialDelay
  faults.duplicateProbability = initialP
  const deadLetterStream = options.deadLetterStream ?? Streams.deadLetter

  const streams = new Map<string, SimStream>()
  const waiters = new Waiters()
  const counters = emptyCounters()
  let brokerNow = -Infinity

  /** Broker time: never goes backwards. */
  const tick = (clockMillis: number): number => {
    if (clockMillis > brokerNow) brokerNow = clockMillis
    return brokerNow
  }
  const own = options.clock
  const withNow = <A, E>(f: (now: number) => Effect.Effect<A, E>): Effect.Effect<A, E> =>
    own
      ? Effect.suspend(() => f(tick(own.unsafeCurrentTimeMillis())))
      : Effect.clockWith((clock) => f(tick(clock.unsafeCurrentTimeMillis())))

  const unavailable = (command: string): Effect.Effect<never, BusUnavailable> => {
    counters.rejected++
    return Effect.fail(new BusUnavailable({ reason: `broker outage (${command})` }))
  }
  const noGroup = (stream: string, group: string, command: string): Effect.Effect<never, BusUnavailable> =>
    Effect.fail(
      new BusUnavailable({
        reason: `NOGROUP No such key '${stream}' or consumer group '${group}' in ${command}`
      })
    )

  const streamOf = (name: string): SimStream => {
    let stream = streams.get(name)
    if (stream === undefined) {
      stream = new SimStream(name)
      streams.set(name, stream)
    }
    return stream
  }
  const groupOf = (stream: string, group: string): ConsumerGroup | undefined => streams.get(stream)?.groups.get(group)

  const toBusEntry = (entry: StreamEntry, deliveryCount: number): BusEntry => ({
    id: entry.id,
    stream: entry.stream,
    body: entry.body,
    deliveryCount
  })

  // ---------------------------------------------------------------- XADD

  const append = (stream: string, body: string, delayMillis: number): Effect.Effect<string, BusUnavailable> =>
    withNow((now) => {
      if (faults.outage) return unavailable("XADD")
      const target = streamOf(stream)
      const entry = target.append(now, body, delayMillis)
      counters.published++
      waiters.wakeStream(target)
      return Effect.succeed(entry.id)
    })

  const publish: EventBusShape["publish"] = (stream, body) =>
    Effect.suspend(() => {
      if (faults.outage) return unavailable("XADD")
      const delay = faults.deliveryDelay
      return delay === null
        ? append(stream, body, 0)
        : Effect.flatMap(draw(drawDelay(delay)), (drawn) => append(stream, body, drawn))
    })

  // ---------------------------------------------------------------- XGROUP CREATE … 0 MKSTREAM

  const ensureGroup: EventBusShape["ensureGroup"] = (stream, group) =>
    Effect.suspend(() => {
      if (faults.outage) return unavailable("XGROUP CREATE")
      const target = streamOf(stream)
      if (!target.groups.has(group)) target.groups.set(group, new ConsumerGroup(group, target))
      return Effect.void
    })

  // ---------------------------------------------------------------- XREADGROUP … >

  const read: EventBusShape["read"] = (options) =>
    Effect.suspend(() => {
      if (faults.outage) return unavailable("XREADGROUP")
      const groups: Array<ConsumerGroup> = []
      for (const name of options.streams) {
        const group = groupOf(name, options.group)
        if (group === undefined) return noGroup(name, options.group, "XREADGROUP with GROUP option")
        if (!groups.includes(group)) groups.push(group)
      }
      const consumer = options.consumer
      const limit = options.count > 0 ? options.count : Infinity
      const blockMillis = Math.max(0, Duration.toMillis(options.block))
      const watched = groups.map((group) => group.stream)
      let deadline = NaN

      // Check, deliver or register a waiter, all in one synchronous step (no publish can slip between).
      const attempt = (now: number): Step => {
        if (faults.outage) return DOWN
        if (Number.isNaN(deadline)) deadline = now + blockMillis
        const out: Array<BusEntry> = []
        for (const group of groups) group.deliver(consumer, limit, now, out)
        if (out.length > 0) {
          counters.delivered += out.length
          return { _tag: "Done", entries: out }
        }
        let millis = deadline - now
        if (!(millis > 0)) return NOTHING
        for (const group of groups) {
          const visibleAt = group.nextVisibleAt(now)
          if (visibleAt !== undefined && visibleAt - now < millis) millis = visibleAt - now
        }
        return { _tag: "Wait", waiter: waiters.register(watched), millis }
      }
      // Woken by an append to a watched stream or an outage (which unregisters the waiter), or by the
      // timer or an interruption (which unregister it here; see wakeOrTimeout); then check again. On the
      // kernel's clock the wait is one raw timer and one async wait: no racing fibers, no finalizer.
      const wait = (waiter: Waiter, millis: number): Effect.Effect<boolean> =>
        wakeOrTimeout(millis, (wake) =>
          waiter.listen(wake)
            ? () => {
              waiter.unlisten()
              waiters.unregister(waiter)
            }
            : undefined)
      const again = (): Effect.Effect<ReadonlyArray<BusEntry>, BusUnavailable> => loop
      const loop: Effect.Effect<ReadonlyArray<BusEntry>, BusUnavailable> = withNow((now) => {
        const step = attempt(now)
        switch (step._tag) {
          case "Done":
            return Effect.succeed(step.entries)
          case "Down":
            return unavailable("XREADGROUP")
          case "Wait":
            return Effect.flatMap(wait(step.waiter, step.millis), again)
        }
      })
      return loop
    })

  // ---------------------------------------------------------------- XACK

  const applyAck = (group: ConsumerGroup, ids: ReadonlyArray<string>, lose: (id: string) => boolean): void => {
    const seen = ids.length > 1 ? new Set<string>() : undefined
    for (const id of ids) {
      if (seen !== undefined) {
        if (seen.has(id)) continue
        seen.add(id)
      }
      const outcome = group.ack(id, lose(id))
      if (outcome === "acked") counters.acked++
      else if (outcome === "lost") counters.ackLost++
    }
  }

  const ack: EventBusShape["ack"] = (stream, group, ids) =>
    Effect.suspend(() => {
      if (faults.outage) return unavailable("XACK")
      const target = groupOf(stream, group)
      if (target === undefined || ids.length === 0) return Effect.void
      const p = faults.duplicateProbability
      if (p <= 0 || p >= 1) {
        const lose = p >= 1
        applyAck(target, ids, () => lose)
        return Effect.void
      }
      // One draw per distinct id whose ack could be lost, in the order given.
      const candidates = Array.from(new Set(ids)).filter((id) => target.canLoseAck(id))
      if (candidates.length === 0) {
        applyAck(target, ids, () => false)
        return Effect.void
      }
      return Effect.flatMap(draw(Effect.forEach(candidates, () => Random.next)), (draws) => {
        if (faults.outage) return unavailable("XACK")
        const lost = new Set<string>()
        for (let i = 0; i < candidates.length; i++) if (draws[i]! < p) lost.add(candidates[i]!)
        applyAck(target, ids, (id) => lost.has(id))
        return Effect.void
      })
    })

  // ---------------------------------------------------------------- XAUTOCLAIM

  const claimIdle: EventBusShape["claimIdle"] = (options) =>
    withNow((now) => {
      if (faults.outage) return unavailable("XAUTOCLAIM")
      const group = groupOf(options.stream, options.group)
      if (group === undefined) return noGroup(options.stream, options.group, "XAUTOCLAIM")
      const minIdle = Math.max(0, Duration.toMillis(options.minIdle))
      const limit = options.count > 0 ? options.count : Infinity
      const claimed = group.claim(options.consumer, minIdle, limit, now)
      counters.redelivered += claimed.length
      return Effect.succeed(claimed.map((record) => toBusEntry(record.entry, record.deliveryCount)))
    })

  const bus: EventBusShape = { publish, ensureGroup, read, ack, claimIdle }

  // ---------------------------------------------------------------- control

  const control: BrokerControl = {
    setOutage: (down) =>
      Effect.sync(() => {
        faults.outage = down
        if (down) waiters.wakeAll()
      }),
    setDeliveryDelay: (delay) =>
      Effect.suspend(() => {
        const problem = invalidDelay(delay)
        if (problem !== undefined) return Effect.dieMessage(`SimBroker: ${problem}`)
        faults.deliveryDelay = delay
        return Effect.void
      }),
    setDuplicateProbability: (p) =>
      Effect.suspend(() => {
        const problem = invalidProbability(p)
        if (problem !== undefined) return Effect.dieMessage(`SimBroker: ${problem}`)
        faults.duplicateProbability = p
        return Effect.void
      }),
    settings: Effect.sync(() => faults.snapshot())
  }

  // ---------------------------------------------------------------- inspect

  const pendingInfo = (group: ConsumerGroup): Array<PendingInfo> =>
    Array.from(group.pending.values(), (record) => ({
      id: record.entry.id,
      consumer: record.consumer,
      deliveryCount: record.deliveryCount,
      lastDeliveredAt: record.lastDeliveredAt
    }))

  const groupInfo = (group: ConsumerGroup): GroupInfo => {
    const byConsumer: Record<string, number> = {}
    for (const record of group.pending.values()) byConsumer[record.consumer] = (byConsumer[record.consumer] ?? 0) + 1
    return {
      group: group.name,
      pending: group.pending.size,
      lag: group.lag,
      lastDeliveredId: group.cursor > 0 ? group.stream.entries[group.cursor - 1]!.id : "0-0",
      pendingByConsumer: byConsumer
    }
  }

  const snapshot = (): BrokerSnapshot => {
    let totalPending = 0
    let totalLag = 0
    const infos = Array.from(streams.values(), (stream) => {
      const groups = Array.from(stream.groups.values(), groupInfo)
      for (const group of groups) {
        totalPending += group.pending
        totalLag += group.lag
      }
      return { stream: stream.name, length: stream.entries.length, groups }
    })
    return {
      streams: infos,
      counters: { ...counters },
      totalPending,
      totalLag,
      blockedReaders: waiters.size,
      faults: faults.snapshot()
    }
  }

  const inspect: BrokerInspect = {
    snapshot: Effect.sync(snapshot),
    counters: Effect.sync((): Readonly<BrokerCounters> => ({ ...counters })),
    streamLength: (stream) => Effect.sync(() => streams.get(stream)?.entries.length ?? 0),
    pendingCount: (stream, group) => Effect.sync(() => groupOf(stream, group)?.pending.size ?? 0),
    lag: (stream, group) => Effect.sync(() => groupOf(stream, group)?.lag ?? 0),
    pending: (stream, group) =>
      Effect.sync(() => {
        const target = groupOf(stream, group)
        return target === undefined ? [] : pendingInfo(target)
      }),
    entries: (stream) => Effect.sync(() => streams.get(stream)?.entries.slice() ?? []),
    deadLetters: Effect.sync(() => streams.get(deadLetterStream)?.entries.slice() ?? []),
    blockedReaders: Effect.sync(() => waiters.size)
  }

  return { bus, control, inspect }
}

/** Builds a broker. Dies on invalid options. */
export const make = (options?: SimBrokerOptions): Effect.Effect<SimBrokerShape> =>
  Effect.sync(() => unsafeMake(options))

/** A fresh broker as both the EventBus port and the SimBroker service (control + inspect). */
export const layer = (options?: SimBrokerOptions): Layer.Layer<EventBus | SimBroker> =>
  Layer.effectContext(
    Effect.map(make(options), (broker) => Context.make(SimBroker, broker).pipe(Context.add(EventBus, broker.bus)))
  )
