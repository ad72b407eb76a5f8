/**
 * FaultScheduleArbitrary: fast-check generators of fault schedules for exploration, with swarm
 * testing — each sample first picks which fault kinds are enabled, then draws a schedule from those
 * kinds only, so runs differ in their mix of faults and not just in their timing.
 *
 * Faults modelled: kill, hang and crash-restart of a pod; a service down; slow, partitioned and lossy
 * links; broker outage, slow delivery and duplicate delivery; clock skew and drift of a pod; a CPU
 * hog on a pod (chaos/faults/Fault.ts).
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
  "CpuHog"
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
const link = fc.constantFrom(...Links)

const faultOf = (kind: FaultKind): fc.Arbitrary<Fault> => {
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
      return fc.tuple(service, fc.integer({ min: -30_000, max: 30_000 }), fc.integer({ min: -50, max: 50 })).map(
        ([s, offsetMillis, drift]): Fault => ({ _tag: "ClockSkew", service: s, replica: 0, offsetMillis, driftPerSecond: drift / 1000 })
      )
    case "CpuHog":
      return fc.tuple(service, fc.integer({ min: 10, max: 99 })).map(
        ([s, percent]): Fault => ({ _tag: "CpuHog", service: s, replica: 0, fraction: percent / 100 })
      )
  }
}

export interface ScheduleOptions {
  /** Faults start within [0, horizonMillis). */
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
}

export interface ExplorationSample {
  /** The seed of the simulated run. */
  readonly seed: number
  /** The fault kinds this run's swarm enabled. */
  readonly enabled: ReadonlyArray<FaultKind>
  readonly schedule: ReadonlyArray<ScheduledFault>
}

export const explorationSample = (options: ScheduleOptions): fc.Arbitrary<ExplorationSample> => {
  const kinds = options.kinds ?? FaultKinds
  const scheduled = (kind: FaultKind) =>
    fc.record({
      atMillis: fc.integer({ min: 0, max: Math.max(0, options.horizonMillis - 1) }),
      durationMillis: fc.integer({ min: 0, max: options.maxDurationMillis ?? 20_000 }),
      fault: faultOf(kind)
    })
  return fc.tuple(
    options.runSeed !== undefined ? fc.constant(options.runSeed) : fc.integer({ min: 0, max: 0x7fffffff }),
    fc.subarray([...kinds], { minLength: 1 })
  ).chain(([seed, enabled]) =>
    fc.array(fc.constantFrom(...enabled).chain(scheduled), { minLength: 0, maxLength: options.maxFaults ?? 4 }).map(
      (schedule): ExplorationSample => ({ seed, enabled, schedule: [...schedule].sort((a, b) => a.atMillis - b.atMillis) })
    )
  )
}
