/**
 * LiveBench: the live world measured against the outside world (issue #8, item 9) — throughput and
 * latency of POST /orders through the gateway on loopback, driven by the harness's own workload
 * (chaos/workload/Siege.ts, closed loop, no think time) and by a load generator nobody here wrote
 * (Debian's `siege`, benchmark mode), each against a bare Node HTTP server answering the same request
 * with a fixed order on the same machine: the bare server's throughput over the stack's is the
 * overhead ratio. Nothing is asserted: the figures are printed with the machine's load average.
 */
import { Effect } from "effect"
import { spawn } from "node:child_process"
import { mkdtempSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { loadavg } from "node:os"
import { computeMetrics } from "../chaos/RunMetrics.js"
import { History } from "../chaos/history/History.js"
import { runSiege } from "../chaos/workload/Siege.js"
import { defaultSagaConfig } from "../services/SagaConfig.js"
import { spawnTracked } from "./ChildProcesses.js"
import { freePort } from "./FreePort.js"
import { makeLiveClient } from "./LiveClient.js"
import { LiveWorld } from "./LiveWorld.js"

export interface LoadFigures {
  readonly target: "bare node" | "gateway"
  readonly generator: "harness" | "siege"
  readonly users: number
  readonly seconds: number
  readonly transactions: number
  readonly successful: number
  readonly perSecond: number
  readonly p50Ms: number
  readonly p99Ms: number
  /** Resolution of the latencies: siege prints them in hundredths of a second. */
  readonly resolutionMs: number
}

export interface BenchOptions {
  /** Concurrent users of each measurement. Default: 10 (order's payment pool holds 10 calls). */
  readonly users?: number
  /** Seconds each measurement lasts. Default: 20. */
  readonly seconds?: number
}

const ORDER = JSON.stringify({ orderId: 1, menuId: 1, price: 1000, status: "Placed" })

/** A bare Node HTTP server, its own process, answering every request with a fixed order (201). */
const bareServer = (port: number) =>
  spawnTracked(process.execPath, ["-e", `
    require("node:http").createServer((req, res) => {
      req.resume()
      req.on("end", () => { res.writeHead(201, { "content-type": "application/json" }); res.end(${JSON.stringify(ORDER)}) })
    }).listen(${port}, "127.0.0.1", () => process.send ? process.send("up") : console.log("up"))
  `], { stdio: ["ignore", "pipe", "inherit"] })

const waitForLine = (child: ReturnType<typeof spawn>, text: string) =>
  new Promise<void>((resolve) => child.stdout!.on("data", (d) => String(d).includes(text) && resolve()))

/** The harness's workload: `users` closed-loop users placing orders at `baseUrl` for `seconds`. */
const harnessLoad = (baseUrl: string, users: number, seconds: number, target: LoadFigures["target"]) =>
  Effect.scoped(Effect.gen(function*() {
    const history = new History()
    const http = yield* makeLiveClient(() => [baseUrl])
    yield* runSiege(http, history, { users, durationMillis: seconds * 1000, timeoutMillis: 30_000 }, 1)
    const m = computeMetrics(history.entries)
    return {
      target,
      generator: "harness",
      users,
      seconds,
      transactions: m.transactions,
      successful: m.successful,
      perSecond: m.transactions / seconds,
      p50Ms: m.p50Ms,
      p99Ms: m.p99Ms,
      resolutionMs: 1
    } satisfies LoadFigures
  }))

const percentile = (sorted: ReadonlyArray<number>, p: number) =>
  sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!

/** Debian's siege in benchmark mode, verbose: one line per transaction, whose times give the percentiles. */
export const siegeLoad = (url: string, users: number, seconds: number, target: LoadFigures["target"]): Promise<LoadFigures | string> =>
  new Promise((resolve) => {
    // Debian's default resource file asks for JSON output, which silences the per-transaction lines.
    const rc = join(mkdtempSync(join(tmpdir(), "starcoffee-siege-")), "siege.conf")
    writeFileSync(rc, "verbose = true\ncolor = false\nquiet = false\njson_output = false\nlogging = false\n")
    const child = spawn("siege", [
      "-R", rc,
      "-b", "-v", "-c", String(users), "-t", `${seconds}S`,
      "--content-type", "application/json",
      `${url}/orders POST {"menuId":1,"price":1000}`
    ], { shell: false, stdio: ["ignore", "pipe", "pipe"] })
    let output = ""
    child.stdout.on("data", (d) => (output += d))
    child.stderr.on("data", (d) => (output += d))
    child.once("error", (error) => resolve(`siege could not run (${error.message}): install it with \`sudo apt-get install siege\``))
    child.once("exit", () => {
      const times: Array<number> = []
      let ok = 0
      for (const line of output.split("\n")) {
        const match = /HTTP\/1\.1\s+(\d{3})\s+([\d.]+)\s+secs/.exec(line)
        if (!match) continue
        times.push(Math.round(Number(match[2]) * 1000))
        if (match[1] === "201") ok++
      }
      times.sort((a, b) => a - b)
      resolve({
        target,
        generator: "siege",
        users,
        seconds,
        transactions: times.length,
        successful: ok,
        perSecond: times.length / seconds,
        p50Ms: percentile(times, 50),
        p99Ms: percentile(times, 99),
        resolutionMs: 10
      })
    })
  })

export interface BenchResult {
  readonly loadBefore: ReadonlyArray<number>
  readonly loadAfter: ReadonlyArray<number>
  readonly figures: ReadonlyArray<LoadFigures>
  readonly notes: ReadonlyArray<string>
}

/** Measures the bare server, then the live stack (payment answering at once), with both generators. */
export const runLiveBench = async (options: BenchOptions = {}): Promise<BenchResult> => {
  const users = options.users ?? 10
  const seconds = options.seconds ?? 20
  const loadBefore = loadavg()
  const figures: Array<LoadFigures> = []
  const notes: Array<string> = []
  const record = (f: LoadFigures | string) => (typeof f === "string" ? notes.push(f) : figures.push(f))

  const port = await freePort()
  const bare = bareServer(port)
  await waitForLine(bare, "up")
  const bareUrl = `http://127.0.0.1:${port}`
  record(await Effect.runPromise(harnessLoad(bareUrl, users, seconds, "bare node")))
  record(await siegeLoad(bareUrl, users, seconds, "bare node"))
  bare.kill("SIGKILL")

  await Effect.runPromise(Effect.scoped(Effect.gen(function*() {
    const world = yield* LiveWorld.make({ config: { ...defaultSagaConfig, payment: { processing: { _tag: "Constant", millis: 0 } } } })
    const gateway = world.stack.supervisor.directoryFor("client").gateway![0]!
    record(yield* harnessLoad(gateway, users, seconds, "gateway").pipe(Effect.withClock(world.stack.clock)))
    record(yield* Effect.promise(() => siegeLoad(gateway, users, seconds, "gateway")))
  })))
  return { loadBefore, loadAfter: loadavg(), figures, notes }
}
