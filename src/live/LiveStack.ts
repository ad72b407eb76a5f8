/**
 * LiveStack: everything a live run stands on, started in order and stopped in reverse when the scope
 * closes — a run directory (SQLite files, logs), Redis and the Toxiproxy server on free loopback
 * ports, the services' databases migrated once (as a node's disk would be), and the supervisor with
 * every service's first replicas up, answering and warmed (WarmUp.ts). Time 0 of the run's clock is
 * the moment they all are. A failure anywhere stops what was started and is reported in one line.
 */
import { Cause, Effect, Exit, type Scope } from "effect"
import { mkdirSync, mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { History } from "../chaos/history/History.js"
import type { MutantName } from "../services/MutantNames.js"
import { type ServiceName, ServiceNames } from "../services/ports/ServiceDirectory.js"
import { defaultSagaConfig, type SagaConfigShape } from "../services/SagaConfig.js"
import { keep, killAllTracked, removeOnExit } from "./ChildProcesses.js"
import { encodeConfig } from "./ChildProtocol.js"
import { startRedis, startToxiproxy, useRedis, useToxiproxy } from "./Dependencies.js"
import { type LiveClock, makeLiveClock } from "./LiveClock.js"
import { databaseFile, openLiveDatabase } from "./LiveSqlite.js"
import { LinkFaults } from "./LinkFaults.js"
import { Proxies } from "./Proxies.js"
import { serviceDefinition } from "./Replica.js"
import type { ReplicaCommand } from "./ReplicaBundle.js"
import { Supervisor, type SupervisorOptions } from "./Supervisor.js"
import { warmUp } from "./WarmUp.js"

export interface LiveStackOptions {
  /** Real ms per scenario ms (0.1: ten times faster). Default: 1. */
  readonly timeScale?: number
  /** The services' configuration. Default: the seed's (SagaConfig.ts). */
  readonly config?: SagaConfigShape
  /** Deliberate defects switched on in every replica. Default: none. */
  readonly mutants?: ReadonlyArray<MutantName>
  /** Replicas per service. Default: 1 each. */
  readonly replicas?: Partial<Record<ServiceName, number>>
  /** Port the workload reaches the first gateway replica on (serve --port). Default: a free one. */
  readonly gatewayPort?: number
  /** Keep the run directory (databases, logs) after the run. Default: false, or STARCOFFEE_KEEP_LIVE set. */
  readonly keepFiles?: boolean
  /** The supervisor's options: restart delay, probe and grace overrides. Default: the seed's. */
  readonly supervisor?: SupervisorOptions
  /** What replica processes run (a test makes one that dies at start). Default: ReplicaBundle's choice. */
  readonly replicaCommand?: ReplicaCommand
  /** Port of a Redis already running on 127.0.0.1 to use. Default: one started for the run. */
  readonly redisPort?: number
  /** API port of a Toxiproxy server already running on 127.0.0.1 to use. Default: one started for the run. */
  readonly toxiproxyPort?: number
}

export interface LiveStack {
  readonly runDir: string
  readonly dataDir: string
  readonly redisPort: number
  readonly toxiproxyPort: number
  readonly clock: LiveClock
  readonly history: History
  readonly faults: LinkFaults
  readonly proxies: Proxies
  readonly supervisor: Supervisor
}

/** A fresh directory for the run; removed afterwards unless kept (a stack that failed to start is never kept). */
const runDirectory = (keepFiles: boolean) =>
  Effect.acquireRelease(
    Effect.sync(() => {
      const dir = mkdtempSync(join(tmpdir(), "starcoffee-live-"))
      if (!keepFiles) removeOnExit(dir)
      return dir
    }),
    (dir, exit) =>
      Effect.sync(() => {
        const failed = Exit.isFailure(exit) && !Cause.isInterruptedOnly(exit.cause)
        keep(dir)
        if (!keepFiles || failed) rmSync(dir, { recursive: true, force: true })
      })
  )

/** Migrates each service's database file once, before any replica opens it. */
const migrateAll = (dataDir: string) =>
  Effect.forEach(ServiceNames, (service) =>
    Effect.scoped(openLiveDatabase(serviceDefinition(service), databaseFile(dataDir, service))), { discard: true })

export const startLiveStack = (options: LiveStackOptions = {}): Effect.Effect<LiveStack, Error, Scope.Scope> => {
  const clock = makeLiveClock({ origin: Date.now(), scale: options.timeScale ?? 1 })
  const stack = Effect.gen(function*() {
    yield* Effect.addFinalizer(() => Effect.sync(killAllTracked))
    const runDir = yield* runDirectory(options.keepFiles ?? process.env.STARCOFFEE_KEEP_LIVE !== undefined)
    const dataDir = join(runDir, "data")
    const logDir = join(runDir, "logs")
    mkdirSync(dataDir)
    mkdirSync(logDir)
    const redisPort = yield* (options.redisPort === undefined ? startRedis(runDir) : useRedis(options.redisPort))
    const toxiproxyPort = yield* (options.toxiproxyPort === undefined ? startToxiproxy(runDir) : useToxiproxy(options.toxiproxyPort))
    yield* migrateAll(dataDir).pipe(Effect.mapError((e) => new Error(`cannot prepare the databases: ${String(e)}`)))
    const history = new History()
    const faults = new LinkFaults(clock.time())
    // A fault that could not be put on (or taken off) a proxy is in the history, next to the faults.
    const proxies = new Proxies(toxiproxyPort, faults, (message) =>
      history.record({ t: clock.unsafeCurrentTimeMillis(), type: "cluster", action: "proxy-error", pod: "toxiproxy", detail: message }))
    const config = encodeConfig(options.config ?? defaultSagaConfig)
    let supervisor: Supervisor | undefined = undefined
    /** A pod's own faults (clock skew, CPU hog) survive its restarts. */
    const podFaults = (name: string) => {
      const pod = supervisor?.pod(name)
      return { ...(pod?.skew ? { skew: pod.skew } : {}), ...(pod?.hog ? { hog: pod.hog } : {}) }
    }
    supervisor = yield* Supervisor.make(history, {
      proxies,
      logDir,
      redisPort,
      ...(options.gatewayPort === undefined ? {} : { gatewayPort: options.gatewayPort }),
      ...(options.replicaCommand === undefined ? {} : { command: options.replicaCommand }),
      base: (pod, service) => ({
        service,
        pod,
        dataDir,
        time: clock.time(),
        config,
        mutants: options.mutants ?? [],
        ...podFaults(pod)
      })
    }, options.supervisor)
    const started = supervisor
    yield* Effect.addFinalizer(() => started.shutdown())
    // Runs first: the replicas' proxies are not removed one by one when the run ends.
    yield* Effect.addFinalizer(() => Effect.sync(() => proxies.end()))
    yield* Effect.forEach(ServiceNames, (service) => started.deployWarm(service, options.replicas?.[service] ?? 1), {
      concurrency: "unbounded",
      discard: true
    })
    // Cold processes would make the run's first second a start-up artefact (WarmUp.ts).
    yield* warmUp(started.directoryFor("client").gateway?.[0])
    const origin = Date.now()
    clock.rebase(origin)
    started.rebase(origin)
    yield* started.startKubelets(0)
    return { runDir, dataDir, redisPort, toxiproxyPort, clock, history, faults, proxies, supervisor: started }
  })
  return Effect.withClock(stack, clock)
}
