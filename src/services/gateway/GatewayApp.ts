/**
 * The gateway: forwards /orders, /payments, /makes and /mypages to one of the target service's ready
 * endpoints, round-robin, and relays the answer. No endpoint → 503; the endpoint unreachable → 502;
 * no answer within the gateway timeout → 504; an unknown path → 404. Every error is a JSON body.
 * Mutant living here: gateway-ignores-readiness (it picks among every running pod).
 */
import { HttpBody, HttpClient, HttpClientRequest, HttpServerRequest, HttpServerResponse } from "@effect/platform"
import { Effect } from "effect"
import { checkHealth } from "../http/HealthApi.js"
import type { PodApp } from "../http/HttpApiApp.js"
import { toServerResponse } from "../http/InMemoryHttp.js"
import { Mutants } from "../Mutants.js"
import { makeRoundRobin, ServiceDirectory, type ServiceName } from "../ports/ServiceDirectory.js"
import { timeoutFail } from "../resilience/Timeout.js"
import type { ServiceDefinition } from "../ServiceDefinition.js"
import { routeOf } from "./GatewayRoutes.js"

/** How long the gateway waits for a service before answering 504. */
export const GATEWAY_TIMEOUT_MILLIS = 30_000

const jsonError = (status: number, error: string, message: string) =>
  HttpServerResponse.unsafeJson({ error, message }, { status })

export const gatewayApp = Effect.gen(function*() {
  const ready = yield* ServiceDirectory
  const directory = (yield* Mutants).has("gateway-ignores-readiness")
    ? { endpoints: ready.running ?? ready.endpoints }
    : ready
  const client = yield* HttpClient.HttpClient
  const pickers = new Map<ServiceName, ReturnType<typeof makeRoundRobin>>()
  const pickerFor = (service: ServiceName) => {
    let picker = pickers.get(service)
    if (!picker) pickers.set(service, picker = makeRoundRobin(directory, service))
    return picker
  }
  const health = yield* checkHealth

  const app: PodApp = Effect.gen(function*() {
    const request = yield* HttpServerRequest.HttpServerRequest
    if (request.url === "/health") return HttpServerResponse.unsafeJson(health)
    const service = routeOf(request.url)
    if (service === undefined) return jsonError(404, "NotFound", `no route for ${request.url}`)
    const base = yield* pickerFor(service)
    if (base === undefined) return jsonError(503, "Unavailable", `${service} has no ready endpoint`)
    const body = yield* Effect.orElseSucceed(request.arrayBuffer, () => new ArrayBuffer(0))
    const forwarded = HttpClientRequest.make(request.method)(base + request.url, {
      headers: request.headers,
      ...(body.byteLength > 0
        ? { body: HttpBody.uint8Array(new Uint8Array(body), request.headers["content-type"] ?? "application/json") }
        : {})
    })
    return yield* client.execute(forwarded).pipe(
      Effect.flatMap(toServerResponse),
      (effect) => timeoutFail(effect, { duration: GATEWAY_TIMEOUT_MILLIS, onTimeout: () => "timeout" as const }),
      Effect.catchAll((error) =>
        Effect.succeed(
          error === "timeout"
            ? jsonError(504, "GatewayTimeout", `${service} did not answer within ${GATEWAY_TIMEOUT_MILLIS} ms`)
            : jsonError(502, "BadGateway", `${service} at ${base} failed: ${error.message}`)
        )
      )
    )
  }).pipe(
    // A server runs its app uninterruptibly (HttpApp.toHandled); HttpApi routes opt back in, and so
    // must this raw app, or a pod could not be stopped while a forwarded call hangs on a lost link.
    Effect.interruptible
  )
  return app
})

export const GatewayService: ServiceDefinition = {
  name: "gateway",
  app: gatewayApp,
  workers: Effect.void,
  migrations: {}
}
