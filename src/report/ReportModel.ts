/**
 * ReportModel: what a report is made of — plain, JSON-serialisable data built once where a run's
 * history lives (the run command, a suite worker, an exploration) and rendered into HTML, Markdown,
 * JSON and JUnit XML without the history. Its types are structural so that a result from either
 * world (sim or live) fits.
 */

/** One check of a run: an invariant (safety, liveness) or a behaviour threshold. */
export interface CheckResult {
  readonly name: string
  readonly kind: string
  readonly ok: boolean
  readonly detail: string
}

/** The object `run --json` prints (DESIGN.md §7); extra fields pass through to result.json. */
export interface RunSummary {
  readonly scenario: string
  readonly mode: string
  readonly seed: number
  readonly ok: boolean
  /** pass, safety, liveness, behaviour or incomplete; absent from older results. */
  readonly failureClass?: string
  /** false for a live run: not byte-reproducible. Absent means a simulated (reproducible) run. */
  readonly reproducible?: boolean
  readonly traceHash: string
  readonly simulatedMs: number
  readonly wallMs: number
  readonly mutants: ReadonlyArray<string>
  readonly invariants: ReadonlyArray<CheckResult>
  /** RunMetrics (chaos/RunMetrics.ts); the reports read these and pass the rest through. */
  readonly metrics: { readonly p95Ms?: number; readonly breakerOpened?: number }
}

/** What the report says about the scenario that ran. */
export interface ScenarioInfo {
  readonly name: string
  readonly description: string
  readonly seedSection?: string
  /** The fault schedule as planned (the scenario's own, plus an exploration's). */
  readonly faults: ReadonlyArray<PlannedFault>
}

export interface PlannedFault {
  readonly atMillis: number
  readonly durationMillis: number
  readonly description: string
}

/** A stretch of time shaded on every chart: a fault, or a breaker standing open. */
export interface Window {
  readonly label: string
  readonly startMs: number
  readonly endMs: number
}

/** A step series: the value holds from each point's time until the next point. [t ms, value]. */
export type Steps = ReadonlyArray<readonly [number, number]>

export interface BreakerSeries {
  /** The pod and the breaker, e.g. "order-0 order→payment". */
  readonly name: string
  /** 0 Closed, 1 HalfOpen, 2 Open. */
  readonly states: Steps
  readonly openings: number
}

export interface ReplicaSeries {
  readonly deployment: string
  readonly ready: Steps
  /** Pods that exist and are not terminating. */
  readonly total: Steps
}

/** Outbox rows waiting per service and the broker's backlog, sampled on the world's clock. */
export interface BacklogSeries {
  readonly everyMillis: number
  readonly t: ReadonlyArray<number>
  readonly outbox: Readonly<Record<string, ReadonlyArray<number>>>
  /** Entries never delivered to their group, summed over groups. */
  readonly brokerLag: ReadonlyArray<number>
  /** Entries delivered and not acknowledged, summed over groups. */
  readonly brokerPending: ReadonlyArray<number>
}

/** Per-bucket aggregates of POST /orders, by completion time. */
export interface TrafficSeries {
  readonly bucketMs: number
  /** Start of each bucket, ms. */
  readonly t: ReadonlyArray<number>
  /** Answers per second: accepted (ok), refused (fail), unknown outcome (info). */
  readonly ok: ReadonlyArray<number>
  readonly fail: ReadonlyArray<number>
  readonly info: ReadonlyArray<number>
  /** Response-time percentiles in the bucket, ms; null when nothing completed in it. */
  readonly p50: ReadonlyArray<number | null>
  readonly p95: ReadonlyArray<number | null>
  readonly p99: ReadonlyArray<number | null>
}

/** Siege's closing figures, from the client operations of the history. */
export interface SiegeFigures {
  readonly transactions: number
  /** Percent. */
  readonly availability: number
  /** First request to last answer, s. */
  readonly elapsedSeconds: number
  /** Mean response time, s. */
  readonly responseSeconds: number
  /** Transactions per second of elapsed time. */
  readonly transactionRate: number
  /** Mean requests in flight: total response time / elapsed time. */
  readonly concurrency: number
  readonly successful: number
  readonly failed: number
  /** s. */
  readonly longestSeconds: number
  readonly shortestSeconds: number
}

export interface RunSeries {
  /** The time axis every chart shares, ms. */
  readonly endMs: number
  readonly traffic: TrafficSeries
  readonly breakers: ReadonlyArray<BreakerSeries>
  readonly replicas: ReadonlyArray<ReplicaSeries>
  /** Absent when the run was not sampled (see BacklogSampler.ts). */
  readonly backlog?: BacklogSeries
  readonly faultWindows: ReadonlyArray<Window>
  readonly breakerOpenWindows: ReadonlyArray<Window>
  /** Faults that found no target and did nothing. */
  readonly skippedFaults: ReadonlyArray<{ readonly t: number; readonly label: string }>
}

/** One line of an order's story: what happened to it, when, and where. */
export interface TimelineEntry {
  readonly t: number
  readonly what: string
}

export interface OffendingOrder {
  readonly orderId: number
  /** The checks that name it. */
  readonly checks: ReadonlyArray<string>
  readonly timeline: ReadonlyArray<TimelineEntry>
}

export interface RunReport {
  readonly run: RunSummary
  readonly scenario: ScenarioInfo
  readonly siege: SiegeFigures
  readonly series: RunSeries
  /** The command that reproduces this run. */
  readonly replay: string
  /** Orders named by a broken check, with their event timelines (at most a few). */
  readonly offenders: ReadonlyArray<OffendingOrder>
}
