/**
 * RunResult: what one run of a scenario gives, in either world, and its failure class — the exit
 * codes a CI can tell apart (TigerBeetle's VOPR exits by class):
 *   0 pass        every check holds
 *   1 safety      a safety invariant broke (explore: a counterexample was found)
 *   3 liveness    a liveness invariant broke (and no safety one)
 *   4 behaviour   only behaviour thresholds missed
 *   5 incomplete  the run did not finish (deadlock, step or time limit, a crash of the harness)
 *   2             bad usage or bad input (the command line's, never a run's)
 */
import type { MutantName } from "../services/MutantNames.js"
import type { BacklogSample } from "../report/BacklogSampler.js"
import type { HistoryEntry } from "./history/History.js"
import type { InvariantResult } from "./invariants/RunTruth.js"
import type { RunMetrics } from "./RunMetrics.js"

export type FailureClass = "pass" | "safety" | "liveness" | "behaviour" | "incomplete"

export const exitCodeOf: Record<FailureClass, number> = {
  pass: 0,
  safety: 1,
  liveness: 3,
  behaviour: 4,
  incomplete: 5
}

export const exitCodesHelp =
  "Exit codes: 0 every check holds; 1 a safety invariant broke (explore: a counterexample found); " +
  "2 bad usage or bad input; 3 a liveness invariant broke; 4 only behaviour thresholds missed; " +
  "5 the run did not finish (deadlock, step or time limit)."

export interface RunResult {
  readonly scenario: string
  readonly mode: "sim" | "live"
  readonly seed: number
  readonly ok: boolean
  readonly failureClass: FailureClass
  /** Only a simulated run is byte-reproducible: same seed and code, same trace hash. */
  readonly reproducible: boolean
  readonly traceHash: string
  /** Time the run took on the world's clock (virtual in sim, real in live). */
  readonly simulatedMs: number
  readonly invariants: ReadonlyArray<InvariantResult>
  readonly metrics: RunMetrics
  readonly mutants: ReadonlyArray<MutantName>
  /** How the run ended: Completed, or why it did not (Deadlock, a limit, a failure). */
  readonly kernel: string
  readonly historyLength: number
  readonly requests: number
  /** The history, when asked for. */
  readonly history?: ReadonlyArray<HistoryEntry>
  /** Outbox and broker backlog sampled during the run, when asked for with the history (for reports). */
  readonly backlog?: ReadonlyArray<BacklogSample>
}

/** The class of a finished run from its checks; `completed` false means the run did not finish. */
export const classify = (invariants: ReadonlyArray<InvariantResult>, completed: boolean): FailureClass => {
  if (!completed) return "incomplete"
  const broken = (kind: InvariantResult["kind"]) => invariants.some((i) => i.kind === kind && !i.ok)
  if (broken("safety")) return "safety"
  if (broken("liveness")) return "liveness"
  if (broken("behaviour")) return "behaviour"
  return "pass"
}

/** The most severe of several classes (a suite's): safety, then incomplete, liveness, behaviour. */
export const worstClass = (classes: ReadonlyArray<FailureClass>): FailureClass => {
  for (const c of ["safety", "incomplete", "liveness", "behaviour"] as const) if (classes.includes(c)) return c
  return "pass"
}
