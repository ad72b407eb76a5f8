/**
 * BuildRunReport: a run's report model from its result and its history — the aggregated series
 * behind the charts, siege's figures, the stories of the orders a broken check names, and the
 * command that replays the run. Called where the history lives; the model is all the renderers need.
 */
import type { HistoryEntry } from "../chaos/history/History.js"
import { type BacklogSample, backlogSeries } from "./BacklogSampler.js"
import { breakerSeries } from "./BreakerSeries.js"
import { faultWindows } from "./FaultWindows.js"
import { offendingOrders } from "./OrderTimelines.js"
import { replicaSeries } from "./ReplicaSeries.js"
import type { RunReport, RunSummary, ScenarioInfo } from "./ReportModel.js"
import { siegeFigures } from "./SiegeFigures.js"
import { trafficSeries } from "./TrafficSeries.js"

export interface RunReportInput {
  readonly run: RunSummary
  readonly scenario: ScenarioInfo
  readonly history: ReadonlyArray<HistoryEntry>
  /** Backlog readings taken during the run (BacklogSampler.ts); none means no backlog chart. */
  readonly backlog?: ReadonlyArray<BacklogSample>
  /** The command that reproduces the run. Default: `starcoffee run <scenario> --seed <seed>` and its mutants. */
  readonly replay?: string
}

/** `starcoffee run` with the seed and mutants of a run. */
export const replayCommand = (run: RunSummary, scenarioRef: string = run.scenario): string =>
  ["starcoffee run", scenarioRef, `--seed ${run.seed}`, ...run.mutants.map((m) => `--mutant ${m}`)].join(" ")

export const buildRunReport = (input: RunReportInput): RunReport => {
  const { history, run } = input
  const lastEntry = history.length === 0 ? 0 : history[history.length - 1]!.t
  const endMs = Math.max(1_000, run.simulatedMs, lastEntry)
  const breakers = breakerSeries(history, endMs)
  const faults = faultWindows(history, endMs)
  return {
    run,
    scenario: input.scenario,
    siege: siegeFigures(history),
    series: {
      endMs,
      traffic: trafficSeries(history, endMs),
      breakers: breakers.breakers,
      replicas: replicaSeries(history, endMs),
      ...(input.backlog && input.backlog.length > 0 ? { backlog: backlogSeries(input.backlog) } : {}),
      faultWindows: faults.windows,
      breakerOpenWindows: breakers.openWindows,
      skippedFaults: faults.skipped
    },
    replay: input.replay ?? replayCommand(run),
    offenders: offendingOrders(run.invariants, history)
  }
}
