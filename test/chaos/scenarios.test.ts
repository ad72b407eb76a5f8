/**
 * Every built-in scenario, decoded from its YAML file, seed 1, in the simulated world: each one's
 * safety and liveness invariants and its own behaviour thresholds hold; and the compiled command line,
 * in a fresh process with worker threads, computes the same trace hash for every one of them.
 */
import { spawn } from "node:child_process"
import { mkdtempSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { runScenarioSim } from "../../src/sim/world/SimRun.js"
import { catalogue } from "../support/scenarios.js"

const bin = join(__dirname, "..", "..", "bin", "starcoffee.mjs")
const scenarios = catalogue()
const hashes = new Map<string, string>()

/** `starcoffee suite --json` in a fresh process: each scenario's trace hash. */
const suiteInFreshProcess = () =>
  new Promise<Map<string, string>>((resolve, reject) => {
    const reports = mkdtempSync(join(tmpdir(), "starcoffee-catalogue-"))
    const child = spawn(process.execPath, [bin, "suite", "--json", "--seed", "1", "--jobs", "2", "--out", reports], { shell: false })
    let out = ""
    child.stdout.on("data", (chunk) => (out += chunk))
    child.on("error", reject)
    child.on("close", () => {
      const lines = out.trim().split("\n").filter(Boolean).map((l) => JSON.parse(l) as { scenario: string; traceHash: string })
      resolve(new Map(lines.map((l) => [l.scenario, l.traceHash])))
    })
  })

describe("scenario catalogue", () => {
  it("has every scenario of the seed's sections", () => {
    expect(scenarios.map((s) => s.name)).toEqual(expect.arrayContaining([
      "happy-path", "payment-down", "make-down", "slow-payment", "partition", "broker-outage",
      "rolling-update", "rolling-update-no-readiness", "liveness", "autoscale"
    ]))
  })

  it.each(scenarios.map((s) => [s.name, s] as const))("%s holds every invariant and threshold", (name, scenario) => {
    const result = runScenarioSim(scenario, { seed: 1 })
    const broken = result.invariants.filter((i) => !i.ok).map((i) => `${i.name}: ${i.detail}`)
    expect(broken).toEqual([])
    expect(result.kernel).toBe("Completed")
    expect(result.failureClass).toBe("pass")
    // every scenario's thresholds were evaluated, not just the built-in invariants
    expect(result.invariants.filter((i) => i.kind === "behaviour")).toHaveLength(scenario.thresholds?.length ?? 0)
    hashes.set(name, result.traceHash)
  }, 180_000)

  it("a fresh process (the compiled CLI, worker threads) gives every scenario the same trace hash", async () => {
    const fresh = await suiteInFreshProcess()
    expect([...fresh.keys()].sort()).toEqual(scenarios.map((s) => s.name).sort())
    for (const [name, hash] of hashes) expect(fresh.get(name), name).toBe(hash)
    expect(hashes.size).toBe(scenarios.length)
  }, 900_000)
})
