/**
 * The order-of-events checkers and the schedule properties (chaos/invariants/HistoryInvariants.ts)
 * each catch a deliberate defect that no other check catches: on a small scenario that exercises the
 * defect's path, the run without the mutant passes every check, and the run with it breaks exactly
 * that one check. Removing a checker from its list makes its test fail.
 */
import { describe, expect, it } from "vitest"
import type { RunResult } from "../../src/chaos/RunResult.js"
import type { Scenario } from "../../src/chaos/Scenario.js"
import { constant, uniform } from "../../src/services/Distribution.js"
import type { MutantName } from "../../src/services/MutantNames.js"
import { runScenarioSim } from "../../src/sim/world/SimRun.js"

const fastPayment: Scenario["config"] = { payment: { processing: uniform(50, 150) } }

const scenario = (name: string, s: Omit<Scenario, "name" | "description" | "seedSection">): Scenario => ({
  name,
  description: name,
  seedSection: "test",
  livenessBoundMillis: 30_000,
  ...s
})

/**
 * Two users order for 3 s while the broker delivers each message 0–400 ms late: make may get an
 * order's payment long before the order itself, while order has long placed it.
 */
const slowBroker = scenario("test-slow-broker", {
  config: fastPayment,
  workload: { users: 2, durationMillis: 3_000, thinkMillis: 200 },
  faults: [{ atMillis: 0, durationMillis: 3_000, fault: { _tag: "BrokerSlow", minMillis: 0, maxMillis: 400 } }]
})

/** payment is down for 2 s: orders are rejected before any charge, and payment voids them once back. */
const paymentDown = scenario("test-payment-down", {
  config: fastPayment,
  workload: { users: 2, durationMillis: 4_000, thinkMillis: 200 },
  faults: [{ atMillis: 0, durationMillis: 2_000, fault: { _tag: "ServiceDown", service: "payment" } }]
})

/** make is down for 4 s while customers place orders and read their status. */
const readWhileMakeDown = scenario("test-read-while-make-down", {
  config: fastPayment,
  workload: { users: 3, durationMillis: 4_000, thinkMillis: 100, mix: { place: 0.4, cancel: 0, status: 0.6 } },
  faults: [{ atMillis: 0, durationMillis: 4_000, fault: { _tag: "ServiceDown", service: "make" } }]
})

/** make is down for 4 s while customers place, cancel and read: cancellations stay pending a while. */
const cancelWhileMakeDown = scenario("test-cancel-while-make-down", {
  config: fastPayment,
  workload: { users: 3, durationMillis: 4_000, thinkMillis: 100, mix: { place: 0.4, cancel: 0.3, status: 0.3 } },
  faults: [{ atMillis: 0, durationMillis: 4_000, fault: { _tag: "ServiceDown", service: "make" } }]
})

/** One of two order pods is killed: its replacement runs a while before its readiness probe passes. */
const replaceOrderPod = scenario("test-replace-order-pod", {
  config: fastPayment,
  replicas: { order: 2 },
  workload: { users: 2, durationMillis: 8_000, thinkMillis: 200 },
  faults: [{ atMillis: 500, durationMillis: 0, fault: { _tag: "Kill", service: "order", replica: 0 } }]
})

/** order ↔ payment partitioned for 5 s under 10 users: the calls time out and the breaker opens. */
const partitioned = scenario("test-partitioned", {
  config: fastPayment,
  workload: { users: 10, durationMillis: 7_000, thinkMillis: 100 },
  faults: [{ atMillis: 0, durationMillis: 5_000, fault: { _tag: "Partition", a: "order", b: "payment", oneWay: false } }]
})

/** payment answers order late for 2 s between two stretches of normal ordering: timed-out calls. */
const lateAnswers = scenario("test-late-answers", {
  config: fastPayment,
  workload: { users: 5, durationMillis: 30_000, thinkMillis: 100 },
  faults: [{ atMillis: 3_000, durationMillis: 2_000, fault: { _tag: "Slow", from: "payment", to: "order", latency: constant(700) } }]
})

const SEED = 3
const cache = new Map<string, RunResult>()
const run = (s: Scenario, mutants: ReadonlyArray<MutantName> = []) => {
  const key = `${s.name} ${mutants.join(",")}`
  let result = cache.get(key)
  if (result === undefined) cache.set(key, result = runScenarioSim(s, { seed: SEED, mutants }))
  return result
}
const broken = (r: RunResult) => r.invariants.filter((i) => !i.ok).map((i) => i.name)
const verdict = (r: RunResult, name: string) => r.invariants.find((i) => i.name === name)!

/**
 * Checks a mutant breaks besides its own, and why. make-on-payment-only: the probes around the faults
 * (RunScenario.ts) order with the broker fast, so make's coffee reaches order before order has placed
 * the order itself, which then never finishes — end-state checks see that; with the broker slow only
 * the order-of-events checker does.
 */
const alsoBroken: Partial<Record<MutantName, ReadonlyArray<string>>> = {
  "make-on-payment-only": ["every accepted order terminates", "every order settles"]
}

const cases: ReadonlyArray<readonly [MutantName, Scenario, string]> = [
  ["make-on-payment-only", slowBroker, "each coffee after make received its payment and order"],
  ["void-publishes-refund", paymentDown, "each refund after a charge"],
  ["mypage-made-when-paid", readWhileMakeDown, "customer answers agree with what was recorded"],
  ["mypage-cancel-shows-rejected", cancelWhileMakeDown, "mypage shows only statuses the order had"],
  ["gateway-ignores-readiness", replaceOrderPod, "requests routed only to ready pods"],
  ["breaker-never-opens", partitioned, "breakers follow their configured policy"],
  ["bulkhead-leaks-on-timeout", lateAnswers, "availability recovers after faults heal"]
]

describe("order-of-events checkers and schedule properties catch their mutants", { timeout: 600_000 }, () => {
  for (const [mutant, s, check] of cases) {
    it(`${mutant}: "${check}" breaks on ${s.name} (and no other, unless listed); without it every check holds`, () => {
      const clean = run(s)
      expect(clean.kernel).toBe("Completed")
      expect(broken(clean), JSON.stringify(clean.invariants, null, 1)).toEqual([])
      expect(verdict(clean, check).detail).not.toMatch(/^not judged/)
      const mutated = run(s, [mutant])
      expect(mutated.kernel).toBe("Completed")
      expect(broken(mutated), JSON.stringify(mutated.invariants, null, 1)).toEqual([check, ...(alsoBroken[mutant] ?? [])])
    })
  }
})
