/**
 * Autoscaler: the HorizontalPodAutoscaler on CPU utilisation, following Kubernetes' algorithm
 * (pkg/controller/podautoscaler: replica_calculator.go and horizontal.go, default behaviour, 1.33):
 *
 * - every sync period (15 s) each pod's CPU usage over the last window (metrics-server style: the
 *   container's cumulative CPU counter, sampled at each sync) is divided by its CPU request;
 * - terminating and terminated pods are ignored; Pending pods are unready; pods without a metric yet
 *   are "missing"; pods not ready, or inside the CPU initialisation period (5 min) whose metric window
 *   began before they became ready, or unready within the initial readiness delay (30 s) are "unready";
 * - utilisation = ⌊100 × Σ usage / Σ request⌋ over the pods with usable metrics (a zero total request
 *   is an error: no recommendation); ratio = utilisation / target; within tolerance —
 *   (1 − down) ≤ ratio ≤ (1 + up), 0.1 each by default — nothing changes; otherwise
 *   desired = ceil(ratio × ready pods). With missing metrics the average is recomputed assuming
 *   max(100 %, target) of the request for them on a scale down (integer milli-CPU) and 0 % on a scale
 *   up; unready pods count as 0 % on a scale up. If that reverses the direction or falls within
 *   tolerance, nothing changes;
 * - scale-down stabilisation: the highest recommendation of the last 300 s wins;
 * - scale-up rate: at most max(+100 %, +4 pods) per 15 s; result clamped to min..max; a Deployment
 *   at 0 replicas is not autoscaled.
 *
 * Pure: the cluster feeds it pod views and applies its decisions.
 *
 * Faults modelled: none (it reacts to load; a CPU hog or a siege drives it).
 */

export interface AutoscaleOptions {
  /** Target average CPU utilisation, percent of the request. Default: 5 (the seed's --cpu-percent=5). */
  readonly cpuPercent: number
  /** Default: 1 (the seed's --min=1). */
  readonly min: number
  /** Default: 3 (the seed's --max=3). */
  readonly max: number
  /** How often the HPA evaluates (--horizontal-pod-autoscaler-sync-period). Default: 15 000 ms. */
  readonly syncPeriodMillis: number
  /**
   * No change while (1 − down) ≤ ratio ≤ (1 + up) (--horizontal-pod-autoscaler-tolerance): the
   * tolerance of each direction unless `scaleUp.tolerance` / `scaleDown.tolerance` set their own.
   * Default: 0.1.
   */
  readonly tolerance: number
  /** Scale down to the highest recommendation of this window. Default: 300 000 ms. */
  readonly scaleDownStabilizationMillis: number
  /**
   * Scale-up policies (selectPolicy Max): +percent and +pods per period, and the behaviour's own
   * tolerance (Kubernetes 1.33 behavior.scaleUp.tolerance). Default: 100 %, 4 pods, 15 000 ms,
   * `tolerance`.
   */
  readonly scaleUp: { readonly percent: number; readonly pods: number; readonly periodMillis: number; readonly tolerance?: number }
  /** Scale-down policy: −percent per period, and its own tolerance. Default: 100 %, 15 000 ms, `tolerance`. */
  readonly scaleDown: { readonly percent: number; readonly periodMillis: number; readonly tolerance?: number }
  /** --horizontal-pod-autoscaler-cpu-initialization-period. Default: 300 000 ms. */
  readonly cpuInitializationPeriodMillis: number
  /** --horizontal-pod-autoscaler-initial-readiness-delay. Default: 30 000 ms. */
  readonly initialReadinessDelayMillis: number
}

export const defaultAutoscale: AutoscaleOptions = {
  cpuPercent: 5,
  min: 1,
  max: 3,
  syncPeriodMillis: 15_000,
  tolerance: 0.1,
  scaleDownStabilizationMillis: 300_000,
  scaleUp: { percent: 100, pods: 4, periodMillis: 15_000 },
  scaleDown: { percent: 100, periodMillis: 15_000 },
  cpuInitializationPeriodMillis: 300_000,
  initialReadinessDelayMillis: 30_000
}

/** What the HPA sees of one pod. */
export interface HpaPod {
  readonly name: string
  readonly phase: "Pending" | "Running" | "Terminating" | "Terminated"
  readonly ready: boolean
  /** The Ready condition's last transition. */
  readonly readyChangedAt: number
  /** The pod's StartTime. */
  readonly startedAt: number
  readonly requestMillicores: number
  /** Average usage over [timestamp − window, timestamp]; undefined: no metric yet. */
  readonly metric: { readonly timestamp: number; readonly windowMillis: number; readonly millicores: number } | undefined
}

export interface Recommendation {
  /** Recommended replicas (before stabilisation and rate limits); undefined: no metrics, or no CPU requested. */
  readonly replicas: number | undefined
  /** Average utilisation of the pods with usable metrics, percent (what `kubectl get hpa` shows). */
  readonly utilisation: number | undefined
  readonly readyPods: number
  readonly unreadyPods: number
  readonly missingPods: number
  readonly ignoredPods: number
}

/**
 * metricsclient.GetResourceUtilizationRatio: integer percent of the summed requests; undefined when
 * the pods with metrics request no CPU at all (Kubernetes' "no metrics returned matched known pods").
 */
const utilisationRatio = (
  metrics: ReadonlyMap<string, number>,
  requests: ReadonlyMap<string, number>,
  target: number
): { ratio: number; utilisation: number } | undefined => {
  let used = 0
  let requested = 0
  for (const [name, millicores] of metrics) {
    const request = requests.get(name)
    if (request === undefined) continue
    used += millicores
    requested += request
  }
  if (requested === 0) return undefined
  const utilisation = Math.floor((used * 100) / requested)
  return { ratio: utilisation / target, utilisation }
}

/** Tolerances.isWithin (Kubernetes 1.33): no float edge, ratio 1.1 is within a 0.1 tolerance. */
const withinTolerance = (ratio: number, options: AutoscaleOptions): boolean =>
  1 - (options.scaleDown.tolerance ?? options.tolerance) <= ratio &&
  ratio <= 1 + (options.scaleUp.tolerance ?? options.tolerance)

interface PodGroups {
  readonly metrics: Map<string, number>
  readonly requests: Map<string, number>
  readonly unready: ReadonlyArray<string>
  readonly missing: ReadonlyArray<string>
  readonly ignored: number
  readonly readyPods: number
}

/** A pod with a metric that the CPU rules still count as unready (start-up or never ready). */
const unreadyByCpuRules = (pod: HpaPod, metric: NonNullable<HpaPod["metric"]>, now: number, options: AutoscaleOptions) =>
  pod.startedAt + options.cpuInitializationPeriodMillis > now
    ? !pod.ready || metric.timestamp < pod.readyChangedAt + metric.windowMillis
    : !pod.ready && pod.startedAt + options.initialReadinessDelayMillis > pod.readyChangedAt

/** replica_calculator.go groupPods. */
const groupPods = (now: number, pods: ReadonlyArray<HpaPod>, options: AutoscaleOptions): PodGroups => {
  const metrics = new Map<string, number>()
  const requests = new Map<string, number>()
  const unready: Array<string> = []
  const missing: Array<string> = []
  let ignored = 0
  let readyPods = 0
  for (const pod of pods) {
    requests.set(pod.name, pod.requestMillicores)
    if (pod.phase === "Terminating" || pod.phase === "Terminated") {
      ignored++
      continue
    }
    if (pod.phase === "Pending") {
      unready.push(pod.name)
      continue
    }
    const metric = pod.metric
    if (metric === undefined) {
      missing.push(pod.name)
      continue
    }
    if (unreadyByCpuRules(pod, metric, now, options)) {
      unready.push(pod.name)
      continue
    }
    metrics.set(pod.name, metric.millicores)
    readyPods++
  }
  return { metrics, requests, unready, missing, ignored, readyPods }
}

/** replica_calculator.go GetResourceReplicas for CPU. */
export const recommend = (
  now: number,
  currentReplicas: number,
  pods: ReadonlyArray<HpaPod>,
  options: AutoscaleOptions
): Recommendation => {
  const { ignored, metrics, missing, readyPods, requests, unready } = groupPods(now, pods, options)
  const base = { readyPods, unreadyPods: unready.length, missingPods: missing.length, ignoredPods: ignored }
  const first = metrics.size === 0 ? undefined : utilisationRatio(metrics, requests, options.cpuPercent)
  if (first === undefined) return { ...base, replicas: undefined, utilisation: undefined }
  const { ratio, utilisation } = first
  const scaleUpWithUnready = unready.length > 0 && ratio > 1
  if (!scaleUpWithUnready && missing.length === 0) {
    if (withinTolerance(ratio, options)) return { ...base, replicas: currentReplicas, utilisation }
    return { ...base, replicas: Math.ceil(ratio * readyPods), utilisation }
  }
  if (missing.length > 0) {
    if (ratio < 1) {
      const fallback = Math.max(100, options.cpuPercent)
      for (const name of missing) metrics.set(name, Math.floor((requests.get(name)! * fallback) / 100))
    } else if (ratio > 1) {
      for (const name of missing) metrics.set(name, 0)
    }
  }
  if (scaleUpWithUnready) for (const name of unready) metrics.set(name, 0)
  const recomputed = utilisationRatio(metrics, requests, options.cpuPercent)?.ratio
  if (recomputed === undefined) return { ...base, replicas: undefined, utilisation }
  if (withinTolerance(recomputed, options) || (ratio < 1 && recomputed > 1) || (ratio > 1 && recomputed < 1)) {
    return { ...base, replicas: currentReplicas, utilisation }
  }
  const replicas = Math.ceil(recomputed * metrics.size)
  if ((recomputed < 1 && replicas > currentReplicas) || (recomputed > 1 && replicas < currentReplicas)) {
    return { ...base, replicas: currentReplicas, utilisation }
  }
  return { ...base, replicas, utilisation }
}

interface Timestamped {
  readonly t: number
  readonly value: number
}

/**
 * The HPA's memory: recommendations for scale-down stabilisation and its own scale events for the
 * rate limits (horizontal.go normalizeDesiredReplicasWithBehaviors).
 */
export class HpaState {
  private readonly recommendations: Array<Timestamped> = []
  private readonly scaleUpEvents: Array<Timestamped> = []
  private readonly scaleDownEvents: Array<Timestamped> = []

  constructor(readonly options: AutoscaleOptions, now: number, currentReplicas: number) {
    this.recommendations.push({ t: now, value: currentReplicas })
  }

  /** Replicas to set, given the current replicas and the (possibly undefined) recommendation. */
  decide(now: number, current: number, recommended: number | undefined): number {
    const o = this.options
    if (current === 0 && o.min !== 0) return 0
    if (current > o.max) return o.max
    if (current < o.min) return o.min
    if (recommended === undefined) return current
    // stabilisation (scale-up window 0: only the current recommendation)
    const downCutoff = now - o.scaleDownStabilizationMillis
    let downRecommendation = recommended
    for (const r of this.recommendations) if (r.t > downCutoff && r.value > downRecommendation) downRecommendation = r.value
    let stabilized = current
    if (stabilized < recommended) stabilized = recommended
    if (stabilized > downRecommendation) stabilized = downRecommendation
    const oldIndex = this.recommendations.findIndex((r) => r.t < downCutoff)
    if (oldIndex >= 0) this.recommendations[oldIndex] = { t: now, value: recommended }
    else this.recommendations.push({ t: now, value: recommended })
    // rate limits and bounds
    if (stabilized > current) {
      const start = current - this.changeInPeriod(this.scaleUpEvents, now, o.scaleUp.periodMillis) +
        this.changeInPeriod(this.scaleDownEvents, now, o.scaleUp.periodMillis)
      const limit = Math.max(start + o.scaleUp.pods, Math.ceil(start * (1 + o.scaleUp.percent / 100)), current)
      return Math.min(stabilized, limit, o.max)
    }
    if (stabilized < current) {
      const start = current + this.changeInPeriod(this.scaleDownEvents, now, o.scaleDown.periodMillis) -
        this.changeInPeriod(this.scaleUpEvents, now, o.scaleDown.periodMillis)
      const limit = Math.min(Math.floor(start * (1 - o.scaleDown.percent / 100)), current)
      return Math.max(stabilized, limit, o.min)
    }
    return stabilized
  }

  /** Records a scale the HPA made (for the rate limits). */
  recordScale(now: number, from: number, to: number): void {
    if (to > from) this.scaleUpEvents.push({ t: now, value: to - from })
    else if (to < from) this.scaleDownEvents.push({ t: now, value: from - to })
  }

  private changeInPeriod(events: Array<Timestamped>, now: number, period: number): number {
    let sum = 0
    for (const e of events) if (e.t + period > now) sum += e.value
    return sum
  }
}
