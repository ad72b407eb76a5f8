/**
 * Every built-in scenario, decoded from its YAML file, seed 1, in the simulated world: each one's
 * safety and liveness invariants and its own behaviour thresholds hold; and two fresh processes of the
 * compiled command line (worker threads, 1 and 2 jobs) compute the same trace hash for every one of
 * them. The runs happen in child processes so that vitest's worker is never blocked by a long
 * synchronous simulation.
 */
import { spawn } from "node:child_process"
import { mkdtempSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { catalogue } from "../support/scenarios.js"

const bin = join(__dirname, "..", "..", "bin", "starcoffee.mjs")
const scenarios = catalogue()

interface SuiteLine {
  readonly scenario: string
  readonly traceHash: string
  readonly failureClass: string
  readonly invariants: ReadonlyArray<{ name: string; kind: string; ok: boolean; detail: string }>
}

/** `starcoffee suite --json --seed 1` in a fresh process: each scenario's result line. */
const suiteInFreshProcess = (jobs: number) =>
  new Promise<Map<string, SuiteLine>>((resolve, reject) => {
    const reports = mkdtempSync(join(tmpdir(), "starcoffee-catalogue-"))
    const args = [bin, "suite", "--json", "--seed", "1", "--jobs", String(jobs), "--out", reports]
    const child = spawn(process.execPath, args, { shell: false })
    let out = ""
    child.stdout.on("data", (chunk) => (out += chunk))
    child.on("error", reject)
    child.on("close", () => {
      const lines = out.trim().split("\n").filter(Boolean).map((l) => JSON.parse(l) as SuiteLine)
      resolve(new Map(lines.map((l) => [l.scenario, l])))
    })
  })

describe("scenario catalogue", () => {
  it("has every scenario of the seed's sections", () => {
    expect(scenarios.map((s) => s.name)).toEqual(expect.arrayContaining([
      "happy-path", "payment-down", "make-down", "slow-payment", "partition", "broker-outage",
      "rolling-update", "rolling-update-no-readiness", "liveness", "autoscale", "cancel-race", "clock-skew"
    ]))
  })

  it("every scenario holds every invariant and threshold with seed 1, with the same trace hash in two fresh processes", async () => {
    const [one, two] = await Promise.all([suiteInFreshProcess(1), suiteInFreshProcess(1)])
    expect([...one.keys()].sort()).toEqual(scenarios.map((s) => s.name).sort())
    for (const scenario of scenarios) {
      const a = one.get(scenario.name)!
      const b = two.get(scenario.name)!
      const broken = a.invariants.filter((i) => !i.ok).map((i) => `${scenario.name}: ${i.name}: ${i.detail}`)
      expect(broken).toEqual([])
      expect(a.failureClass, scenario.name).toBe("pass")
      // every scenario's thresholds were evaluated, not just the built-in invariants
      expect(a.invariants.filter((i) => i.kind === "behaviour"), scenario.name).toHaveLength(scenario.thresholds?.length ?? 0)
      expect(a.traceHash, scenario.name).toMatch(/^[0-9a-f]{64}$/)
      expect(b.traceHash, scenario.name).toBe(a.traceHash)
    }
  }, 1_800_000)
})
