/**
 * BenchExplore: the benchmark's exploration figure — simulated runs per wall second of `explore`
 * through the same worker pool the command uses (ExplorePool.ts), at --jobs 1 and at --jobs 2, each
 * for a fixed wall-time budget, pool start-up included. The target is the catalogue's `random`
 * scenario when there is one; until then happy-path cut to 5 users × 20 simulated s. Default fault
 * kinds, no mutant.
 */
import { catalogueFile, catalogueNames } from "../chaos/scenario/Catalogue.js"
import type { Scenario } from "../chaos/Scenario.js"
import { exploreInPool } from "./ExplorePool.js"
import { loadScenarioFile } from "./Resolve.js"

/** The small exploration target and how a report names it. */
export const exploreBenchTarget = async (): Promise<{ readonly scenario: Scenario; readonly label: string }> => {
  if (catalogueNames().includes("random")) return { scenario: await loadScenarioFile(catalogueFile("random")), label: "random" }
  const happy = await loadScenarioFile(catalogueFile("happy-path"))
  return {
    scenario: { ...happy, name: "happy-path-5x20s", workload: { ...happy.workload, users: 5, durationMillis: 20_000 } },
    label: "happy-path with 5 users × 20 simulated s"
  }
}

const runsPerSecond = async (scenario: Scenario, seed: number, jobs: number, budgetMs: number) => {
  const started = performance.now()
  const result = await exploreInPool({
    scenario,
    scenarioRef: scenario.name,
    seed,
    shard: { index: 1, count: 1 },
    jobs,
    maxSamples: undefined,
    keepGoing: () => performance.now() - started < budgetMs,
    mutants: [],
    maxFaults: 4
  })
  const wallMs = performance.now() - started
  return { runs: result.simulatedRuns, wallMs: Math.round(wallMs), runsPerSecond: Math.round((100 * result.simulatedRuns) / (wallMs / 1000)) / 100 }
}

/** Explore runs/s at --jobs 1, then at --jobs 2, each for `budgetMs` of wall time. */
export const measureExplore = async (seed: number, budgetMs: number) => {
  const target = await exploreBenchTarget()
  const one = await runsPerSecond(target.scenario, seed, 1, budgetMs)
  const two = await runsPerSecond(target.scenario, seed, 2, budgetMs)
  return {
    target: target.label,
    budgetMs,
    jobs1Runs: one.runs,
    jobs1WallMs: one.wallMs,
    jobs1RunsPerSecond: one.runsPerSecond,
    jobs2Runs: two.runs,
    jobs2WallMs: two.wallMs,
    jobs2RunsPerSecond: two.runsPerSecond
  }
}
