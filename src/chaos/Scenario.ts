/**
 * Scenario: a workload, a fault schedule, the topology and configuration it runs with, and the
 * thresholds its behaviour is judged by — plain data, decoded from a scenario file by
 * scenario/ScenarioSchema.ts (scenarios/*.yaml, or a user's own file). The same scenario runs in
 * either world (chaos/world/World.ts).
 */
import { Duration } from "effect"
import { CircuitBreakerOptions } from "../services/resilience/CircuitBreaker.js"
import { defaultSagaConfig, type SagaConfigShape } from "../services/SagaConfig.js"
import type { ScenarioSchema, Threshold as ThresholdSchema } from "./scenario/ScenarioSchema.js"

export type Scenario = typeof ScenarioSchema.Type
export type Threshold = typeof ThresholdSchema.Type
export type MetricName = Threshold["metric"]

const defined = <T extends object>(o: T | undefined): Partial<T> =>
  Object.fromEntries(Object.entries(o ?? {}).filter(([, v]) => v !== undefined)) as Partial<T>

/** The breaker options a scenario's overrides describe, over the preset they name. */
const breakerOf = (base: CircuitBreakerOptions, o: NonNullable<NonNullable<Scenario["config"]>["order"]>["breaker"]) => {
  if (!o) return base
  const { preset, slowCallDurationThresholdMillis, waitDurationInOpenStateMillis, ...rest } = o
  const from = preset ? CircuitBreakerOptions[preset] : base
  return {
    ...from,
    ...defined(rest),
    ...(slowCallDurationThresholdMillis !== undefined ? { slowCallDurationThreshold: Duration.millis(slowCallDurationThresholdMillis) } : {}),
    ...(waitDurationInOpenStateMillis !== undefined ? { waitDurationInOpenState: Duration.millis(waitDurationInOpenStateMillis) } : {})
  }
}

/** The services' configuration for a scenario: its overrides merged over the defaults. */
export const scenarioConfig = (scenario: Scenario, defaults: SagaConfigShape = defaultSagaConfig): SagaConfigShape => {
  const c = scenario.config
  if (!c) return defaults
  const { breaker, ...order } = c.order ?? {}
  return {
    ...defaults,
    payment: { ...defaults.payment, ...defined(c.payment) },
    order: { ...defaults.order, ...defined(order), breaker: breakerOf(defaults.order.breaker, breaker) },
    make: { ...defaults.make, ...defined(c.make) },
    messaging: { ...defaults.messaging, ...defined(c.messaging) }
  }
}

/** Planned length of a scenario's safety phase: its workload or its last fault, whichever ends later. */
export const plannedMillis = (scenario: Scenario): number => {
  const workload = (scenario.workload?.startMillis ?? 0) + (scenario.workload?.durationMillis ?? 60_000)
  const faults = (scenario.faults ?? []).map((f) => f.atMillis + f.durationMillis)
  return Math.max(workload, ...faults)
}
