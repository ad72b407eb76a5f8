/**
 * Turns a service's HttpApi layer into a plain HttpApp for one pod: builds the router, middleware and
 * platform context in the pod's scope (each pod gets its own), and closes the app over them. Worlds
 * then hand the app requests — in memory in the sim world, from a Node server in the live world.
 */
import { HttpApiBuilder, type HttpApi, type HttpApp, HttpServer, HttpServerError, HttpServerResponse } from "@effect/platform"
import { Effect, Layer, type Scope } from "effect"

/** An app that needs nothing but the request (and a per-request scope). */
export type PodApp = HttpApp.Default<never, never>

export const httpApiApp = <E, R>(api: Layer.Layer<HttpApi.Api, E, R>): Effect.Effect<PodApp, E, R | Scope.Scope> =>
  Effect.gen(function*() {
    const context = yield* Layer.build(
      Layer.mergeAll(api, HttpApiBuilder.Router.Live, HttpApiBuilder.Middleware.layer, HttpServer.layerContext)
    )
    const app = yield* HttpApiBuilder.httpApp.pipe(Effect.provide(context))
    return app.pipe(Effect.catchAllDefect(unreadableBody), Effect.provide(context)) as PodApp
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
