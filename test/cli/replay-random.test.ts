/**
 * A counterexample of the `random` scenario, whose workload, brew time and shuffle are drawn per
 * sample, replays from its explore.json byte for byte; and `explore --json` prints nothing but its JSON
 * (the services' warnings under SQL faults never reach stdout).
 */
import { mkdtempSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { runCli as run } from "../support/exploreCli.js"


describe("replay of a drawn workload", () => {
  it("explore random finds make-no-inbox and replay reproduces it with the same trace hash", { timeout: 900_000 }, async () => {
    const out = mkdtempSync(join(tmpdir(), "starcoffee-random-"))
    const found = await run("explore", "random", "--mutant", "make-no-inbox", "--runs", "40", "--jobs", "2", "--out", out, "--json")
    expect(found.code).toBe(1)
    const result = JSON.parse(found.stdout)
    expect(result.failure.workload).toBeDefined()
    const replayed = await run("replay", join(out, "explore.json"), "--json")
    expect(replayed.code).toBe(1)
    const replay = JSON.parse(replayed.stdout)
    expect(replay.reproduced).toBe(true)
    expect(replay.sameTrace).toBe(true)
  })
})
