/**
 * Explore's drawn workload (FaultScheduleArbitrary.ts): within the scenario's ceiling, the same for the
 * same seed, users thinking at least MIN_THINK_MILLIS, faults starting while it runs, and shrinking toward one user for one second
 * with the shortest think time, no brew time and no shuffle; the swarm
 * knows every in-service fault kind.
 */
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import {
  type ExplorationSample,
  explorationSample,
  FaultKinds,
  MIN_THINK_MILLIS
} from "../../src/chaos/explore/FaultScheduleArbitrary.js"

const arbitrary = explorationSample({ horizonMillis: 20_000, runSeed: 1, drawWorkload: { maxUsers: 5 } })

describe("drawn workload", () => {
  it("stays within the ceiling and is the same for the same seed", () => {
    const a = fc.sample(arbitrary, { seed: 42, numRuns: 50 })
    expect(fc.sample(arbitrary, { seed: 42, numRuns: 50 })).toEqual(a)
    for (const s of a) {
      expect(s.workload!.users).toBeGreaterThanOrEqual(1)
      expect(s.workload!.users).toBeLessThanOrEqual(5)
      expect(s.workload!.durationMillis).toBeLessThanOrEqual(20_000)
      expect(s.workload!.thinkMillis).toBeGreaterThanOrEqual(MIN_THINK_MILLIS)
      expect(typeof s.shuffle).toBe("boolean")
      for (const f of s.schedule) expect(f.atMillis).toBeLessThan(s.workload!.durationMillis)
    }
    expect(a.some((s) => s.schedule.some((f) => f.atMillis > 0))).toBe(true)
  })
  it("shrinks to one user for one second, instant brews, no shuffle, no faults", () => {
    const details = fc.check(fc.property(arbitrary, () => false), { seed: 7, numRuns: 1 })
    const [shrunk] = details.counterexample! as [ExplorationSample]
    expect(shrunk.workload).toMatchObject({ users: 1, durationMillis: 1_000, thinkMillis: MIN_THINK_MILLIS, brewMillis: 0 })
    expect(shrunk.shuffle).toBe(false)
    expect(shrunk.schedule).toEqual([])
  })
  it("is not drawn without drawWorkload", () => {
    const [s] = fc.sample(explorationSample({ horizonMillis: 20_000, runSeed: 1 }), { seed: 1, numRuns: 1 })
    expect(s!.workload).toBeUndefined()
  })
  it("the swarm includes the in-service faults, rolls and scaling", () => {
    expect(FaultKinds).toEqual(expect.arrayContaining(["SqlSlow", "SqlFail", "HandlerDelay", "CrashPoint", "Roll", "Scale"]))
  })
})
