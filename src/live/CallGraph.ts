/**
 * CallGraph: who opens connections to whom in the saga (docs/ARCHITECTURE.md's diagram) — the links
 * the live world puts a Toxiproxy proxy on. The workload ("client") calls the gateway; the gateway
 * calls every service it routes to; order calls payment; every service but the gateway uses Redis.
 */
import type { NodeName } from "../chaos/world/World.js"
import type { ServiceName } from "../services/ports/ServiceDirectory.js"

/** The groups that call a service, each through its own proxy per replica. */
export const callersOf = (service: ServiceName): ReadonlyArray<NodeName> =>
  service === "gateway" ? ["client"] : service === "payment" ? ["gateway", "order"] : ["gateway"]

/** Whether a service talks to Redis (the gateway does not). */
export const usesBus = (service: ServiceName): boolean => service !== "gateway"
