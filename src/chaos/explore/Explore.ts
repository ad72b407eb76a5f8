/**
 * Explore: property-based exploration of a scenario (DESIGN.md §6). fast-check draws a run seed, a
 * swarm of enabled fault kinds and a fault schedule; each sample is one simulated run of the scenario
 * with those faults added (safety phase, then liveness phase); the property is "every safety and
 * liveness invariant holds" (the scenario's behaviour thresholds assume its own faults, so they are
 * not judged under extra ones). A failure is shrunk by fast-check to a minimal schedule and reported with the
 * fast-check seed and path that reproduce it, and the run seed and schedule that replay it directly.
 *
 * Faults modelled: those of FaultScheduleArbitrary.ts, on top of the scenario's own.
 */
import fc from "fast-check"
import type { MutantName } from "../../services/Mutants.js"
import type { ScheduledFault } from "../faults/Fault.js"
import type { Scenario } from "../Scenario.js"
import type { RunResult } from "../RunResult.js"
import { type ExplorationSample, explorationSample, type FaultKind, FaultKinds } from "./FaultScheduleArbitrary.js"

/** Runs a scenario from a run seed in some world (the sim world's is sim/world/SimRun.ts runScenarioSim). */
export type ScenarioRunner = (
  scenario: Scenario,
  options: { readonly seed: number; readonly mutants: ReadonlyArray<MutantName> }
) => RunResult

export interface ExploreOptions {
  /** How each sample is run. */
  readonly run: ScenarioRunner
  /** How the command line named the scenario (a name or a file), for the replay command. Default: its name. */
  readonly scenarioRef?: string
  /** Samples to try before declaring nothing found. Default: 50. */
  readonly runs?: number
  /** fast-check's seed: the same seed explores the same samples. Default: 1. */
  readonly seed?: number
  /** Mutants to switch on. Default: none. */
  readonly mutants?: ReadonlyArray<MutantName>
  /** Fault kinds the swarm may enable. Default: all of FaultKinds. */
  readonly kinds?: ReadonlyArray<FaultKind>
  /** Most extra faults per run. Default: 4. */
  readonly maxFaults?: number
  /** Called after every simulated run (exploration and shrinking), for progress. Default: none. */
  readonly onRun?: (runsSoFar: number, failedSoFar: boolean) => void
  /**
   * Replay exactly one sample: fast-check's path of a reported failure (with the same seed and the
   * same `runs`, which fast-check's generation depends on).
   */
  readonly path?: string
}

export interface ExploreFailure {
  /** fast-check's seed and path: `replay --seed S --path P` reproduces the shrunk sample. */
  readonly seed: number
  readonly path: string
  /** The invariants and thresholds the shrunk run broke. */
  readonly invariant: string
  readonly details: ReadonlyArray<string>
  /** The simulated run's own seed and the shrunk extra faults: replay them without fast-check. */
  readonly runSeed: number
  readonly enabled: ReadonlyArray<FaultKind>
  readonly schedule: ReadonlyArray<ScheduledFault>
  readonly traceHash: string
  readonly replay: string
}

export interface ExploreResult {
  readonly scenario: string
  readonly runs: number
  readonly simulatedRuns: number
  readonly ok: boolean
  readonly mutants: ReadonlyArray<MutantName>
  readonly failure: ExploreFailure | null
}

/** The scenario with a sample's faults added to its own. */
export const withSample = (scenario: Scenario, schedule: ReadonlyArray<ScheduledFault>): Scenario => ({
  ...scenario,
  faults: [...(scenario.faults ?? []), ...schedule]
})

const workloadMillis = (scenario: Scenario) => scenario.workload?.durationMillis ?? 60_000

export const explore = (scenario: Scenario, options: ExploreOptions): ExploreResult => {
  const mutants = options.mutants ?? []
  const seed = options.seed ?? 1
  const runs = options.runs ?? 50
  let simulatedRuns = 0
  let failedSoFar = false
  const arbitrary = explorationSample({
    horizonMillis: workloadMillis(scenario),
    kinds: options.kinds ?? FaultKinds,
    ...(options.maxFaults !== undefined ? { maxFaults: options.maxFaults } : {})
  })
  const runSample = (sample: ExplorationSample): RunResult => {
    const result = options.run(withSample(scenario, sample.schedule), { seed: sample.seed, mutants })
    simulatedRuns++
    if (result.invariants.some((i) => !i.ok && i.kind !== "behaviour")) failedSoFar = true
    options.onRun?.(simulatedRuns, failedSoFar)
    return result
  }
  const holds = (result: RunResult) => result.invariants.every((i) => i.ok || i.kind === "behaviour")
  const details = fc.check(fc.property(arbitrary, (sample) => holds(runSample(sample))), {
    seed,
    numRuns: runs,
    ...(options.path !== undefined ? { path: options.path } : {})
  })
  if (!details.failed || details.counterexample === null) {
    return { scenario: scenario.name, runs: details.numRuns, simulatedRuns, ok: true, mutants, failure: null }
  }
  const [sample] = details.counterexample
  // Run the shrunk sample once more to report what it breaks (and prove it still does).
  const result = runSample(sample)
  const broken = result.invariants.filter((i) => !i.ok && i.kind !== "behaviour")
  const path = details.counterexamplePath ?? ""
  return {
    scenario: scenario.name,
    runs: details.numRuns,
    simulatedRuns,
    ok: false,
    mutants,
    failure: {
      seed: details.seed,
      path,
      invariant: broken.map((i) => i.name).join("; ") || "(the shrunk sample passed on re-run)",
      details: broken.map((i) => `${i.name}: ${i.detail}`),
      runSeed: sample.seed,
      enabled: sample.enabled,
      schedule: sample.schedule,
      traceHash: result.traceHash,
      replay: [
        "starcoffee replay",
        `--scenario ${options.scenarioRef ?? scenario.name}`,
        `--seed ${details.seed}`,
        `--runs ${runs}`,
        `--max-faults ${options.maxFaults ?? 4}`,
        `--path ${path}`,
        ...mutants.map((m) => `--mutant ${m}`)
      ].join(" ")
    }
  }
}
