/**
 * Siege: the workload, modelled on the seed's `siege -c100 -t60S`. Concurrent simulated users loop
 * until a deadline (or a number of repetitions), each time choosing an operation from a mix —
 * place an order, cancel one of their accepted orders, read an order's mypage — and recording every
 * call in the history as invoke then ok / fail / info (info: no answer, outcome unknown).
 */
import { HttpApiClient, type HttpClient } from "@effect/platform"
import { Effect, Random } from "effect"
import { MenuId } from "../../domain/Ids.js"
import type { OrderId } from "../../domain/Ids.js"
import { Money } from "../../domain/Money.js"
import { MypageApi } from "../../services/mypage/MypageApi.js"
import { OrderApi } from "../../services/order/OrderApi.js"
import { timeoutTo } from "../../services/resilience/Timeout.js"
import type { History, Operation } from "../history/History.js"

export interface SiegeOptions {
  /** Concurrent users (siege -c). Default: 100. */
  readonly users: number
  /** How long users keep sending, in simulated ms (siege -t). Default: 60 000. */
  readonly durationMillis: number
  /** Stop each user after this many operations (siege -r); undefined: until the deadline. Default: undefined. */
  readonly repetitions?: number | undefined
  /** Pause between a user's operations, uniform in [0, thinkMillis] (siege -d). Default: 0. */
  readonly thinkMillis: number
  /** Relative weights of the operations. Default: place only (the seed's siege). */
  readonly mix: { readonly place: number; readonly cancel: number; readonly status: number }
  /** A call with no answer after this long is recorded as info. Default: 30 000 ms (siege's timeout). */
  readonly timeoutMillis: number
  /** Where users send requests. Default: "http://gateway". */
  readonly baseUrl: string
  /** Delay before the first request. Default: 0. */
  readonly startMillis: number
}

export const defaultSiege: SiegeOptions = {
  users: 100,
  durationMillis: 60_000,
  repetitions: undefined,
  thinkMillis: 0,
  mix: { place: 1, cancel: 0, status: 0 },
  timeoutMillis: 30_000,
  baseUrl: "http://gateway",
  startMillis: 0
}

interface Outcome {
  readonly type: "ok" | "fail" | "info"
  readonly status: number
  readonly orderId?: number
  readonly detail?: string
}

const statusOf = (error: unknown): number => {
  const e = error as { _tag?: string; response?: { status?: number } }
  switch (e._tag) {
    case "NotFound":
      return 404
    case "Conflict":
      return 409
    case "Unavailable":
      return 503
    case "HttpApiDecodeError":
      return 400
    case "ResponseError":
      return e.response?.status ?? 0
    default:
      return 0
  }
}

/** A failure with an HTTP status is definite (fail); a transport error or timeout is unknown (info). */
const classify = (error: unknown): Outcome => {
  const status = statusOf(error)
  const e = error as { _tag?: string; message?: string; reason?: string }
  const detail = e.reason ?? e._tag ?? "error"
  return status === 0 || status >= 502 && status !== 503
    ? { type: "info", status, detail }
    : { type: "fail", status, detail }
}

/**
 * Runs the siege through `http`, recording into `history`. With a `seed`, the users' draws (operation,
 * think time, menu) come from their own Random, apart from every other subsystem's.
 */
export const runSiege = (http: HttpClient.HttpClient, history: History, options: Partial<SiegeOptions> = {}, seed?: number) =>
  withSeed(seed, siege(http, history, options))

/** The order and mypage API clients a siege calls through. */
const makeApiClients = (http: HttpClient.HttpClient, baseUrl: string) =>
  Effect.all({
    orders: HttpApiClient.makeWith(OrderApi, { httpClient: http, baseUrl }),
    mypages: HttpApiClient.makeWith(MypageApi, { httpClient: http, baseUrl })
  })
type ApiClients = Effect.Effect.Success<ReturnType<typeof makeApiClients>>

/**
 * API clients by HttpClient and base URL, built once: `HttpApiClient.makeWith` walks an API's
 * endpoints and schemas (about a millisecond for both), and a run's probes call many short sieges
 * through one world's client. The clients hold nothing but that HttpClient and URL.
 */
const apiClientsCache = new WeakMap<HttpClient.HttpClient, Map<string, ApiClients>>()

export const apiClients = (http: HttpClient.HttpClient, baseUrl: string): Effect.Effect<ApiClients> =>
  Effect.suspend(() => {
    const cached = apiClientsCache.get(http)?.get(baseUrl)
    if (cached !== undefined) return Effect.succeed(cached)
    return Effect.map(makeApiClients(http, baseUrl), (clients) => {
      let byUrl = apiClientsCache.get(http)
      if (byUrl === undefined) apiClientsCache.set(http, byUrl = new Map())
      byUrl.set(baseUrl, clients)
      return clients
    })
  })

const withSeed = <A, E, R>(seed: number | undefined, effect: Effect.Effect<A, E, R>) =>
  seed === undefined ? effect : Effect.withRandom(effect, Random.make(seed))

const siege = (http: HttpClient.HttpClient, history: History, options: Partial<SiegeOptions>) =>
  Effect.gen(function*() {
    const o: SiegeOptions = { ...defaultSiege, ...options, mix: { ...defaultSiege.mix, ...options.mix } }
    const { mypages, orders } = yield* apiClients(http, o.baseUrl)
    const start = (yield* Effect.clockWith((c) => c.currentTimeMillis)) + o.startMillis
    const deadline = start + o.durationMillis
    const totalWeight = o.mix.place + o.mix.cancel + o.mix.status
    const now = Effect.clockWith((c) => c.currentTimeMillis)

    const call = (process: number, op: Operation, orderId: number | undefined, effect: Effect.Effect<Outcome>) =>
      Effect.gen(function*() {
        const t0 = yield* now
        history.record(orderId === undefined ? { t: t0, type: "invoke", process, op } : { t: t0, type: "invoke", process, op, orderId })
        const outcome = yield* timeoutTo(effect, {
          duration: o.timeoutMillis,
          onSuccess: (x): Outcome => x,
          onTimeout: (): Outcome => ({ type: "info", status: 0, detail: "timeout" })
        })
        const t1 = yield* now
        const id = outcome.orderId ?? orderId
        history.record({
          t: t1,
          type: outcome.type,
          process,
          op,
          ...(id === undefined ? {} : { orderId: id }),
          status: outcome.status,
          latencyMs: t1 - t0,
          ...(outcome.detail === undefined ? {} : { detail: outcome.detail })
        })
        return outcome
      })

    const user = (process: number) =>
      Effect.gen(function*() {
        const mine: Array<number> = []
        if (o.startMillis > 0) yield* Effect.sleep(o.startMillis)
        for (let i = 0; o.repetitions === undefined || i < o.repetitions; i++) {
          if ((yield* now) >= deadline) break
          const pick = (yield* Random.next) * totalWeight
          const op: Operation = mine.length === 0 || pick < o.mix.place
            ? "place"
            : pick < o.mix.place + o.mix.cancel
            ? "cancel"
            : "status"
          if (op === "place") {
            const menuId = MenuId.make(1 + (yield* Random.nextIntBetween(0, 12)))
            const price = Money.make(1000 + 500 * (yield* Random.nextIntBetween(0, 6)))
            const outcome = yield* call(
              process,
              "place",
              undefined,
              orders.orders.place({ payload: { menuId, price } }).pipe(
                Effect.map((order): Outcome => ({ type: "ok", status: 201, orderId: order.orderId })),
                Effect.catchAll((e) => Effect.succeed(classify(e)))
              )
            )
            if (outcome.type === "ok" && outcome.orderId !== undefined) mine.push(outcome.orderId)
          } else {
            const orderId = mine[yield* Random.nextIntBetween(0, mine.length)]! as OrderId
            if (op === "cancel") {
              yield* call(
                process,
                "cancel",
                orderId,
                orders.orders.cancel({ path: { orderId } }).pipe(
                  Effect.map((): Outcome => ({ type: "ok", status: 202 })),
                  Effect.catchAll((e) => Effect.succeed(classify(e)))
                )
              )
            } else {
              yield* call(
                process,
                "status",
                orderId,
                mypages.mypages.get({ path: { orderId } }).pipe(
                  Effect.map((view): Outcome => ({ type: "ok", status: 200, detail: view.status })),
                  Effect.catchAll((e) => Effect.succeed(classify(e)))
                )
              )
            }
          }
          if (o.thinkMillis > 0) yield* Effect.sleep(yield* Random.nextIntBetween(0, o.thinkMillis + 1))
        }
      })

    yield* Effect.forEach(Array.from({ length: o.users }, (_, i) => i), user, {
      concurrency: "unbounded",
      discard: true
    })
  })
