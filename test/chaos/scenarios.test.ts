/**
 * Every scenario of the catalogue, seed 1, in the simulated world: each one's safety and liveness
 * invariants and its own behaviour thresholds hold (the seed's operations sections: breaker, make or
 * payment down, partition, broker outage, rolling updates with and without readiness, liveness,
 * autoscaling).
 */
import { describe, expect, it } from "vitest"
import { scenarios } from "../../scenarios/index.js"
import { runScenarioSim } from "../../src/chaos/SimRun.js"

describe("scenario catalogue", () => {
  it.each(scenarios.map((s) => [s.name, s] as const))("%s holds every invariant and threshold", (_name, scenario) => {
    const result = runScenarioSim(scenario, { seed: 1 })
    const broken = result.invariants.filter((i) => !i.ok).map((i) => `${i.name}: ${i.detail}`)
    expect(broken).toEqual([])
    expect(result.kernel).toBe("Completed")
    expect(result.ok).toBe(true)
    // every scenario's thresholds were evaluated, not just the built-in invariants
    expect(result.invariants.filter((i) => i.kind === "behaviour")).toHaveLength(scenario.thresholds?.length ?? 0)
  }, 120_000)
})
