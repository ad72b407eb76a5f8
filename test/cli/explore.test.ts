/**
 * explore and replay as a user runs them: a mutant is found, shrunk and replayed byte for byte — from
 * explore.json and from the printed replay command; the correct services survive a few random fault
 * schedules. The exploration target is a small scenario file (3 users × 10 simulated s) so that the
 * shrinking stays affordable.
 */
import { mkdtempSync, readFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { runCli as run, writeTinyScenario } from "../support/exploreCli.js"

describe("starcoffee explore and replay", () => {
  it("finds the make-no-inbox mutant, shrinks it, and replay reproduces it byte for byte (file and command)", async () => {
    const dir = mkdtempSync(join(tmpdir(), "starcoffee-explore-"))
    const tiny = writeTinyScenario(dir)
    const out = join(dir, "out")
    const found = await run("explore", tiny, "--mutant", "make-no-inbox", "--seed", "5", "--runs", "8", "--max-faults", "2", "--faults", "Duplicate,Kill", "--out", out, "--json")
    expect(found.code).toBe(1)
    const result = JSON.parse(found.stdout)
    expect(result.ok).toBe(false)
    expect(result.stoppedBy).toBe("counterexample")
    expect(result.failure.invariant).toContain("at most one charge, one coffee and one refund per order")
    expect(result.failure.schedule.length).toBeLessThanOrEqual(2)
    expect(result.failure.schedule.length).toBeGreaterThanOrEqual(1)
    // The lowest failing sample is reported, after every sample below it.
    expect(result.samples.map((s: { index: number }) => s.index)).toEqual([...Array(result.failure.index + 1).keys()])
    expect(result.samples.slice(0, -1).every((s: { ok: boolean }) => s.ok)).toBe(true)
    expect(result.failure.replay).toBe(
      `starcoffee replay --scenario ${tiny} --seed ${result.failure.seed} --max-faults 2 --faults Kill,Duplicate --path ${result.failure.path} --mutant make-no-inbox`
    )
    expect(result.failure.path).toMatch(/^0(:\d+)*$/)
    expect(JSON.parse(readFileSync(join(out, "explore.json"), "utf8"))).toEqual(result)

    const replayed = await run("replay", join(out, "explore.json"), "--json")
    expect(replayed.code).toBe(1)
    const replay = JSON.parse(replayed.stdout)
    expect(replay.reproduced).toBe(true)
    expect(replay.sameTrace).toBe(true)
    expect(replay.traceHash).toBe(result.failure.traceHash)

    const [, ...command] = result.failure.replay.split(" ")
    const byCommand = await run(...command, "--json")
    expect(byCommand.code).toBe(1)
    const again = JSON.parse(byCommand.stdout)
    expect(again.reproduced).toBe(true)
    expect(again.traceHash).toBe(result.failure.traceHash)
    expect(again.failure.schedule).toEqual(result.failure.schedule)
  }, 600_000)

  it("the correct services survive random fault schedules (exit 0)", async () => {
    const r = await run("explore", "happy-path", "--runs", "4", "--seed", "3", "--json")
    const result = JSON.parse(r.stdout)
    expect(result.failure).toBeNull()
    expect(result.ok).toBe(true)
    expect(result.runs).toBe(4)
    expect(result.stoppedBy).toBe("runs")
    expect(result.samples.map((s: { index: number }) => s.index)).toEqual([0, 1, 2, 3])
    expect(r.code).toBe(0)
  }, 300_000)
})
