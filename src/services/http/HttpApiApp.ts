/**
 * Turns a service's HttpApi layer into a plain HttpApp for one pod: builds the router, middleware and
 * platform context in the pod's scope (each pod gets its own), and closes the app over them. Worlds
 * then hand the app requests — in memory in the sim world, from a Node server in the live world.
 */
import { HttpApiBuilder, type HttpApi, type HttpApp, HttpServer } from "@effect/platform"
import { Effect, Layer, type Scope } from "effect"

/** An app that needs nothing but the request (and a per-request scope). */
export type PodApp = HttpApp.Default<never, never>

export const httpApiApp = <E, R>(api: Layer.Layer<HttpApi.Api, E, R>): Effect.Effect<PodApp, E, R | Scope.Scope> =>
  Effect.gen(function*() {
    const context = yield* Layer.build(
      Layer.mergeAll(api, HttpApiBuilder.Router.Live, HttpApiBuilder.Middleware.layer, HttpServer.layerContext)
    )
    const app = yield* HttpApiBuilder.httpApp.pipe(Effect.provide(context))
    return app.pipe(Effect.provide(context)) as PodApp
  })
