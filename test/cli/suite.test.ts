/**
 * `starcoffee suite` as a user runs it: scenarios run in worker threads, lines come out in catalogue
 * order, and the same seed gives the same trace hashes whatever --jobs.
 */
import { mkdtempSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { runCli as run } from "../support/exploreCli.js"


const only = "happy-path,broker-outage,liveness"
const out = () => mkdtempSync(join(tmpdir(), "starcoffee-suite-"))

describe("starcoffee suite", () => {
  it("gives the same results and trace hashes at --jobs 1 and --jobs 2, in catalogue order", { timeout: 600_000 }, async () => {
    const one = await run("suite", "--only", only, "--jobs", "1", "--json", "--seed", "3", "--out", out())
    const two = await run("suite", "--only", only, "--jobs", "2", "--json", "--seed", "3", "--out", out())
    expect(one.code).toBe(0)
    expect(two.code).toBe(0)
    const parse = (out: string) => out.trim().split("\n").map((l) => JSON.parse(l) as { scenario: string; traceHash: string; seed: number })
    const a = parse(one.stdout)
    const b = parse(two.stdout)
    expect(a.map((r) => r.scenario)).toEqual(["broker-outage", "happy-path", "liveness"])
    expect(b.map((r) => r.scenario)).toEqual(a.map((r) => r.scenario))
    for (const r of a) expect(r.traceHash).toMatch(/^[0-9a-f]{64}$/)
    expect(b.map((r) => r.traceHash)).toEqual(a.map((r) => r.traceHash))
    expect(new Set(a.map((r) => r.traceHash)).size).toBe(3)
  })

  it("prints a line per scenario and a total when stdout is not a terminal, and no progress line", { timeout: 300_000 }, async () => {
    const r = await run("suite", "--only", "liveness", "--jobs", "2", "--out", out())
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/^PASS {2}liveness /m)
    expect(r.stdout).toMatch(/1 passed, 0 failed in [\d.]+ s wall \(2 jobs\)/)
    expect(r.stdout).not.toContain("\r")
  })

  it.each([
    [["suite", "--jobs", "0"], /--jobs must be an integer from 1 to 256, got "0"/],
    [["suite", "--jobs", "two"], /--jobs must be an integer from 1 to 256/],
    [["suite", "--only", "nope"], /--only: unknown scenario "nope"/]
  ])("bad usage %j: one line, exit 2", async (args, message) => {
    const r = await run(...args)
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(message)
    expect(r.stderr.trim().split("\n")).toHaveLength(1)
  })
})
