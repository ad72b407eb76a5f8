/**
 * FaultScheduleArbitrary: fast-check generators of fault schedules for exploration, with swarm
 * testing — each sample first picks which fault kinds are enabled, then draws a schedule from those
 * kinds only, so runs differ in their mix of faults and not just in their timing.
 *
 * A sample may also draw the workload (for a scenario without one, such as `random`): users, the mix
 * of places, cancels and status reads, think time, make's brew time, and how long users send — and
 * whether the kernel shuffles its ready queue; its faults then start within the drawn workload, so they
 * meet traffic. Everything shrinks: fewer and shorter faults, fewer
 * users, a shorter workload, no brew time, no shuffle.
 *
 * Faults modelled: kill, hang and crash-restart of a pod; a service down; scaling and rolling a
 * Deployment; slow, partitioned and lossy links; broker outage, slow delivery and duplicate delivery;
 * clock skew and drift of a pod; a CPU hog on a pod; inside the services, SQL latency and failure,
 * handler delays and crash points (chaos/faults/Fault.ts).
 */
import fc from "fast-check"
import type { Fault, ScheduledFault } from "../faults/Fault.js"

export const FaultKinds = [
  "Kill",
  "Hang",
  "Restart",
  "ServiceDown",
  "Slow",
  "Partition",
  "Drop",
  "BrokerOutage",
  "BrokerSlow",
  "Duplicate",
  "ClockSkew",
  "CpuHog",
  "Scale",
  "Roll",
  "SqlSlow",
  "SqlFail",
  "HandlerDelay",
  "CrashPoint"
] as const
export type FaultKind = (typeof FaultKinds)[number]

/** Services whose loss the saga must survive (the gateway is the front door: taking it down tests nothing). */
const Services = ["order", "payment", "make", "mypage"] as const
/** Links inside the system plus the client's link to the gateway. */
const Links = [
  ["gateway", "order"],
  ["order", "payment"],
  ["payment", "order"],
  ["client", "gateway"],
  ["gateway", "mypage"]
] as const

const service = fc.constantFrom(...Services)
/** Services that compare clocks across pods (outbox relay leases, order's sweeper, make's brew claims): mypage has none. */
const clockedService = fc.constantFrom("order", "payment", "make") as fc.Arbitrary<(typeof Services)[number]>
const link = fc.constantFrom(...Links)

export const faultOf = (kind: FaultKind): fc.Arbitrary<Fault> => {
  switch (kind) {
    case "Kill":
    case "Hang":
    case "Restart":
      return service.map((s): Fault => ({ _tag: kind, service: s, replica: 0 }))
    case "ServiceDown":
      return service.map((s): Fault => ({ _tag: "ServiceDown", service: s }))
    case "Slow":
      return fc.tuple(link, fc.integer({ min: 50, max: 2_000 })).map(([[from, to], ms]): Fault => ({
        _tag: "Slow",
        from,
        to,
        latency: { _tag: "Uniform", minMillis: Math.floor(ms / 2), maxMillis: ms }
      }))
    case "Partition":
      return fc.tuple(link, fc.boolean()).map(([[a, b], oneWay]): Fault => ({ _tag: "Partition", a, b, oneWay }))
    case "Drop":
      return fc.tuple(link, fc.integer({ min: 1, max: 100 })).map(([[from, to], p]): Fault => ({
        _tag: "Drop",
        from,
        to,
        probability: p / 100
      }))
    case "BrokerOutage":
      return fc.constant<Fault>({ _tag: "BrokerOutage" })
    case "BrokerSlow":
      return fc.integer({ min: 10, max: 3_000 }).map((ms): Fault => ({ _tag: "BrokerSlow", minMillis: 0, maxMillis: ms }))
    case "Duplicate":
      return fc.integer({ min: 1, max: 100 }).map((p): Fault => ({ _tag: "Duplicate", probability: p / 100 }))
    case "ClockSkew":
      return fc.tuple(clockedService, fc.integer({ min: -30_000, max: 30_000 }), fc.integer({ min: -50, max: 50 })).map(
        ([s, offsetMillis, drift]): Fault => ({ _tag: "ClockSkew", service: s, replica: 0, offsetMillis, driftPerSecond: drift / 1000 })
      )
    case "CpuHog":
      return fc.tuple(service, fc.integer({ min: 10, max: 99 })).map(
        ([s, percent]): Fault => ({ _tag: "CpuHog", service: s, replica: 0, fraction: percent / 100 })
      )
    case "Scale":
      return fc.tuple(service, fc.integer({ min: 1, max: 3 })).map(([s, replicas]): Fault => ({ _tag: "Scale", service: s, replicas }))
    case "Roll":
      return fc.tuple(service, fc.boolean()).map(([s, noReadiness]): Fault => ({ _tag: "Roll", service: s, readiness: !noReadiness }))
    case "SqlSlow":
      return fc.tuple(service, fc.integer({ min: 1, max: 1_000 })).map(([s, ms]): Fault => ({
        _tag: "SqlSlow",
        service: s,
        latency: { _tag: "Uniform", minMillis: 0, maxMillis: ms }
      }))
    case "SqlFail":
      // At most one statement in two: a handler failing ten deliveries in a row (maxDeliveries) is then rare.
      return fc.tuple(service, fc.integer({ min: 1, max: 50 }), fc.boolean()).map(([s, percent, io]): Fault => ({
        _tag: "SqlFail",
        service: s,
        probability: percent / 100,
        code: io ? "SQLITE_IOERR" : "SQLITE_BUSY"
      }))
    case "HandlerDelay":
      return fc.tuple(fc.constantFrom(...Services, "gateway" as const), fc.integer({ min: 1, max: 1_000 })).map(
        ([s, ms]): Fault => ({ _tag: "HandlerDelay", service: s, latency: { _tag: "Uniform", minMillis: 0, maxMillis: ms } })
      )
    case "CrashPoint":
      return fc.tuple(service, fc.integer({ min: 1, max: 2_000 })).map(([s, afterSteps]): Fault => ({
        _tag: "CrashPoint",
        service: s,
        replica: 0,
        afterSteps
      }))
  }
}

export interface ScheduleOptions {
  /** Faults start within [0, horizonMillis) — or, with `drawWorkload`, within the drawn workload. */
  readonly horizonMillis: number
  /** Most faults in one schedule. Default: 4. */
  readonly maxFaults?: number
  /** Longest a fault lasts. Default: 20 000 ms. */
  readonly maxDurationMillis?: number
  /** The kinds the swarm may enable. Default: all. */
  readonly kinds?: ReadonlyArray<FaultKind>
  /**
   * The simulated run's seed, fixed: shrinking then changes the faults only, never the workload's or
   * the network's draws. Default: drawn (and shrunk) by fast-check like the rest of the sample.
   */
  readonly runSeed?: number
  /**
   * Draw the workload and the shuffle too (a scenario without a workload of its own): at most this
   * many users, for at most `horizonMillis`. Default: none (the scenario's workload, no shuffle).
   */
  readonly drawWorkload?: { readonly maxUsers: number }
}

/** A drawn workload (the scenario file's workload fields) and make's brew time. */
export interface DrawnWorkload {
  readonly users: number
  readonly durationMillis: number
  readonly thinkMillis: number
  readonly mix: { readonly place: number; readonly cancel: number; readonly status: number }
  /** make's brew time, ms (uniform in [0, brewMillis]); 0: instant, the seed's make. */
  readonly brewMillis: number
}

export interface ExplorationSample {
  /** The seed of the simulated run. */
  readonly seed: number
  /** The fault kinds this run's swarm enabled. */
  readonly enabled: ReadonlyArray<FaultKind>
  readonly schedule: ReadonlyArray<ScheduledFault>
  /** The workload drawn for this run (only with `drawWorkload`). */
  readonly workload?: DrawnWorkload
  /** Whether the kernel shuffles its ready queue (only with `drawWorkload`). */
  readonly shuffle?: boolean
}

/**
 * Shortest think time drawn, ms. A user thinks uniformly in [0, think] between operations, so with
 * none a user whose calls fail fast (breaker open, service down) loops thousands of times a simulated
 * second — most of a run's cost for nothing the checkers need; fast-check draws bounds often.
 */
export const MIN_THINK_MILLIS = 200

/** Workloads that shrink toward one user placing orders for one second, the shortest think time, no brew time. */
export const workloadArbitrary = (maxUsers: number, maxDurationMillis: number): fc.Arbitrary<DrawnWorkload> =>
  fc.record({
    users: fc.integer({ min: 1, max: maxUsers }),
    durationMillis: fc.integer({ min: 1, max: Math.max(1, Math.floor(maxDurationMillis / 1_000)) }).map((s) => s * 1_000),
    thinkMillis: fc.integer({ min: MIN_THINK_MILLIS, max: 2_000 }),
    mix: fc.record({ cancel: fc.integer({ min: 0, max: 5 }), status: fc.integer({ min: 0, max: 5 }) }).map((m) => ({
      place: 10,
      cancel: m.cancel,
      status: m.status
    })),
    brewMillis: fc.integer({ min: 0, max: 3_000 })
  })

/** Where in the drawn workload a fault starts, in thousandths of its duration. */
const PERMILLE = 1_000

export const explorationSample = (options: ScheduleOptions): fc.Arbitrary<ExplorationSample> => {
  const kinds = options.kinds ?? FaultKinds
  const draw = options.drawWorkload
  // With a drawn workload, a fault starts within it (a fraction of its length, scaled once it is drawn),
  // so the faults meet traffic; RunScenario's post-heal probe brings traffic after they heal.
  const scheduled = (kind: FaultKind) =>
    fc.record({
      atMillis: draw === undefined
        ? fc.integer({ min: 0, max: Math.max(0, options.horizonMillis - 1) })
        : fc.integer({ min: 0, max: PERMILLE - 1 }),
      durationMillis: fc.integer({ min: 0, max: options.maxDurationMillis ?? 20_000 }),
      fault: faultOf(kind)
    })
  const extra: fc.Arbitrary<Pick<ExplorationSample, "workload" | "shuffle">> = draw === undefined
    ? fc.constant({})
    : fc.record({ workload: workloadArbitrary(draw.maxUsers, options.horizonMillis), shuffle: fc.boolean() })
  const placed = (schedule: ReadonlyArray<ScheduledFault>, workload: DrawnWorkload | undefined) =>
    workload === undefined
      ? schedule
      : schedule.map((f) => ({ ...f, atMillis: Math.floor((f.atMillis * workload.durationMillis) / PERMILLE) }))
  return fc.tuple(
    options.runSeed !== undefined ? fc.constant(options.runSeed) : fc.integer({ min: 0, max: 0x7fffffff }),
    fc.subarray([...kinds], { minLength: 1 })
  ).chain(([seed, enabled]) =>
    fc.tuple(
      fc.array(fc.constantFrom(...enabled).chain(scheduled), { minLength: 0, maxLength: options.maxFaults ?? 4 }),
      extra
    ).map(([schedule, more]): ExplorationSample => ({
      seed,
      enabled,
      schedule: [...placed(schedule, more.workload)].sort((a, b) => a.atMillis - b.atMillis),
      ...more
    }))
  )
}
