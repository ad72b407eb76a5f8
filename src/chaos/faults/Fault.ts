/**
 * The fault model, one for both worlds: each fault has a start and an end (its duration), and a
 * schema so scenario files are validated before a run.
 *
 * Faults modelled here: kill a pod, hang a pod, crash-restart a container, scale a Deployment, roll
 * a Deployment to a new version (with or without readiness), take a service down (replicas 0), slow a link
 * (latency), partition two groups (symmetric or one-way), drop requests on a link, broker outage,
 * slow broker delivery, duplicate deliveries, clock skew and drift on a pod, a CPU hog on a pod; and
 * inside the services (BUGGIFY, sim only): SQL statements that take time (SqlSlow) or fail (SqlFail),
 * handlers delayed between their steps (HandlerDelay), a pod crashed after its Nth step (CrashPoint).
 */
import { Schema } from "effect"
import { describe as describeDistribution, Distribution } from "../../services/Distribution.js"
import { ServiceNames } from "../../services/ports/ServiceDirectory.js"

const Service = Schema.Literal(...ServiceNames)
/** A link end: a service, or "client" for the workload. */
const Node = Schema.Literal(...ServiceNames, "client")

export const Fault = Schema.Union(
  Schema.TaggedStruct("Kill", { service: Service, replica: Schema.optionalWith(Schema.Int, { default: () => 0 }) }),
  Schema.TaggedStruct("Hang", { service: Service, replica: Schema.optionalWith(Schema.Int, { default: () => 0 }) }),
  Schema.TaggedStruct("Restart", { service: Service, replica: Schema.optionalWith(Schema.Int, { default: () => 0 }) }),
  Schema.TaggedStruct("Scale", { service: Service, replicas: Schema.NonNegativeInt }),
  Schema.TaggedStruct("Roll", {
    service: Service,
    /** Whether the new pods have a readiness probe. Default: true. */
    readiness: Schema.optionalWith(Schema.Boolean, { default: () => true })
  }),
  Schema.TaggedStruct("ServiceDown", { service: Service }),
  Schema.TaggedStruct("Slow", { from: Node, to: Node, latency: Distribution }),
  Schema.TaggedStruct("Partition", { a: Node, b: Node, oneWay: Schema.optionalWith(Schema.Boolean, { default: () => false }) }),
  Schema.TaggedStruct("Drop", { from: Node, to: Node, probability: Schema.Number.pipe(Schema.between(0, 1)) }),
  Schema.TaggedStruct("BrokerOutage", {}),
  Schema.TaggedStruct("BrokerSlow", { minMillis: Schema.NonNegativeInt, maxMillis: Schema.NonNegativeInt }),
  Schema.TaggedStruct("Duplicate", { probability: Schema.Number.pipe(Schema.between(0, 1)) }),
  Schema.TaggedStruct("ClockSkew", {
    service: Service,
    replica: Schema.optionalWith(Schema.Int, { default: () => 0 }),
    /** Added to the true time, ms; negative: the clock is behind. */
    offsetMillis: Schema.Int,
    /** Rate the clock gains (0.05: 50 ms per true second, 5 % fast). Default: 0. */
    driftPerSecond: Schema.optionalWith(Schema.Number.pipe(Schema.between(-0.5, 0.5)), { default: () => 0 })
  }),
  Schema.TaggedStruct("CpuHog", {
    service: Service,
    replica: Schema.optionalWith(Schema.Int, { default: () => 0 }),
    /** Share of the replica's CPU taken by the hog, in [0, 0.99]. */
    fraction: Schema.Number.pipe(Schema.between(0, 0.99))
  }),
  /** Each SQL statement of the service first waits a drawn time. */
  Schema.TaggedStruct("SqlSlow", { service: Service, latency: Distribution }),
  /** Each SQL statement of the service fails with this probability and SQLite error. */
  Schema.TaggedStruct("SqlFail", {
    service: Service,
    probability: Schema.Number.pipe(Schema.between(0, 1)),
    /** Default: SQLITE_BUSY. */
    code: Schema.optionalWith(Schema.Literal("SQLITE_BUSY", "SQLITE_IOERR"), { default: () => "SQLITE_BUSY" as const })
  }),
  /** The service's handlers wait a drawn time at each step: event received, publish, ack, outgoing call. */
  Schema.TaggedStruct("HandlerDelay", { service: Service, latency: Distribution }),
  /** The replica crashes (in place) right after its next `afterSteps` steps of work, if the fault lasts that long. */
  Schema.TaggedStruct("CrashPoint", {
    service: Service,
    replica: Schema.optionalWith(Schema.Int, { default: () => 0 }),
    afterSteps: Schema.Int.pipe(Schema.positive())
  })
)
export type Fault = typeof Fault.Type

export const ScheduledFault = Schema.Struct({
  /** Simulated ms after the run starts. */
  atMillis: Schema.NonNegativeInt,
  /** How long the fault lasts before it is healed. */
  durationMillis: Schema.NonNegativeInt,
  fault: Fault
})
export type ScheduledFault = typeof ScheduledFault.Type

export const describeFault = (fault: Fault): string => {
  switch (fault._tag) {
    case "Kill":
    case "Hang":
      return `${fault._tag.toLowerCase()} ${fault.service}#${fault.replica}`
    case "Restart":
      return `restart ${fault.service}#${fault.replica}`
    case "Scale":
      return `scale ${fault.service} to ${fault.replicas}`
    case "Roll":
      return `roll ${fault.service}${fault.readiness ? "" : " without readiness"}`
    case "ServiceDown":
      return `${fault.service} down`
    case "Slow":
      return `slow ${fault.from}→${fault.to}`
    case "Partition":
      return `partition ${fault.a}${fault.oneWay ? "→" : "↔"}${fault.b}`
    case "Drop":
      return `drop ${fault.from}→${fault.to} p=${fault.probability}`
    case "BrokerOutage":
      return "broker down"
    case "BrokerSlow":
      return `broker slow ${fault.minMillis}–${fault.maxMillis} ms`
    case "Duplicate":
      return `duplicate deliveries p=${fault.probability}`
    case "ClockSkew":
      return `clock of ${fault.service}#${fault.replica} ${fault.offsetMillis >= 0 ? "+" : ""}${fault.offsetMillis} ms${fault.driftPerSecond ? ` drifting ${fault.driftPerSecond * 1000} ms/s` : ""}`
    case "CpuHog":
      return `CPU hog on ${fault.service}#${fault.replica} (${Math.round(fault.fraction * 100)} %)`
    case "SqlSlow":
      return `SQL of ${fault.service} slow ${describeDistribution(fault.latency)}`
    case "SqlFail":
      return `SQL of ${fault.service} fails ${fault.code} p=${fault.probability}`
    case "HandlerDelay":
      return `handlers of ${fault.service} delayed ${describeDistribution(fault.latency)} per step`
    case "CrashPoint":
      return `crash ${fault.service}#${fault.replica} after ${fault.afterSteps} steps`
  }
}
