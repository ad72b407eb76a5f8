/**
 * ExploreResult: what an exploration found, built from the samples its search checked — how many,
 * each one's seed, run seed and trace hash, and the counterexample (the failing sample of lowest
 * index) with the command that replays it anywhere: the sample's own seed and path, so neither the
 * exploration's seed nor its shard nor its number of runs is needed to reproduce it.
 *
 * Faults modelled: none (a summary of runs made elsewhere).
 */
import type { MutantName } from "../../services/MutantNames.js"
import type { Scenario } from "../Scenario.js"
import { type Counterexample, replayCommand } from "./Explore.js"
import type { IndexedOutcome, Searched, StoppedBy } from "./ExploreSearch.js"
import type { FaultKind } from "./FaultScheduleArbitrary.js"
import { formatShard, type Shard } from "./SampleSpace.js"

/** One checked sample, as listed in explore.json. */
export interface SampleSummary {
  readonly index: number
  /** fast-check's seed of the sample. */
  readonly seed: number
  readonly runSeed: number
  /** Extra faults of the drawn sample. */
  readonly faults: number
  readonly ok: boolean
  /** The drawn sample's run. */
  readonly traceHash: string
  readonly simulatedRuns: number
}

export interface ExploreFailure extends Counterexample {
  /** The failing sample's index and fast-check seed. */
  readonly index: number
  readonly seed: number
  readonly replay: string
}

export interface ExploreResult {
  readonly scenario: string
  /** The exploration's seed (each sample's seed is derived from it and the sample's index). */
  readonly seed: number
  /** "i/n": the part of the sample space explored. */
  readonly shard: string
  /** Samples checked. */
  readonly runs: number
  /** Simulated runs, exploration and shrinking. */
  readonly simulatedRuns: number
  readonly ok: boolean
  readonly stoppedBy: StoppedBy
  readonly mutants: ReadonlyArray<MutantName>
  readonly maxFaults: number
  /** Every fault kind the swarm could enable. */
  readonly kinds: ReadonlyArray<FaultKind>
  readonly samples: ReadonlyArray<SampleSummary>
  readonly failure: ExploreFailure | null
}

export interface ExploreContext {
  readonly scenario: Scenario
  /** How the command line named the scenario (a name or a file), for the replay command. */
  readonly scenarioRef: string
  readonly seed: number
  readonly shard: Shard
  readonly mutants: ReadonlyArray<MutantName>
  readonly maxFaults: number
  readonly kinds: ReadonlyArray<FaultKind>
}

const summary = (o: IndexedOutcome): SampleSummary => ({
  index: o.index,
  seed: o.seed,
  runSeed: o.runSeed,
  faults: o.faults,
  ok: o.ok,
  traceHash: o.traceHash,
  simulatedRuns: o.simulatedRuns
})

const failureOf = (searched: Searched, context: ExploreContext): ExploreFailure | null => {
  const at = searched.outcomes.findIndex((o) => !o.ok)
  const failing = searched.outcomes[at]
  if (failing?.counterexample == null) return null
  // Shrink steps numbered among all the exploration's simulated runs, as reports show them.
  const before = searched.outcomes.slice(0, at).reduce((n, o) => n + o.simulatedRuns, 0)
  const c = failing.counterexample
  return {
    ...c,
    shrinking: c.shrinking.map((s) => ({ ...s, run: before + s.run })),
    index: failing.index,
    seed: failing.seed,
    replay: replayCommand({ scenarioRef: context.scenarioRef, seed: failing.seed, path: c.path, maxFaults: context.maxFaults, mutants: context.mutants, kinds: context.kinds })
  }
}

export const exploreResult = (searched: Searched, context: ExploreContext): ExploreResult => {
  const failure = failureOf(searched, context)
  return {
    scenario: context.scenario.name,
    seed: context.seed,
    shard: formatShard(context.shard),
    runs: searched.outcomes.length,
    simulatedRuns: searched.outcomes.reduce((n, o) => n + o.simulatedRuns, 0),
    ok: failure === null,
    stoppedBy: searched.stoppedBy,
    mutants: context.mutants,
    maxFaults: context.maxFaults,
    kinds: context.kinds,
    samples: searched.outcomes.map(summary),
    failure
  }
}
