/**
 * `starcoffee serve` as a user runs it: the whole stack comes up on loopback (Redis, Toxiproxy, the
 * gateway and four services as separate processes), an order placed through the gateway is paid,
 * made and shown on mypage, and SIGINT or SIGTERM leaves no process behind. A port in use is one
 * line and exit code 2, again with nothing left running.
 */
import { type ChildProcess, spawn } from "node:child_process"
import { createServer, type Server } from "node:net"
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, describe, expect, it } from "vitest"
import { freePort } from "../../src/live/FreePort.js"
import { awaitGone, descendants } from "./support/processes.js"

const bin = join(__dirname, "..", "..", "bin", "starcoffee.mjs")

interface Serving {
  readonly child: ChildProcess
  readonly stdout: () => string
  readonly stderr: () => string
  readonly exit: Promise<number | null>
}

/** serve keeps its run directory (databases, logs): the tests give it a temporary folder of their own. */
const tmp = mkdtempSync(join(tmpdir(), "starcoffee-serve-test-"))
afterAll(() => rmSync(tmp, { recursive: true, force: true }))

const serve = (...args: Array<string>): Serving => {
  const child = spawn(process.execPath, [bin, "serve", ...args], {
    shell: false,
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, TMPDIR: tmp }
  })
  let out = ""
  let err = ""
  child.stdout!.on("data", (d) => (out += d))
  child.stderr!.on("data", (d) => (err += d))
  const exit = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)))
  return { child, stdout: () => out, stderr: () => err, exit }
}

const until = async <A>(what: string, f: () => Promise<A | undefined> | A | undefined, millis: number): Promise<A> => {
  const deadline = Date.now() + millis
  while (Date.now() < deadline) {
    const value = await f()
    if (value !== undefined) return value
    await new Promise((resolve) => setTimeout(resolve, 200))
  }
  throw new Error(`timed out waiting for ${what}`)
}

const json = async (url: string, init?: RequestInit) => {
  const response = await fetch(url, init)
  return { status: response.status, body: await response.json() as Record<string, unknown> }
}

/** Starts `serve`, checks an order goes through, stops it with `signal`, and checks nothing is left. */
const serveAndStop = async (signal: NodeJS.Signals, expectedCode: number) => {
  const port = await freePort()
  const serving = serve("--port", String(port))
  try {
    await until("the gateway line", () => (serving.stdout().includes("gateway") ? true : undefined), 90_000)
    expect(serving.stdout()).toContain(`gateway   http://127.0.0.1:${port}`)
    // The seed's payment takes 400–620 ms against a 610 ms timeout: some orders are refused (503).
    const placed = await until("an order to be accepted", async () => {
      const answer = await json(`http://127.0.0.1:${port}/orders`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ menuId: 3, price: 2500 })
      })
      expect([201, 503]).toContain(answer.status)
      return answer.status === 201 ? answer : undefined
    }, 30_000)
    expect(placed.body.status).toBe("Placed")
    const view = await until("mypage to show the coffee made", async () => {
      const got = await json(`http://127.0.0.1:${port}/mypages/${placed.body.orderId}`)
      return got.status === 200 && got.body.status === "made" ? got.body : undefined
    }, 30_000)
    expect(view).toMatchObject({ paid: true, made: true, price: 2500 })
    const started = descendants(serving.child.pid!)
    // redis-server, the Toxiproxy server and five replicas
    expect(started.length).toBeGreaterThanOrEqual(7)
    serving.child.kill(signal)
    expect(await serving.exit).toBe(expectedCode)
    expect(await awaitGone(started)).toEqual([])
  } finally {
    serving.child.kill("SIGKILL")
  }
}

describe("starcoffee serve", () => {
  it("runs the saga on real processes and leaves nothing behind on SIGINT", async () => {
    await serveAndStop("SIGINT", 130)
  })

  it("leaves nothing behind on SIGTERM", async () => {
    await serveAndStop("SIGTERM", 143)
  })

  it("a gateway port in use: one line, exit code 2, nothing left running", async () => {
    const port = await freePort()
    const blocker: Server = createServer()
    await new Promise<void>((resolve) => blocker.listen(port, "127.0.0.1", resolve))
    try {
      const serving = serve("--port", String(port))
      let seen: Array<number> = []
      const poll = setInterval(() => (seen = [...new Set([...seen, ...descendants(serving.child.pid!)])]), 100)
      const code = await serving.exit
      clearInterval(poll)
      expect(code).toBe(2)
      const lines = serving.stderr().trim().split("\n")
      expect(lines).toHaveLength(1)
      expect(lines[0]).toMatch(new RegExp(`port ${port} on 127.0.0.1 is in use`))
      expect(await awaitGone(seen)).toEqual([])
    } finally {
      blocker.close()
    }
  })

  it("bad flags: one line, exit code 2", async () => {
    const serving = serve("--service", "coffee")
    expect(await serving.exit).toBe(2)
    expect(serving.stderr().trim()).toMatch(/^starcoffee: --service must be all or one of order, payment, make, mypage, gateway, got "coffee"$/)
  })
})

describe("starcoffee serve with the Redis and Toxiproxy it is given", () => {
  it("an unreachable Redis: one line naming it, exit code 2, nothing left running", async () => {
    const port = await freePort()
    const serving = serve("--port", String(await freePort()), "--redis", `redis://127.0.0.1:${port}`)
    expect(await serving.exit).toBe(2)
    expect(serving.stderr().trim()).toBe(`starcoffee serve: Redis at redis://127.0.0.1:${port} does not answer PING`)
  })

  it("an unreachable Toxiproxy: one line naming it, exit code 2", async () => {
    const port = await freePort()
    const serving = serve("--port", String(await freePort()), "--toxiproxy", `http://127.0.0.1:${port}`)
    expect(await serving.exit).toBe(2)
    expect(serving.stderr().trim()).toBe(`starcoffee serve: the Toxiproxy server at http://127.0.0.1:${port} does not answer /version`)
  })

  it("a Redis or Toxiproxy off the loopback interface is refused", async () => {
    const serving = serve("--redis", "redis://10.0.0.1:6379")
    expect(await serving.exit).toBe(2)
    expect(serving.stderr().trim()).toMatch(/--redis must be redis:\/\/127\.0\.0\.1:PORT/)
  })
})
