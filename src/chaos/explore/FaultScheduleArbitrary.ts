/**
 * FaultScheduleArbitrary: fast-check generators of fault schedules for exploration, with swarm
 * testing (as FoundationDB's and TigerBeetle's simulators): each sample first picks what its swarm
 * enables — one or two layers of the system (network, pods, pod resources, broker, the services' own
 * steps; FaultLayers), a few fault kinds of each, and one or two target services — then draws a
 * schedule of those kinds aimed at those services only, so a sample hits one place several times
 * instead of everything once, and runs differ in their mix of faults and not just in their timing.
 *
 * A sample may also draw the workload (for a scenario without one, such as `random`): users, the mix
 * of places, cancels and status reads, think time, make's brew time, and how long users send — and
 * whether the kernel shuffles its ready queue; its faults then start within the drawn workload, so they
 * meet traffic. Everything shrinks: fewer and shorter faults, fewer
 * users, a shorter workload, instant brews, no shuffle.
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
export const Services = ["order", "payment", "make", "mypage"] as const
export type TargetService = (typeof Services)[number]
/** Links inside the system plus the client's link to the gateway. */
const Links = [
  ["gateway", "order"],
  ["order", "payment"],
  ["payment", "order"],
  ["client", "gateway"],
  ["gateway", "mypage"]
] as const
/** Services that compare clocks across pods (outbox relay leases, order's sweeper, make's brew claims): mypage has none. */
const ClockedServices: ReadonlyArray<TargetService> = ["order", "payment", "make"]

/**
 * The layers of the system a fault attacks, and the swarm's weight of each. The swarm enables one or
 * two layers per sample, then some kinds of each, so a sample's faults are a few kinds hitting one
 * layer hard rather than one fault of everything: the layers weigh the same whatever their number of
 * kinds (the pods' six would otherwise crowd out the broker's duplicates), and the services' own
 * steps — where a crash, a failed or slow statement lands between a commit and a publish — weigh double:
 * their bugs need a fault at one precise step, where a pod or link fault shows at once.
 */
export const FaultLayers: ReadonlyArray<{ readonly layer: string; readonly kinds: ReadonlyArray<FaultKind>; readonly weight: number }> = [
  { layer: "network", kinds: ["Slow", "Partition", "Drop"], weight: 1 },
  { layer: "pods", kinds: ["Kill", "Hang", "Restart", "ServiceDown", "Scale", "Roll"], weight: 1 },
  { layer: "pod resources", kinds: ["ClockSkew", "CpuHog"], weight: 1 },
  { layer: "broker", kinds: ["BrokerOutage", "BrokerSlow", "Duplicate"], weight: 1 },
  { layer: "in-service", kinds: ["SqlSlow", "SqlFail", "HandlerDelay", "CrashPoint"], weight: 2 }
]

/**
 * Most services a sample's faults aim at. The swarm picks one or two target services per sample and
 * every fault that names a service (or a pod, or a link) aims at them, so a sample drives several
 * faults into the same service's work instead of spreading one over each.
 */
const MAX_TARGETS = 2

/** What the swarm enabled for one sample: fault kinds, and the services their faults aim at. */
export interface Swarm {
  readonly enabled: ReadonlyArray<FaultKind>
  readonly targets: ReadonlyArray<TargetService>
}

/** One or two of the layers that have kinds among `kinds` (by weight), then a non-empty subset of each, and the target services. */
export const swarmArbitrary = (kinds: ReadonlyArray<FaultKind>): fc.Arbitrary<Swarm> => {
  const layers = FaultLayers
    .map((l) => ({ ...l, kinds: l.kinds.filter((k) => kinds.includes(k)) }))
    .filter((l) => l.kinds.length > 0)
  const layer = fc.oneof(...layers.map((l, i) => ({ weight: l.weight, arbitrary: fc.constant(i) })))
  const enabled = fc.uniqueArray(layer, { minLength: 1, maxLength: Math.min(2, layers.length) })
    .chain((chosen) => fc.tuple(...chosen.map((i) => fc.subarray([...layers[i]!.kinds], { minLength: 1 }))))
    .map((subsets) => FaultKinds.filter((k) => subsets.some((s) => s.includes(k))))
  const targets = fc.uniqueArray(fc.constantFrom(...Services), { minLength: 1, maxLength: MAX_TARGETS })
  return fc.record({ enabled, targets })
}

/** Log-uniform crash points, 1 to 1 000 steps: a make pod takes about ten steps a second under load, an order pod about a hundred (measured). */
const crashSteps = fc.integer({ min: 0, max: 30 }).map((k) => Math.round(10 ** (k / 10)))

/** A fault of `kind` aimed at `targets` (services, their pods, or links touching them; any link when none does). */
export const faultOf = (kind: FaultKind, targets: ReadonlyArray<TargetService> = Services): fc.Arbitrary<Fault> => {
  const service = fc.constantFrom(...targets)
  const clocked = ClockedServices.filter((s) => targets.includes(s))
  const clockedService = fc.constantFrom(...(clocked.length > 0 ? clocked : ClockedServices))
  const touching = Links.filter(([a, b]) => targets.some((t) => t === a || t === b))
  const link = fc.constantFrom(...(touching.length > 0 ? touching : Links))
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
      // The gateway's handlers too (it is never a target of its own), one time in four.
      return fc.tuple(fc.oneof({ weight: 3, arbitrary: service }, { weight: 1, arbitrary: fc.constant("gateway" as const) }), fc.integer({ min: 1, max: 1_000 })).map(
        ([s, ms]): Fault => ({ _tag: "HandlerDelay", service: s, latency: { _tag: "Uniform", minMillis: 0, maxMillis: ms } })
      )
    case "CrashPoint":
      return fc.tuple(service, crashSteps).map(([s, afterSteps]): Fault => ({
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
  /** The services its faults aim at. */
  readonly targets: ReadonlyArray<TargetService>
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

/**
 * make's brew time: instant (the seed's make, which decides and brews in one transaction) half the
 * time, otherwise up to 3 s (a brewer finishes it later, so a cancel or a second brewer can race it).
 * The two are different code paths, each with its own bugs; shrinks toward instant.
 */
const brewMillis = fc.oneof({ withCrossShrink: true }, fc.constant(0), fc.integer({ min: 1, max: 3_000 }))

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
    brewMillis
  })

/**
 * A sample's faults: none one time in ten (a bug that needs no fault still shows, and a counterexample
 * shrinks to no fault when none is needed), otherwise 1 to `maxFaults` — a swarm sample exists to put
 * its enabled kinds to work.
 */
const faultList = <A>(fault: fc.Arbitrary<A>, maxFaults: number): fc.Arbitrary<Array<A>> =>
  maxFaults <= 0
    ? fc.constant([])
    : fc.oneof(
      { withCrossShrink: true },
      { weight: 1, arbitrary: fc.constant<Array<A>>([]) },
      { weight: 9, arbitrary: fc.array(fault, { minLength: 1, maxLength: maxFaults }) }
    )

/** Where in the drawn workload a fault starts, in thousandths of its duration. */
const PERMILLE = 1_000

export const explorationSample = (options: ScheduleOptions): fc.Arbitrary<ExplorationSample> => {
  const kinds = options.kinds ?? FaultKinds
  const draw = options.drawWorkload
  // With a drawn workload, a fault starts within it (a fraction of its length, scaled once it is drawn),
  // so the faults meet traffic; RunScenario's post-heal probe brings traffic after they heal.
  const scheduled = (kind: FaultKind, targets: ReadonlyArray<TargetService>) =>
    fc.record({
      atMillis: draw === undefined
        ? fc.integer({ min: 0, max: Math.max(0, options.horizonMillis - 1) })
        : fc.integer({ min: 0, max: PERMILLE - 1 }),
      durationMillis: fc.integer({ min: 0, max: options.maxDurationMillis ?? 20_000 }),
      fault: faultOf(kind, targets)
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
    swarmArbitrary(kinds)
  ).chain(([seed, { enabled, targets }]) =>
    fc.tuple(
      faultList(fc.constantFrom(...enabled).chain((kind) => scheduled(kind, targets)), options.maxFaults ?? 4),
      extra
    ).map(([schedule, more]): ExplorationSample => ({
      seed,
      enabled,
      targets,
      schedule: [...placed(schedule, more.workload)].sort((a, b) => a.atMillis - b.atMillis),
      ...more
    }))
  )
}
