/**
 * `starcoffee list --mutants [--json]`: the mutant registry as a user sees it, from a real child
 * process (no shell) of the compiled command.
 */
import { spawnSync } from "node:child_process"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { MutantNames } from "../../src/services/MutantNames.js"

const bin = join(__dirname, "..", "..", "bin", "starcoffee.mjs")
const run = (...args: Array<string>) => {
  const r = spawnSync(process.execPath, [bin, ...args], { encoding: "utf8", shell: false, timeout: 120_000 })
  return { code: r.status, stdout: r.stdout, stderr: r.stderr }
}

describe("starcoffee list --mutants", () => {
  it("--json prints the whole registry as an array of { name, description }", () => {
    const r = run("list", "--mutants", "--json")
    expect(r.code, r.stderr).toBe(0)
    expect(JSON.parse(r.stdout)).toEqual(Object.entries(MutantNames).map(([name, description]) => ({ name, description })))
  })

  it("prints one line per mutant, name then description", () => {
    const r = run("list", "--mutants")
    expect(r.code, r.stderr).toBe(0)
    const lines = r.stdout.trim().split("\n")
    expect(lines).toHaveLength(Object.keys(MutantNames).length)
    for (const [name, description] of Object.entries(MutantNames)) {
      expect(lines.some((l) => l.startsWith(`${name} `) && l.endsWith(description))).toBe(true)
    }
  })

  it("--help names the flag", () => {
    const r = run("list", "--help")
    expect(r.code).toBe(0)
    expect(r.stdout).toContain("--mutants")
  })
})
