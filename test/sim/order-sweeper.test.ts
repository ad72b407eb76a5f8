/**
 * order's sweeper rejects the Pending orders whose pod died mid-call, and only those: a pod whose
 * clock is skewed (ahead or behind the pod that created an order) must not reject another pod's
 * orders still in flight — it once compared the creator's `created_at` with its own clock, and a
 * +20 s skew on one of two order pods turned 5 of 108 orders into 503s.
 */
import { describe, expect, it } from "vitest"
import type { ScheduledFault } from "../../src/chaos/faults/Fault.js"
import type { Scenario } from "../../src/chaos/Scenario.js"
import { uniform } from "../../src/services/Distribution.js"
import { runScenarioSim } from "../../src/sim/world/SimRun.js"

const scenario = (faults: ReadonlyArray<ScheduledFault>): Scenario => ({
  name: "test-order-sweeper",
  description: "two order pods, slow payments, users placing orders",
  replicas: { order: 2 },
  config: { payment: { processing: uniform(300, 500) } },
  workload: { users: 4, durationMillis: 15_000, thinkMillis: 300, mix: { place: 1, cancel: 0, status: 0 } },
  faults,
  livenessBoundMillis: 30_000
})

const skew = (offsetMillis: number): ScheduledFault => ({
  atMillis: 3_000,
  durationMillis: 8_000,
  fault: { _tag: "ClockSkew", service: "order", replica: 0, offsetMillis, driftPerSecond: 0 }
})

const run = (faults: ReadonlyArray<ScheduledFault>) => runScenarioSim(scenario(faults), { seed: 1, keepHistory: true })
const abandoned = (result: ReturnType<typeof run>) =>
  (result.history ?? []).filter((e) => e.type === "note" && e.note._tag === "OrderAbandoned")

describe("order's sweeper", () => {
  it.each([20_000, -20_000])("a clock skewed by %i ms abandons no order in flight", (offset) => {
    const result = run([skew(offset)])
    expect(abandoned(result)).toEqual([])
    expect(result.metrics.failed).toBe(0)
    expect(result.invariants.filter((i) => !i.ok)).toEqual([])
  })

  it("abandons the Pending orders of a pod that died mid-call, and they settle", () => {
    // order-0 dies while its payment calls are in flight (each takes 300–500 ms): order-1 rejects them.
    const result = run([{ atMillis: 4_000, durationMillis: 0, fault: { _tag: "Kill", service: "order", replica: 0 } }])
    expect(abandoned(result).length).toBeGreaterThan(0)
    expect(result.invariants.filter((i) => !i.ok && i.kind !== "behaviour")).toEqual([])
  })
})
