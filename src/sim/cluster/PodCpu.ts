/**
 * PodCpu: the CPU of one container — a FIFO queue running at the container's CPU limit, and the
 * cumulative CPU usage counter metrics are computed from (cAdvisor's `cpu_usage_seconds_total`).
 *
 * A request needing c core-ms occupies c / (limit / 1000) ms of the container's CPU, after the
 * requests admitted before it: with a limit the container serves at most 1000 · (limit / 1000) / c
 * requests per second, and excess load queues. Without a limit the CPU is spent at once (for metrics)
 * and nothing waits. Admission is O(1) and returns the delay to sleep: one timer per request at most.
 *
 * Faults modelled: CPU throttling (a limit that caps throughput, queueing under load).
 */

export class PodCpu {
  /** Virtual time when the queue admitted so far will have been served. */
  private freeAt = 0
  /** Core-milliseconds admitted since the container started. */
  private admitted = 0
  private readonly cores: number | undefined

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
    const cores = this.cores
    if (cores === undefined || cpuMillis <= 0) return 0
    const start = this.freeAt > now ? this.freeAt : now
    this.freeAt = start + cpuMillis / cores
    return this.freeAt - now
  }

  /** Core-milliseconds used up to `now` (the queue is busy without a gap from now until freeAt). */
  usedCoreMillis(now: number): number {
    const cores = this.cores
    if (cores === undefined || this.freeAt <= now) return this.admitted
    return this.admitted - (this.freeAt - now) * cores
  }

  /** Work queued but not yet served at `now`, in ms of this container's CPU. */
  backlogMillis(now: number): number {
    return this.freeAt > now ? this.freeAt - now : 0
  }
}
