/**
 * ReplicaPorts: the live layers of every port a service replica runs on — the same ports the sim
 * world provides (services/ServiceDefinition.ts), backed by the real thing: its SQLite file, Redis
 * Streams, Node's HTTP client, the directory the supervisor keeps current, notes sent to the
 * supervisor (or logged when the replica runs on its own), and a real outbox signal.
 */
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import { Context, Effect, Layer, type Scope } from "effect"
import { OutboxSignal } from "../services/messaging/OutboxSignal.js"
import { Mutants } from "../services/Mutants.js"
import { BusUnavailable, EventBus, type EventBusShape } from "../services/ports/EventBus.js"
import { PodIdentity } from "../services/ports/PodIdentity.js"
import { ServiceDirectory } from "../services/ports/ServiceDirectory.js"
import { type SystemNote, SystemObserver } from "../services/ports/SystemObserver.js"
import { SagaConfig } from "../services/SagaConfig.js"
import type { ServiceDefinition, ServicePorts } from "../services/ServiceDefinition.js"
import { decodeConfig, type Directory, type ReplicaConfig } from "./ChildProtocol.js"
import { databaseFile, openLiveDatabase } from "./LiveSqlite.js"
import { makeRedisEventBus } from "./RedisEventBus.js"

/** A bus for a replica that has none (the gateway publishes and consumes nothing). */
const noBus: EventBusShape = {
  publish: () => Effect.fail(new BusUnavailable({ reason: "this replica has no bus" })),
  ensureGroup: () => Effect.fail(new BusUnavailable({ reason: "this replica has no bus" })),
  read: () => Effect.fail(new BusUnavailable({ reason: "this replica has no bus" })),
  ack: () => Effect.fail(new BusUnavailable({ reason: "this replica has no bus" })),
  claimIdle: () => Effect.fail(new BusUnavailable({ reason: "this replica has no bus" }))
}

/** The directory as the supervisor last sent it. */
export class LiveDirectory {
  constructor(private table: Directory) {}
  update(table: Directory): void {
    this.table = table
  }
  readonly shape = {
    endpoints: (service: keyof Directory) => Effect.sync(() => this.table[service] ?? [])
  }
}

export interface ReplicaEnvironment {
  readonly directory: LiveDirectory
  readonly note: (note: SystemNote) => void
}

/** Builds every port of one replica; the connections live as long as the scope. */
export const replicaPorts = (
  definition: ServiceDefinition,
  config: ReplicaConfig,
  environment: ReplicaEnvironment
): Effect.Effect<Context.Context<ServicePorts>, unknown, Scope.Scope> =>
  Effect.gen(function*() {
    const database = yield* openLiveDatabase(definition, databaseFile(config.dataDir, config.service))
    const bus = config.redisUrl === undefined
      ? noBus
      : yield* makeRedisEventBus({ url: config.redisUrl, pod: config.pod, time: config.time })
    const http = yield* Layer.build(
      NodeHttpClient.layerWithoutAgent.pipe(Layer.provide(NodeHttpClient.makeAgentLayer({ keepAlive: true })))
    )
    const signal = yield* Layer.build(OutboxSignal.layer)
    return database.pipe(
      Context.merge(http),
      Context.merge(signal),
      Context.add(EventBus, bus),
      Context.add(ServiceDirectory, environment.directory.shape),
      Context.add(SagaConfig, decodeConfig(config.config)),
      Context.add(Mutants, new Set(config.mutants)),
      Context.add(PodIdentity, { service: config.service, pod: config.pod }),
      Context.add(SystemObserver, { note: (note) => Effect.sync(() => environment.note(note)) })
    ) as Context.Context<ServicePorts>
  })
