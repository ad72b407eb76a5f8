/**
 * Scenarios as data, as a user meets them: a user's own YAML file runs; `check` validates without
 * running; a bad file is one line naming the file, the field and what was expected, exit 2; and every
 * failure class has its own exit code (0 pass, 1 safety, 3 liveness, 4 behaviour, 5 unfinished).
 */
import { mkdtempSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { runCli as run } from "../support/exploreCli.js"

const dir = mkdtempSync(join(tmpdir(), "starcoffee-scenarios-"))
const file = (name: string, text: string) => {
  const path = join(dir, name)
  writeFileSync(path, text)
  return path
}

/** A small experiment: 3 users for 5 simulated seconds, fast payment. */
const small = (extra = "") => `name: my-experiment
description: "a user's own experiment"
config:
  payment:
    processing: { minMillis: 50, maxMillis: 150 }
workload: { users: 3, durationMillis: 5000, thinkMillis: 200 }
livenessBoundMillis: 30000
${extra}`

describe("scenario files", () => {
  it("runs a user's own YAML file and reports it by its name", async () => {
    const path = file("mine.yaml", small("thresholds:\n  - { metric: successful, op: \">\", value: 0, why: orders go through }\n"))
    const r = await run("run", path, "--json")
    expect(r.stderr).toBe("")
    expect(r.code).toBe(0)
    const result = JSON.parse(r.stdout)
    expect(result).toMatchObject({ scenario: "my-experiment", ok: true, failureClass: "pass", reproducible: true })
    expect(result.invariants.filter((i: { kind: string }) => i.kind === "behaviour")).toHaveLength(1)
  })

  it("check validates files without running them, built-in names included", async () => {
    const path = file("check-me.yaml", small("faults:\n  - atMillis: 1000\n    durationMillis: 1000\n    fault: { kind: Kill, service: make }\n"))
    const r = await run("check", path, "make-down", "--json")
    expect(r.code).toBe(0)
    const lines = r.stdout.trim().split("\n").map((l) => JSON.parse(l))
    expect(lines[0]).toEqual({ file: path, ok: true, name: "my-experiment", faults: 1, thresholds: 0 })
    expect(lines[1]).toMatchObject({ file: "make-down", ok: true, name: "make-down", faults: 1 })
  })

  it.each([
    ["missing field", small().replace(/^description:.*\n/m, ""), /description: is missing/],
    ["wrong type", small().replace("users: 3", "users: many"), /workload\.users: Expected number, actual "many"/],
    ["unknown fault", small("faults:\n  - { atMillis: 0, durationMillis: 1, fault: { kind: Frobnicate } }\n"), /faults\.0\.fault\.kind: Expected "Kill" \| "Hang"/],
    ["unknown service", small("faults:\n  - { atMillis: 0, durationMillis: 1, fault: { kind: Kill, service: coffee } }\n"), /faults\.0\.fault\.service: Expected "order" \| "payment" \| "make" \| "mypage" \| "gateway", actual "coffee"/],
    ["unknown field", small("colour: blue\n"), /colour: is not a known field/],
    ["YAML syntax error", "name: x\ndescription: [unclosed\n", /YAML syntax error at line \d+, column \d+/]
  ])("a bad file (%s) is one line naming the file and the field, exit 2", async (label, text, message) => {
    const path = file(`bad-${label.replace(/\W/g, "-")}.yaml`, text)
    for (const command of ["check", "run"]) {
      const r = await run(command, path)
      expect(r.code, r.stderr).toBe(2)
      expect(r.stderr.startsWith(`starcoffee: ${path}: `), r.stderr).toBe(true)
      expect(r.stderr).toMatch(message)
      expect(r.stderr.trim().split("\n")).toHaveLength(1)
      expect(r.stdout).toBe("")
    }
  })

  it("a missing file is one line, exit 2", async () => {
    const r = await run("run", join(dir, "nope.yaml"))
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/nope\.yaml: cannot read the file \(no such file\)/)
  })
})

describe("failure classes as exit codes", () => {
  it("1: a safety invariant broke", async () => {
    const path = file("dup.yaml", small("faults:\n  - { atMillis: 0, durationMillis: 5000, fault: { kind: Duplicate, probability: 1 } }\n"))
    const r = await run("run", path, "--mutant", "make-no-inbox", "--json")
    expect(r.code).toBe(1)
    expect(JSON.parse(r.stdout).failureClass).toBe("safety")
  })

  it("3: only a liveness invariant broke (make down to the end, no time to converge)", async () => {
    const path = file("slow-converge.yaml", small("faults:\n  - { atMillis: 0, durationMillis: 5000, fault: { kind: ServiceDown, service: make } }\n").replace("livenessBoundMillis: 30000", "livenessBoundMillis: 0"))
    const r = await run("run", path, "--json")
    expect(r.code).toBe(3)
    const result = JSON.parse(r.stdout)
    expect(result.failureClass).toBe("liveness")
    expect(result.invariants.filter((i: { ok: boolean; kind: string }) => !i.ok && i.kind === "safety")).toEqual([])
  })

  it("4: only a behaviour threshold missed", async () => {
    const path = file("greedy.yaml", small("thresholds:\n  - { metric: transactions, op: \">=\", value: 1000000, why: an impossible load }\n"))
    const r = await run("run", path, "--json")
    expect(r.code).toBe(4)
    expect(JSON.parse(r.stdout).failureClass).toBe("behaviour")
  })

  it("5: the run did not finish (step budget)", async () => {
    const r = await run("run", file("steps.yaml", small()), "--max-steps", "1000", "--json")
    expect(r.code).toBe(5)
    const result = JSON.parse(r.stdout)
    expect(result.failureClass).toBe("incomplete")
    expect(result.invariants[0].detail).toMatch(/StepLimit/)
  })

  it("0 and 2 are documented with the others in --help", async () => {
    const r = await run("run", "--help")
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/Exit codes: 0 every check holds; 1 a safety invariant broke .*2 bad usage .*3 a liveness .*4 only behaviour .*5 the run did not finish/)
  })
})
