/**
 * LiveClient: the workload's HttpClient in the live world — Node's HTTP client (keep-alive) whose
 * requests to `http://gateway` go, round-robin, to the Toxiproxy proxies of the ready gateway
 * replicas (the client → gateway link, where client-side network faults apply). With no ready
 * gateway a request fails at once as a refused connection, as in the sim world.
 */
import { HttpClient, HttpClientError, HttpClientRequest } from "@effect/platform"
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import { Effect, Layer, type Scope } from "effect"

/** The base URLs ("http://127.0.0.1:PORT") the workload reaches the gateway through, now. */
export type GatewayEndpoints = () => ReadonlyArray<string>

export const makeLiveClient = (endpoints: GatewayEndpoints): Effect.Effect<HttpClient.HttpClient, never, Scope.Scope> =>
  Effect.gen(function*() {
    const context = yield* Layer.build(
      NodeHttpClient.layerWithoutAgent.pipe(Layer.provide(NodeHttpClient.makeAgentLayer({ keepAlive: true })))
    )
    const node = yield* HttpClient.HttpClient.pipe(Effect.provide(context))
    let next = 0
    // Resolved when the request is sent, after every layer above (HttpApiClient's base URL) has run.
    return HttpClient.make((request, url) => {
      if (url.hostname !== "gateway") return node.execute(request)
      const ready = endpoints()
      if (ready.length === 0) {
        return Effect.fail(new HttpClientError.RequestError({ request, reason: "Transport", description: "connection refused: no ready gateway" }))
      }
      const base = ready[next++ % ready.length]!
      next %= 1_000_000_007
      return node.execute(HttpClientRequest.setUrl(request, base + url.pathname))
    })
  })
