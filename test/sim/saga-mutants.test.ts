/**
 * The checkers catch the deliberate defects (DESIGN.md §6): each mutant, on a small scenario that
 * exercises the path it breaks, makes at least one invariant of runScenarioSim fail, while the same
 * scenario and seed without the mutant passes every invariant.
 */
import { describe, expect, it } from "vitest"
import type { Scenario } from "../../src/chaos/Scenario.js"
import type { RunResult as SimRunResult } from "../../src/chaos/RunResult.js"
import { runScenarioSim } from "../../src/sim/world/SimRun.js"
import { constant, uniform } from "../../src/services/Distribution.js"
import type { MutantName } from "../../src/services/Mutants.js"

const fastPayment: Scenario["config"] = { payment: { processing: uniform(50, 150) } }

/** Customers place and cancel while make is down: every cancel happens before the brew. */
const cancelWhileMakeDown: Scenario = {
  name: "test-cancel-while-make-down",
  description: "make down for 5 s while 3 users place and cancel orders",
  seedSection: "test",
  config: fastPayment,
  workload: { users: 3, durationMillis: 4_000, thinkMillis: 300, mix: { place: 0.5, cancel: 0.5, status: 0 } },
  faults: [{ atMillis: 0, durationMillis: 5_000, fault: { _tag: "ServiceDown", service: "make" } }],
  livenessBoundMillis: 60_000
}

/** Payment's answers reach order after its timeout: charged orders that order rejects. */
const slowPaymentAnswers: Scenario = {
  name: "test-slow-payment-answers",
  description: "payment → order answers take 700 ms for 3 s: charges order has given up on",
  seedSection: "test",
  config: fastPayment,
  workload: { users: 2, durationMillis: 3_000, thinkMillis: 200 },
  faults: [{
    atMillis: 0,
    durationMillis: 3_000,
    fault: { _tag: "Slow", from: "payment", to: "order", latency: constant(700) }
  }],
  livenessBoundMillis: 30_000
}

/** Every acknowledgement is lost once: every event is delivered twice to every group. */
const duplicateDeliveries: Scenario = {
  name: "test-duplicate-deliveries",
  description: "every ack lost once for 4 s while 2 users order",
  seedSection: "test",
  config: fastPayment,
  workload: { users: 2, durationMillis: 3_000, thinkMillis: 200 },
  faults: [{ atMillis: 0, durationMillis: 4_000, fault: { _tag: "Duplicate", probability: 1 } }],
  livenessBoundMillis: 30_000
}

const SEED = 11
const baselines = new Map<string, SimRunResult>()
const baseline = (scenario: Scenario) => {
  let result = baselines.get(scenario.name)
  if (result === undefined) baselines.set(scenario.name, result = runScenarioSim(scenario, { seed: SEED }))
  return result
}

const failed = (result: SimRunResult) => result.invariants.filter((i) => !i.ok).map((i) => i.name)

const cases: ReadonlyArray<readonly [MutantName, Scenario, string]> = [
  ["cancel-publishes-made", cancelWhileMakeDown, "no coffee for a cancelled order"],
  ["make-on-payment-only", slowPaymentAnswers, "no coffee for a cancelled order"],
  ["make-no-inbox", duplicateDeliveries, "at most one charge, one coffee and one refund per order"],
  ["double-refund", slowPaymentAnswers, "at most one charge, one coffee and one refund per order"],
  ["timeout-keeps-order", slowPaymentAnswers, "no coffee for a cancelled order"]
]

/** What each scenario must have exercised for its mutants to have a chance to show. */
const exercised: ReadonlyArray<readonly [Scenario, (r: SimRunResult) => void]> = [
  [cancelWhileMakeDown, (r) => {
    // orders were accepted, and some of them were cancelled (refunded) rather than made
    expect(r.metrics.ordersAccepted).toBeGreaterThan(2)
    expect(r.metrics.refunds).toBeGreaterThan(0)
    expect(r.metrics.coffeesMade).toBe(r.metrics.ordersAccepted - r.metrics.refunds)
  }],
  [slowPaymentAnswers, (r) => {
    // charged orders were rejected (503) and refunded
    expect(r.metrics.failed).toBeGreaterThan(0)
    expect(r.metrics.refunds).toBe(r.metrics.failed)
  }],
  [duplicateDeliveries, (r) => {
    expect(r.metrics.ordersAccepted).toBeGreaterThan(2)
    expect(r.metrics.coffeesMade).toBe(r.metrics.ordersAccepted)
  }]
]

describe("mutants are caught by the invariants", () => {
  for (const [scenario, check] of exercised) {
    it(`${scenario.name} passes every invariant without a mutant, and exercises its path`, () => {
      const result = baseline(scenario)
      expect(result.kernel).toBe("Completed")
      expect(failed(result), JSON.stringify(result.invariants, null, 1)).toEqual([])
      check(result)
    })
  }

  for (const [mutant, scenario, invariant] of cases) {
    it(`${mutant} breaks "${invariant}" on ${scenario.name}`, () => {
      const clean = baseline(scenario)
      const mutated = runScenarioSim(scenario, { seed: SEED, mutants: [mutant] })
      expect(mutated.kernel).toBe("Completed")
      expect(mutated.mutants).toEqual([mutant])
      expect(clean.ok).toBe(true)
      expect(mutated.ok).toBe(false)
      expect(failed(mutated)).toContain(invariant)
      const verdict = mutated.invariants.find((i) => i.name === invariant)!
      expect(verdict.detail).toMatch(/^\d+ orders /)
    })
  }
})
