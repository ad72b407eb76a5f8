/**
 * LiveThresholds: the scenario a live run judges — its behaviour thresholds with each one's declared
 * live tolerance (`live:` in the scenario file) in place of the sim's bound. A sim-exact bound such
 * as `availability == 1` holds in the simulator whatever the load; real processes sharing a
 * machine's cores miss it when the machine is short of CPU (see docs/LIVE.md), so a scenario may say
 * what it promises live, and why. The threshold's name shows the bound judged and its why both
 * reasons; thresholds without a tolerance are judged as in sim.
 */
import type { Scenario, Threshold } from "../chaos/Scenario.js"

/** The threshold as judged live. */
export const liveThreshold = (t: Threshold): Threshold => {
  if (t.live === undefined) return t
  return {
    metric: t.metric,
    op: t.live.op,
    value: t.live.value,
    why: `${t.why} (live tolerance of ${t.metric} ${t.op} ${t.value}: ${t.live.why})`
  }
}

/** The scenario with its live thresholds. */
export const withLiveThresholds = (scenario: Scenario): Scenario =>
  scenario.thresholds === undefined ? scenario : { ...scenario, thresholds: scenario.thresholds.map(liveThreshold) }
