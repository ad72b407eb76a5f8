/**
 * Thresholds: a scenario's behaviour thresholds judged against the run's metrics.
 */
import type { RunMetrics } from "../RunMetrics.js"
import type { Threshold } from "../Scenario.js"
import type { InvariantResult } from "./RunTruth.js"

const compare = (value: number, t: Threshold) => {
  switch (t.op) {
    case ">=":
      return value >= t.value
    case "<=":
      return value <= t.value
    case ">":
      return value > t.value
    case "<":
      return value < t.value
    case "==":
      return value === t.value
  }
}

export const checkThreshold = (metrics: RunMetrics, t: Threshold): InvariantResult => {
  const value = metrics[t.metric]
  return {
    name: `${t.metric} ${t.op} ${t.value}`,
    kind: "behaviour",
    ok: compare(value, t),
    detail: `${t.why}: measured ${Number.isInteger(value) ? value : value.toFixed(4)}`
  }
}
