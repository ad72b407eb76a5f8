/**
 * RedisEventBus: the EventBus port over real Redis Streams (ioredis) — XADD, XGROUP CREATE …
 * MKSTREAM, XREADGROUP … > with COUNT and BLOCK, XACK, XAUTOCLAIM — the live counterpart of the
 * simulated broker (sim/broker), with the same contract (services/ports/EventBus.ts).
 *
 * Connections: one for the quick commands, and one per blocking read in flight (a connection blocked
 * in XREADGROUP … BLOCK answers nothing else), kept for reuse. While Redis cannot be reached (the
 * broker outage fault disables the Toxiproxy proxy in front of it) every command fails with
 * BusUnavailable as soon as the connection attempt it waits for fails — nothing is kept for later —
 * and ioredis keeps reconnecting in the background.
 *
 * Entries carry two fields: `body` (the JSON text) and `pod` (the publishing replica, so the harness
 * can attribute events in the run's history). Durations the services pass (BLOCK, min-idle) are in
 * scenario ms and are converted with the run's time scale; Redis counts real ms.
 */
import { Duration, Effect, type Scope } from "effect"
import { Redis } from "ioredis"
import { type BusEntry, BusUnavailable, type EventBusShape } from "../services/ports/EventBus.js"
import { type TimeBase, toRealMillis } from "./LiveClock.js"

export interface RedisBusOptions {
  /** redis://127.0.0.1:PORT — in a live run, the Toxiproxy proxy in front of Redis. */
  readonly url: string
  /** The publishing replica, written with every entry. */
  readonly pod: string
  readonly time: TimeBase
  /** A quick command with no answer after this long (real ms) fails. Default: 10 000. */
  readonly commandTimeoutMillis?: number
  /** Delay between reconnection attempts (real ms). Default: 100. */
  readonly reconnectMillis?: number
}

type StreamReply = Array<[id: string, fields: Array<string>]>

const fieldOf = (fields: ReadonlyArray<string>, name: string): string | undefined => {
  for (let i = 0; i + 1 < fields.length; i += 2) if (fields[i] === name) return fields[i + 1]
  return undefined
}

const toEntries = (stream: string, reply: StreamReply, counts?: ReadonlyMap<string, number>): Array<BusEntry> =>
  reply.filter((item) => item !== null).map(([id, fields]) => ({
    id,
    stream,
    body: fieldOf(fields, "body") ?? "",
    deliveryCount: counts?.get(id) ?? 1
  }))

const unavailable = (command: string) => (error: unknown) =>
  new BusUnavailable({ reason: `${command}: ${(error as Error)?.message ?? String(error)}` })

/** A Redis command as an Effect; the command cannot be withdrawn once sent, only its answer ignored. */
const command = <A>(name: string, run: () => Promise<A>): Effect.Effect<A, BusUnavailable> =>
  Effect.tryPromise({ try: run, catch: unavailable(name) })

export const makeRedisEventBus = (options: RedisBusOptions): Effect.Effect<EventBusShape, never, Scope.Scope> =>
  Effect.gen(function*() {
    const connect = (name: string, commandTimeout: number | undefined) => {
      const redis = new Redis(options.url, {
        connectionName: `${options.pod}:${name}`,
        // A command sent while (re)connecting waits for that attempt; if it fails, so does the command.
        enableOfflineQueue: true,
        maxRetriesPerRequest: 0,
        autoResendUnfulfilledCommands: false,
        retryStrategy: () => options.reconnectMillis ?? 100,
        ...(commandTimeout === undefined ? {} : { commandTimeout })
      })
      // Connection errors are expected during outages; commands report them as BusUnavailable.
      redis.on("error", () => {})
      return redis
    }
    const quick = connect("quick", options.commandTimeoutMillis ?? 10_000)
    const idle: Array<Redis> = []
    const all = new Set<Redis>([quick])
    yield* Effect.addFinalizer(() => Effect.sync(() => all.forEach((redis) => redis.disconnect())))

    /** A blocking XREADGROUP on its own connection; interrupting it drops the connection. */
    const blockingRead = (args: ReadonlyArray<string | number>, blockMillis: number) =>
      Effect.async<Array<[string, StreamReply]> | null, BusUnavailable>((resume) => {
        const redis = idle.pop() ?? connect("read", undefined)
        all.add(redis)
        let settled = false
        const drop = () => {
          all.delete(redis)
          redis.disconnect()
        }
        // A read that outlives its BLOCK by far is stuck on a dead link: give the connection up.
        const guard = setTimeout(() => {
          if (settled) return
          settled = true
          drop()
          resume(Effect.fail(new BusUnavailable({ reason: "XREADGROUP: no answer" })))
        }, blockMillis + (options.commandTimeoutMillis ?? 10_000))
        ;(redis.xreadgroup as (...a: Array<string | number>) => Promise<unknown>)(...args).then(
          (reply) => {
            if (settled) return
            settled = true
            clearTimeout(guard)
            idle.push(redis)
            resume(Effect.succeed(reply as Array<[string, StreamReply]> | null))
          },
          (error) => {
            if (settled) return
            settled = true
            clearTimeout(guard)
            drop()
            resume(Effect.fail(unavailable("XREADGROUP")(error)))
          }
        )
        return Effect.sync(() => {
          if (settled) return
          settled = true
          clearTimeout(guard)
          drop()
        })
      })

    const publish: EventBusShape["publish"] = (stream, body) =>
      command("XADD", () => quick.xadd(stream, "*", "body", body, "pod", options.pod)).pipe(
        Effect.map((id) => id ?? "")
      )

    const ensureGroup: EventBusShape["ensureGroup"] = (stream, group) =>
      Effect.tryPromise({
        try: () => quick.xgroup("CREATE", stream, group, "0", "MKSTREAM"),
        catch: (error) => error
      }).pipe(
        Effect.asVoid,
        Effect.catchAll((error) =>
          String((error as Error)?.message).startsWith("BUSYGROUP") ? Effect.void : Effect.fail(unavailable("XGROUP CREATE")(error))
        )
      )

    const read: EventBusShape["read"] = ({ group, consumer, streams, count, block }) =>
      Effect.suspend(() => {
        const requested = Duration.toMillis(block)
        const blockMillis = requested > 0 ? Math.max(1, toRealMillis(options.time, requested)) : 0
        const args: Array<string | number> = ["GROUP", group, consumer, "COUNT", count]
        if (blockMillis > 0) args.push("BLOCK", blockMillis)
        args.push("STREAMS", ...streams, ...streams.map(() => ">"))
        const reply = blockMillis > 0
          ? blockingRead(args, blockMillis)
          : command("XREADGROUP", () => (quick.xreadgroup as (...a: Array<string | number>) => Promise<unknown>)(...args))
        return Effect.map(reply, (streamsReply) =>
          (streamsReply as Array<[string, StreamReply]> | null ?? []).flatMap(([stream, entries]) => toEntries(stream, entries)))
      })

    const ack: EventBusShape["ack"] = (stream, group, ids) =>
      ids.length === 0 ? Effect.void : Effect.asVoid(command("XACK", () => quick.xack(stream, group, ...ids)))

    /** Delivery counts of entries this consumer now holds (XAUTOCLAIM does not report them). */
    const deliveryCounts = (stream: string, group: string, consumer: string, ids: ReadonlyArray<string>) =>
      command("XPENDING", () =>
        quick.xpending(stream, group, ids[0]!, ids[ids.length - 1]!, ids.length + 1000, consumer) as Promise<
          Array<[string, string, number, number]>
        >).pipe(Effect.map((rows) => new Map(rows.map(([id, , , deliveries]) => [id, Number(deliveries)]))))

    const claimIdle: EventBusShape["claimIdle"] = ({ stream, group, consumer, minIdle, count }) =>
      Effect.gen(function*() {
        const minIdleMillis = toRealMillis(options.time, Duration.toMillis(minIdle))
        const reply = yield* command("XAUTOCLAIM", () =>
          quick.xautoclaim(stream, group, consumer, minIdleMillis, "0-0", "COUNT", count) as Promise<[string, StreamReply]>)
        const claimed = (reply?.[1] ?? []).filter((item) => item !== null)
        if (claimed.length === 0) return []
        const ids = claimed.map(([id]) => id).sort(compareIds)
        const counts = yield* deliveryCounts(stream, group, consumer, ids)
        return toEntries(stream, claimed, counts)
      })

    return { publish, ensureGroup, read, ack, claimIdle }
  })

/** Orders stream entry ids ("<ms>-<seq>") as Redis does. */
export const compareIds = (a: string, b: string): number => {
  const [am, as] = a.split("-").map(Number) as [number, number]
  const [bm, bs] = b.split("-").map(Number) as [number, number]
  return am !== bm ? am - bm : as - bs
}
