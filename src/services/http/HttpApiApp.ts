/**
 * Turns a service's HttpApi layer into a plain HttpApp for one pod: builds the router and middleware
 * in the pod's scope (each pod gets its own), with the platform's stateless services shared by every
 * pod of the process, and closes the app over them. Worlds
 * then hand the app requests — in memory in the sim world, from a Node server in the live world.
 */
import { HttpApiBuilder, type HttpApi, type HttpApp, HttpServer, HttpServerError, HttpServerResponse } from "@effect/platform"
import { type Context, Effect, Layer, Scope } from "effect"

/** An app that needs nothing but the request (and a per-request scope). */
export type PodApp = HttpApp.Default<never, never>

const providedBy = Symbol.for("starcoffee/PodApp/providedBy")

/**
 * What an app made by `httpApiApp` provides to each request: its inner app and the context it runs
 * with. A server that sets up a context per request anyway (InMemoryHttp's per-fiber handler) merges
 * this context once, when it starts, and runs the inner app — the same app, without providing the
 * same context again on every request.
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
  Layer.succeedContext(platform ??= Effect.runSync(Layer.build(HttpServer.layerContext).pipe(Scope.extend(Effect.runSync(Scope.make())))))

export const httpApiApp = <E, R>(api: Layer.Layer<HttpApi.Api, E, R>): Effect.Effect<PodApp, E, R | Scope.Scope> =>
  Effect.gen(function*() {
    const context = yield* Layer.build(
      Layer.mergeAll(api, HttpApiBuilder.Router.Live, HttpApiBuilder.Middleware.layer, platformLayer())
    )
    const app = (yield* HttpApiBuilder.httpApp.pipe(Effect.provide(context))).pipe(Effect.catchAllDefect(unreadableBody))
    const provided = app.pipe(Effect.provide(context)) as PodApp
    const inner: ProvidedApp = { app, context: context as Context.Context<never> }
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
