/**
 * DeploymentSpec: what a simulated Deployment's pod template and strategy say — start-up times,
 * readiness and liveness probes, CPU request / limit and the CPU each request costs, the rolling
 * update strategy and graceful termination. Every field documents its default; the defaults are the
 * seed's parameters (probes, 200m / 500m on order, 25 % / 25 %) and Kubernetes' own where the seed
 * has none (30 s grace period, crash-loop back-off).
 *
 * Faults modelled: none by itself — the values here shape how pods fail and recover (slow start-up,
 * a missing readiness probe, a CPU limit that caps throughput).
 */
import { type Distribution, uniform } from "../../services/Distribution.js"
import type { ServiceName } from "../../services/ports/ServiceDirectory.js"

/** A Kubernetes probe (httpGet /health), in milliseconds. */
export interface ProbeSpec {
  /** Time after the container starts before the first probe. */
  readonly initialDelayMillis: number
  /** Time between the starts of two probes. */
  readonly periodMillis: number
  /** A probe with no answer within this long fails. */
  readonly timeoutMillis: number
  /** Consecutive failures that flip the probe to failed (readiness: not ready; liveness: restart). */
  readonly failureThreshold: number
  /** Consecutive successes that flip a failed readiness probe back to ready. Liveness ignores it (1). */
  readonly successThreshold: number
}

/** The seed's readiness probe: initialDelay 10 s, period 5 s, timeout 2 s, failureThreshold 10, successThreshold 1. */
export const seedReadiness: ProbeSpec = {
  initialDelayMillis: 10_000,
  periodMillis: 5_000,
  timeoutMillis: 2_000,
  failureThreshold: 10,
  successThreshold: 1
}

/** The seed's liveness probe: initialDelay 120 s, period 5 s, timeout 2 s, failureThreshold 5. */
export const seedLiveness: ProbeSpec = {
  initialDelayMillis: 120_000,
  periodMillis: 5_000,
  timeoutMillis: 2_000,
  failureThreshold: 5,
  successThreshold: 1
}

export interface ResourceSpec {
  /** CPU request in millicores: what utilisation is measured against (HPA). Default: 200 (the seed). */
  readonly requestMillicores: number
  /**
   * CPU limit in millicores: the pod serves requests as a FIFO queue running at this many cores.
   * `null`: no limit — requests cost CPU (for metrics) but never wait for it.
   * Default: 500 (the seed's) on order, `null` on the others (the seed's `resources: {}`).
   */
  readonly limitMillicores: number | null
}

/** An absolute number of pods, or a percentage of the replicas as a string ("25%"). */
export type IntOrPercent = number | `${number}%`

export interface RollingUpdateStrategy {
  /** Pods above the replicas during a rollout; percentages round up. Default: "25%". */
  readonly maxSurge: IntOrPercent
  /** Pods below the replicas that may be unavailable; percentages round down. Default: "25%". */
  readonly maxUnavailable: IntOrPercent
}

export interface RestartBackoff {
  /** Delay before the second restart of a container; doubles each restart after. The first is immediate. Default: 10 000 ms. */
  readonly initialMillis: number
  /** Cap of the back-off (CrashLoopBackOff). Default: 300 000 ms. */
  readonly maxMillis: number
  /** A container that ran this long resets the back-off. Default: 600 000 ms. */
  readonly resetAfterMillis: number
}

export interface DeploymentSpec {
  /** Pending → Running: scheduling, image and container start, until the process is up. Default: 1 000 ms. */
  readonly containerStartMillis: number
  /**
   * Running → answering: the application's start-up before its HTTP server accepts requests (and its
   * workers run); requests meanwhile are refused. Default: 8 000 ms (inside the readiness initialDelay).
   */
  readonly appStartupMillis: number
  /** Readiness probe; `null`: none — the pod is ready as soon as its container runs. Default: seedReadiness. */
  readonly readiness: ProbeSpec | null
  /** Liveness probe; `null`: none. Default: seedLiveness. */
  readonly liveness: ProbeSpec | null
  readonly resources: ResourceSpec
  /**
   * CPU time one request costs, in core-milliseconds (GET /health costs nothing: probes never queue).
   * Default: uniform 5–15 ms for order and payment, 2–6 ms for make and mypage, 1–3 ms for the gateway.
   */
  readonly cpuPerRequest: Distribution
  readonly strategy: RollingUpdateStrategy
  /** SIGTERM → SIGKILL: how long in-flight requests may take to finish. Default: 30 000 ms (Kubernetes). */
  readonly terminationGracePeriodMillis: number
  /**
   * Removal from the endpoints → SIGTERM (a preStop sleep): the pod still accepts requests routed to it
   * just before it left the endpoints. 0 models the endpoint-propagation race (those requests are refused).
   * Default: 1 000 ms.
   */
  readonly preStopMillis: number
  readonly restartBackoff: RestartBackoff
}

/** Overrides of a DeploymentSpec: nested structs merge field by field; a probe set to `null` is off. */
export interface DeploymentOverrides {
  readonly containerStartMillis?: number
  readonly appStartupMillis?: number
  readonly readiness?: Partial<ProbeSpec> | null
  readonly liveness?: Partial<ProbeSpec> | null
  readonly resources?: Partial<ResourceSpec>
  readonly cpuPerRequest?: Distribution
  readonly strategy?: Partial<RollingUpdateStrategy>
  readonly terminationGracePeriodMillis?: number
  readonly preStopMillis?: number
  readonly restartBackoff?: Partial<RestartBackoff>
}

const defaultCpuPerRequest: Record<ServiceName, Distribution> = {
  order: uniform(5, 15),
  payment: uniform(5, 15),
  make: uniform(2, 6),
  mypage: uniform(2, 6),
  gateway: uniform(1, 3)
}

/** The default spec of a service's Deployment (see the field comments). */
export const defaultDeploymentSpec = (service: ServiceName): DeploymentSpec => ({
  containerStartMillis: 1_000,
  appStartupMillis: 8_000,
  readiness: seedReadiness,
  liveness: seedLiveness,
  resources: { requestMillicores: 200, limitMillicores: service === "order" ? 500 : null },
  cpuPerRequest: defaultCpuPerRequest[service],
  strategy: { maxSurge: "25%", maxUnavailable: "25%" },
  terminationGracePeriodMillis: 30_000,
  preStopMillis: 1_000,
  restartBackoff: { initialMillis: 10_000, maxMillis: 300_000, resetAfterMillis: 600_000 }
})

const mergeProbe = (base: ProbeSpec | null, fallback: ProbeSpec, o: Partial<ProbeSpec> | null | undefined) =>
  o === undefined ? base : o === null ? null : { ...(base ?? fallback), ...o }

/** Applies overrides, left to right, over a spec. */
export const applyOverrides = (
  spec: DeploymentSpec,
  ...overrides: ReadonlyArray<DeploymentOverrides | undefined>
): DeploymentSpec => {
  let s = spec
  for (const o of overrides) {
    if (o === undefined) continue
    s = {
      containerStartMillis: o.containerStartMillis ?? s.containerStartMillis,
      appStartupMillis: o.appStartupMillis ?? s.appStartupMillis,
      readiness: mergeProbe(s.readiness, seedReadiness, o.readiness),
      liveness: mergeProbe(s.liveness, seedLiveness, o.liveness),
      resources: { ...s.resources, ...o.resources },
      cpuPerRequest: o.cpuPerRequest ?? s.cpuPerRequest,
      strategy: { ...s.strategy, ...o.strategy },
      terminationGracePeriodMillis: o.terminationGracePeriodMillis ?? s.terminationGracePeriodMillis,
      preStopMillis: o.preStopMillis ?? s.preStopMillis,
      restartBackoff: { ...s.restartBackoff, ...o.restartBackoff }
    }
  }
  return s
}

/** Delay before restarting a container that has been restarted `restarts` times already. */
export const restartDelay = (backoff: RestartBackoff, restarts: number): number =>
  restarts <= 0 ? 0 : Math.min(backoff.maxMillis, backoff.initialMillis * 2 ** (restarts - 1))
