/**
 * ServiceDefinition: what a world needs to run one replica (pod) of a service — its HTTP app, its
 * background workers and its database migrations — and the ports it requires. Worlds provide the
 * ports; services never know which world they are in.
 */
import type { HttpClient } from "@effect/platform"
import type { SqlClient } from "@effect/sql"
import type { Effect, Scope } from "effect"
import type { PodApp } from "./http/HttpApiApp.js"
import type { Mutants } from "./Mutants.js"
import type { EventBus } from "./ports/EventBus.js"
import type { PodIdentity } from "./ports/PodIdentity.js"
import type { ServiceDirectory, ServiceName } from "./ports/ServiceDirectory.js"
import type { SystemObserver } from "./ports/SystemObserver.js"
import type { SagaConfig } from "./SagaConfig.js"
import type { OutboxSignal } from "./messaging/OutboxSignal.js"

/** The ports a service pod runs on. */
export type ServicePorts =
  | SqlClient.SqlClient
  | EventBus
  | HttpClient.HttpClient
  | ServiceDirectory
  | SagaConfig
  | Mutants
  | PodIdentity
  | SystemObserver
  | OutboxSignal

export interface ServiceDefinition {
  readonly name: ServiceName
  /** Builds one pod's HTTP app in the pod's scope (see http/HttpApiApp.ts for HttpApi services). */
  readonly app: Effect.Effect<PodApp, never, ServicePorts | Scope.Scope>
  /** Background work of one pod: outbox relay, bus consumers, sweepers. Runs until the pod stops. */
  readonly workers: Effect.Effect<void, never, ServicePorts | Scope.Scope>
  /** Migrations of the service's own database, keyed "N_name". */
  readonly migrations: Record<string, Effect.Effect<void, unknown, SqlClient.SqlClient>>
}
