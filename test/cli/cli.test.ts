/**
 * The starcoffee command as a user runs it: a real child process (no shell), its exit code, stdout
 * and stderr.
 */
import { spawn } from "node:child_process"
import { mkdtempSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { describe, expect, it } from "vitest"

const bin = join(__dirname, "..", "..", "bin", "starcoffee.mjs")
const hooks = join(__dirname, "..", "support", "forbid-effect.mjs")
/** The CLI in a child process (asynchronous: a blocking spawn would stall vitest's worker). */
const spawnCli = (nodeArgs: ReadonlyArray<string>, args: ReadonlyArray<string>) =>
  new Promise<{ code: number | null; status: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    const child = spawn(process.execPath, [...nodeArgs, bin, ...args], { shell: false, timeout: 120_000 })
    let stdout = ""
    let stderr = ""
    child.stdout.on("data", (chunk) => (stdout += chunk))
    child.stderr.on("data", (chunk) => (stderr += chunk))
    child.on("error", reject)
    child.on("close", (code) => resolve({ code, status: code, stdout, stderr }))
  })
const run = (...args: Array<string>) => spawnCli([], args)

describe("starcoffee CLI", () => {
  it("--help lists every command and exits 0", async () => {
    const r = await run("--help")
    expect(r.code).toBe(0)
    for (const command of ["list", "run", "suite", "bench"]) expect(r.stdout).toContain(`  ${command} `)
  })

  it("--help and usage errors answer without loading Effect, the services or the world", { timeout: 180_000 }, async () => {
    const guarded = (...args: Array<string>) => spawnCli(["--import", hooks], args)
    const help = await guarded("--help")
    expect(help.status).toBe(0)
    for (const command of ["list", "run", "suite", "explore", "replay", "bench"]) {
      expect((await guarded(command, "--help"))!.status).toBe(0)
    }
    const bad = await guarded("run", "happy-path", "--seed", "x")
    expect(bad.stderr).toMatch(/--seed must be a non-negative integer/)
    expect(bad.status).toBe(2)
    expect((await guarded("suite", "--jobs", "0"))!.status).toBe(2)
    const unknown = await guarded("run", "no-such-scenario")
    expect(unknown.stderr).toMatch(/unknown scenario "no-such-scenario"/)
    expect(unknown.status).toBe(2)
    expect((await guarded("run", "happy-path", "--max-steps", "0"))!.status).toBe(2)
    // The guard itself works: a command that builds a world is refused by it.
    const refused = await guarded("run", "happy-path", "--json")
    expect(refused.stderr).toMatch(/forbidden import at start-up/)
  })

  it("each command has --help", async () => {
    for (const command of ["list", "run", "suite", "explore", "replay", "bench"]) {
      const r = await run(command, "--help")
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
  ])("bad usage %j: one line on stderr, exit 2, no stack trace", async (args, message) => {
    const r = await run(...args)
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(message)
    expect(r.stderr.trim().split("\n")).toHaveLength(1)
    expect(r.stderr).not.toMatch(/\n\s+at /)
    expect(r.stdout).toBe("")
  })

  it("list --json names the scenarios", async () => {
    const r = await run("list", "--json")
    expect(r.code).toBe(0)
    const names = (JSON.parse(r.stdout) as Array<{ name: string }>).map((s) => s.name)
    expect(names).toEqual(expect.arrayContaining(["happy-path", "slow-payment", "make-down"]))
  })

  it("run --json prints one result object with the documented fields and exits 0", { timeout: 180_000 }, async () => {
    const r = await run("run", "happy-path", "--seed", "5", "--json", "--out", mkdtempSync(join(tmpdir(), "starcoffee-cli-")))
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
