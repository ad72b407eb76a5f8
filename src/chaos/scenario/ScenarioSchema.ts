/**
 * ScenarioSchema: what a scenario file (scenarios/*.yaml, or a user's own) may say, as an Effect
 * Schema — decoded from the file's form (faults tagged by `kind`, latencies as `{ millis }` or
 * `{ minMillis, maxMillis }`) into the Scenario the runner takes (chaos/Scenario.ts). Unknown fields
 * are errors, so a typo is reported rather than ignored.
 *
 * Faults modelled: every fault of chaos/faults/Fault.ts, by its `kind`.
 */
import { Schema } from "effect"
import { type Distribution } from "../../services/Distribution.js"
import { MutantNames } from "../../services/MutantNames.js"
import { ServiceNames } from "../../services/ports/ServiceDirectory.js"
import { Fault } from "../faults/Fault.js"

const Millis = Schema.NonNegativeInt
const Service = Schema.Literal(...ServiceNames)
const opt = <S extends Schema.Schema.Any>(s: S) => Schema.optional(s)

/** A latency: `{ millis: 5 }` (constant) or `{ minMillis: 50, maxMillis: 150 }` (uniform). */
export const FileDistribution = Schema.transform(
  Schema.Union(
    Schema.Struct({ millis: Millis }),
    Schema.Struct({ minMillis: Millis, maxMillis: Millis })
  ),
  Schema.typeSchema(Schema.Union(
    Schema.TaggedStruct("Constant", { millis: Schema.Number }),
    Schema.TaggedStruct("Uniform", { minMillis: Schema.Number, maxMillis: Schema.Number })
  )),
  {
    strict: true,
    decode: (d): Distribution => ("millis" in d ? { _tag: "Constant", millis: d.millis } : { _tag: "Uniform", ...d }),
    encode: (d) => (d._tag === "Constant" ? { millis: d.millis } : { minMillis: d.minMillis, maxMillis: d.maxMillis })
  }
)

/** The fault kinds a file may name, and their fields (the same as Fault.ts's, with `kind` for `_tag`). */
const fileFault = () => {
  const members = Fault.members.map((member) => {
    const { _tag, ...fields }: Record<string, Schema.Struct.Field> = { ...member.fields }
    const tag = (_tag as unknown as { readonly ast: { readonly type: { readonly literal: string } } }).ast.type.literal
    if ("latency" in fields) fields.latency = FileDistribution
    return Schema.Struct({ kind: Schema.Literal(tag), ...fields })
  })
  return Schema.transform(Schema.Union(...members), Schema.typeSchema(Fault), {
    strict: false,
    decode: ({ kind, ...rest }: { readonly kind: string }) => ({ ...rest, _tag: kind }),
    encode: ({ _tag, ...rest }: { readonly _tag: string }) => ({ ...rest, kind: _tag })
  })
}
export const FileFault = fileFault()

export const FileScheduledFault = Schema.Struct({
  /** Ms after the run starts. */
  atMillis: Millis,
  /** How long the fault lasts before it is healed. */
  durationMillis: Millis,
  fault: FileFault
})

const BreakerOverrides = Schema.Struct({
  /** Start from Hystrix's defaults or resilience4j's. Default: hystrix. */
  preset: opt(Schema.Literal("hystrix", "resilience4j")),
  slidingWindowType: opt(Schema.Literal("count", "time")),
  slidingWindowSize: opt(Schema.Int.pipe(Schema.positive())),
  minimumNumberOfCalls: opt(Schema.Int.pipe(Schema.positive())),
  failureRateThreshold: opt(Schema.Number.pipe(Schema.between(0, 100))),
  slowCallRateThreshold: opt(Schema.Number.pipe(Schema.between(0, 100))),
  slowCallDurationThresholdMillis: opt(Millis),
  waitDurationInOpenStateMillis: opt(Millis),
  permittedNumberOfCallsInHalfOpenState: opt(Schema.Int.pipe(Schema.positive()))
})

/** Overrides of the services' configuration (services/SagaConfig.ts documents every default). */
export const ConfigOverrides = Schema.Struct({
  payment: opt(Schema.Struct({ processing: opt(FileDistribution) })),
  order: opt(Schema.Struct({
    paymentTimeoutMillis: opt(Millis),
    maxConcurrentPaymentCalls: opt(Schema.Int.pipe(Schema.positive())),
    abandonPendingAfterMillis: opt(Millis),
    sweepEveryMillis: opt(Schema.Int.pipe(Schema.positive())),
    breaker: opt(BreakerOverrides)
  })),
  make: opt(Schema.Struct({
    brew: opt(FileDistribution),
    brewLeaseMillis: opt(Millis),
    brewSweepMillis: opt(Schema.Int.pipe(Schema.positive()))
  })),
  messaging: opt(Schema.Struct({
    relayPollMillis: opt(Schema.Int.pipe(Schema.positive())),
    relayLeaseMillis: opt(Schema.Int.pipe(Schema.positive())),
    readCount: opt(Schema.Int.pipe(Schema.positive())),
    readBlockMillis: opt(Millis),
    claimIdleMillis: opt(Millis),
    claimEveryMillis: opt(Schema.Int.pipe(Schema.positive())),
    maxDeliveries: opt(Schema.Int.pipe(Schema.positive())),
    retryBackoffMillis: opt(Millis)
  }))
})
export type ConfigOverrides = typeof ConfigOverrides.Type

export const Workload = Schema.Struct({
  /** Concurrent users (siege -c). Default: 100. */
  users: opt(Schema.Int.pipe(Schema.positive())),
  /** How long users keep sending, ms (siege -t). Default: 60 000. */
  durationMillis: opt(Millis),
  /** Stop each user after this many operations (siege -r). Default: until the deadline. */
  repetitions: opt(Schema.Int.pipe(Schema.positive())),
  /** Pause between a user's operations, uniform in [0, thinkMillis]. Default: 0. */
  thinkMillis: opt(Millis),
  /** Relative weights of the operations. Default: place only (the seed's siege). */
  mix: opt(Schema.Struct({ place: Schema.NonNegative, cancel: Schema.NonNegative, status: Schema.NonNegative })),
  /** A call with no answer after this long is recorded as info. Default: 30 000 ms. */
  timeoutMillis: opt(Schema.Int.pipe(Schema.positive())),
  /** Delay before the first request. Default: 0. */
  startMillis: opt(Millis)
})

export const MetricNames = [
  "availability",
  "transactions",
  "successful",
  "failed",
  "p50Ms",
  "p95Ms",
  "p99Ms",
  "ordersAccepted",
  "coffeesMade",
  "refunds",
  "breakerOpened",
  "failFast",
  "deadLetters",
  "livenessRestarts",
  "orderReplicasPeak"
] as const

export const Threshold = Schema.Struct({
  metric: Schema.Literal(...MetricNames),
  op: Schema.Literal(">=", "<=", ">", "<", "=="),
  value: Schema.Number,
  /** What the threshold shows, for reports. */
  why: Schema.String,
  /**
   * The live world's own bound where the sim's exact one depends on the machine's speed (real
   * processes on shared cores): judged there instead of op and value, why says why. Default: the same.
   */
  live: opt(Schema.Struct({ op: Schema.Literal(">=", "<=", ">", "<", "=="), value: Schema.Number, why: Schema.String }))
})

export const ScenarioSchema = Schema.Struct({
  name: Schema.String.pipe(Schema.pattern(/^[a-z0-9][a-z0-9-]*$/, { message: () => "a lower-case name of letters, digits and dashes" })),
  description: Schema.String,
  /** The section of the seed document the scenario mirrors. */
  seedSection: opt(Schema.String),
  /** Replicas per service. Default: 1 each. */
  replicas: opt(Schema.partial(Schema.Record({ key: Service, value: Schema.Int.pipe(Schema.positive()) }))),
  config: opt(ConfigOverrides),
  workload: opt(Workload),
  /** Faults during the safety phase. Default: none. */
  faults: opt(Schema.Array(FileScheduledFault)),
  /** Bound of the liveness phase after the workload ends and every fault heals. Default: 60 000 ms. */
  livenessBoundMillis: opt(Millis),
  /** A HorizontalPodAutoscaler started with the world. Default: none. */
  autoscale: opt(Schema.Struct({
    service: Service,
    cpuPercent: Schema.Int.pipe(Schema.positive()),
    min: Schema.Int.pipe(Schema.positive()),
    max: Schema.Int.pipe(Schema.positive())
  })),
  thresholds: opt(Schema.Array(Threshold)),
  /**
   * `explore` draws the workload per sample (users, mix, think time, brew time, duration, shuffle),
   * this scenario's workload being the ceiling (at most its users, for at most its duration). Default: false.
   */
  drawWorkload: opt(Schema.Boolean),
  /** Mutants the scenario switches on itself (for demonstrations of the checkers). Default: none. */
  mutants: opt(Schema.Array(Schema.Literal(...(Object.keys(MutantNames) as [keyof typeof MutantNames]))))
})
