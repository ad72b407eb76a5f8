/**
 * ServiceDirectory port: where a service's ready endpoints are. The sim world answers from its cluster
 * (pods that passed readiness), the live world from its supervisor. Callers round-robin over the answer,
 * as kube-proxy and the seed's gateway do.
 */
import { Context, Effect } from "effect"

export const ServiceNames = ["order", "payment", "make", "mypage", "gateway"] as const
export type ServiceName = (typeof ServiceNames)[number]

export interface ServiceDirectoryShape {
  /** Base URLs ("http://order-1") of the service's ready endpoints, in a stable order. */
  readonly endpoints: (service: ServiceName) => Effect.Effect<ReadonlyArray<string>>
  /**
   * Base URLs of every pod of the service whose process runs, ready or not — what a caller that
   * ignores readiness would use (the gateway-ignores-readiness mutant). Default: `endpoints`.
   */
  readonly running?: (service: ServiceName) => Effect.Effect<ReadonlyArray<string>>
}

export class ServiceDirectory extends Context.Tag("starcoffee/ServiceDirectory")<ServiceDirectory, ServiceDirectoryShape>() {
  /** A directory with fixed endpoints, for tests and for live mode with static ports. */
  static fixed(table: Partial<Record<ServiceName, ReadonlyArray<string>>>): ServiceDirectoryShape {
    return { endpoints: (service) => Effect.succeed(table[service] ?? []) }
  }
}

/** No ready endpoint for a service: the caller answers 503, as a Kubernetes Service with no endpoints does. */
export class NoEndpoint extends Error {
  override readonly name = "NoEndpoint"
}

/** A round-robin picker over a service's ready endpoints; one counter per caller. */
export const makeRoundRobin = (directory: ServiceDirectoryShape, service: ServiceName) => {
  let next = 0
  return directory.endpoints(service).pipe(
    Effect.map((endpoints) => {
      if (endpoints.length === 0) return undefined
      const endpoint = endpoints[next % endpoints.length]
      next = (next + 1) % 1_000_000_007
      return endpoint
    })
  )
}
