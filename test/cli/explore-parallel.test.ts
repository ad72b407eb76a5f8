/**
 * explore in parallel, in shards and by time, as a user runs it: the result (counterexample, shrunk
 * schedule, trace hashes, every sample) is the same at --jobs 1 and --jobs 2; shards are disjoint,
 * explore the very samples an unsharded exploration would, and a shard's counterexample replays from
 * its printed command; --time-budget stops and says how many samples it checked; bad values of the
 * new flags are one line and exit 2.
 */
import { mkdtempSync, readFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { beforeAll, describe, expect, it } from "vitest"
import { runCli as run, writeTinyScenario } from "../support/exploreCli.js"

interface Sample {
  readonly index: number
  readonly seed: number
  readonly runSeed: number
  readonly traceHash: string
  readonly ok: boolean
}

let tiny: string
let dir: string
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "starcoffee-explore-parallel-"))
  tiny = writeTinyScenario(dir)
})

/** Everything but how long it took and on how many jobs. */
const withoutTiming = ({ jobs: _j, wallMs: _w, runsPerSecond: _r, ...rest }: Record<string, unknown>) => rest

describe("starcoffee explore --jobs, --shard, --time-budget", () => {
  it("gives the same counterexample, shrunk schedule and trace hashes at --jobs 1 and --jobs 2; a shard's counterexample replays", async () => {
    // Shard 1/2 of seed 7 holds samples 0, 2, 4, 6, 8, 10; sample 2 fails (make-no-inbox under duplicate delivery).
    const args = ["explore", tiny, "--mutant", "make-no-inbox", "--seed", "7", "--max-faults", "2", "--faults", "Duplicate,Kill", "--shard", "1/2", "--runs", "6", "--json"]
    const one = await run(...args, "--jobs", "1")
    const two = await run(...args, "--jobs", "2")
    expect(one.code).toBe(1)
    expect(two.code).toBe(1)
    const a = JSON.parse(one.stdout)
    const b = JSON.parse(two.stdout)
    expect(a.jobs).toBe(1)
    expect(b.jobs).toBe(2)
    expect(withoutTiming(b)).toEqual(withoutTiming(a))
    expect(a.failure.index).toBe(2)
    expect(a.samples.map((s: Sample) => s.index)).toEqual([0, 2])
    expect(a.runs).toBe(2)
    expect(a.kinds).toEqual(["Kill", "Duplicate"])
    expect(a.failure.traceHash).toMatch(/^[0-9a-f]{64}$/)
    expect(a.failure.schedule.length).toBeGreaterThanOrEqual(1)

    const [, ...command] = a.failure.replay.split(" ")
    expect(command).not.toContain("--shard")
    expect(command.join(" ")).toContain("--faults Kill,Duplicate")
    const replayed = await run(...command, "--json")
    expect(replayed.code).toBe(1)
    const replay = JSON.parse(replayed.stdout)
    expect(replay.reproduced).toBe(true)
    expect(replay.traceHash).toBe(a.failure.traceHash)
  }, 900_000)

  it("shards are disjoint and check exactly the samples of the unsharded exploration", async () => {
    const whole = JSON.parse((await run("explore", tiny, "--seed", "5", "--runs", "4", "--jobs", "2", "--json")).stdout)
    const first = JSON.parse((await run("explore", tiny, "--seed", "5", "--runs", "2", "--shard", "1/2", "--json")).stdout)
    const second = JSON.parse((await run("explore", tiny, "--seed", "5", "--runs", "2", "--shard", "2/2", "--json")).stdout)
    expect(first.samples.map((s: Sample) => s.index)).toEqual([0, 2])
    expect(second.samples.map((s: Sample) => s.index)).toEqual([1, 3])
    expect(first.shard).toBe("1/2")
    expect(second.shard).toBe("2/2")
    const union = [...first.samples, ...second.samples].sort((x: Sample, y: Sample) => x.index - y.index)
    expect(union).toEqual(whole.samples)
    expect(new Set(union.map((s: Sample) => s.seed)).size).toBe(4)
    expect(new Set(union.map((s: Sample) => s.runSeed)).size).toBe(4)
  }, 600_000)

  it("--time-budget keeps drawing samples until the budget is spent, then reports how many it checked", async () => {
    const out = join(dir, "budget")
    const r = await run("explore", tiny, "--time-budget", "5s", "--jobs", "1", "--out", out)
    expect(r.code).toBe(0)
    const result = JSON.parse(readFileSync(join(out, "explore.json"), "utf8"))
    expect(result.stoppedBy).toBe("time-budget")
    expect(result.timeBudgetMs).toBe(5000)
    expect(result.runs).toBeGreaterThanOrEqual(1)
    expect(result.samples.map((s: Sample) => s.index)).toEqual([...Array(result.runs).keys()])
    expect(result.wallMs).toBeGreaterThanOrEqual(5000)
    expect(r.stdout).toContain(`PASS  tiny: ${result.runs} samples (shard 1/1, seed 1, stopped by the 5s time budget), no invariant broken;`)
  }, 300_000)

  it.each([
    [["explore", "happy-path", "--jobs", "0"], /--jobs must be an integer from 1 to 256, got "0"/],
    [["explore", "happy-path", "--shard", "0/2"], /--shard must be i\/n with 1 ≤ i ≤ n ≤ 100000 \(e\.g\. 2\/4\), got "0\/2"/],
    [["explore", "happy-path", "--shard", "3/2"], /--shard must be i\/n .* got "3\/2"/],
    [["explore", "happy-path", "--faults", "Kill,Nope"], /--faults: unknown fault kind "Nope"; kinds: Kill, Hang/],
    [["explore", "happy-path", "--shard", "2"], /--shard must be i\/n .* got "2"/],
    [["explore", "happy-path", "--time-budget", "5"], /--time-budget must be a positive duration such as 30s, 5m or 1h, got "5"/],
    [["explore", "happy-path", "--time-budget", "0s"], /--time-budget must be a positive duration .* got "0s"/],
    [["explore", "happy-path", "--time-budget", "2d"], /--time-budget must be a positive duration .* got "2d"/],
    [["explore", "happy-path", "--runs", "0"], /--runs must be at least 1/],
    [["replay", "--scenario", "happy-path", "--seed", "1", "--path", "0:x"], /--path must look like 0:12:3, got "0:x"/],
    [["replay", "--scenario", "happy-path", "--seed", "1", "--path", "0", "--runs", "3"], /replay: Unknown option '--runs'/]
  ])("bad usage %j: one line, exit 2", async (args, message) => {
    const r = await run(...args)
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(message)
    expect(r.stderr.trim().split("\n")).toHaveLength(1)
    expect(r.stdout).toBe("")
  })
})
