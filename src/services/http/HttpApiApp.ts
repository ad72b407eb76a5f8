/**
 * Turns a service's HttpApi layer into a plain HttpApp for one pod. The API's router, middleware and
 * handlers hold no per-pod state (every handler takes its ports from the request's context), so they
 * are built once per process and shared by every pod of the service; what a pod owns (order's
 * PaymentGateway with its breaker and bulkhead) is a per-pod layer, built in the pod's scope. The
 * pod's app closes over the pod's ports, its per-pod services and the shared router. Worlds then hand
 * the app requests — in memory in the sim world, from a Node server in the live world.
 */
import { HttpApiBuilder, type HttpApi, type HttpApp, HttpServer, HttpServerError, HttpServerResponse } from "@effect/platform"
import { Context, Effect, Layer, Scope } from "effect"

/** An app that needs nothing but the request (and a per-request scope). */
export type PodApp = HttpApp.Default<never, never>

const providedBy = Symbol.for("starcoffee/PodApp/providedBy")

/**
 * What an app made by `httpApiApp` provides to each request besides the pod's ports: its inner app
 * and the context it runs with (the shared router and platform services, the pod's own services). A
 * server that sets up a context per request anyway (InMemoryHttp's per-fiber handler) merges this
 * context into the serving pod's once, when it starts, and runs the inner app — the same app, without
 * providing the same context again on every request.
 */
export interface ProvidedApp {
  readonly app: HttpApp.Default<unknown, unknown>
  readonly context: Context.Context<never>
}

/** The inner app and context of an app made by `httpApiApp`; undefined for any other app. */
export const providedApp = (app: PodApp): ProvidedApp | undefined => (app as { [providedBy]?: ProvidedApp })[providedBy]

type PlatformServices = Layer.Layer.Success<typeof HttpServer.layerContext>
let platform: Context.Context<PlatformServices> | undefined

/**
 * The platform services every app needs (`HttpServer.layerContext`: HttpPlatform, a no-op FileSystem,
 * Path, Etag). They hold no state and no resource, so they are built once per process, in a scope
 * never closed, and shared by every pod: building them cost about 2 000 Effect operations per pod,
 * half of a pod's start in the simulated world.
 */
const platformLayer = (): Layer.Layer<PlatformServices> =>
  Layer.succeedContext(platform ??= buildForProcess(HttpServer.layerContext, Context.empty()))

/** Builds a layer for the life of the process: synchronously, outside any run, in a scope never closed. */
const buildForProcess = <A, R>(layer: Layer.Layer<A, never, R>, context: Context.Context<R>): Context.Context<A> =>
  Effect.runSync(Layer.build(layer).pipe(Scope.extend(Effect.runSync(Scope.make())), Effect.provide(context)))

/** The router, middleware and API of one HttpApi layer, built once per process (see `sharedApi`). */
interface SharedApi {
  readonly app: HttpApp.Default<unknown, unknown>
  readonly context: Context.Context<never>
}
const sharedApis = new WeakMap<object, SharedApi>()

/**
 * The API layer's router and middleware, with its handlers' routes: built at the first call, outside
 * any simulated run, and kept for the life of the process. Nothing in it depends on a pod: a group's
 * handlers take their services from each request's context (HttpApiBuilder.group merges the context
 * it was built in under the request's, and it was built in none), so every pod of the service can
 * serve through it. Building it cost about 2 000 Effect operations per pod start in the simulated
 * world (docs/ARCHITECTURE.md, "Speed").
 */
const sharedApi = <R>(api: Layer.Layer<HttpApi.Api, never, R>): SharedApi => {
  let shared = sharedApis.get(api)
  if (shared === undefined) {
    const context = buildForProcess(
      Layer.mergeAll(api, HttpApiBuilder.Router.Live, HttpApiBuilder.Middleware.layer, platformLayer()),
      Context.empty() as Context.Context<R>
    ) as Context.Context<never>
    const built = Effect.runSync(Effect.provide(HttpApiBuilder.httpApp, context as Context.Context<any>))
    const app = built.pipe(Effect.catchAllDefect(unreadableBody)) as HttpApp.Default<unknown, unknown>
    shared = { app, context }
    sharedApis.set(api, shared)
  }
  return shared
}

/**
 * A pod's app: the service's shared API (`sharedApi`) with the pod's ports (the handlers' requirements,
 * taken from the caller's context) and what `perPod` builds in the pod's scope.
 */
export const httpApiApp = <R, P = never, PE = never, PR = never>(
  api: Layer.Layer<HttpApi.Api, never, R | P>,
  perPod?: Layer.Layer<P, PE, PR>
): Effect.Effect<PodApp, PE, Exclude<R, P> | PR | Scope.Scope> =>
  Effect.gen(function*() {
    const shared = sharedApi(api)
    const ports = yield* Effect.context<Exclude<R, P> | PR>()
    const own = perPod === undefined ? Context.empty() : yield* Layer.build(perPod)
    const context = Context.merge(own, shared.context) as Context.Context<never>
    const provided = shared.app.pipe(Effect.provide(Context.merge(ports, context) as Context.Context<never>)) as PodApp
    const inner: ProvidedApp = { app: shared.app, context }
    return Object.assign(provided, { [providedBy]: inner })
  })

/**
 * A body that is not JSON makes the platform die with a RequestError answered 400 with an empty body;
 * answer it like every other bad input instead: an HttpApiDecodeError JSON body whose issue names the
 * body itself (path []).
 */
const unreadableBody = (defect: unknown) =>
  HttpServerError.isServerError(defect) && defect._tag === "RequestError" && defect.reason === "Decode"
    ? Effect.succeed(HttpServerResponse.unsafeJson({
      _tag: "HttpApiDecodeError",
      issues: [{ _tag: "Type", path: [], message: "the request body is not valid JSON" }],
      message: defect.message
    }, { status: 400 }))
    : Effect.die(defect)
