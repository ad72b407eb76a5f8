/**
 * A live stack that cannot start fails in one line naming what failed, and leaves nothing running:
 * a replica that dies at start (its last words in the message), and — through the command line — a
 * missing redis-server, exit code 2. A live run interrupted with SIGINT leaves no process and no
 * run directory behind, and a harness killed with SIGKILL leaves no process either.
 */
import { Cause, Effect, Exit, Option } from "effect"
import { spawn } from "node:child_process"
import { mkdtempSync, readdirSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { describe, expect, it, onTestFinished } from "vitest"
import { trackedPids } from "../../src/live/ChildProcesses.js"
import { freePort } from "../../src/live/FreePort.js"
import { startLiveStack } from "../../src/live/LiveStack.js"
import { starcoffee } from "./support/cli.js"
import { awaitGone, descendants } from "./support/processes.js"

describe("a live stack that cannot start", () => {
  it("a replica dying at start: the stack fails naming it and its last line, and stops everything", async () => {
    let seen: Array<number> = []
    const poll = setInterval(() => (seen = [...new Set([...seen, ...trackedPids()])]), 20)
    const exit = await Effect.runPromiseExit(Effect.scoped(startLiveStack({
      replicaCommand: {
        kind: "cli",
        args: () => ["-e", "console.error('boom: the replica cannot open its database'); process.exit(3)"]
      }
    })))
    clearInterval(poll)
    expect(Exit.isFailure(exit)).toBe(true)
    const error = Exit.isFailure(exit) ? Option.getOrUndefined(Cause.failureOption(exit.cause)) : undefined
    expect((error as Error).message).toMatch(
      /^(order|payment|make|mypage|gateway)-0 exited with code 3 at start: boom: the replica cannot open its database$/
    )
    // redis-server, the Toxiproxy server and the replicas that were started
    expect(seen.length).toBeGreaterThanOrEqual(3)
    expect(trackedPids()).toEqual([])
    expect(await awaitGone(seen)).toEqual([])
  })

  it("run --mode live without redis-server: one line naming it and how to install it, exit 2", async () => {
    const r = await starcoffee(["run", "happy-path", "--mode", "live"], { STARCOFFEE_REDIS_SERVER: "/nonexistent/redis-server" })
    expect(r.status).toBe(2)
    expect(r.stderr.trim().split("\n")).toHaveLength(1)
    expect(r.stderr).toMatch(/^starcoffee: --mode live: redis-server not found at \/nonexistent\/redis-server: install it with `sudo apt-get install redis-server`/)
  })
})

describe("a live run interrupted", () => {
  it("a harness killed with SIGKILL still leaves no redis-server, Toxiproxy or replica behind", async () => {
    const bin = join(__dirname, "..", "..", "bin", "starcoffee.mjs")
    // serve keeps its run directory, and a harness killed with SIGKILL cannot remove it: a folder of the test's own
    const tmp = mkdtempSync(join(tmpdir(), "starcoffee-sigkill-"))
    onTestFinished(() => rmSync(tmp, { recursive: true, force: true }))
    const child = spawn(process.execPath, [bin, "serve", "--port", String(await freePort())], {
      shell: false,
      stdio: ["ignore", "pipe", "ignore"],
      env: { ...process.env, TMPDIR: tmp }
    })
    let out = ""
    child.stdout!.on("data", (d) => (out += d))
    for (let i = 0; i < 900 && !out.includes("gateway"); i++) await new Promise((resolve) => setTimeout(resolve, 100))
    expect(out).toContain("gateway")
    const started = descendants(child.pid!)
    // redis-server and Toxiproxy (each with its guardian) and five replicas
    expect(started.length).toBeGreaterThanOrEqual(9)
    child.kill("SIGKILL")
    expect(await awaitGone(started, 20_000)).toEqual([])
  }, 180_000)

  it("SIGINT: exit code 130, no process and no run directory left", async () => {
    // its own temporary directory, where the run directory must appear and then go
    const tmp = mkdtempSync(join(tmpdir(), "starcoffee-sigint-"))
    const bin = join(__dirname, "..", "..", "bin", "starcoffee.mjs")
    const child = spawn(process.execPath, [bin, "run", "happy-path", "--mode", "live", "--json"], {
      shell: false,
      stdio: "ignore",
      env: { ...process.env, TMPDIR: tmp }
    })
    const exit = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)))
    // wait until the stack is up: redis-server, Toxiproxy and the five replicas
    let started: Array<number> = []
    for (let i = 0; i < 600 && started.length < 7; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100))
      started = descendants(child.pid!)
    }
    expect(started.length).toBeGreaterThanOrEqual(7)
    expect(readdirSync(tmp).filter((d) => d.startsWith("starcoffee-live-"))).toHaveLength(1)
    child.kill("SIGINT")
    expect(await exit).toBe(130)
    expect(await awaitGone(started)).toEqual([])
    expect(readdirSync(tmp)).toEqual([])
    rmSync(tmp, { recursive: true, force: true })
  }, 180_000)
})
