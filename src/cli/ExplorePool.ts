/**
 * ExplorePool: an exploration on worker threads (tinypool, as the suite's ScenarioPool.ts). The
 * search (chaos/explore/ExploreSearch.ts) decides which samples to check; each is checked in a worker
 * (ExploreWorker.ts) from its own seed, so the result — counterexample, shrunk schedule, trace
 * hashes — is the same for any number of jobs. The pool is destroyed at the end, abandoning samples
 * beyond the counterexample still being checked.
 */
import { MessageChannel } from "node:worker_threads"
import Tinypool from "tinypool"
import { workerResourceLimits } from "./WorkerHeap.js"
import type { Scenario } from "../chaos/Scenario.js"
import type { SampleOutcome } from "../chaos/explore/Explore.js"
import { type ExploreResult, exploreResult } from "../chaos/explore/ExploreResult.js"
import { type IndexedOutcome, searchSamples } from "../chaos/explore/ExploreSearch.js"
import { type FaultKind, FaultKinds } from "../chaos/explore/FaultScheduleArbitrary.js"
import type { Shard } from "../chaos/explore/SampleSpace.js"
import type { MutantName } from "../services/MutantNames.js"
import type { ExploreTask } from "./ExploreWorker.js"

export interface PoolExploreOptions {
  readonly scenario: Scenario
  /** How the command line named the scenario, for the replay command. */
  readonly scenarioRef: string
  readonly seed: number
  readonly shard: Shard
  readonly jobs: number
  /** Samples of the shard to check; undefined: until `keepGoing` says stop. */
  readonly maxSamples: number | undefined
  /** Asked before each new sample (the time budget). Default: always. */
  readonly keepGoing?: () => boolean
  readonly mutants: ReadonlyArray<MutantName>
  readonly maxFaults: number
  /** Default: every fault kind. */
  readonly kinds?: ReadonlyArray<FaultKind>
  /** Every simulated run in a worker (exploration and shrinking), for progress. */
  readonly onRun?: (index: number, runsOfSample: number, failed: boolean) => void
  readonly onSample?: (outcome: IndexedOutcome) => void
}

export const exploreInPool = async (options: PoolExploreOptions): Promise<ExploreResult> => {
  const threads = Math.max(1, Math.min(options.jobs, options.maxSamples ?? options.jobs))
  const pool = new Tinypool({
    filename: new URL("./ExploreWorker.js", import.meta.url).href,
    minThreads: threads,
    maxThreads: threads,
    isolateWorkers: false,
    resourceLimits: workerResourceLimits
  })
  const check = async (index: number, seed: number): Promise<SampleOutcome> => {
    const { port1, port2 } = new MessageChannel()
    port1.on("message", (m: { runs: number; failed: boolean }) => options.onRun?.(index, m.runs, m.failed))
    const task: ExploreTask = {
      scenario: options.scenario,
      seed,
      maxFaults: options.maxFaults,
      mutants: options.mutants,
      ...(options.kinds ? { kinds: options.kinds } : {}),
      progress: port2
    }
    try {
      return await pool.run(task, { transferList: [port2] }) as SampleOutcome
    } finally {
      port1.close()
    }
  }
  try {
    const searched = await searchSamples({
      seed: options.seed,
      shard: options.shard,
      jobs: options.jobs,
      maxSamples: options.maxSamples,
      keepGoing: options.keepGoing ?? (() => true),
      check,
      ...(options.onSample ? { onSample: options.onSample } : {})
    })
    return exploreResult(searched, {
      scenario: options.scenario,
      scenarioRef: options.scenarioRef,
      seed: options.seed,
      shard: options.shard,
      mutants: options.mutants,
      maxFaults: options.maxFaults,
      kinds: options.kinds ?? FaultKinds
    })
  } finally {
    await pool.destroy()
  }
}
