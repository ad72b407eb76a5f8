/**
 * explore and replay as a user runs them: a mutant is found, shrunk and replayed byte for byte; the
 * correct services survive a few random fault schedules.
 */
import { spawn } from "node:child_process"
import { mkdtempSync, readFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { describe, expect, it } from "vitest"

const bin = join(__dirname, "..", "..", "bin", "starcoffee.mjs")
// Asynchronous on purpose: a spawnSync of a minute would block the test worker past vitest's RPC timeout.
const run = (...args: Array<string>) =>
  new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], { shell: false, timeout: 300_000 })
    let stdout = ""
    let stderr = ""
    child.stdout.on("data", (chunk) => (stdout += chunk))
    child.stderr.on("data", (chunk) => (stderr += chunk))
    child.on("error", reject)
    child.on("close", (code) => resolve({ code, stdout, stderr }))
  })

describe("starcoffee explore and replay", () => {
  it("finds the make-no-inbox mutant, shrinks it, and replay reproduces it byte for byte", async () => {
    const out = mkdtempSync(join(tmpdir(), "starcoffee-explore-"))
    const found = await run("explore", "happy-path", "--mutant", "make-no-inbox", "--runs", "20", "--max-faults", "2", "--out", out, "--json")
    expect(found.code).toBe(1)
    const result = JSON.parse(found.stdout)
    expect(result.ok).toBe(false)
    expect(result.failure.invariant).toContain("at most one charge, one coffee and one refund per order")
    expect(result.failure.schedule.length).toBeLessThanOrEqual(2)
    expect(result.failure.replay).toMatch(/^starcoffee replay --scenario happy-path --seed 1 --runs 20 --max-faults 2 --path [\d:]+ --mutant make-no-inbox$/)
    expect(JSON.parse(readFileSync(join(out, "explore.json"), "utf8"))).toEqual(result)

    const replayed = await run("replay", join(out, "explore.json"), "--json")
    expect(replayed.code).toBe(1)
    const replay = JSON.parse(replayed.stdout)
    expect(replay.reproduced).toBe(true)
    expect(replay.sameTrace).toBe(true)
    expect(replay.traceHash).toBe(result.failure.traceHash)
  }, 300_000)

  it("the correct services survive random fault schedules (exit 0)", async () => {
    const r = await run("explore", "happy-path", "--runs", "4", "--seed", "3", "--json")
    const result = JSON.parse(r.stdout)
    expect(result.failure).toBeNull()
    expect(result.ok).toBe(true)
    expect(result.runs).toBe(4)
    expect(r.code).toBe(0)
  }, 300_000)
})
