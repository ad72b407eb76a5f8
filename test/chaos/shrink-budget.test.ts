/**
 * Explore's shrink budget (Explore.ts `maxShrinkRuns`): once a failing sample has taken its budget of
 * simulated runs, shrinking stops with the smallest failure found so far, marked `shrinkCut`; the
 * counterexample still fails when replayed from its path; with a budget to spare nothing is cut.
 */
import { describe, expect, it } from "vitest"
import { checkSample } from "../../src/chaos/explore/Explore.js"
import { sampleSeed } from "../../src/chaos/explore/SampleSpace.js"
import { readScenarioFile } from "../../src/chaos/scenario/ScenarioFile.js"
import { runScenarioSim } from "../../src/sim/world/SimRun.js"

const random = readScenarioFile("scenarios/random.yaml")
// make-on-payment-only breaks sample 1 of seed 1 with only slow links enabled, shrinking in 16 runs.
const options = { run: runScenarioSim, mutants: ["make-on-payment-only" as const], kinds: ["Slow" as const] }
const seed = sampleSeed(1, 1)

describe("shrink budget", { timeout: 300_000 }, () => {
  it("stops shrinking after its runs and reports the smallest failure so far", () => {
    const cut = checkSample(random, { ...options, maxShrinkRuns: 3 }, seed)
    expect(cut.ok).toBe(false)
    expect(cut.simulatedRuns).toBe(1 + 3)
    expect(cut.counterexample?.shrinkCut).toBe(true)
    const replayed = checkSample(random, options, seed, cut.counterexample!.path)
    expect(replayed.ok).toBe(false)
    expect(replayed.counterexample?.traceHash).toBe(cut.counterexample!.traceHash)
  })

  it("cuts nothing with runs to spare", () => {
    const whole = checkSample(random, { ...options, maxShrinkRuns: 1_000 }, seed)
    expect(whole.ok).toBe(false)
    expect(whole.simulatedRuns).toBeGreaterThan(4)
    expect(whole.counterexample?.shrinkCut).toBeUndefined()
  })
})
