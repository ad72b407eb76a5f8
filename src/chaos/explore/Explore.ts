/**
 * Explore: one sample of a property-based exploration (DESIGN.md §6), checked on its own. From the
 * sample's fast-check seed, fast-check draws a swarm of enabled fault kinds and a fault schedule; the
 * simulated run's own seed is derived from the same seed (so shrinking changes the faults, never the
 * workload). The sample is one simulated run of the scenario with those faults added (safety phase,
 * then liveness phase); the property is "every safety and liveness invariant holds" (the scenario's
 * behaviour thresholds assume its own faults, so they are not judged under extra ones). A failing
 * sample is shrunk by fast-check, right there, to a minimal schedule, reported with the seed and path
 * that replay it through fast-check and the run seed and schedule that replay it directly.
 * A scenario with `drawWorkload` (scenarios/random.yaml) has its workload drawn per sample, with make's
 * brew time and the ready-queue shuffle (FaultScheduleArbitrary.ts), shrunk with the faults.
 * Which samples an exploration checks, and in what order, is ExploreSearch.ts's business.
 *
 * Faults modelled: those of FaultScheduleArbitrary.ts, on top of the scenario's own.
 */
import fc from "fast-check"
import type { MutantName } from "../../services/MutantNames.js"
import type { ScheduledFault } from "../faults/Fault.js"
import type { Scenario } from "../Scenario.js"
import type { RunResult } from "../RunResult.js"
import { deriveSeed } from "../Seeds.js"
import {
  type DrawnWorkload,
  type ExplorationSample,
  explorationSample,
  type FaultKind,
  FaultKinds
} from "./FaultScheduleArbitrary.js"

/** Runs a scenario from a run seed in some world (the sim world's is sim/world/SimRun.ts runScenarioSim). */
export type ScenarioRunner = (
  scenario: Scenario,
  options: { readonly seed: number; readonly mutants: ReadonlyArray<MutantName>; readonly shuffle?: boolean }
) => RunResult

export interface SampleOptions {
  /** How each simulated run is made. */
  readonly run: ScenarioRunner
  /** Mutants to switch on. Default: none. */
  readonly mutants?: ReadonlyArray<MutantName>
  /** Fault kinds the swarm may enable. Default: all of FaultKinds. */
  readonly kinds?: ReadonlyArray<FaultKind>
  /** Most extra faults per run. Default: 4. */
  readonly maxFaults?: number
  /**
   * Most simulated runs shrinking a failing sample may take; past them each further candidate is
   * taken as passing without a run, so fast-check stops with the smallest failure found so far (a
   * count, so the result stays the same everywhere). Default: MAX_SHRINK_RUNS.
   */
  readonly maxShrinkRuns?: number
  /** Called after every simulated run of the sample (the drawn one, then each shrink attempt). */
  readonly onRun?: (runsSoFar: number, failedSoFar: boolean) => void
}

/** A failing run met while shrinking: the drawn sample, then each smaller one fast-check kept. */
export interface ShrinkStep {
  /** The simulated run's number within its sample (1 is the drawn sample). */
  readonly run: number
  /** Extra faults in the failing schedule. */
  readonly faults: number
  readonly broken: string
}

export interface Counterexample {
  /** fast-check's path: with the sample's seed, `replay --seed S --path P` reproduces the shrunk sample. */
  readonly path: string
  /** The invariants the shrunk run broke. */
  readonly invariant: string
  readonly details: ReadonlyArray<string>
  /** The simulated run's own seed and the shrunk extra faults: replay them without fast-check. */
  readonly runSeed: number
  readonly enabled: ReadonlyArray<FaultKind>
  readonly schedule: ReadonlyArray<ScheduledFault>
  /** The drawn workload and shuffle, for a scenario without a workload of its own. */
  readonly workload?: DrawnWorkload
  readonly shuffle?: boolean
  readonly traceHash: string
  readonly shrinking: ReadonlyArray<ShrinkStep>
  /** Present when the shrink budget (SampleOptions.maxShrinkRuns) ran out before fast-check was done. */
  readonly shrinkCut?: true
}

/**
 * Default shrink budget of a sample, in simulated runs. Shrinking a large drawn sample took up to 680
 * runs (brew-lease-trusted; make-outbox-apart 280 runs, 750 s on a loaded machine, measured) — most
 * of a mutant's cost to find; in the mutant-table survey (seed 1), 8 of 16 failures shrank within 50
 * runs, the others took 64–278.
 */
export const MAX_SHRINK_RUNS = 50

export interface SampleOutcome {
  /** fast-check's seed of the sample. */
  readonly seed: number
  /** The drawn (unshrunk) sample: its run seed, how many extra faults, its run's trace hash. */
  readonly runSeed: number
  readonly faults: number
  readonly traceHash: string
  readonly ok: boolean
  /** Simulated runs the sample took: 1, or more when it failed and was shrunk. */
  readonly simulatedRuns: number
  readonly counterexample: Counterexample | null
}

/** The scenario with a sample's faults added to its own (and its drawn workload and brew time, if any). */
export const withSample = (
  scenario: Scenario,
  schedule: ReadonlyArray<ScheduledFault>,
  workload?: DrawnWorkload
): Scenario => ({
  ...scenario,
  ...(workload === undefined ? {} : withWorkload(scenario, workload)),
  faults: [...(scenario.faults ?? []), ...schedule]
})

const withWorkload = (scenario: Scenario, w: DrawnWorkload): Partial<Scenario> => ({
  workload: { users: w.users, durationMillis: w.durationMillis, thinkMillis: w.thinkMillis, mix: w.mix },
  config: {
    ...scenario.config,
    make: { ...scenario.config?.make, brew: { _tag: "Uniform", minMillis: 0, maxMillis: w.brewMillis } }
  }
})

/** A sample's run: its scenario and the runner's options. */
const runSample = (scenario: Scenario, options: SampleOptions, sample: ExplorationSample) =>
  options.run(withSample(scenario, sample.schedule, sample.workload), {
    seed: sample.seed,
    mutants: options.mutants ?? [],
    ...(sample.shuffle ? { shuffle: true } : {})
  })

/** Most users of a drawn workload when the scenario names none. */
const DRAWN_MAX_USERS = 5

/** The safety and liveness invariants a run broke (behaviour thresholds are not judged). */
export const brokenInvariants = (result: RunResult) => result.invariants.filter((i) => !i.ok && i.kind !== "behaviour")

const workloadMillis = (scenario: Scenario) => scenario.workload?.durationMillis ?? 60_000

/** The arbitrary of one exploration's samples, the run seed fixed by the sample's seed. */
const sampleArbitrary = (scenario: Scenario, options: SampleOptions, seed: number) =>
  explorationSample({
    horizonMillis: workloadMillis(scenario),
    kinds: options.kinds ?? FaultKinds,
    runSeed: deriveSeed(seed, "run"),
    ...(scenario.drawWorkload ? { drawWorkload: { maxUsers: scenario.workload?.users ?? DRAWN_MAX_USERS } } : {}),
    ...(options.maxFaults !== undefined ? { maxFaults: options.maxFaults } : {})
  })

interface Ran {
  readonly sample: ExplorationSample
  readonly result: RunResult
}

const counterexampleOf = (ran: Ran, path: string, shrinking: ReadonlyArray<ShrinkStep>): Counterexample => {
  const broken = brokenInvariants(ran.result)
  return {
    path,
    invariant: broken.map((i) => i.name).join("; "),
    details: broken.map((i) => `${i.name}: ${i.detail}`),
    runSeed: ran.sample.seed,
    enabled: ran.sample.enabled,
    schedule: ran.sample.schedule,
    ...(ran.sample.workload ? { workload: ran.sample.workload, shuffle: ran.sample.shuffle ?? false } : {}),
    traceHash: ran.result.traceHash,
    shrinking
  }
}

/**
 * Checks the sample seeded `seed`: one simulated run, and when it breaks an invariant, fast-check's
 * shrinking. With `path`, replays exactly the sample at that path (no further shrinking).
 */
export const checkSample = (scenario: Scenario, options: SampleOptions, seed: number, path?: string): SampleOutcome => {
  const mutants = options.mutants ?? []
  let runs = 0
  let first: Ran | undefined
  let lastFailing: Ran | undefined
  const shrinking: Array<ShrinkStep> = []
  const budget = options.maxShrinkRuns ?? MAX_SHRINK_RUNS
  let failedAt = 0
  let cut = false
  const property = fc.property(sampleArbitrary(scenario, options, seed), (sample) => {
    if (path === undefined && lastFailing !== undefined && runs - failedAt >= budget) {
      cut = true
      return true
    }
    const result = runSample(scenario, options, sample)
    runs++
    first ??= { sample, result }
    const broken = brokenInvariants(result)
    if (broken.length > 0) {
      if (lastFailing === undefined) failedAt = runs
      lastFailing = { sample, result }
      shrinking.push({ run: runs, faults: sample.schedule.length, broken: broken.map((i) => i.name).join("; ") })
    }
    options.onRun?.(runs, lastFailing !== undefined)
    return broken.length === 0
  })
  const details = fc.check(property, { seed, numRuns: 1, ...(path !== undefined ? { path, endOnFailure: true } : {}) })
  if (first === undefined) throw new Error(`fast-check ran no sample (seed ${seed}${path ? `, path ${path}` : ""})`)
  const drawn = { seed, runSeed: first.sample.seed, faults: first.sample.schedule.length, traceHash: first.result.traceHash }
  if (!details.failed || details.counterexample === null) {
    return { ...drawn, ok: true, simulatedRuns: runs, counterexample: null }
  }
  const [shrunk] = details.counterexample
  // fast-check's counterexample is the last sample that failed; should it be another (the property
  // threw), run it to report what it breaks.
  const ran = lastFailing?.sample === shrunk ? lastFailing : { sample: shrunk, result: runSample(scenario, options, shrunk) }
  const counterexample = counterexampleOf(ran, details.counterexamplePath ?? "", shrinking)
  return { ...drawn, ok: false, simulatedRuns: runs, counterexample: cut ? { ...counterexample, shrinkCut: true } : counterexample }
}

/** A word of a printed command, quoted when a shell would split or expand it. */
const shellWord = (word: string) => (/^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", "'\\''")}'`)

/** The command that replays a counterexample through fast-check: the sample's own seed and path. */
export const replayCommand = (options: {
  readonly scenarioRef: string
  readonly seed: number
  readonly path: string
  readonly maxFaults: number
  readonly mutants: ReadonlyArray<MutantName>
  /** The kinds the swarm could enable; named in the command only when not all of them. */
  readonly kinds?: ReadonlyArray<FaultKind>
}): string =>
  [
    "starcoffee replay",
    `--scenario ${shellWord(options.scenarioRef)}`,
    `--seed ${options.seed}`,
    `--max-faults ${options.maxFaults}`,
    ...(options.kinds !== undefined && options.kinds.length < FaultKinds.length ? [`--faults ${options.kinds.join(",")}`] : []),
    `--path ${options.path}`,
    ...options.mutants.map((m) => `--mutant ${m}`)
  ].join(" ")
