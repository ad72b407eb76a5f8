/**
 * The exploration's search (chaos/explore/ExploreSearch.ts) and sample space (SampleSpace.ts): the
 * counterexample is the failing sample of lowest index whatever order the checks finish in and
 * however many run at once; every sample below it is checked first; a spent budget stops the drawing
 * and keeps an unbroken prefix; shards are disjoint and cover every index. The checks here are
 * outcomes as data (which indices fail, how long each takes in event-loop turns), since the search
 * schedules checks and never looks inside them.
 */
import { describe, expect, it } from "vitest"
import type { SampleOutcome } from "../../src/chaos/explore/Explore.js"
import { searchSamples } from "../../src/chaos/explore/ExploreSearch.js"
import { inShard, sampleSeed, shardSample } from "../../src/chaos/explore/SampleSpace.js"

const turns = async (n: number) => {
  for (let i = 0; i < n; i++) await Promise.resolve()
}

/** A check whose sample `index` fails when listed in `failing` and finishes after `delay(index)` turns. */
const checker = (failing: ReadonlySet<number>, delay: (index: number) => number, checked: Array<number>) =>
  async (index: number, seed: number): Promise<SampleOutcome> => {
    checked.push(index)
    await turns(delay(index))
    const ok = !failing.has(index)
    return { seed, runSeed: index, faults: 0, traceHash: `h${index}`, ok, simulatedRuns: ok ? 1 : 5, counterexample: null }
  }

const whole = { index: 1, count: 1 }

describe("explore's search", () => {
  it.each([1, 2, 3, 7])("reports the lowest failing sample, whatever the completion order, at %i jobs", async (jobs) => {
    // Sample 5 fails fast, sample 3 fails slowly: 3 must win, and 0–2 must all be checked.
    const delay = (i: number) => (i === 3 ? 200 : i === 5 ? 1 : 50 - i)
    const checked: Array<number> = []
    const searched = await searchSamples({
      seed: 9, shard: whole, jobs, maxSamples: 20, keepGoing: () => true, check: checker(new Set([3, 5]), delay, checked)
    })
    expect(searched.stoppedBy).toBe("counterexample")
    expect(searched.outcomes.map((o) => o.index)).toEqual([0, 1, 2, 3])
    expect(searched.outcomes.map((o) => o.ok)).toEqual([true, true, true, false])
    expect(searched.outcomes.map((o) => o.seed)).toEqual([0, 1, 2, 3].map((i) => sampleSeed(9, i)))
    expect(Math.max(...checked)).toBeLessThan(3 + jobs + 1)
  })

  it("checks every sample up to --runs when none fails, in a shard's indices", async () => {
    const checked: Array<number> = []
    const searched = await searchSamples({
      seed: 1, shard: { index: 2, count: 3 }, jobs: 2, maxSamples: 4, keepGoing: () => true, check: checker(new Set(), (i) => i % 3, checked)
    })
    expect(searched.stoppedBy).toBe("runs")
    expect(searched.outcomes.map((o) => o.index)).toEqual([1, 4, 7, 10])
    expect(checked.sort((a, b) => a - b)).toEqual([1, 4, 7, 10])
  })

  it("stops drawing when the budget says so and keeps the unbroken prefix of samples checked", async () => {
    let asked = 0
    const searched = await searchSamples({
      seed: 1, shard: whole, jobs: 2, maxSamples: undefined, keepGoing: () => ++asked <= 5, check: checker(new Set(), (i) => 10 - i, [])
    })
    expect(searched.stoppedBy).toBe("time-budget")
    expect(searched.outcomes.map((o) => o.index)).toEqual([0, 1, 2, 3, 4, 5])
  })

  it("fails when a check below the counterexample fails to run", async () => {
    const search = searchSamples({
      seed: 1, shard: whole, jobs: 2, maxSamples: 5, keepGoing: () => true,
      check: async (index) => {
        await turns(3)
        throw new Error(`worker lost at ${index}`)
      }
    })
    await expect(search).rejects.toThrow("worker lost at 0")
  })
})

describe("the sample space", () => {
  it("divides indices into disjoint shards that cover them all", () => {
    for (const count of [1, 2, 4, 7]) {
      const owners = Array.from({ length: 100 }, (_, i) => [...Array(count).keys()].filter((s) => inShard({ index: s + 1, count }, i)))
      expect(owners.every((o) => o.length === 1)).toBe(true)
      for (let s = 1; s <= count; s++) {
        for (let k = 0; k < 10; k++) expect(inShard({ index: s, count }, shardSample({ index: s, count }, k))).toBe(true)
      }
    }
  })

  it("gives each index its own seed, from the exploration's seed and the index alone", () => {
    const seeds = Array.from({ length: 1000 }, (_, i) => sampleSeed(1, i))
    expect(new Set(seeds).size).toBe(1000)
    expect(sampleSeed(1, 7)).toBe(seeds[7])
    expect(sampleSeed(2, 7)).not.toBe(seeds[7])
  })
})
