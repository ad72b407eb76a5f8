/**
 * A scenario's live tolerances (LiveThresholds.ts): a threshold whose file declares `live:` is judged
 * live by that bound, its reason named next to the sim's; the others are judged as in sim; a `live:`
 * without its reason is refused when the file is read.
 */
import { describe, expect, it } from "vitest"
import { checkThreshold } from "../../src/chaos/invariants/Thresholds.js"
import { computeMetrics } from "../../src/chaos/RunMetrics.js"
import { catalogueFile } from "../../src/chaos/scenario/Catalogue.js"
import { parseScenario, readScenarioFile } from "../../src/chaos/scenario/ScenarioFile.js"
import { liveThreshold, withLiveThresholds } from "../../src/live/LiveThresholds.js"

describe("live tolerances", () => {
  it("make-down's availability is judged live against its declared tolerance, with both reasons", () => {
    const scenario = readScenarioFile(catalogueFile("make-down"))
    const [availability, coffees] = withLiveThresholds(scenario).thresholds!
    expect(availability).toMatchObject({ metric: "availability", op: ">=", value: 0.9 })
    expect(availability!.why).toMatch(/^NFR2: orders are accepted while make is down \(live tolerance of availability == 1: .*bulkhead.*\)$/)
    expect(availability).not.toHaveProperty("live")
    // coffeesMade > 0 declares none: the same as in sim
    expect(coffees).toEqual(scenario.thresholds![1])
    // the sim world still judges the exact bound: the file's threshold is unchanged
    expect(scenario.thresholds![0]).toMatchObject({ op: "==", value: 1 })
  })

  it("a run at 95 % availability holds the live bound and misses the sim's", () => {
    const metrics = { ...computeMetrics([]), availability: 0.95 }
    const [threshold] = readScenarioFile(catalogueFile("make-down")).thresholds!
    expect(checkThreshold(metrics, threshold!)).toMatchObject({ name: "availability == 1", ok: false })
    expect(checkThreshold(metrics, liveThreshold(threshold!))).toMatchObject({ name: "availability >= 0.9", ok: true })
  })

  it("a tolerance without its reason is refused when the file is read", () => {
    const text = [
      "name: t",
      "description: d",
      "thresholds:",
      "  - { metric: availability, op: \"==\", value: 1, why: w, live: { op: \">=\", value: 0.9 } }"
    ].join("\n")
    expect(() => parseScenario("t.yaml", text)).toThrow(/^t\.yaml: thresholds\.0\.live\.why: is missing$/)
  })
})
