/**
 * SimPod: one pod of a service in the simulated cluster and its container — the container's scope,
 * HTTP handler, background workers and per-process ports (outbox signal, identity), sharing the
 * node's database and the broker — with the pod's lifecycle:
 *
 *   Pending ─(container starts)→ Running ─(graceful delete)→ Terminating ─→ Terminated
 *
 * Inside Running the container can be restarted in place (same pod, same name, restart count + 1);
 * while it is down, or before the application has finished starting, requests are refused. Readiness
 * (`ready`) is the cluster's judgement (probes, see Kubelet.ts); only ready pods are in the endpoints.
 * Each request served costs CPU (PodCpu.ts) before its handler runs.
 *
 * Faults modelled: kill (the container's scope closes: workers and in-flight requests are
 * interrupted, callers see a connection reset), crash and restart in place, hang (alive but not
 * answering: new and in-flight requests get no answer and workers stop until the pod recovers or its
 * container dies), slow start (refused until the app answers), CPU throttling, graceful termination
 * (no new requests after SIGTERM, in-flight ones finish within the grace period), clock skew
 * (PodRuntime.ts), a CPU hog (PodCpu.ts).
 */
import { HttpClientRequest, type HttpServerRequest, type HttpServerResponse } from "@effect/platform"
import { Clock, Context, DefaultServices, Deferred, Effect, Exit, Fiber, FiberId, FiberRef, Random, Scope } from "effect"
import { sample } from "../../services/Distribution.js"
import { makeFiberHandler, toServerRequest } from "../../services/http/InMemoryHttp.js"
import { type FiberRefSetting, onOwnFiber } from "../../services/http/OwnFiber.js"
import { OutboxSignal } from "../../services/messaging/OutboxSignal.js"
import { PodIdentity } from "../../services/ports/PodIdentity.js"
import { timeoutTo } from "../../services/resilience/Timeout.js"
import type { ServiceDefinition, ServicePorts } from "../../services/ServiceDefinition.js"
import { ConnectionReset, type Endpoint } from "../network/Endpoint.js"
import type { DeploymentSpec } from "./DeploymentSpec.js"
import { PodCpu } from "./PodCpu.js"
import { PodRuntime } from "./PodRuntime.js"
import { makeSimOutboxSignal } from "./SimOutboxSignal.js"

/** Kubernetes' pod phase, plus Terminating (a pod with a deletion timestamp) as kubectl shows it. */
export type PodPhase = "Pending" | "Running" | "Terminating" | "Terminated"

/** The ports every pod shares, minus those made per pod. */
export type SharedPorts = Exclude<ServicePorts, PodIdentity | OutboxSignal>

/** One run of the pod's container (a process). */
interface Container {
  readonly scope: Scope.CloseableScope
  readonly context: Context.Context<ServicePorts>
  /** Serves a request on the calling fiber, which must be the request's own (see makeFiberHandler). */
  readonly handler: (request: HttpServerRequest.HttpServerRequest) => Effect.Effect<HttpServerResponse.HttpServerResponse>
  /** Completed when the process is gone: held requests then get a reset. */
  readonly gone: Deferred.Deferred<void>
  workers: Fiber.RuntimeFiber<void> | undefined
  /** The fibers of the requests being served, in arrival order (interrupted, newest first, on a kill). */
  readonly requests: Set<Fiber.RuntimeFiber<HttpServerResponse.HttpServerResponse>>
}

/** Interrupts the container's requests, newest first, each awaited (as its scope's finalizers would). */
const interruptRequests = (container: Container): Effect.Effect<void> =>
  Effect.suspend(() =>
    container.requests.size === 0
      ? Effect.void
      : Effect.forEach([...container.requests].reverse(), Fiber.interrupt, { discard: true })
  )

const refused = Effect.fail(new ConnectionReset("connection refused"))
const reset = Effect.fail(new ConnectionReset("connection reset"))

export class SimPod implements Endpoint {
  phase: PodPhase = "Pending"
  /** The Ready condition as the kubelet last judged it; only ready pods are in the endpoints. */
  ready = false
  /** When `ready` last changed (the condition's lastTransitionTime). */
  readyChangedAt: number
  /** Alive but not answering. */
  hung = false
  /** The application's HTTP server accepts requests (after `appStartupMillis`). */
  answering = false
  /** SIGTERM received: the server accepts no new requests. */
  closed = false
  /** Container restarts in place (liveness kills, crashes). */
  restarts = 0
  /** When the current container started; -Infinity for pods that were running when the world began. */
  containerStartedAt = Number.NEGATIVE_INFINITY
  /** Requests being served right now (probes included). */
  inFlight = 0
  /** Requests that reached the pod over its life (refused and unanswered ones too), probes excluded. */
  requestsReceived = 0
  /** Requests accepted (served or being served) over the pod's life, probes excluded. */
  requestsAccepted = 0
  /** The current container's CPU (a fresh one per container: usage counters restart with it). */
  cpu: PodCpu
  /** Share of the pod's CPU a hog takes (a CPU-hog fault); survives container restarts. */
  hogFraction = 0
  /** The kubelet fiber driving this pod (set by the cluster). */
  kubelet: Fiber.RuntimeFiber<never> | undefined

  private container: Container | undefined
  /** Completed when a hang ends. */
  private unhung: Deferred.Deferred<void> | undefined
  /** Completed when inFlight drops to 0 (graceful termination waits on it). */
  private idle: Deferred.Deferred<void> | undefined
  /** The pod's own default services (Random, clock), made on the first request. */
  private podServices: Context.Context<DefaultServices.DefaultServices> | undefined

  constructor(
    readonly address: string,
    readonly definition: ServiceDefinition,
    readonly version: number,
    readonly spec: DeploymentSpec,
    private readonly parent: Scope.Scope,
    private readonly shared: Context.Context<SharedPorts>,
    /** Creation time (the pod's StartTime); -Infinity for pods running when the world began. */
    readonly createdAt: number,
    /** The pod's own Random and clock. Default: the caller's. */
    readonly runtime: PodRuntime = new PodRuntime(undefined, undefined)
  ) {
    this.readyChangedAt = createdAt
    this.cpu = new PodCpu(spec.resources.requestMillicores, spec.resources.limitMillicores)
  }

  get service() {
    return this.definition.name
  }

  /** The container process is up (it may still be starting its application). */
  get containerRunning(): boolean {
    return this.container !== undefined
  }

  // ---- container ---------------------------------------------------------------------------------

  /**
   * Starts the container: a fresh scope, app and CPU; the app answers (and its workers start) after
   * `appStartupMillis`, or at once when `warm`. The pod is Running afterwards; readiness is the
   * kubelet's business.
   */
  startContainer(warm: boolean): Effect.Effect<void> {
    return Effect.gen(this, function*() {
      if (this.container || this.phase === "Terminated") return
      const now = yield* Effect.clockWith((c) => c.currentTimeMillis)
      const scope = yield* Scope.fork(this.parent, { _tag: "Sequential" } as any)
      const signal = makeSimOutboxSignal()
      const context = this.shared.pipe(
        Context.add(PodIdentity, { service: this.definition.name, pod: this.address }),
        Context.add(OutboxSignal, signal)
      ) as Context.Context<ServicePorts>
      // The app is built on a fiber of its own: built on the kubelet's, a crash point firing during
      // start-up (it stops every fiber that took a step of the pod's) stopped the kubelet too, and the
      // pod never came back. A crash during start-up leaves no container; the kubelet restarts it.
      const built = yield* Fiber.await(yield* Effect.fork(
        this.runtime.around(this.definition.app.pipe(Effect.provide(context), Scope.extend(scope)))
      ))
      if (Exit.isFailure(built)) return yield* Scope.close(scope, Exit.void)
      const app = built.value
      const handler = yield* makeFiberHandler(app).pipe(Effect.provide(context))
      const container: Container = {
        scope,
        context,
        handler,
        gone: yield* Deferred.make<void>(),
        workers: undefined,
        requests: new Set()
      }
      // Requests still running when the scope closes without a kill (the world ends) stop with it.
      yield* Scope.addFinalizer(scope, interruptRequests(container))
      this.container = container
      this.cpu = new PodCpu(this.spec.resources.requestMillicores, this.spec.resources.limitMillicores)
      if (this.hogFraction > 0) this.cpu.setHog(this.hogFraction, now)
      this.containerStartedAt = warm ? Number.NEGATIVE_INFINITY : now
      this.hung = false
      this.answering = false
      if (this.phase === "Pending") this.phase = "Running"
      const startup = this.spec.appStartupMillis
      if (warm || startup <= 0) {
        yield* this.appUp(container)
      } else {
        yield* Effect.sleep(startup).pipe(Effect.zipRight(this.appUp(container)), Effect.interruptible, Effect.forkIn(scope))
      }
    })
  }

  private appUp(container: Container): Effect.Effect<void> {
    return Effect.suspend(() => {
      if (this.container !== container) return Effect.void
      this.answering = true
      return this.hung ? Effect.void : this.startWorkers(container)
    })
  }

  private startWorkers(container: Container): Effect.Effect<void> {
    return this.runtime.around(this.definition.workers).pipe(
      Effect.provide(container.context),
      Effect.provideService(Scope.Scope, container.scope),
      Effect.interruptible,
      Effect.forkIn(container.scope),
      Effect.map((fiber) => {
        container.workers = fiber
      })
    )
  }

  /** Completes when the current container's process is gone (immediately when there is none). */
  get containerExit(): Effect.Effect<void> {
    const container = this.container
    return container ? Deferred.await(container.gone) : Effect.void
  }

  /** The process dies: in-flight requests are reset, workers stop. The database stays on the node. */
  killContainer(): Effect.Effect<void> {
    return Effect.suspend(() => {
      const container = this.container
      if (!container) return Effect.void
      this.container = undefined
      this.answering = false
      this.hung = false
      this.unhung = undefined
      return Deferred.succeed(container.gone, undefined).pipe(
        Effect.zipRight(interruptRequests(container)),
        Effect.zipRight(Scope.close(container.scope, Exit.void))
      )
    })
  }

  /** The pod is gone for good (after a graceful termination or a kill). */
  terminate(): Effect.Effect<void> {
    return Effect.suspend(() => {
      this.phase = "Terminated"
      this.ready = false
      this.closed = true
      return this.killContainer()
    })
  }

  // ---- serving -----------------------------------------------------------------------------------

  /** Serves a request as the pod's HTTP server would: CPU first, then the handler. */
  serve(request: HttpServerRequest.HttpServerRequest) {
    return Effect.suspend(() => {
      const probe = request.url === "/health"
      if (!probe) this.requestsReceived++
      const container = this.container
      if (container === undefined || !this.answering || this.closed) return refused
      if (this.hung) return Effect.zipRight(Deferred.await(container.gone), reset)
      this.inFlight++
      let work = this.onRequestFiber(container.handler(request))
      if (!probe) {
        this.requestsAccepted++
        const cpu = this.cpu
        const handler = work
        work = Effect.flatMap(sample(this.spec.cpuPerRequest), (cpuMillis) =>
          Effect.clockWith((clock) => {
            // The CPU queue runs on the world's true time: the caller's clock (this fiber's) may be skewed.
            const now = this.runtime.clock?.kernel.nowMillis ?? clock.unsafeCurrentTimeMillis()
            const wait = cpu.admit(now, cpuMillis)
            return wait > 0 ? Effect.zipRight(Effect.sleep(wait), handler) : handler
          }))
      }
      return Effect.forkDaemon(Effect.interruptible(work)).pipe(
        Effect.flatMap((fiber) => this.awaitRequest(container, fiber)),
        Effect.flatMap((exit) => {
          if (Exit.isFailure(exit) || this.container !== container) return reset
          const unhung = this.unhung
          if (this.hung && unhung) {
            return Effect.raceFirst(
              Deferred.await(unhung).pipe(Effect.as(exit.value)),
              Effect.zipRight(Deferred.await(container.gone), reset)
            )
          }
          return Effect.succeed(exit.value)
        })
      )
    })
  }

  /**
   * Waits for a request's fiber, which the container tracks until it ends (a kill interrupts it).
   * Cheaper than `Effect.forkIn(scope)` + `Fiber.await` + `Effect.ensuring` (9 Effect operations
   * instead of 29): no finalizer added to and removed from the container's scope per request, and an
   * await without a canceler — a caller interrupted meanwhile leaves the observer, which only records
   * the request's end (when the request really ends) and resumes nobody.
   */
  private awaitRequest(
    container: Container,
    fiber: Fiber.RuntimeFiber<HttpServerResponse.HttpServerResponse>
  ): Effect.Effect<Exit.Exit<HttpServerResponse.HttpServerResponse>> {
    container.requests.add(fiber)
    return Effect.async((resume) => {
      fiber.addObserver((exit) => {
        container.requests.delete(fiber)
        this.requestDone()
        resume(Effect.succeed(exit))
      })
    })
  }

  /**
   * `runtime.around(effect)` for a request's own fiber: the pod's Random, clock and scheduler are set
   * on the fiber in place (it runs nothing else afterwards) instead of scoped around the handler.
   */
  private onRequestFiber<A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> {
    const { random, clock, scheduler } = this.runtime
    if (random === undefined && clock === undefined) return effect
    let services = this.podServices
    if (services === undefined) {
      services = Context.empty() as Context.Context<DefaultServices.DefaultServices>
      if (random !== undefined) services = Context.add(services, Random.Random, random)
      if (clock !== undefined) services = Context.add(services, Clock.Clock, clock)
      this.podServices = services
    }
    const own = services
    return onOwnFiber((fiber) => {
      const settings: Array<FiberRefSetting> = [
        [DefaultServices.currentServices, Context.merge(fiber.getFiberRef(DefaultServices.currentServices), own)]
      ]
      if (clock !== undefined) settings.push([FiberRef.currentScheduler, scheduler])
      return settings
    }, effect)
  }

  private requestDone(): void {
    this.inFlight--
    const idle = this.idle
    if (this.inFlight === 0 && idle) {
      this.idle = undefined
      Deferred.unsafeDone(idle, Effect.void)
    }
  }

  /** A kubelet probe: GET /health through `serve`; fails (as a reset, or by timeout) when it would. */
  probe(timeoutMillis: number): Effect.Effect<string | undefined> {
    const url = new URL(`http://${this.address}/health`)
    const request = toServerRequest(HttpClientRequest.get(url), url, { remoteAddress: "kubelet" })
    return timeoutTo(this.serve(request), {
      duration: timeoutMillis,
      onSuccess: (response): string | undefined =>
        response.status >= 200 && response.status < 400 ? undefined : `status ${response.status}`,
      onTimeout: () => `timeout ${timeoutMillis} ms`
    }).pipe(Effect.catchAll((e) => Effect.succeed(e.reason)))
  }

  /** SIGTERM: stop accepting requests. */
  close(): void {
    this.closed = true
  }

  /** Completes when no request is in flight. */
  get awaitIdle(): Effect.Effect<void> {
    return Effect.suspend(() => {
      if (this.inFlight === 0) return Effect.void
      if (!this.idle) this.idle = Deferred.unsafeMake<void>(FiberId.none)
      return Deferred.await(this.idle)
    })
  }

  /** A CPU hog takes `fraction` of the pod's CPU from `now` (0 ends it). */
  hogCpu(fraction: number, now: number): void {
    this.hogFraction = fraction
    this.cpu.setHog(fraction, now)
  }

  // ---- hang ----------------------------------------------------------------------------------------

  /** Hang: stop answering and stop working, while staying alive. */
  hang(): Effect.Effect<void> {
    return Effect.gen(this, function*() {
      const container = this.container
      if (this.hung || !container) return
      this.hung = true
      this.unhung = yield* Deferred.make<void>()
      const workers = container.workers
      container.workers = undefined
      if (workers) yield* Fiber.interrupt(workers)
    })
  }

  /** End a hang: answers held meanwhile go out, workers resume. */
  recover(): Effect.Effect<void> {
    return Effect.gen(this, function*() {
      const container = this.container
      if (!this.hung || !container) return
      this.hung = false
      const unhung = this.unhung
      this.unhung = undefined
      if (this.answering) yield* this.startWorkers(container)
      if (unhung) yield* Deferred.succeed(unhung, undefined)
    })
  }
}
