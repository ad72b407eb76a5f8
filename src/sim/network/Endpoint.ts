/**
 * Endpoint: what the simulated network delivers a request to — one pod's HTTP server, as the
 * cluster exposes it. The pod decides what happens to the request (CPU queueing, hanging, a reset
 * when it dies); the network only decides whether and when the request and its answer travel.
 */
import type { HttpServerRequest, HttpServerResponse } from "@effect/platform"
import type { Effect } from "effect"
import type { ServiceName } from "../../services/ports/ServiceDirectory.js"

/** The connection broke: the pod died or was not listening. */
export class ConnectionReset {
  readonly _tag = "ConnectionReset"
  constructor(readonly reason: string) {}
}

export interface Endpoint {
  /** The pod's address, also its host name ("order-0"). */
  readonly address: string
  readonly service: ServiceName
  /** Serves one request; fails with ConnectionReset when the pod is not running or dies meanwhile. */
  readonly serve: (request: HttpServerRequest.HttpServerRequest) => Effect.Effect<HttpServerResponse.HttpServerResponse, ConnectionReset>
}

/** Resolves a host to an endpoint: a pod address, or a service name load-balanced over ready pods. */
export type Resolver = (host: string) => Endpoint | undefined
