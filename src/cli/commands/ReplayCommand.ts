/**
 * `starcoffee replay <explore.json> [--json]` or
 * `starcoffee replay --scenario S --seed N --max-faults N [--faults K,K] --path P [--mutant NAME]... [--json]`:
 * re-runs a counterexample found by explore — from its file (run seed + schedule, and the trace hash
 * must match byte for byte), or from the failing sample's own fast-check seed and path (whatever
 * the exploration's seed, shard, runs or jobs were). Exit 1 when the invariant fails again
 * (reproduced), 0 when the run passes.
 */
import { readFileSync } from "node:fs"
import { Either, ParseResult, Schema } from "effect"
import { ScheduledFault } from "../../chaos/faults/Fault.js"
import { checkSample, withSample } from "../../chaos/explore/Explore.js"
import { runScenarioSim } from "../../sim/world/SimRun.js"
import { isMutantName } from "../../services/MutantNames.js"
import type { Parsed } from "../Args.js"
import { parseNonNegativeInt, UsageError } from "../UsageError.js"
import { resolveFaultKinds, resolveMode, resolveMutants, resolveScenario } from "../Resolve.js"

const ExploreFile = Schema.Struct({
  scenario: Schema.String,
  definition: Schema.optional(Schema.Unknown),
  mutants: Schema.Array(Schema.String),
  failure: Schema.Struct({
    runSeed: Schema.NonNegativeInt,
    schedule: Schema.Array(ScheduledFault),
    traceHash: Schema.String,
    invariant: Schema.String,
    /** A drawn workload (scenarios with drawWorkload, e.g. random) and the ready-queue shuffle. */
    workload: Schema.optional(Schema.Struct({
      users: Schema.Int,
      durationMillis: Schema.NonNegativeInt,
      thinkMillis: Schema.NonNegativeInt,
      mix: Schema.Struct({ place: Schema.Number, cancel: Schema.Number, status: Schema.Number }),
      brewMillis: Schema.NonNegativeInt
    })),
    shuffle: Schema.optional(Schema.Boolean)
  })
})

const readExploreFile = (file: string) => {
  let text: string
  try {
    text = readFileSync(file, "utf8")
  } catch (error) {
    throw new UsageError(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? "error"}`)
  }
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch {
    throw new UsageError(`${file} is not JSON`)
  }
  const decoded = Schema.decodeUnknownEither(ExploreFile)(json)
  if (Either.isLeft(decoded)) {
    const [issue] = ParseResult.ArrayFormatter.formatErrorSync(decoded.left)
    const where = issue && issue.path.length > 0 ? `${issue.path.join(".")}: ` : ""
    throw new UsageError(`${file} is not an explore result with a failure: ${where}${issue?.message ?? "invalid"}`)
  }
  return decoded.right
}

const decodeEmbedded = async (where: string, value: unknown) => {
  const { decodeScenario, ScenarioFileError } = await import("../../chaos/scenario/ScenarioFile.js")
  try {
    return decodeScenario(where, value)
  } catch (error) {
    if (error instanceof ScenarioFileError) throw new UsageError(error.message)
    throw error
  }
}

export const replayCommand = async ({ positionals, values }: Parsed): Promise<number> => {
  const mode = resolveMode(values.mode)
  if (mode === "live" && positionals[0] === undefined) throw new UsageError("replay --mode live takes an explore.json file")
  if (mode === "sim" && values["time-scale"] !== undefined) throw new UsageError("--time-scale applies to --mode live only")
  if (positionals[0] !== undefined) {
    const file = readExploreFile(positionals[0])
    const scenario = file.definition === undefined
      ? await resolveScenario(file.scenario)
      : await decodeEmbedded(`${positionals[0]} (definition)`, file.definition)
    const mutants = file.mutants.map((m) => {
      if (!isMutantName(m)) throw new UsageError(`${positionals[0]}: unknown mutant "${m}"`)
      return m
    })
    if (mode === "live") {
      const { replayLive } = await import("../ReplayLive.js")
      const { runSeed, schedule, invariant } = file.failure
      return replayLive({ scenario, mutants, runSeed, schedule, invariant }, { timeScale: values["time-scale"], json: values.json === true })
    }
    const result = runScenarioSim(withSample(scenario, file.failure.schedule, file.failure.workload), {
      seed: file.failure.runSeed,
      mutants,
      ...(file.failure.shuffle ? { shuffle: true } : {})
    })
    const broken = result.invariants.filter((i) => !i.ok && i.kind !== "behaviour")
    const sameTrace = result.traceHash === file.failure.traceHash
    if (values.json) {
      console.log(JSON.stringify({ scenario: scenario.name, reproduced: broken.length > 0, sameTrace, traceHash: result.traceHash, invariants: result.invariants }))
    } else {
      console.log(`${broken.length > 0 ? "REPRODUCED" : "NOT REPRODUCED"}  ${scenario.name} (run seed ${file.failure.runSeed})`)
      for (const b of broken) console.log(`      ✗ ${b.name}: ${b.detail}`)
      console.log(`      trace ${result.traceHash.slice(0, 16)} ${sameTrace ? "matches the explored run byte for byte" : "DIFFERS from the explored run"}`)
    }
    return broken.length > 0 ? 1 : 0
  }
  if (values.scenario === undefined || values.seed === undefined || values.path === undefined) {
    throw new UsageError("give an explore.json file, or --scenario, --seed and --path")
  }
  const scenario = await resolveScenario(values.scenario as string)
  const seed = parseNonNegativeInt("seed", values.seed as string, 1)
  const path = values.path as string
  if (!/^\d+(:\d+)*$/.test(path)) throw new UsageError(`--path must look like 0:12:3, got "${path}"`)
  const maxFaults = parseNonNegativeInt("max-faults", values["max-faults"] as string | undefined, 4)
  const mutants = resolveMutants(values)
  const kinds = await resolveFaultKinds(values.faults)
  let outcome
  try {
    outcome = checkSample(scenario, { run: runScenarioSim, maxFaults, mutants, ...(kinds ? { kinds } : {}) }, seed, path)
  } catch (error) {
    throw new UsageError(`fast-check cannot replay path ${path} with seed ${seed} and --max-faults ${maxFaults}: ${(error as Error).message.split("\n")[0]}`)
  }
  const c = outcome.counterexample
  if (values.json) {
    console.log(JSON.stringify({ scenario: scenario.name, reproduced: c !== null, seed, path, traceHash: c?.traceHash ?? outcome.traceHash, failure: c }))
  } else {
    console.log(`${c ? "REPRODUCED" : "NOT REPRODUCED"}  ${scenario.name} (sample seed ${seed}, path ${path})`)
    for (const d of c?.details ?? []) console.log(`      ✗ ${d}`)
    console.log(`      trace ${(c?.traceHash ?? outcome.traceHash).slice(0, 16)}`)
  }
  return c ? 1 : 0
}
