/**
 * ReplicaMain: the process around one replica (Replica.ts) — reads its configuration (from the
 * supervisor's environment variable, or from `serve`'s flags when run on its own), runs it until
 * SIGTERM / SIGINT (graceful: the server stops taking connections and finishes those in flight,
 * workers stop) or until the supervisor disappears, and turns a failed start into one line on stderr
 * and exit code 2.
 */
import { Cause, Effect, Exit, Fiber, Option } from "effect"
import type { ServiceName } from "../services/ports/ServiceDirectory.js"
import { defaultSagaConfig } from "../services/SagaConfig.js"
import { encodeConfig, REPLICA_ENV, type ReplicaConfig } from "./ChildProtocol.js"
import { startReplica } from "./Replica.js"

const runUntilStopped = (config: ReplicaConfig): Promise<number> =>
  new Promise((resolve) => {
    const fiber = Effect.runFork(Effect.scoped(Effect.zipRight(startReplica(config), Effect.never)))
    const stop = () => {
      Effect.runFork(Fiber.interrupt(fiber))
    }
    process.once("SIGTERM", stop)
    process.once("SIGINT", stop)
    fiber.addObserver((exit) => {
      if (Exit.isFailure(exit) && !Cause.isInterruptedOnly(exit.cause)) {
        const error = Option.getOrUndefined(Cause.failureOption(exit.cause)) ?? Cause.squash(exit.cause)
        process.stderr.write(`starcoffee serve: ${error instanceof Error ? error.message : String(error)}\n`)
        resolve(2)
      } else {
        resolve(0)
      }
    })
  })

/** A replica spawned by the supervisor: its configuration is in the environment. */
export const runReplicaMain = async (service: ServiceName): Promise<number> => {
  const config = JSON.parse(process.env[REPLICA_ENV]!) as ReplicaConfig
  if (config.service !== service) {
    process.stderr.write(`starcoffee serve: --service ${service} but the supervisor configured ${config.service}\n`)
    return 2
  }
  // The supervisor went away (it crashed or was killed): nobody will stop this replica but itself.
  process.on("disconnect", () => process.exit(0))
  const code = await runUntilStopped(config)
  process.exit(code)
}

export interface StandaloneOptions {
  readonly service: ServiceName
  readonly port: number
  readonly redisUrl: string
  readonly dataDir: string
  readonly scale: number
  readonly endpoints: Partial<Record<ServiceName, ReadonlyArray<string>>>
}

/** `starcoffee serve --service NAME` on its own: the seed's ports, the default configuration. */
export const runStandaloneReplica = async (options: StandaloneOptions): Promise<number> => {
  const config: ReplicaConfig = {
    service: options.service,
    pod: `${options.service}-0`,
    port: options.port,
    ...(options.service === "gateway" ? {} : { redisUrl: options.redisUrl }),
    dataDir: options.dataDir,
    time: { origin: options.scale === 1 ? 0 : Date.now(), scale: options.scale },
    config: encodeConfig(defaultSagaConfig),
    mutants: [],
    directory: options.endpoints
  }
  process.stderr.write(`starcoffee serve: ${config.pod} on http://127.0.0.1:${options.port}\n`)
  const code = await runUntilStopped(config)
  process.exit(code)
}
