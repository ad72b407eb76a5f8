/**
 * ExploreSearch: which samples an exploration checks. It draws a shard's samples in index order, keeps
 * up to `jobs` of them being checked at once (anywhere: the check is injected, the CLI's runs on
 * worker threads), and stops drawing when the runs are done, when `keepGoing` says the time budget is
 * spent, or when a sample fails. The counterexample is the failing sample of LOWEST index, and every
 * sample below it is checked before it is reported; the outcomes are the unbroken prefix of samples
 * checked. Since each sample's outcome depends on its index alone (SampleSpace.ts), the result is the
 * same for any number of jobs and any completion order; only a time budget's prefix length varies.
 *
 * Faults modelled: none (scheduling of checks only).
 */
import type { SampleOutcome } from "./Explore.js"
import { sampleSeed, type Shard, shardSample } from "./SampleSpace.js"

export type StoppedBy = "runs" | "time-budget" | "counterexample"

export interface IndexedOutcome extends SampleOutcome {
  /** The sample's global index (SampleSpace.ts). */
  readonly index: number
}

export interface SearchOptions {
  /** The exploration's seed: sample i's seed is SampleSpace.sampleSeed(seed, i). */
  readonly seed: number
  readonly shard: Shard
  /** Samples checked at once. */
  readonly jobs: number
  /** Samples of the shard to check; undefined: as many as `keepGoing` allows. */
  readonly maxSamples: number | undefined
  /** Asked before every sample after the first: false stops the drawing (a spent time budget). */
  readonly keepGoing: () => boolean
  /** Checks one sample. */
  readonly check: (index: number, seed: number) => Promise<SampleOutcome>
  /** A sample of the prefix (or beyond it, until the search ends) finished, in completion order. */
  readonly onSample?: (outcome: IndexedOutcome) => void
}

export interface Searched {
  /** The samples checked, in index order, up to and including the lowest failing one. */
  readonly outcomes: ReadonlyArray<IndexedOutcome>
  readonly stoppedBy: StoppedBy
}

export const searchSamples = (options: SearchOptions): Promise<Searched> =>
  new Promise((resolve, reject) => {
    const outcomes: Array<IndexedOutcome | undefined> = []
    let next = 0
    let inFlight = 0
    let failing = Number.POSITIVE_INFINITY
    let stopped: StoppedBy | undefined
    let settled = false
    const finishIfDone = () => {
      if (settled || (stopped === undefined && failing === Number.POSITIVE_INFINITY)) return
      const end = Math.min(next, failing + 1)
      for (let k = 0; k < end; k++) if (outcomes[k] === undefined) return
      settled = true
      resolve({ outcomes: outcomes.slice(0, end) as Array<IndexedOutcome>, stoppedBy: failing < end ? "counterexample" : stopped! })
    }
    const finished = (k: number, outcome: IndexedOutcome) => {
      inFlight--
      if (settled) return
      outcomes[k] = outcome
      if (!outcome.ok && k < failing) failing = k
      options.onSample?.(outcome)
      draw()
      finishIfDone()
    }
    const failed = (k: number, error: unknown) => {
      inFlight--
      if (settled || k > failing) return
      settled = true
      reject(error)
    }
    const draw = () => {
      while (!settled && stopped === undefined && failing === Number.POSITIVE_INFINITY && inFlight < options.jobs) {
        if (options.maxSamples !== undefined && next >= options.maxSamples) stopped = "runs"
        else if (next > 0 && !options.keepGoing()) stopped = "time-budget"
        else {
          const k = next++
          const index = shardSample(options.shard, k)
          inFlight++
          Promise.resolve()
            .then(() => options.check(index, sampleSeed(options.seed, index)))
            .then((outcome) => finished(k, { ...outcome, index }), (error: unknown) => failed(k, error))
        }
      }
    }
    draw()
    finishIfDone()
  })
