/**
 * A simulated run (sim/world/SimRun.ts) leaves no fiber behind in Effect's global fiber scope: a daemon
 * fiber still alive there would keep its whole world (kernel, pods, history) reachable, and an
 * exploration of thousands of runs in one worker would grow without bound.
 */
import { Effect, Fiber } from "effect"
import { describe, expect, it } from "vitest"
import { loadScenarioFile } from "../../src/cli/Resolve.js"
import { catalogueFile } from "../../src/chaos/scenario/Catalogue.js"
import { runScenarioSim } from "../../src/sim/world/SimRun.js"

describe("runScenarioSim", () => {
  it("leaves no fiber in the global fiber scope, with faults under way and requests in flight", async () => {
    const base = await loadScenarioFile(catalogueFile("random"))
    // A pod hung to the end and a short workload: requests and pods' daemon fibers are still alive when
    // the run's own effect returns.
    const scenario = {
      ...base,
      drawWorkload: false,
      workload: { users: 3, durationMillis: 3_000, thinkMillis: 200, mix: { place: 1, cancel: 0, status: 0 } },
      faults: [{ atMillis: 500, durationMillis: 2_000, fault: { _tag: "Hang" as const, service: "payment" as const, replica: 0 } }]
    }
    const before = Effect.runSync(Fiber.roots).length
    const result = runScenarioSim(scenario, { seed: 3 })
    expect(result.kernel).toBe("Completed")
    expect(Effect.runSync(Fiber.roots).length).toBe(before)
  })
})
