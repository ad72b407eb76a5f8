/**
 * ExploreWorker: the entry point of a worker thread of the explore pool (ExplorePool.ts). Checks one
 * sample of an exploration from the sample's seed alone — its simulated run, and fast-check's
 * shrinking when it fails (chaos/explore/Explore.ts checkSample) — and reports every simulated run
 * on the task's port. A sample depends only on its task, never on what the worker ran before, so its
 * outcome is the same whichever worker checks it.
 */
import type { MessagePort } from "node:worker_threads"
import type { SampleOutcome } from "../chaos/explore/Explore.js"
import type { FaultKind } from "../chaos/explore/FaultScheduleArbitrary.js"
import type { Scenario } from "../chaos/Scenario.js"
import type { MutantName } from "../services/MutantNames.js"

export interface ExploreTask {
  /** The decoded scenario (plain data, cloned into the worker). */
  readonly scenario: Scenario
  /** The sample's fast-check seed. */
  readonly seed: number
  readonly maxFaults: number
  readonly mutants: ReadonlyArray<MutantName>
  /** Default: every fault kind. */
  readonly kinds?: ReadonlyArray<FaultKind>
  /** Receives `{ runs, failed }` after every simulated run of the sample. */
  readonly progress?: MessagePort
}

export default async function checkSampleTask(task: ExploreTask): Promise<SampleOutcome> {
  const { checkSample } = await import("../chaos/explore/Explore.js")
  const { runScenarioSim } = await import("../sim/world/SimRun.js")
  try {
    return checkSample(task.scenario, {
      run: runScenarioSim,
      mutants: task.mutants,
      maxFaults: task.maxFaults,
      ...(task.kinds ? { kinds: task.kinds } : {}),
      onRun: (runs, failed) => task.progress?.postMessage({ runs, failed })
    }, task.seed)
  } finally {
    task.progress?.close()
  }
}
