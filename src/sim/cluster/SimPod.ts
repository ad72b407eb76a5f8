/**
 * SimPod: one running replica of a service in the simulated cluster — its own scope, HTTP handler,
 * background workers and port instances (HttpClient, outbox signal, identity), sharing the node's
 * database and the broker.
 *
 * Faults modelled: kill (the scope closes: workers and in-flight requests are interrupted, callers
 * see a connection reset), hang (alive but not answering: new and in-flight requests get no answer
 * and workers stop until the pod recovers or is killed).
 */
import type { HttpServerRequest, HttpServerResponse } from "@effect/platform"
import { Context, Deferred, Effect, Exit, Fiber, Scope } from "effect"
import { makeHandler } from "../../services/http/InMemoryHttp.js"
import { OutboxSignal } from "../../services/messaging/OutboxSignal.js"
import type { ServicePorts, ServiceDefinition } from "../../services/ServiceDefinition.js"
import { PodIdentity } from "../../services/ports/PodIdentity.js"
import { ConnectionReset, type Endpoint } from "../network/Endpoint.js"

export type PodPhase = "Starting" | "Running" | "Terminated"

/** The ports every pod shares, minus those made per pod. */
export type SharedPorts = Exclude<ServicePorts, PodIdentity | OutboxSignal>

export class SimPod implements Endpoint {
  phase: PodPhase = "Starting"
  /** Readiness as the cluster last judged it; only ready pods receive service traffic. */
  ready = false
  hung = false
  readonly startedAt: number
  private scope: Scope.CloseableScope | undefined
  private handler: ((request: HttpServerRequest.HttpServerRequest) => Effect.Effect<HttpServerResponse.HttpServerResponse>) | undefined
  private workers: Fiber.RuntimeFiber<void> | undefined
  private context: Context.Context<ServicePorts> | undefined
  /** Completed when the pod stops answering for good (killed). */
  private readonly terminated: Deferred.Deferred<void>
  /** Completed when a hang ends. */
  private unhung: Deferred.Deferred<void> | undefined
  /** Requests being served right now. */
  inFlight = 0

  private constructor(
    readonly address: string,
    readonly definition: ServiceDefinition,
    readonly version: number,
    startedAt: number,
    terminated: Deferred.Deferred<void>
  ) {
    this.startedAt = startedAt
    this.terminated = terminated
  }

  get service() {
    return this.definition.name
  }

  /**
   * Starts a pod in a child scope of `parent`: builds its app and forks its workers. The pod is
   * Running afterwards but not yet ready; the cluster marks it ready (at once, or by probes).
   */
  static start(options: {
    readonly address: string
    readonly definition: ServiceDefinition
    readonly version: number
    readonly parent: Scope.Scope
    readonly shared: Context.Context<SharedPorts>
  }): Effect.Effect<SimPod> {
    return Effect.gen(function*() {
      const now = yield* Effect.clockWith((c) => c.currentTimeMillis)
      const pod = new SimPod(options.address, options.definition, options.version, now, yield* Deferred.make<void>())
      const scope = yield* Scope.fork(options.parent, { _tag: "Sequential" } as any)
      pod.scope = scope
      const signal = yield* OutboxSignal.pipe(Effect.provide(OutboxSignal.layer))
      const context = options.shared.pipe(
        Context.add(PodIdentity, { service: options.definition.name, pod: options.address }),
        Context.add(OutboxSignal, signal)
      ) as Context.Context<ServicePorts>
      pod.context = context
      const app = yield* options.definition.app.pipe(Effect.provide(context), Scope.extend(scope))
      pod.handler = yield* makeHandler(app)
      yield* pod.startWorkers()
      pod.phase = "Running"
      return pod
    })
  }

  private startWorkers(): Effect.Effect<void> {
    const { definition, context, scope } = this
    if (!context || !scope) return Effect.void
    return definition.workers.pipe(
      Effect.provide(context),
      Effect.provideService(Scope.Scope, scope),
      Effect.forkIn(scope),
      Effect.map((fiber) => {
        this.workers = fiber
      })
    )
  }

  /** Serves a request as the pod's HTTP server would. */
  serve(request: HttpServerRequest.HttpServerRequest) {
    return Effect.suspend(() => {
      const handler = this.handler
      const scope = this.scope
      if (this.phase !== "Running" || !handler || !scope) {
        return Effect.fail(new ConnectionReset("connection refused"))
      }
      const noAnswer = Effect.zipRight(Deferred.await(this.terminated), Effect.fail(new ConnectionReset("connection reset")))
      if (this.hung) return noAnswer
      this.inFlight++
      return Effect.forkIn(handler(request), scope).pipe(
        Effect.flatMap((fiber) => Fiber.await(fiber)),
        Effect.ensuring(Effect.sync(() => this.inFlight--)),
        Effect.flatMap((exit) => {
          if (Exit.isFailure(exit)) return Effect.fail(new ConnectionReset("connection reset"))
          if (this.phase !== "Running") return Effect.fail(new ConnectionReset("connection reset"))
          if (this.hung && this.unhung) {
            const unhung = this.unhung
            return Effect.raceFirst(Deferred.await(unhung).pipe(Effect.as(exit.value)), noAnswer)
          }
          return Effect.succeed(exit.value)
        })
      )
    })
  }

  /** Hang: stop answering and stop working, while staying alive. */
  hang(): Effect.Effect<void> {
    return Effect.gen(this, function*() {
      if (this.hung || this.phase !== "Running") return
      this.hung = true
      this.unhung = yield* Deferred.make<void>()
      const workers = this.workers
      this.workers = undefined
      if (workers) yield* Fiber.interrupt(workers)
    })
  }

  /** End a hang: answers held meanwhile go out, workers resume. */
  recover(): Effect.Effect<void> {
    return Effect.gen(this, function*() {
      if (!this.hung || this.phase !== "Running") return
      this.hung = false
      const unhung = this.unhung
      this.unhung = undefined
      yield* this.startWorkers()
      if (unhung) yield* Deferred.succeed(unhung, undefined)
    })
  }

  /** Kill: the process is gone. In-flight requests are reset; the database stays on the node. */
  kill(): Effect.Effect<void> {
    return Effect.gen(this, function*() {
      if (this.phase === "Terminated") return
      this.phase = "Terminated"
      this.ready = false
      this.hung = false
      yield* Deferred.succeed(this.terminated, undefined)
      const scope = this.scope
      this.scope = undefined
      this.handler = undefined
      if (scope) yield* Scope.close(scope, Exit.void)
    })
  }
}
