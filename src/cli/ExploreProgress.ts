/**
 * ExploreProgress: explore's live status line on a terminal (stderr, redrawn four times a second):
 * samples checked, simulated runs per wall second, the time left (of the budget, or estimated from
 * the rate for --runs), and the sample being shrunk once one fails. Drawn only on a terminal, so CI
 * logs and --json output stay clean.
 */
export interface ExplorePlan {
  readonly title: string
  readonly jobs: number
  /** Samples to check, if bounded by runs. */
  readonly runs: number | undefined
  /** Milliseconds of the time budget, if any. */
  readonly budgetMillis: number | undefined
}

const duration = (ms: number) => {
  const s = Math.max(0, Math.round(ms / 1000))
  return s < 120 ? `${s} s` : s < 7200 ? `${Math.round(s / 60)} min` : `${(s / 3600).toFixed(1)} h`
}

export const exploreProgress = (plan: ExplorePlan, enabled = Boolean(process.stderr.isTTY)) => {
  const started = performance.now()
  let samples = 0
  let simulatedRuns = 0
  let shrinking: { index: number; runs: number } | undefined
  let shown = false
  const left = (elapsed: number): string => {
    if (shrinking) return `sample ${shrinking.index} failed, shrinking it (${shrinking.runs} runs)`
    const byBudget = plan.budgetMillis === undefined ? Infinity : plan.budgetMillis - elapsed
    if (byBudget <= 0) return "time budget spent, finishing the samples under way"
    const byRuns = plan.runs === undefined || samples === 0 ? Infinity : ((plan.runs - samples) * elapsed) / samples
    const ms = Math.min(byBudget, byRuns)
    return Number.isFinite(ms) ? `${duration(ms)} left` : "estimating time left"
  }
  const draw = () => {
    const elapsed = performance.now() - started
    const rate = simulatedRuns / Math.max(0.001, elapsed / 1000)
    const line = `${plan.title}: ${samples}${plan.runs === undefined ? "" : `/${plan.runs}`} samples, ` +
      `${rate.toFixed(2)} runs/s on ${plan.jobs} job${plan.jobs === 1 ? "" : "s"}, ${left(elapsed)}`
    process.stderr.write(`\r\x1b[2K${line.slice(0, (process.stderr.columns ?? 100) - 1)}`)
    shown = true
  }
  const timer = enabled ? setInterval(draw, 250) : undefined
  return {
    /** A simulated run finished in a worker (`failed`: the sample has failed, and is being shrunk). */
    run: (index: number, runsOfSample: number, failed: boolean) => {
      simulatedRuns++
      if (failed && (shrinking === undefined || index <= shrinking.index)) shrinking = { index, runs: runsOfSample }
    },
    sample: () => samples++,
    stop: () => {
      if (timer) clearInterval(timer)
      if (shown) process.stderr.write("\r\x1b[2K")
    }
  }
}
