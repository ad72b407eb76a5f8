/**
 * Replica: one service replica as a real process — the service's HttpApi app served by Node's HTTP
 * server on 127.0.0.1, its workers (outbox relay, bus consumers, sweepers) running beside it, every
 * port a live layer (ReplicaPorts.ts), all on the run's clock (LiveClock.ts). The service code is the
 * code the sim world runs; only the ports differ.
 *
 * Under the supervisor the replica talks to it over the IPC channel (ChildProtocol.ts): it reports
 * the port it listens on and its notes, and follows directory updates and the clock-skew and CPU-hog
 * faults. It exits when the supervisor goes away. Run on its own (`starcoffee serve --service NAME`)
 * it logs its notes as JSON lines.
 */
import { HttpServer } from "@effect/platform"
import * as NodeHttpServer from "@effect/platform-node/NodeHttpServer"
import { Effect, Layer, type Scope } from "effect"
import { createServer } from "node:http"
import { GatewayService } from "../services/gateway/GatewayApp.js"
import { MakeService } from "../services/make/MakeService.js"
import { MypageService } from "../services/mypage/MypageService.js"
import { OrderService } from "../services/order/OrderService.js"
import { PaymentService } from "../services/payment/PaymentService.js"
import type { ServiceName } from "../services/ports/ServiceDirectory.js"
import type { SystemNote } from "../services/ports/SystemObserver.js"
import type { ServiceDefinition } from "../services/ServiceDefinition.js"
import type { FromReplica, ReplicaConfig, ToReplica } from "./ChildProtocol.js"
import { makeLiveClock } from "./LiveClock.js"
import { LiveDirectory, replicaPorts } from "./ReplicaPorts.js"

const definitions: Record<ServiceName, ServiceDefinition> = {
  order: OrderService,
  payment: PaymentService,
  make: MakeService,
  mypage: MypageService,
  gateway: GatewayService
}

export const serviceDefinition = (service: ServiceName): ServiceDefinition => definitions[service]

/** The replica could not start: its port was taken, its database or Redis URL was unusable. */
export class ReplicaStartError extends Error {
  override readonly name = "ReplicaStartError"
}

const send = (message: FromReplica): void => {
  if (process.send && process.connected) process.send(message)
}

/** Steals `fraction` of the event loop: a busy loop for that share of every 20 ms. */
const makeCpuHog = () => {
  let timer: ReturnType<typeof setInterval> | undefined = undefined
  return (fraction: number) => {
    if (timer !== undefined) clearInterval(timer)
    timer = undefined
    if (fraction <= 0) return
    const busy = Math.min(1, fraction) * 20
    timer = setInterval(() => {
      const until = performance.now() + busy
      while (performance.now() < until) { /* burn */ }
    }, 20)
    timer.unref()
  }
}

/**
 * Runs one replica until the scope closes: builds its ports, serves its app, starts its workers.
 * Succeeds once the server listens, with the port it listens on.
 */
export const startReplica = (config: ReplicaConfig): Effect.Effect<number, ReplicaStartError, Scope.Scope> =>
  Effect.gen(function*() {
    const definition = serviceDefinition(config.service)
    const clock = makeLiveClock(config.time)
    const directory = new LiveDirectory(config.directory)
    const underSupervisor = process.send !== undefined
    const note = (n: SystemNote) =>
      underSupervisor ? send({ type: "note", note: n }) : process.stdout.write(JSON.stringify({ note: n }) + "\n")
    const hog = makeCpuHog()
    const onMessage = (message: ToReplica) => {
      if (message.type === "directory") directory.update(message.directory)
      else if (message.type === "skew") message.skew === null ? clock.unskew() : clock.skew(message.skew)
      else if (message.type === "hog") hog(message.fraction)
      else if (message.type === "rebase") clock.rebase(message.origin)
    }
    if (config.skew) clock.skew(config.skew)
    if (config.hog) hog(config.hog)
    process.on("message", onMessage)
    yield* Effect.addFinalizer(() => Effect.sync(() => process.off("message", onMessage)))

    const body = Effect.gen(function*() {
      const ports = yield* replicaPorts(definition, config, { directory, note }).pipe(
        Effect.mapError((e) => new ReplicaStartError(`${config.pod}: cannot open its ports: ${describe(e)}`))
      )
      const app = yield* definition.app.pipe(Effect.provide(ports))
      const server = yield* Layer.build(
        NodeHttpServer.layer(() => createServer(), { port: config.port, host: "127.0.0.1" })
      ).pipe(Effect.mapError((e) => new ReplicaStartError(`${config.pod}: cannot listen on 127.0.0.1:${config.port}: ${describe(e)}`)))
      yield* HttpServer.serveEffect()(app).pipe(Effect.provide(server))
      const address = (yield* HttpServer.HttpServer.pipe(Effect.provide(server))).address
      const port = address._tag === "TcpAddress" ? address.port : config.port
      yield* definition.workers.pipe(Effect.provide(ports), Effect.interruptible, Effect.forkScoped)
      send({ type: "listening", port })
      return port
    })
    // Nothing reads tracing spans in a replica; they cost about a fifth of its CPU.
    return yield* Effect.withClock(Effect.withTracerEnabled(body, false), clock)
  })

const describe = (error: unknown): string => {
  const e = error as { cause?: { message?: string; code?: string }; message?: string }
  return e?.cause?.message ?? e?.message ?? String(error)
}
