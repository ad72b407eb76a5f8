/**
 * SimRun: one scenario in the simulated world — a fresh kernel and SimWorld from one run seed (each
 * subsystem seeded apart: chaos/Seeds.ts), chaos's world-agnostic runner (chaos/RunScenario.ts)
 * inside it, bounded in virtual time and steps, and the result with its failure class. Synchronous
 * and deterministic: same scenario, seed and code ⇒ same trace hash. Nothing here reads the real
 * clock: the caller measures wall time.
 */
import { Effect, Logger, LogLevel, Scope } from "effect"
import { classify, type RunResult } from "../../chaos/RunResult.js"
import { computeMetrics } from "../../chaos/RunMetrics.js"
import { runScenario } from "../../chaos/RunScenario.js"
import { plannedMillis, type Scenario, scenarioConfig } from "../../chaos/Scenario.js"
import { deriveSeeds } from "../../chaos/Seeds.js"
import type { MutantName } from "../../services/MutantNames.js"
import { type BacklogSample, sampleBacklog, simBacklogProbe } from "../../report/BacklogSampler.js"
import { Kernel } from "../kernel/Kernel.js"
import { SimWorld } from "./SimWorld.js"

export interface SimRunOptions {
  readonly seed: number
  /** Mutants to switch on, in addition to the scenario's own. Default: none. */
  readonly mutants?: ReadonlyArray<MutantName>
  /** Shuffle the kernel's ready queue (seeded) to explore interleavings. Default: false. */
  readonly shuffle?: boolean
  /** Called every simulated second with the virtual time and the planned safety phase. Default: none. */
  readonly onProgress?: (simulatedMs: number, plannedMs: number) => void
  /**
   * Return the run's whole history with the result, and (unless shuffled) the outbox and broker
   * backlog sampled every simulated second (for reports). Default: false.
   */
  readonly keepHistory?: boolean
  /** Kernel steps before the run is declared unfinished (a livelock guard). Default: 50 000 000. */
  readonly maxSteps?: number
}

/**
 * The scenario as an Effect on the kernel's clock: the world built from the seeds, then the run. The
 * world lives in `scope`, which the caller does not close (see `runScenarioSim`); `built` gets the
 * world as soon as it exists.
 */
const program = (
  scenario: Scenario,
  options: SimRunOptions,
  mutants: ReadonlyArray<MutantName>,
  scope: Scope.Scope,
  built: (world: SimWorld) => void
) =>
  Effect.gen(function*() {
    const seeds = deriveSeeds(options.seed)
    const world = yield* SimWorld.make({
      config: scenarioConfig(scenario),
      mutants: new Set(mutants),
      seeds,
      ...(scenario.replicas ? { replicas: scenario.replicas } : {})
    })
    built(world)
    // The sampler only reads and never records into the history: trace hashes are the same with it.
    // Under --shuffle its fiber would join the shuffled ready queue and change the interleaving.
    const backlog: Array<BacklogSample> = []
    if (options.keepHistory && !options.shuffle) yield* Effect.forkScoped(sampleBacklog(simBacklogProbe(world), backlog))
    const outcome = yield* runScenario(world, scenario, {
      workloadSeed: seeds.workload,
      ...(options.onProgress ? { onProgress: options.onProgress } : {})
    })
    return { ...outcome, requests: world.network.counters.requests, history: world.history.entries, backlog }
  }).pipe(Scope.extend(scope))

/** Why a kernel run did not complete, in one line. */
const whyIncomplete = (result: ReturnType<Kernel["run"]>): string => {
  if (result._tag === "Deadlock") return `deadlock at ${result.nowMillis} ms: ${result.blocked.slice(0, 5).join("; ")}`
  if (result._tag === "Completed") {
    return `the run failed: ${String(result.exit._tag === "Failure" ? result.exit.cause : "")}`.slice(0, 2000)
  }
  const live = (result as { live?: ReadonlyArray<string> }).live ?? []
  return `${result._tag} at ${result.nowMillis} ms; still running: ${live.slice(0, 8).join("; ")}`
}

/** Runs a scenario in a fresh kernel from one seed. Synchronous; deterministic. */
export const runScenarioSim = (scenario: Scenario, options: SimRunOptions): RunResult => {
  const mutants = [...new Set([...(scenario.mutants ?? []), ...(options.mutants ?? [])])]
  const seeds = deriveSeeds(options.seed)
  const kernel = new Kernel({ seed: seeds.shuffle, shuffleReadyQueue: options.shuffle ?? false })
  // Bounds that turn a runaway run into a reported failure instead of a hang: virtual time well past
  // the safety and liveness phases, and a step budget against a livelock at one instant.
  const untilMillis = plannedMillis(scenario) + (scenario.livenessBoundMillis ?? 60_000) + 120_000
  // Tracing spans cost ~20% and nothing reads them in a simulated run. The services' own log lines
  // (warnings of retried SQL, relay rounds …) are not printed: stdout belongs to the command's output
  // (--json), and what a checker needs is in the history.
  // The world's scope is never closed: closing it would stop every pod, worker and fiber one by one
  // (about 9 000 Effect operations, ~5 % of an explore sample) just before the kernel is dropped. The
  // kernel's shutdown still interrupts the fibers left alive — a daemon fiber stays in Effect's global
  // fiber scope, keeping its whole world alive, until it ends (dropping only the kernel's queue kept
  // ~40 of them and 1.4 MB per explore sample; test/sim/run-leaves-nothing.test.ts) — then drops its
  // queue and timers; the databases, the one native resource, are closed directly. Nothing a run
  // reports is recorded after the run's own effect has returned.
  const scope = Effect.runSync(Scope.make())
  let world: SimWorld | undefined
  const run = program(scenario, options, mutants, scope, (w) => {
    world = w
  })
  const quiet = Logger.withMinimumLogLevel(Effect.withTracerEnabled(run, false), LogLevel.None)
  const result = kernel.run(quiet, {
    seed: seeds.cluster,
    untilMillis,
    maxSteps: options.maxSteps ?? 50_000_000,
    // Errors are values here (503s, rejections, timeouts by the thousand); capturing their stacks cost
    // more than making them. A defect is still reported with its message.
    stackTraceLimit: 0
  })
  kernel.shutdown()
  world?.disk.closeAll()
  const base = { scenario: scenario.name, mode: "sim" as const, seed: options.seed, reproducible: true, mutants }
  if (result._tag === "Completed" && result.exit._tag === "Success") {
    const r = result.exit.value
    const failureClass = classify(r.invariants, true)
    return {
      ...base,
      ok: failureClass === "pass",
      failureClass,
      traceHash: r.traceHash,
      simulatedMs: result.nowMillis,
      invariants: r.invariants,
      metrics: r.metrics,
      kernel: "Completed",
      historyLength: r.historyLength,
      requests: r.requests,
      ...(options.keepHistory ? { history: r.history, backlog: r.backlog } : {})
    }
  }
  return {
    ...base,
    ok: false,
    failureClass: "incomplete",
    traceHash: "",
    simulatedMs: result.nowMillis,
    invariants: [{ name: "the simulation completes", kind: "liveness", ok: false, detail: whyIncomplete(result) }],
    metrics: computeMetrics([]),
    kernel: result._tag,
    historyLength: 0,
    requests: 0
  }
}
