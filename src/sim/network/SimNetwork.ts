/**
 * The simulated network: HTTP between nodes (pods and workload clients) over links between node
 * groups (a service name, or "client"), carrying in-memory requests to the target pod's real HttpApi
 * handlers and the answers back.
 *
 * Faults modelled, per directed link (turmoil's verbs): latency (a distribution per direction),
 * drop (a request lost with a probability), partition (symmetric or one-way: nothing crosses),
 * hold / release (messages wait on the link until released). A lost request or answer is never
 * answered: the caller sees exactly what it would over a socket — its own timeout. A request to a
 * host with no running pod fails at once with a transport error (connection refused), and one to a
 * pod that dies meanwhile with a connection reset.
 */
import { HttpClientError, type HttpClientRequest, type HttpClientResponse, type HttpServerResponse } from "@effect/platform"
import { Deferred, Effect, Random } from "effect"
import { type Distribution, sample, uniform } from "../../services/Distribution.js"
import { makeClient, toClientResponse, toServerRequest } from "../../services/http/InMemoryHttp.js"
import { suspendForever } from "../kernel/SuspendForever.js"
import type { ConnectionReset, Resolver } from "./Endpoint.js"

export interface NetworkOptions {
  /** One-way latency of every link unless a fault overrides it. Default: uniform 1–3 ms. */
  readonly defaultLatency?: Distribution
  /**
   * Seed of the network's own Random (latencies, losses), apart from the callers'. Default: none:
   * draws come from the calling fiber's Random.
   */
  readonly seed?: number
}

interface LinkState {
  latency: Distribution | undefined
  dropProbability: number
  partitioned: boolean
  held: Deferred.Deferred<void> | undefined
}

const linkKey = (from: string, to: string) => `${from}>${to}`

/** A message that never arrives. */
const lost = suspendForever

export interface NetworkCounters {
  requests: number
  refused: number
  dropped: number
  partitioned: number
  reset: number
}

export class SimNetwork {
  private readonly links = new Map<string, LinkState>()
  private resolver: Resolver = () => undefined
  private readonly defaultLatency: Distribution
  readonly counters: NetworkCounters = { requests: 0, refused: 0, dropped: 0, partitioned: 0, reset: 0 }

  private readonly random: Random.Random | undefined

  constructor(options: NetworkOptions = {}) {
    this.defaultLatency = options.defaultLatency ?? uniform(1, 3)
    this.random = options.seed === undefined ? undefined : Random.make(options.seed)
  }

  /** Draws from the network's Random (or the caller's when the network has none). */
  private draw<A>(effect: Effect.Effect<A>): Effect.Effect<A> {
    return this.random ? Effect.withRandom(effect, this.random) : effect
  }

  setResolver(resolver: Resolver): void {
    this.resolver = resolver
  }

  private link(from: string, to: string): LinkState {
    const key = linkKey(from, to)
    let state = this.links.get(key)
    if (!state) {
      state = { latency: undefined, dropProbability: 0, partitioned: false, held: undefined }
      this.links.set(key, state)
    }
    return state
  }

  // ---- faults -----------------------------------------------------------------------------

  /** Nothing crosses between a and b, in either direction. */
  partition(a: string, b: string): void {
    this.link(a, b).partitioned = true
    this.link(b, a).partitioned = true
  }
  /** Nothing crosses from `from` to `to`; the other direction still works. */
  partitionOneWay(from: string, to: string): void {
    this.link(from, to).partitioned = true
  }
  /** Heals a partition in both directions. */
  repair(a: string, b: string): void {
    this.link(a, b).partitioned = false
    this.link(b, a).partitioned = false
  }
  setLatency(from: string, to: string, latency: Distribution | undefined): void {
    this.link(from, to).latency = latency
  }
  setDropProbability(from: string, to: string, probability: number): void {
    this.link(from, to).dropProbability = Math.min(1, Math.max(0, probability))
  }
  /** Messages from `from` to `to` wait on the link until `release`. */
  hold(from: string, to: string): Effect.Effect<void> {
    const link = this.link(from, to)
    if (link.held) return Effect.void
    return Effect.map(Deferred.make<void>(), (latch) => {
      link.held = latch
    })
  }
  release(from: string, to: string): Effect.Effect<void> {
    const link = this.link(from, to)
    const latch = link.held
    link.held = undefined
    return latch ? Deferred.succeed(latch, undefined).pipe(Effect.asVoid) : Effect.void
  }
  /** Every link back to healthy defaults. */
  healAll(): Effect.Effect<void> {
    return Effect.forEach([...this.links.values()], (link) => {
      link.partitioned = false
      link.dropProbability = 0
      link.latency = undefined
      const latch = link.held
      link.held = undefined
      return latch ? Deferred.succeed(latch, undefined) : Effect.void
    }, { discard: true })
  }

  // ---- transport --------------------------------------------------------------------------

  /** One trip over a directed link: held, lost (never returns) or delayed. */
  private traverse(from: string, to: string): Effect.Effect<void> {
    const link = this.links.get(linkKey(from, to))
    const latency = link?.latency ?? this.defaultLatency
    if (link === undefined) return this.delay(latency)
    return Effect.gen(this, function*() {
      if (link.held) yield* Deferred.await(link.held)
      if (link.partitioned) {
        this.counters.partitioned++
        return yield* lost
      }
      if (link.dropProbability > 0 && (yield* this.draw(Random.next)) < link.dropProbability) {
        this.counters.dropped++
        return yield* lost
      }
      yield* this.delay(latency)
    })
  }

  /** Sleeps one latency drawn from the network's Random (the same draw as `sample`, without scoping). */
  private delay(latency: Distribution): Effect.Effect<void> {
    const random = this.random
    if (random === undefined) return Effect.flatMap(sample(latency), sleepMillis)
    switch (latency._tag) {
      case "Constant":
        return Effect.sleep(latency.millis)
      case "Uniform":
        return latency.maxMillis <= latency.minMillis
          ? Effect.sleep(latency.minMillis)
          : Effect.flatMap(
            random.nextIntBetween(Math.floor(latency.minMillis), Math.floor(latency.maxMillis) + 1),
            sleepMillis
          )
    }
  }

  /** The HttpClient of a node in group `from` (a service name, or "client"). */
  clientFor(from: string) {
    return makeClient((request, url) => this.send(from, request, url))
  }

  private send(
    from: string,
    request: HttpClientRequest.HttpClientRequest,
    url: URL
  ): Effect.Effect<HttpClientResponse.HttpClientResponse, HttpClientError.RequestError> {
    // Called when the request is executed (makeClient's dispatch): nothing to suspend.
    this.counters.requests++
    const host = url.hostname
    const target = this.resolver(host)
    if (target === undefined) {
      return Effect.zipRight(
        this.traverse(from, host),
        Effect.suspend(() => {
          this.counters.refused++
          return Effect.fail(
            new HttpClientError.RequestError({ request, reason: "Transport", description: `connection refused: ${host}` })
          )
        })
      )
    }
    const reset = (error: ConnectionReset) => {
      this.counters.reset++
      return Effect.fail(
        new HttpClientError.RequestError({ request, reason: "Transport", description: `${error.reason}: ${host}` })
      )
    }
    const back = (response: HttpServerResponse.HttpServerResponse) =>
      Effect.map(this.traverse(target.service, from), () => toClientResponse(request, response))
    return Effect.flatMap(
      this.traverse(from, target.service),
      () => Effect.flatMap(Effect.catchAll(target.serve(toServerRequest(request, url, { remoteAddress: from })), reset), back)
    )
  }
}

const sleepMillis = (millis: number): Effect.Effect<void> => Effect.sleep(millis)
