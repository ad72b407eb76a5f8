/**
 * A failure found in the simulator, replayed on real processes (issue #8, item 5): `explore` finds the
 * seed's own defect (the `cancel-publishes-made` mutant: make publishes CoffeeMade when it cancels)
 * in a short cancel-race scenario (fixtures/short-cancel-race.yaml; the catalogue's cancel-race
 * shows the same, in 30 s) and writes explore.json; `replay explore.json --mode live` runs that
 * counterexample — scenario, mutant, workload seed, shrunk schedule — in the live world, where the
 * same invariant breaks: coffee for cancelled orders, made by real processes.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, describe, expect, it } from "vitest"
import { starcoffee as run } from "./support/cli.js"

const out = mkdtempSync(join(tmpdir(), "starcoffee-replay-"))
afterAll(() => rmSync(out, { recursive: true, force: true }))

const starcoffee = (...args: Array<string>) => run(args)

describe("replay --mode live", () => {
  it("reproduces on real processes a counterexample explore found in the simulator", async () => {
    const scenario = join(__dirname, "fixtures", "short-cancel-race.yaml")
    const explore = await starcoffee("explore", scenario, "--mutant", "cancel-publishes-made", "--runs", "1", "--max-faults", "1", "--jobs", "1", "--out", out, "--json")
    expect(explore.status).toBe(1)
    const found = JSON.parse(readFileSync(join(out, "explore.json"), "utf8")) as { failure: { invariant: string } }
    expect(found.failure.invariant).toContain("no coffee for a cancelled order")

    const replay = await starcoffee("replay", join(out, "explore.json"), "--mode", "live", "--time-scale", "0.5", "--json")
    expect(replay.stderr).toBe("")
    const result = JSON.parse(replay.stdout) as { mode: string; reproduced: boolean; sameInvariant: boolean; invariants: Array<{ name: string; ok: boolean; detail: string }> }
    console.log(`replayed live: ${result.invariants.filter((i) => !i.ok).map((i) => `${i.name}: ${i.detail}`).join("; ")}`)
    expect(replay.status).toBe(1)
    expect(result).toMatchObject({ mode: "live", reproduced: true, sameInvariant: true })
    expect(result.invariants.find((i) => i.name === "no coffee for a cancelled order")).toMatchObject({ ok: false })
  }, 600_000)

  it("--mode live needs an explore.json file; --time-scale needs --mode live", async () => {
    const byPath = await starcoffee("replay", "--scenario", "happy-path", "--seed", "1", "--path", "0", "--mode", "live")
    expect(byPath.status).toBe(2)
    expect(byPath.stderr.trim()).toBe("starcoffee: replay --mode live takes an explore.json file")
    const scale = await starcoffee("replay", "--scenario", "happy-path", "--seed", "1", "--path", "0", "--time-scale", "0.5")
    expect(scale.status).toBe(2)
    expect(scale.stderr.trim()).toBe("starcoffee: --time-scale applies to --mode live only")
  })
})
