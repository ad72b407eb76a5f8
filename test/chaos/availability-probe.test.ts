/**
 * RunScenario's probes: a fault that outlasts the workload (as explore's drawn schedules often do)
 * still lets "availability recovers after faults heal" be judged — a baseline probe orders before the
 * faults and a post-heal probe orders after them (one user while the services recover, the workload's
 * users once orders count) — so a pool that leaks a slot per timed-out call is caught once everything
 * else is well again; and the probes' orders stay out of the metrics.
 */
import { describe, expect, it } from "vitest"
import type { ScheduledFault } from "../../src/chaos/faults/Fault.js"
import type { HistoryEntry } from "../../src/chaos/history/History.js"
import type { RunResult } from "../../src/chaos/RunResult.js"
import type { Scenario } from "../../src/chaos/Scenario.js"
import { constant, uniform } from "../../src/services/Distribution.js"
import type { MutantName } from "../../src/services/MutantNames.js"
import { runScenarioSim } from "../../src/sim/world/SimRun.js"

const NAME = "availability recovers after faults heal"

/** payment answers order 700 ms late from 0.5 s to 6 s, while users order for 3 s only. */
const lateAnswers: ScheduledFault = {
  atMillis: 500,
  durationMillis: 5_500,
  fault: { _tag: "Slow", from: "payment", to: "order", latency: constant(700) }
}

const scenario = (faults: ReadonlyArray<ScheduledFault>): Scenario => ({
  name: "test-probe",
  description: "5 users order for 3 s; the fault lasts past their end",
  config: { payment: { processing: uniform(50, 150) } },
  workload: { users: 5, durationMillis: 3_000, thinkMillis: 100 },
  faults,
  livenessBoundMillis: 30_000
})

const runs = new Map<string, RunResult>()
const run = (faults: ReadonlyArray<ScheduledFault>, mutants: ReadonlyArray<MutantName> = []) => {
  const key = JSON.stringify([faults, mutants])
  let result = runs.get(key)
  if (result === undefined) runs.set(key, result = runScenarioSim(scenario(faults), { seed: 5, mutants, keepHistory: true }))
  return result
}
const availability = (result: RunResult) => result.invariants.find((i) => i.name === NAME)!

type Outcome = Extract<HistoryEntry, { type: "ok" | "fail" | "info" }>
/** Every answered or unanswered order placement (what the metrics count as transactions). */
const places = (result: RunResult) =>
  (result.history ?? []).filter((e): e is Outcome => (e.type === "ok" || e.type === "fail" || e.type === "info") && e.op === "place")

describe("probes around the faults", { timeout: 120_000 }, () => {
  it("judge availability although the fault outlasts the workload", () => {
    const verdict = availability(run([lateAnswers]))
    expect(verdict.detail).not.toMatch(/^not judged/)
    expect(verdict.ok).toBe(true)
  })

  it("catch a pool that leaks a slot per timed-out call once the fault has healed", () => {
    const verdict = availability(run([lateAnswers], ["bulkhead-leaks-on-timeout"]))
    expect(verdict).toMatchObject({ ok: false, detail: expect.stringContaining("below the fault-free") })
  })

  it("place orders before the first fault and after the heal, outside the workload's metrics", () => {
    const result = run([lateAnswers])
    const all = places(result)
    const history = result.history ?? []
    const safetyStart = history.find((e) => e.type === "fault" && e.phase === "start")!.t - lateAnswers.atMillis
    const healed = history.find((e) => e.type === "fault" && e.phase === "end")!.t
    const invokedAt = (o: Outcome) => o.t - o.latencyMs
    const baseline = all.filter((o) => invokedAt(o) < safetyStart)
    const postHeal = all.filter((o) => invokedAt(o) >= healed)
    expect(baseline.length).toBeGreaterThanOrEqual(5)
    expect(postHeal.length).toBeGreaterThanOrEqual(10)
    expect(result.metrics.transactions).toBe(all.length - baseline.length - postHeal.length)
  })

  it("order with one user, every 2 s on average, until orders count, then with the workload's users", () => {
    const result = run([lateAnswers])
    const history = result.history ?? []
    const healed = history.find((e) => e.type === "fault" && e.phase === "end")!.t
    const countsFrom = Number(/from (\d+) ms on/.exec(availability(result).detail)![1])
    const invokedAt = (o: Outcome) => o.t - o.latencyMs
    const trickle = places(result).filter((o) => invokedAt(o) >= healed && invokedAt(o) < countsFrom)
    expect(countsFrom - healed).toBeGreaterThanOrEqual(5_000)
    expect(trickle.length).toBeGreaterThan(0)
    // One user thinking up to 4 s (2 s on average): at most about one order in 1.5 s; the workload's 5
    // users thinking up to 0.1 s would place fifty times as many.
    expect(trickle.length).toBeLessThanOrEqual((countsFrom - healed) / 1_500)
    trickle.slice(1).forEach((o, i) => expect(invokedAt(o)).toBeGreaterThanOrEqual(trickle[i]!.t))
    const counted = places(result).filter((o) => invokedAt(o) >= countsFrom && invokedAt(o) < countsFrom + 1_000)
    expect(counted.length).toBeGreaterThan(1)
  })

  it("are not run without faults", () => {
    const result = run([])
    expect(availability(result).detail).toBe("not judged: no fault was injected")
    expect(result.metrics.transactions).toBe(places(result).length)
  })
})
