/**
 * World: the one handle through which chaos code drives a running system — every verb of the fault
 * model, the workload's entry point, and `truth()` for the checkers (as turmoil's `Sim` carries
 * crash, bounce, partition, hold, release and repair). The sim world (src/sim/world/SimWorld.ts)
 * and the live world (src/live) each implement it; nothing in src/chaos knows which one it drives.
 *
 * Faults modelled (each verb has its inverse, and `healAll` undoes every one of them):
 *   processes — kill, restart, hang / release a replica; scale; roll (with or without readiness);
 *   network   — partition (symmetric or one-way) / repair; slow a link; drop on a link;
 *   broker    — down / up; slow delivery; duplicate deliveries;
 *   pods      — skew a replica's clock (offset and drift); hog a replica's CPU;
 *   services  — inside the services (FoundationDB's BUGGIFY in spirit): SQL statements that take time
 *               or fail, handlers delayed between their steps, a replica crashed after its Nth step.
 *
 * Every verb is an Effect run on the world's own clock (virtual in sim, real in live). Verbs that
 * aim at a replica answer whether they found one: a fault with no target is recorded as skipped.
 */
import type { HttpClient } from "@effect/platform"
import type { Effect } from "effect"
import type { Distribution } from "../../services/Distribution.js"
import type { ServiceName } from "../../services/ports/ServiceDirectory.js"
import type { History } from "../history/History.js"
import type { RunTruth } from "../invariants/RunTruth.js"

/** A link end: a service, or "client" for the workload. */
export type NodeName = ServiceName | "client"

/** A replica of a service: its index among the service's running replicas (modulo their count). */
export interface ReplicaRef {
  readonly service: ServiceName
  readonly replica: number
}

/** What a targeted verb did: acted on a named target, or found none. */
export type Targeted =
  | { readonly _tag: "Applied"; readonly target: string }
  | { readonly _tag: "Skipped"; readonly reason: string }

export const applied = (target: string): Targeted => ({ _tag: "Applied", target })
export const skipped = (reason: string): Targeted => ({ _tag: "Skipped", reason })

/** A replica's clock, as the services on it read it. */
export interface ClockSkew {
  /** Constant offset added to the true time, ms (negative: behind). */
  readonly offsetMillis: number
  /** Rate the clock gains from the moment of the skew (0.01: 10 ms per second, 1 % fast). Default: 0. */
  readonly driftPerSecond?: number
}

/** A failing SQL statement: how often, and with which SQLite error. */
export interface SqlFailureSpec {
  readonly probability: number
  readonly code: "SQLITE_BUSY" | "SQLITE_IOERR"
}

/** A HorizontalPodAutoscaler on a service (the seed's `--cpu-percent=5 --min=1 --max=3`). */
export interface AutoscaleSpec {
  readonly cpuPercent: number
  readonly min: number
  readonly max: number
}

export interface World {
  /** Which world this is; results and reports say so (live runs are not byte-reproducible). */
  readonly mode: "sim" | "live"
  /** Where the run's history is recorded (client operations, events, faults, cluster changes, notes). */
  readonly history: History

  // ---- the workload's entry point --------------------------------------------------------------
  /** The HttpClient of a client outside the system; requests go to `http://gateway`. */
  readonly client: () => HttpClient.HttpClient

  // ---- processes -------------------------------------------------------------------------------
  readonly kill: (target: ReplicaRef) => Effect.Effect<Targeted>
  readonly restart: (target: ReplicaRef) => Effect.Effect<Targeted>
  /** Alive but not answering or working (SIGSTOP in live). */
  readonly hang: (target: ReplicaRef) => Effect.Effect<Targeted>
  /** Undoes `hang` on the replica `hang` found (by the target it returned). */
  readonly release: (target: string) => Effect.Effect<void>
  /** Running replicas of a service now. */
  readonly replicas: (service: ServiceName) => number
  readonly scale: (service: ServiceName, replicas: number, reason: string) => Effect.Effect<void>
  /** A rolling update to a new version, with or without a readiness probe on the new replicas. */
  readonly roll: (service: ServiceName, options: { readonly readiness: boolean }) => Effect.Effect<void>
  readonly autoscale: (service: ServiceName, spec: AutoscaleSpec) => Effect.Effect<void>

  // ---- network ---------------------------------------------------------------------------------
  readonly partition: (a: NodeName, b: NodeName, options: { readonly oneWay: boolean }) => Effect.Effect<void>
  readonly repair: (a: NodeName, b: NodeName) => Effect.Effect<void>
  /** Latency on a directed link; `undefined` restores the default. */
  readonly slow: (from: NodeName, to: NodeName, latency: Distribution | undefined) => Effect.Effect<void>
  /** Loss on a directed link (a lost request never answers); 0 restores it. */
  readonly drop: (from: NodeName, to: NodeName, probability: number) => Effect.Effect<void>

  // ---- broker ----------------------------------------------------------------------------------
  readonly brokerDown: () => Effect.Effect<void>
  readonly brokerUp: () => Effect.Effect<void>
  /** Every delivery delayed uniformly in [min, max] ms; `null` restores prompt delivery. */
  readonly brokerSlow: (delay: { readonly minMillis: number; readonly maxMillis: number } | null) => Effect.Effect<void>
  /** Each delivery repeated with this probability; 0 restores it. */
  readonly brokerDuplicate: (probability: number) => Effect.Effect<void>

  // ---- pods ------------------------------------------------------------------------------------
  /** The replica's clock runs skewed until `unskewClock` (by the target this returned). */
  readonly skewClock: (target: ReplicaRef, skew: ClockSkew) => Effect.Effect<Targeted>
  readonly unskewClock: (target: string) => Effect.Effect<void>
  /** The replica keeps only `1 - fraction` of its CPU until `unhogCpu`. */
  readonly hogCpu: (target: ReplicaRef, fraction: number) => Effect.Effect<Targeted>
  readonly unhogCpu: (target: string) => Effect.Effect<void>

  // ---- inside the services (the sim world; the live one answers Skipped) -----------------------
  /** Each SQL statement of the service first waits a drawn time; `undefined` ends it. */
  readonly sqlSlow: (service: ServiceName, latency: Distribution | undefined) => Effect.Effect<Targeted>
  /** Each SQL statement of the service fails with this probability and error; `undefined` ends it. */
  readonly sqlFail: (service: ServiceName, failure: SqlFailureSpec | undefined) => Effect.Effect<Targeted>
  /** The service's handlers wait a drawn time at each step (event received, publish, ack, outgoing call). */
  readonly delayHandlers: (service: ServiceName, latency: Distribution | undefined) => Effect.Effect<Targeted>
  /** The replica's process dies right after its next `steps` steps of work, unless `uncrash` comes first. */
  readonly crashAfter: (target: ReplicaRef, steps: number) => Effect.Effect<Targeted>
  /** Disarms the crash point `crashAfter` set on this target (nothing if it fired). */
  readonly uncrash: (target: string) => Effect.Effect<void>

  // ---- everything ------------------------------------------------------------------------------
  /**
   * Heals every fault at once: links repaired and restored, broker up and prompt, no duplicates,
   * hung replicas released, clocks true, CPUs free, in-service faults off and crash points disarmed,
   * every service back to at least one replica.
   * The liveness phase starts with it (TigerBeetle's transition to liveness mode).
   */
  readonly healAll: () => Effect.Effect<void>

  // ---- observation -----------------------------------------------------------------------------
  /** What the checkers read: the history and each service's own store, the broker's backlog. */
  readonly truth: () => Effect.Effect<RunTruth>
}
