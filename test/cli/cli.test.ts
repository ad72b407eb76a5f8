/**
 * The starcoffee command as a user runs it: a real child process (no shell), its exit code, stdout
 * and stderr.
 */
import { spawnSync } from "node:child_process"
import { join } from "node:path"
import { describe, expect, it } from "vitest"

const bin = join(__dirname, "..", "..", "bin", "starcoffee.mjs")
const hooks = join(__dirname, "..", "support", "forbid-effect.mjs")
const run = (...args: Array<string>) => {
  const r = spawnSync(process.execPath, [bin, ...args], { encoding: "utf8", shell: false, timeout: 120_000 })
  return { code: r.status, stdout: r.stdout, stderr: r.stderr }
}

describe("starcoffee CLI", () => {
  it("--help lists every command and exits 0", () => {
    const r = run("--help")
    expect(r.code).toBe(0)
    for (const command of ["list", "run", "suite", "bench"]) expect(r.stdout).toContain(`  ${command} `)
  })

  it("--help and usage errors answer without loading Effect, the services or the world", () => {
    const guarded = (...args: Array<string>) =>
      spawnSync(process.execPath, ["--import", hooks, bin, ...args], { encoding: "utf8", shell: false, timeout: 60_000 })
    const help = guarded("--help")
    expect(help.status).toBe(0)
    for (const command of ["list", "run", "suite", "explore", "replay", "bench"]) {
      expect(guarded(command, "--help").status).toBe(0)
    }
    const bad = guarded("run", "happy-path", "--seed", "x")
    expect(bad.stderr).toMatch(/--seed must be a non-negative integer/)
    expect(bad.status).toBe(2)
    expect(guarded("suite", "--jobs", "0").status).toBe(2)
    const unknown = guarded("run", "no-such-scenario")
    expect(unknown.stderr).toMatch(/unknown scenario "no-such-scenario"/)
    expect(unknown.status).toBe(2)
    expect(guarded("run", "happy-path", "--max-steps", "0").status).toBe(2)
    // The guard itself works: a command that builds a world is refused by it.
    const refused = guarded("run", "happy-path", "--json")
    expect(refused.stderr).toMatch(/forbidden import at start-up/)
  })

  it("each command has --help", () => {
    for (const command of ["list", "run", "suite", "explore", "replay", "bench"]) {
      const r = run(command, "--help")
      expect(r.code).toBe(0)
      expect(r.stdout).toMatch(new RegExp(`^Usage: starcoffee ${command}`))
    }
  })

  it.each([
    [["run", "no-such-scenario"], /unknown scenario "no-such-scenario"/],
    [["run", "happy-path", "--seed", "abc"], /--seed must be a non-negative integer/],
    [["run", "happy-path", "--bogus"], /Unknown option '--bogus'/],
    [["run", "happy-path", "--mode", "moon"], /--mode must be sim or live, got "moon"/],
    [["run", "happy-path", "--max-steps", "0"], /--max-steps must be at least 1/],
    [["run", "happy-path", "--mutant", "nope"], /unknown mutant "nope"/],
    [["frobnicate"], /unknown command "frobnicate"/],
    [["run"], /a scenario name or file is required/]
  ])("bad usage %j: one line on stderr, exit 2, no stack trace", (args, message) => {
    const r = run(...args)
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(message)
    expect(r.stderr.trim().split("\n")).toHaveLength(1)
    expect(r.stderr).not.toMatch(/\n\s+at /)
    expect(r.stdout).toBe("")
  })

  it("list --json names the scenarios", () => {
    const r = run("list", "--json")
    expect(r.code).toBe(0)
    const names = (JSON.parse(r.stdout) as Array<{ name: string }>).map((s) => s.name)
    expect(names).toEqual(expect.arrayContaining(["happy-path", "slow-payment", "make-down"]))
  })

  it("run --json prints one result object with the documented fields and exits 0", () => {
    const r = run("run", "happy-path", "--seed", "5", "--json")
    expect(r.code).toBe(0)
    const lines = r.stdout.trim().split("\n")
    expect(lines).toHaveLength(1)
    const result = JSON.parse(lines[0]!)
    expect(result).toMatchObject({ scenario: "happy-path", mode: "sim", seed: 5, ok: true })
    expect(result.traceHash).toMatch(/^[0-9a-f]{64}$/)
    expect(result.simulatedMs).toBeGreaterThan(30_000)
    expect(result.invariants.every((i: { ok: boolean }) => i.ok)).toBe(true)
    for (const key of ["transactions", "successful", "failed", "availability", "p50Ms", "p95Ms", "p99Ms"]) {
      expect(result.metrics).toHaveProperty(key)
    }
    expect(result.metrics.transactions).toBe(result.metrics.successful + result.metrics.failed)
  })
})
