/**
 * Test support: runs an Effect program against a fresh simulated world inside the deterministic
 * kernel, and small helpers for raw HTTP through the simulated network and for reading the history.
 */
import { HttpClientRequest, type HttpClient } from "@effect/platform"
import { Cause, Effect, Exit, type Scope } from "effect"
import type { HistoryEntry } from "../../src/chaos/history/History.js"
import { Kernel } from "../../src/sim/kernel/Kernel.js"
import type { ServiceName } from "../../src/services/ports/ServiceDirectory.js"
import { SimWorld, type WorldOptions } from "../../src/sim/world/SimWorld.js"

export interface RunOptions {
  /** Seed of the world's Random. Default: 1. */
  readonly seed?: number
  /** Options of SimWorld.make. Default: the seed's defaults. */
  readonly world?: WorldOptions
}

/**
 * Builds a SimWorld, runs `body` against it and returns its result. Throws (failing the test) when the
 * program fails, dies, or the kernel does not complete (deadlock, limits).
 */
export const runInWorld = <A, E>(
  body: (world: SimWorld) => Effect.Effect<A, E, Scope.Scope>,
  options: RunOptions = {}
): A => {
  const seed = options.seed ?? 1
  const kernel = new Kernel({ seed })
  const program = Effect.scoped(Effect.flatMap(SimWorld.make(options.world), body))
  const result = kernel.run(Effect.withTracerEnabled(program, false), { seed })
  kernel.shutdown()
  if (result._tag !== "Completed") {
    const extra = result._tag === "Deadlock" ? `: ${result.blocked.slice(0, 5).join("; ")}` : ""
    throw new Error(`kernel stopped with ${result._tag} at ${result.nowMillis} ms${extra}`)
  }
  if (Exit.isFailure(result.exit)) throw new Error(`program failed: ${Cause.pretty(result.exit.cause)}`)
  return result.exit.value
}

/** Virtual time now. */
export const now = Effect.clockWith((c) => c.currentTimeMillis)

export interface RawResponse {
  readonly status: number
  readonly text: string
  /** The body parsed as JSON, or undefined when it is not JSON. */
  readonly json: any
}

/** Sends a raw request (body given as text, sent as application/json) and reads the whole answer. */
export const raw = (
  http: HttpClient.HttpClient,
  method: "GET" | "POST" | "PUT" | "DELETE",
  url: string,
  body?: string
): Effect.Effect<RawResponse> =>
  Effect.gen(function*() {
    let request = HttpClientRequest.make(method)(url)
    if (body !== undefined) request = HttpClientRequest.bodyText(request, body, "application/json")
    const response = yield* http.execute(request)
    const text = yield* response.text
    let json: any = undefined
    try {
      json = JSON.parse(text)
    } catch {
      json = undefined
    }
    return { status: response.status, text, json }
  }).pipe(Effect.orDie)

/** POST a JSON value (or raw text when a string is given). */
export const postJson = (http: HttpClient.HttpClient, url: string, body: unknown) =>
  raw(http, "POST", url, typeof body === "string" ? body : JSON.stringify(body))

/** The published domain events of the history, optionally of one order and/or one kind. */
export const eventsOf = (
  entries: ReadonlyArray<HistoryEntry>,
  filter: { readonly orderId?: number; readonly kind?: string } = {}
) =>
  entries.filter((e): e is Extract<HistoryEntry, { type: "event" }> =>
    e.type === "event" &&
    (filter.orderId === undefined || e.orderId === filter.orderId) &&
    (filter.kind === undefined || e.kind === filter.kind)
  )

/** Paths named by an HttpApiDecodeError body (`issues[].path`), each joined with ".". */
export const issuePaths = (json: any): Array<string> =>
  Array.isArray(json?.issues) ? json.issues.map((i: any) => (i.path ?? []).join(".")) : []

/** Polls `condition` every `everyMillis` of virtual time until it holds; dies after `withinMillis`. */
export const waitUntil = (
  what: string,
  condition: Effect.Effect<boolean>,
  options: { readonly everyMillis?: number; readonly withinMillis?: number } = {}
): Effect.Effect<number> =>
  Effect.gen(function*() {
    const every = options.everyMillis ?? 100
    const start = yield* now
    const deadline = start + (options.withinMillis ?? 120_000)
    while (!(yield* condition)) {
      if ((yield* now) >= deadline) return yield* Effect.dieMessage(`timed out waiting until ${what}`)
      yield* Effect.sleep(every)
    }
    return (yield* now) - start
  })

/** Scales a service to 0 and waits until its last pod has terminated (no worker of it runs any more). */
export const takeDown = (world: SimWorld, service: ServiceName) =>
  Effect.zipRight(
    world.cluster.scale(service, 0),
    waitUntil(`${service} is down`, Effect.sync(() => world.cluster.allPodsOf(service).length === 0))
  )

/** Scales a service back to `replicas` and waits until one of its pods is ready. */
export const bringUp = (world: SimWorld, service: ServiceName, replicas = 1) =>
  Effect.zipRight(
    world.cluster.scale(service, replicas),
    waitUntil(`${service} is ready`, Effect.map(world.cluster.directory.endpoints(service), (e) => e.length > 0))
  )
