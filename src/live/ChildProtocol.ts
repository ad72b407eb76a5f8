/**
 * ChildProtocol: what the supervisor tells a service replica when it spawns it (ReplicaConfig, as
 * JSON in an environment variable) and the messages they exchange over the IPC channel afterwards —
 * the directory of endpoints, clock skew and CPU hog faults one way; the replica's listening port
 * and its notes for the run's history the other way.
 *
 * The services' configuration travels as JSON: Durations as Effect encodes them, and the breaker's
 * failure predicate (not data) restored from the preset.
 */
import { Duration } from "effect"
import type { ClockSkew } from "../chaos/world/World.js"
import type { MutantName } from "../services/MutantNames.js"
import type { ServiceName } from "../services/ports/ServiceDirectory.js"
import type { SystemNote } from "../services/ports/SystemObserver.js"
import { CircuitBreakerOptions } from "../services/resilience/CircuitBreaker.js"
import type { SagaConfigShape } from "../services/SagaConfig.js"
import type { TimeBase } from "./LiveClock.js"

/** The environment variable a replica reads its ReplicaConfig from. */
export const REPLICA_ENV = "STARCOFFEE_REPLICA"

export type Directory = Partial<Record<ServiceName, ReadonlyArray<string>>>

export interface ReplicaConfig {
  readonly service: ServiceName
  /** The replica's name ("order-0"): its bus consumer name and its name in the history. */
  readonly pod: string
  /** Port on 127.0.0.1 its HTTP server listens on (0: any free port, reported back). */
  readonly port: number
  /** Redis (through its Toxiproxy proxy in a live run); absent for the gateway. */
  readonly redisUrl?: string
  /** Directory holding one SQLite file per service. */
  readonly dataDir: string
  readonly time: TimeBase
  /** The services' configuration, encoded by `encodeConfig`. */
  readonly config: string
  readonly mutants: ReadonlyArray<MutantName>
  /** Where the other services are, as seen from this one (each URL a proxy in a live run). */
  readonly directory: Directory
  /** A clock skew the replica starts with (the pod's, surviving restarts). Default: none. */
  readonly skew?: ClockSkew
  /** Share of its CPU a hog takes from the start. Default: 0. */
  readonly hog?: number
}

/** Supervisor → replica. */
export type ToReplica =
  | { readonly type: "directory"; readonly directory: Directory }
  | { readonly type: "skew"; readonly skew: ClockSkew | null }
  | { readonly type: "hog"; readonly fraction: number }
  | { readonly type: "rebase"; readonly origin: number }

/** Replica → supervisor. */
export type FromReplica =
  | { readonly type: "listening"; readonly port: number }
  | { readonly type: "note"; readonly note: SystemNote }

export const encodeConfig = (config: SagaConfigShape): string => JSON.stringify(config)

export const decodeConfig = (text: string): SagaConfigShape => {
  const decoded = JSON.parse(text, (_key, value) => {
    if (value !== null && typeof value === "object" && value._id === "Duration") {
      if (value._tag === "Infinity") return Duration.infinity
      if (value._tag === "Millis") return Duration.millis(value.millis)
      return Duration.nanos(BigInt(value.hrtime[0]) * 1_000_000_000n + BigInt(value.hrtime[1]))
    }
    return value
  }) as SagaConfigShape
  return {
    ...decoded,
    order: { ...decoded.order, breaker: { ...decoded.order.breaker, isFailure: CircuitBreakerOptions.defaults.isFailure } }
  }
}
