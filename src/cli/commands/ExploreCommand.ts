/**
 * `starcoffee explore [<scenario>] (default: random) [--runs N] [--time-budget T] [--seed N] [--jobs N] [--shard i/n]
 * [--mutant NAME]... [--max-faults N] [--faults K,K] [--out DIR] [--json]`: property-based exploration of fault
 * schedules (fast-check, swarm testing, shrinking), its samples checked on worker threads; writes
 * explore.json and the exploration's report to --out (default reports/explore-<scenario>-<seed>/).
 * Exit 0 when nothing was found, 1 with a shrunk counterexample and the command that replays it.
 */
import { availableParallelism } from "node:os"
import { join } from "node:path"
import type { ExploreResult } from "../../chaos/explore/ExploreResult.js"
import type { Parsed } from "../Args.js"
import { formatBudget, parseShard, parseTimeBudget } from "../ExploreFlags.js"
import { exploreProgress } from "../ExploreProgress.js"
import { parseNonNegativeInt, UsageError } from "../UsageError.js"
import { resolveFaultKinds, resolveJobs, resolveMutants, resolveScenario } from "../Resolve.js"

/** How the exploration ran on this machine (the only fields that differ with --jobs). */
export interface ExploreTiming {
  readonly jobs: number
  readonly wallMs: number
  /** Simulated runs (exploration and shrinking) per wall second. */
  readonly runsPerSecond: number
  readonly timeBudgetMs: number | null
}

/** The JSON of DESIGN.md §7, plus what replay and reports need. */
export const exploreJson = (r: ExploreResult, definition: unknown, timing: ExploreTiming) => ({
  scenario: r.scenario,
  /** The scenario itself, in its file form: replay needs nothing else, wherever it runs. */
  definition,
  seed: r.seed,
  shard: r.shard,
  runs: r.runs,
  simulatedRuns: r.simulatedRuns,
  ok: r.ok,
  stoppedBy: r.stoppedBy,
  ...timing,
  mutants: r.mutants,
  maxFaults: r.maxFaults,
  kinds: r.kinds,
  failure: r.failure,
  samples: r.samples
})

const printResult = async (r: ExploreResult, timing: ExploreTiming) => {
  const { describeFault } = await import("../../chaos/faults/Fault.js")
  const how = `${r.simulatedRuns} simulated runs in ${(timing.wallMs / 1000).toFixed(1)} s wall, ` +
    `${timing.runsPerSecond} runs/s on ${timing.jobs} job${timing.jobs === 1 ? "" : "s"}`
  const where = `shard ${r.shard}, seed ${r.seed}${r.stoppedBy === "time-budget" ? `, stopped by the ${formatBudget(timing.timeBudgetMs!)} time budget` : ""}`
  if (r.failure === null) {
    console.log(`PASS  ${r.scenario}: ${r.runs} samples (${where}), no invariant broken; ${how}`)
    return
  }
  const f = r.failure
  console.log(`FAIL  ${r.scenario}: ${f.invariant}`)
  for (const d of f.details) console.log(`      ✗ ${d}`)
  console.log(`      found in sample ${f.index} (sample seed ${f.seed}), ${r.runs} samples checked (${where}); ${how}`)
  console.log(`      shrunk to run seed ${f.runSeed} with ${f.schedule.length} extra faults:`)
  for (const s of f.schedule) console.log(`        at ${s.atMillis} ms for ${s.durationMillis} ms: ${describeFault(s.fault)}`)
  console.log(`      replay: ${f.replay}`)
}

export const exploreCommand = async ({ positionals, values }: Parsed): Promise<number> => {
  const timeBudgetMs = parseTimeBudget(values["time-budget"] as string | undefined)
  const runs = values.runs === undefined && timeBudgetMs !== undefined
    ? undefined
    : parseNonNegativeInt("runs", values.runs as string | undefined, 50)
  if (runs === 0) throw new UsageError("--runs must be at least 1")
  const seed = parseNonNegativeInt("seed", values.seed as string | undefined, 1)
  const maxFaults = parseNonNegativeInt("max-faults", values["max-faults"] as string | undefined, 4)
  const jobs = resolveJobs(values.jobs, availableParallelism())
  const shard = parseShard(values.shard as string | undefined)
  const mutants = resolveMutants(values)
  const kinds = await resolveFaultKinds(values.faults)
  // No scenario given: `random`, whose workload explore draws per sample (scenarios/random.yaml).
  const scenario = await resolveScenario(positionals[0] ?? "random")
  const { exploreInPool } = await import("../ExplorePool.js")
  const progress = exploreProgress(
    { title: `explore ${scenario.name}`, jobs, runs, budgetMillis: timeBudgetMs },
    !values.json && Boolean(process.stderr.isTTY)
  )
  const started = performance.now()
  const result = await exploreInPool({
    scenario,
    scenarioRef: positionals[0] ?? scenario.name,
    seed,
    shard,
    jobs,
    maxSamples: runs,
    keepGoing: () => timeBudgetMs === undefined || performance.now() - started < timeBudgetMs,
    mutants,
    maxFaults,
    ...(kinds ? { kinds } : {}),
    onRun: progress.run,
    onSample: progress.sample
  }).finally(progress.stop)
  const wallMs = Math.round(performance.now() - started)
  const timing: ExploreTiming = {
    jobs,
    wallMs,
    runsPerSecond: Math.round((100 * result.simulatedRuns) / Math.max(0.001, wallMs / 1000)) / 100,
    timeBudgetMs: timeBudgetMs ?? null
  }
  const definition = (await import("../../chaos/scenario/ScenarioFile.js")).encodeScenario(scenario)
  const json = exploreJson(result, definition, timing)
  const { defaultExploreDir } = await import("../../report/ReportPaths.js")
  const out = typeof values.out === "string" ? values.out : defaultExploreDir(scenario.name, seed)
  const written = (await import("../ExploreReportOut.js")).writeExploreOut(out, result, json, scenario)
  if (values.json) console.log(JSON.stringify(json))
  else {
    await printResult(result, timing)
    const check = written.traceHashMatches === null ? "" : written.traceHashMatches ? "; the counterexample re-ran to the same trace hash" : "; WARNING: the counterexample's re-run gave another trace hash"
    console.log(`report: ${join(out, "index.html")} (written in ${written.ms} ms${check})`)
  }
  return result.ok ? 0 : 1
}
