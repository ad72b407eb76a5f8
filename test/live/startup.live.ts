/**
 * A live stack that cannot start fails in one line naming what failed, and leaves nothing running:
 * a replica that dies at start (its last words in the message), and — through the command line — a
 * missing redis-server, exit code 2.
 */
import { Cause, Effect, Exit, Option } from "effect"
import { describe, expect, it } from "vitest"
import { trackedPids } from "../../src/live/ChildProcesses.js"
import { startLiveStack } from "../../src/live/LiveStack.js"
import { starcoffee } from "./support/cli.js"
import { awaitGone } from "./support/processes.js"

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
