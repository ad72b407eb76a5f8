/**
 * PodCpu: the CPU of one container — a FIFO queue running at the container's CPU limit, and the
 * cumulative CPU usage counter metrics are computed from (cAdvisor's `cpu_usage_seconds_total`).
 *
 * A request needing c core-ms occupies c / (limit / 1000) ms of the container's CPU, after the
 * requests admitted before it: with a limit the container serves at most 1000 · (limit / 1000) / c
 * requests per second, and excess load queues. Without a limit the CPU is spent at once (for metrics)
 * and nothing waits. Admission is O(1) and returns the delay to sleep: one timer per request at most.
 *
 * Faults modelled: CPU throttling (a limit that caps throughput, queueing under load); a CPU hog
 * (another process in the pod takes a share of its CPU: requests get the rest, and the hog's own
 * usage counts in the pod's usage, as cAdvisor would count it). Without a limit the pod is taken to
 * have one core for the hog to share.
 */

export class PodCpu {
  /** Virtual time when the queue admitted so far will have been served. */
  private freeAt = 0
  /** Core-milliseconds admitted since the container started. */
  private admitted = 0
  private readonly cores: number | undefined
  /** The hog's share of the CPU, and since when; core-ms it used in earlier hog periods. */
  private hogFraction = 0
  private hogSince = 0
  private hogUsed = 0

  constructor(
    /** CPU request in millicores (the utilisation denominator). */
    readonly requestMillicores: number,
    /** CPU limit in millicores; null: unlimited. */
    readonly limitMillicores: number | null
  ) {
    this.cores = limitMillicores === null ? undefined : limitMillicores / 1000
  }

  /**
   * Admits a request needing `cpuMillis` core-ms at `now`; returns how long it waits for the CPU
   * (queueing plus its own service time), 0 without a limit.
   */
  admit(now: number, cpuMillis: number): number {
    this.admitted += cpuMillis
    const cores = this.effectiveCores
    if (cores === undefined || cpuMillis <= 0) return 0
    const start = this.freeAt > now ? this.freeAt : now
    this.freeAt = start + cpuMillis / cores
    return this.freeAt - now
  }

  /** Core-milliseconds used up to `now` (the queue is busy without a gap from now until freeAt). */
  usedCoreMillis(now: number): number {
    const cores = this.effectiveCores
    const hog = this.hogUsed + this.hogFraction * (this.cores ?? 1) * Math.max(0, now - this.hogSince)
    if (cores === undefined || this.freeAt <= now) return this.admitted + hog
    return this.admitted - (this.freeAt - now) * cores + hog
  }

  /** A hog takes `fraction` of the CPU from `now` on (0 ends it). */
  setHog(fraction: number, now: number): void {
    this.hogUsed += this.hogFraction * (this.cores ?? 1) * Math.max(0, now - this.hogSince)
    this.hogFraction = Math.min(0.99, Math.max(0, fraction))
    this.hogSince = now
  }

  /** The cores left for requests: the limit's, less the hog's share. */
  private get effectiveCores(): number | undefined {
    if (this.hogFraction === 0) return this.cores
    return (this.cores ?? 1) * (1 - this.hogFraction)
  }

  /** Work queued but not yet served at `now`, in ms of this container's CPU. */
  backlogMillis(now: number): number {
    return this.freeAt > now ? this.freeAt - now : 0
  }
}
