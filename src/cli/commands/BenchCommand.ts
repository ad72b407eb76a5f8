/**
 * `starcoffee bench [--json] [--skip-testclock]`: the benchmark (not a test — it prints figures and
 * ratios, it asserts nothing).
 *   (a) kernelVsTestClock: the toy siege (100 users × 60 simulated s against a 400–620 ms server)
 *       under our kernel and under Effect's TestClock.adjust;
 *   (b) siege: the full-stack slow-payment scenario, c100 × 60 simulated s through the gateway,
 *       order, the breaker, payment, SQLite, the broker, make and mypage: wall time, compression
 *       (simulated / wall), wall µs and SQL statements per order, the process's peak RSS after it
 *       (it runs first, so nothing but start-up is in that peak), and the world's set-up time (median
 *       of 5 builds of the slow-payment world after the siege: databases and migrations, broker,
 *       network, the five services' pods and apps);
 *   (c) cli: `starcoffee --help` start-up (median of several) beside `node -e 0`;
 *   (d) suite: `starcoffee suite` wall time at --jobs 1 and --jobs 2, and whether both gave the
 *       same trace hashes;
 *   (e) explore: simulated runs per wall second of an exploration of a small target at --jobs 1 and
 *       --jobs 2, in its first 20 s and in the 20 s after (BenchExplore.ts).
 */
import { Effect } from "effect"
import { type Scenario, scenarioConfig } from "../../chaos/Scenario.js"
import { catalogueFile } from "../../chaos/scenario/Catalogue.js"
import { deriveSeeds } from "../../chaos/Seeds.js"
import { simSqlStatements } from "../../sim/cluster/SimSql.js"
import { Kernel } from "../../sim/kernel/Kernel.js"
import { SimWorld } from "../../sim/world/SimWorld.js"
import { runToySiegeOnKernel, runToySiegeOnTestClock } from "../../sim/bench/ToySiege.js"
import type { Parsed } from "../Args.js"
import { measureCliStartup, measureSuite } from "../BenchProcesses.js"
import { measureExplore } from "../BenchExplore.js"
import { loadScenarioFile } from "../Resolve.js"
import { runTimed } from "../RunTimed.js"
import { unboundHeapGrowth } from "../WorkerHeap.js"
import { parseNonNegativeInt } from "../UsageError.js"

const round = (x: number, digits = 1) => Math.round(x * 10 ** digits) / 10 ** digits

const median = (xs: Array<number>) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)]!

/** Wall ms to build a scenario's world (as the sim runner builds it) in a fresh kernel: median of `n`. */
const measureWorldSetup = (scenario: Scenario, seed: number, n: number): number => {
  const times: Array<number> = []
  for (let i = 0; i < n; i++) {
    const kernel = new Kernel({})
    let ms = 0
    kernel.run(Effect.scoped(Effect.suspend(() => {
      const started = performance.now()
      return Effect.map(
        SimWorld.make({ config: scenarioConfig(scenario), mutants: new Set(), seeds: deriveSeeds(seed) }),
        () => {
          ms = performance.now() - started
        }
      )
    })).pipe(Effect.withTracerEnabled(false)), { seed })
    kernel.shutdown()
    times.push(ms)
  }
  return round(median(times), 0)
}

export const benchCommand = async ({ values }: Parsed): Promise<number> => {
  const seed = parseNonNegativeInt("seed", values.seed as string | undefined, 1)
  const say = (line: string) => {
    if (!values.json) console.log(line)
  }
  const toy = { users: 100, seconds: 60, seed }

  // The siege first: its peak RSS is then the siege's own (after start-up), not the toy siege's.
  const scenario = await loadScenarioFile(catalogueFile("slow-payment"))
  const statementsBefore = simSqlStatements()
  const run = runTimed(scenario, { seed, progress: !values.json && Boolean(process.stderr.isTTY) })
  const statements = simSqlStatements() - statementsBefore
  const peakRssMb = round(process.resourceUsage().maxRSS / 1024, 0)
  const worldSetupMs = measureWorldSetup(scenario, seed, 5)
  // The siege is `run`'s single run, its heap growth bounded (main.ts); the rest is V8's own.
  unboundHeapGrowth()

  say("bench (a): toy siege, 100 users × 60 simulated s, server 400–620 ms")
  // One warm-up run, then the median of three: the steady state, not the JIT's first pass.
  runToySiegeOnKernel(toy)
  const kernelRuns: Array<number> = []
  let onKernel = runToySiegeOnKernel(toy)
  for (let i = 0; i < 3; i++) {
    const started = performance.now()
    onKernel = runToySiegeOnKernel(toy)
    kernelRuns.push(performance.now() - started)
  }
  const kernelMs = kernelRuns.sort((a, b) => a - b)[1]!
  say(`  kernel:    ${round(kernelMs, 0)} ms wall (median of 3 after a warm-up), ${onKernel.served} requests`)
  let t0: number
  let testClockMs: number | null = null
  if (!values["skip-testclock"]) {
    t0 = performance.now()
    const onTestClock = await runToySiegeOnTestClock(toy)
    testClockMs = performance.now() - t0
    say(`  TestClock: ${round(testClockMs, 0)} ms wall, ${onTestClock.served} requests`)
  }
  const ratio = testClockMs === null ? null : round(testClockMs / kernelMs)
  if (ratio !== null) say(`  kernel is ${ratio}× faster than TestClock.adjust`)

  say("bench (b): full-stack slow-payment siege, c100 × 60 simulated s (run first)")
  const siegeMs = 60_000
  const orders = run.metrics.transactions
  const siege = {
    users: 100,
    simulatedMs: run.simulatedMs,
    siegeSimulatedMs: siegeMs,
    wallMs: run.wallMs,
    compression: round(run.simulatedMs / run.wallMs, 2),
    siegeCompression: round(siegeMs / run.wallMs, 2),
    requests: run.requests,
    orders,
    perOrderMicros: orders > 0 ? round((run.wallMs * 1000) / orders, 0) : null,
    statementsPerOrder: orders > 0 ? round(statements / orders, 1) : null,
    requestsPerWallSecond: round(run.requests / (run.wallMs / 1000), 0),
    ordersPerWallSecond: round(orders / (run.wallMs / 1000), 0),
    peakRssMb,
    ok: run.ok
  }
  say(`  ${orders} orders, ${siege.requests} HTTP requests, ${run.simulatedMs} ms simulated (siege ${siegeMs} ms)`)
  say(`  ${siege.wallMs} ms wall: ${siege.compression}× real time (simulated / wall), ${siege.perOrderMicros} µs of wall per order, ${siege.ordersPerWallSecond} orders and ${siege.requestsPerWallSecond} requests per wall-second`)
  say(`  ${siege.statementsPerOrder} SQL statements per order; peak RSS ${peakRssMb} MB; invariants ${run.ok ? "all hold" : "FAILED"}`)
  say(`  world set-up: ${worldSetupMs} ms wall (median of 5 builds of the slow-payment world)`)
  say("bench (c): CLI start-up, `starcoffee --help` beside `node -e 0` (median of 7)")
  const cli = measureCliStartup(7)
  say(`  starcoffee --help: ${cli.helpMs} ms wall; node -e 0: ${cli.nodeMs} ms wall`)

  let suite: Awaited<ReturnType<typeof measureSuite>> | null = null
  if (!values["skip-suite"]) {
    say("bench (d): `starcoffee suite` at --jobs 1 and --jobs 2")
    suite = await measureSuite(seed)
    say(`  --jobs 1: ${suite.jobs1Ms} ms wall; --jobs 2: ${suite.jobs2Ms} ms wall (${round(suite.jobs1Ms / suite.jobs2Ms, 2)}×)`)
    say(`  trace hashes at 1 and 2 jobs: ${suite.sameTraceHashes ? "equal" : "DIFFERENT"} (${suite.scenarios} scenarios, all passed: ${suite.allPassed})`)
  }
  say("bench (e): explore runs/s (exploration and shrinking), a fresh pool for 2 × 20 s of wall time at --jobs 1, then at --jobs 2")
  const explore = await measureExplore(seed, 20_000)
  say(`  target: ${explore.target}, default fault kinds`)
  say(`  first 20 s (start-up and warm-up): --jobs 1: ${explore.jobs1Runs} runs, ${explore.jobs1RunsPerSecond} runs/s; ` +
    `--jobs 2: ${explore.jobs2Runs} runs, ${explore.jobs2RunsPerSecond} runs/s`)
  say(`  next 20 s (warm workers):          --jobs 1: ${explore.jobs1WarmRuns} runs, ${explore.jobs1WarmRunsPerSecond} runs/s; ` +
    `--jobs 2: ${explore.jobs2WarmRuns} runs, ${explore.jobs2WarmRunsPerSecond} runs/s`)
  const result = {
    cli,
    suite,
    kernelVsTestClock: {
      kernelMs: round(kernelMs, 0),
      testClockMs: testClockMs === null ? null : round(testClockMs, 0),
      ratio,
      requests: onKernel.served
    },
    siege,
    worldSetupMs,
    explore
  }
  if (values.json) console.log(JSON.stringify(result))
  return 0
}
