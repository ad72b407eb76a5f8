/**
 * `starcoffee explore <scenario> [--runs N] [--seed N] [--mutant NAME]... [--max-faults N] [--out DIR] [--json]`:
 * property-based exploration of fault schedules (fast-check, swarm testing, shrinking). Exit 0 when
 * nothing was found, 1 with a shrunk counterexample and the command that replays it.
 */
import { mkdirSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import type { ExploreResult } from "../../chaos/explore/Explore.js"
import type { Parsed } from "../Args.js"
import { progressBar } from "../Progress.js"
import { parseNonNegativeInt, UsageError } from "../UsageError.js"
import { resolveMutants, resolveScenario } from "../Resolve.js"

/** The JSON of DESIGN.md §7, plus what replay needs. */
export const exploreJson = (r: ExploreResult, definition: unknown) => ({
  scenario: r.scenario,
  /** The scenario itself, in its file form: replay needs nothing else, wherever it runs. */
  definition,
  runs: r.runs,
  simulatedRuns: r.simulatedRuns,
  ok: r.ok,
  mutants: r.mutants,
  failure: r.failure
})

export const exploreCommand = async ({ positionals, values }: Parsed): Promise<number> => {
  const runs = parseNonNegativeInt("runs", values.runs as string | undefined, 50)
  if (runs === 0) throw new UsageError("--runs must be at least 1")
  const seed = parseNonNegativeInt("seed", values.seed as string | undefined, 1)
  const maxFaults = parseNonNegativeInt("max-faults", values["max-faults"] as string | undefined, 4)
  const mutants = resolveMutants(values)
  const scenario = await resolveScenario(positionals[0])
  const { explore } = await import("../../chaos/explore/Explore.js")
  const { runScenarioSim } = await import("../../sim/world/SimRun.js")
  const { describeFault } = await import("../../chaos/faults/Fault.js")
  const bar = progressBar(`explore ${scenario.name}`, !values.json && Boolean(process.stderr.isTTY))
  const result = explore(scenario, {
    run: runScenarioSim,
    scenarioRef: positionals[0] ?? scenario.name,
    runs,
    seed,
    mutants,
    maxFaults,
    onRun: (n, failed) => bar.update(failed ? runs : n, runs, failed ? `found a failure, shrinking (${n} runs)` : `${n}/${runs} runs`)
  })
  bar.finish()
  const definition = (await import("../../chaos/scenario/ScenarioFile.js")).encodeScenario(scenario)
  if (typeof values.out === "string") {
    mkdirSync(values.out, { recursive: true })
    writeFileSync(join(values.out, "explore.json"), JSON.stringify(exploreJson(result, definition), null, 2) + "\n")
  }
  if (values.json) {
    console.log(JSON.stringify(exploreJson(result, definition)))
  } else if (result.ok) {
    console.log(`PASS  ${scenario.name}: ${result.runs} samples, no invariant broken (fast-check seed ${seed})`)
  } else {
    const f = result.failure!
    console.log(`FAIL  ${scenario.name}: ${f.invariant}`)
    for (const d of f.details) console.log(`      ✗ ${d}`)
    console.log(`      after ${result.simulatedRuns} simulated runs; shrunk to run seed ${f.runSeed} with ${f.schedule.length} extra faults:`)
    for (const s of f.schedule) {
      console.log(`        at ${s.atMillis} ms for ${s.durationMillis} ms: ${describeFault(s.fault)}`)
    }
    console.log(`      replay: ${f.replay}`)
  }
  return result.ok ? 0 : 1
}
