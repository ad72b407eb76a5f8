/**
 * Scenario: a workload, a fault schedule, the world it runs in, and the thresholds its behaviour is
 * judged by. The same scenario runs in the sim world (and, later, the live world). Scenario files
 * live in scenarios/, one per file.
 */
import type { MutantName } from "../services/Mutants.js"
import type { SagaConfigShape } from "../services/SagaConfig.js"
import type { ServiceName } from "../services/ports/ServiceDirectory.js"
import type { SiegeOptions } from "./workload/Siege.js"
import type { ScheduledFault } from "./faults/Fault.js"

export type MetricName =
  | "availability"
  | "transactions"
  | "successful"
  | "failed"
  | "p50Ms"
  | "p95Ms"
  | "p99Ms"
  | "ordersAccepted"
  | "coffeesMade"
  | "breakerOpened"
  | "failFast"
  | "livenessRestarts"
  | "orderReplicasPeak"

export interface Threshold {
  readonly metric: MetricName
  readonly op: ">=" | "<=" | ">" | "<" | "=="
  readonly value: number
  /** What the threshold shows, for reports. */
  readonly why: string
}

export interface Scenario {
  readonly name: string
  readonly description: string
  /** The seed section it mirrors. */
  readonly seedSection: string
  /** Service configuration overrides, merged over the defaults. Default: none. */
  readonly config?: (defaults: SagaConfigShape) => SagaConfigShape
  /** Replicas per service. Default: 1 each. */
  readonly replicas?: Partial<Record<ServiceName, number>>
  /** The siege. Default: the seed's c100 × 60 s of POST /orders. */
  readonly workload?: Partial<SiegeOptions>
  /** Faults during the safety phase. Default: none. */
  readonly faults?: ReadonlyArray<ScheduledFault>
  /** Bound of the liveness phase after the workload ends and faults heal. Default: 60 000 ms. */
  readonly livenessBoundMillis?: number
  readonly thresholds?: ReadonlyArray<Threshold>
  /** Mutants switched on by the scenario itself (for tests of the checkers). Default: none. */
  readonly mutants?: ReadonlyArray<MutantName>
  /** A HorizontalPodAutoscaler to start with the world. Default: none. */
  readonly autoscale?: {
    readonly service: ServiceName
    readonly cpuPercent: number
    readonly min: number
    readonly max: number
  }
}
