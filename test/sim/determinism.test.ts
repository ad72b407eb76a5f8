/**
 * Determinism (DESIGN.md §4): same code + same seed ⇒ same trace hash, in this process and in a fresh
 * one; another seed gives another history.
 */
import { spawnSync } from "node:child_process"
import { fileURLToPath } from "node:url"
import { describe, expect, it } from "vitest"
import { runScenarioSim } from "../../src/sim/world/SimRun.js"
import { builtin } from "../support/scenarios.js"

const root = fileURLToPath(new URL("../..", import.meta.url))
const happyPath = builtin("happy-path")
const HASH = /^[0-9a-f]{64}$/

describe("determinism", { timeout: 180_000 }, () => {
  // one run shared by the tests below (a happy-path run takes a few seconds of wall time)
  let first: ReturnType<typeof runScenarioSim> | undefined
  const seven = () => (first ??= runScenarioSim(happyPath, { seed: 7 }))

  it("the same scenario and seed twice in one process give the same trace hash and results", () => {
    const a = seven()
    const b = runScenarioSim(happyPath, { seed: 7 })
    expect(a.kernel).toBe("Completed")
    expect(a.traceHash).toMatch(HASH)
    expect(b.traceHash).toBe(a.traceHash)
    expect(b.simulatedMs).toBe(a.simulatedMs)
    expect(b.historyLength).toBe(a.historyLength)
    expect(b.metrics).toEqual(a.metrics)
    expect(b.invariants).toEqual(a.invariants)
  })

  it("another seed gives a different trace hash", () => {
    const a = seven()
    const other = runScenarioSim(happyPath, { seed: 8 })
    expect(other.kernel).toBe("Completed")
    expect(other.traceHash).toMatch(HASH)
    expect(other.traceHash).not.toBe(a.traceHash)
  })

  it("a fresh process computes the same trace hash for the same seed", () => {
    const a = seven()
    const child = spawnSync(
      process.execPath,
      ["--import", "tsx", "test/support/traceHash.ts", "happy-path", "7"],
      { cwd: root, encoding: "utf8", shell: false, timeout: 120_000 }
    )
    expect(child.error).toBeUndefined()
    expect(child.status, child.stderr).toBe(0)
    const line = child.stdout.trim().split("\n").pop()!
    const fresh = JSON.parse(line) as { traceHash: string; seed: number }
    expect(fresh.seed).toBe(7)
    expect(fresh.traceHash).toMatch(HASH)
    expect(fresh.traceHash).toBe(a.traceHash)
  })
})
