/**
 * BenchExplore: the benchmark's exploration figure — simulated runs per wall second of `explore`
 * through the same worker pool the command uses (ExplorePool.ts), at --jobs 1 and at --jobs 2, each
 * in a fresh pool for twice a wall-time budget: the rate in the first window (pool start-up and the
 * workers' JIT warm-up included) and in the second (warm workers). The target is the catalogue's `random`
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

const perSecond = (runs: number, ms: number) => Math.round((100 * runs) / (ms / 1000)) / 100

/**
 * Runs of an exploration that goes on for `2 × budgetMs` of wall time in a fresh pool: the rate over
 * the first `budgetMs` (pool start-up and V8's warm-up of every worker included, what a short
 * `explore` sees), and over the second (warm workers, what a long one sees).
 */
const runsPerSecond = async (scenario: Scenario, seed: number, jobs: number, budgetMs: number) => {
  const started = performance.now()
  let coldRuns = 0
  let warmRuns = 0
  await exploreInPool({
    scenario,
    scenarioRef: scenario.name,
    seed,
    shard: { index: 1, count: 1 },
    jobs,
    maxSamples: undefined,
    keepGoing: () => performance.now() - started < 2 * budgetMs,
    onRun: () => {
      if (performance.now() - started < budgetMs) coldRuns++
      else warmRuns++
    },
    mutants: [],
    maxFaults: 4
  })
  const wallMs = performance.now() - started
  return {
    runs: coldRuns,
    wallMs: Math.round(budgetMs),
    runsPerSecond: perSecond(coldRuns, budgetMs),
    warmRuns,
    warmWallMs: Math.round(wallMs - budgetMs),
    warmRunsPerSecond: perSecond(warmRuns, wallMs - budgetMs)
  }
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
    jobs1WarmRuns: one.warmRuns,
    jobs1WarmWallMs: one.warmWallMs,
    jobs1WarmRunsPerSecond: one.warmRunsPerSecond,
    jobs2Runs: two.runs,
    jobs2WallMs: two.wallMs,
    jobs2RunsPerSecond: two.runsPerSecond,
    jobs2WarmRuns: two.warmRuns,
    jobs2WarmWallMs: two.warmWallMs,
    jobs2WarmRunsPerSecond: two.warmRunsPerSecond
  }
}
