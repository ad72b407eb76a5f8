/**
 * LivePod: one replica of a service in the live world, as the supervisor tracks it — the Kubernetes
 * pod it stands for (name, template version, probes, Ready condition, phase, restarts) and its
 * current container (a process, LiveContainer.ts), which a restart replaces while the pod stays.
 * Faults that outlive a container (a clock skew, a CPU hog) are kept here and handed to each new one.
 */
import { Effect, type Fiber } from "effect"
import { request } from "node:http"
import type { ClockSkew } from "../chaos/world/World.js"
import type { ServiceName } from "../services/ports/ServiceDirectory.js"
import type { ProbeSpec } from "../sim/cluster/DeploymentSpec.js"
import type { LiveContainer } from "./LiveContainer.js"

export type LivePodPhase = "Running" | "Terminating" | "Terminated"

export class LivePod {
  phase: LivePodPhase = "Running"
  /** The Ready condition as the kubelet last judged it; only ready pods are in the directory. */
  ready = false
  /** When `ready` last changed; -Infinity for pods running when the world began. */
  readyChangedAt = Number.NEGATIVE_INFINITY
  /** When the pod was created; -Infinity for pods running when the world began. */
  createdAt = Number.NEGATIVE_INFINITY
  /** Stopped with SIGSTOP (a Hang fault) and not yet continued. */
  hung = false
  restarts = 0
  /** Containers started so far (names each container's proxies). */
  runs = 0
  skew: ClockSkew | undefined = undefined
  hog = 0
  container: LiveContainer | undefined = undefined
  kubelet: Fiber.RuntimeFiber<never> | undefined = undefined

  constructor(
    readonly name: string,
    readonly service: ServiceName,
    readonly version: number,
    readonly readiness: ProbeSpec | null,
    readonly liveness: ProbeSpec | null
  ) {}

  get containerRunning(): boolean {
    return this.container?.running ?? false
  }

  /** Completes when the current container's process has ended (at once when there is none). */
  get containerExit(): Effect.Effect<string> {
    const container = this.container
    if (!container) return Effect.succeed("no container")
    return Effect.async<string>((resume) => container.onExit((reason) => resume(Effect.succeed(reason))))
  }

  /**
   * A probe: GET /health on the container's own port (the kubelet is on the node, not behind a link),
   * failing on refusal, a status outside 200–399, or no answer within the timeout (scenario ms, on the
   * run's clock). Answers undefined on success, or why it failed.
   */
  probe(timeoutMillis: number): Effect.Effect<string | undefined> {
    const container = this.container
    if (!container || !container.running) return Effect.succeed("no container")
    const get = Effect.async<string | undefined>((resume) => {
      const req = request({ host: "127.0.0.1", port: container.port, path: "/health", agent: false }, (res) => {
        res.resume()
        const status = res.statusCode ?? 0
        resume(Effect.succeed(status >= 200 && status < 400 ? undefined : `status ${status}`))
      })
      req.once("error", (error) => resume(Effect.succeed(error.message)))
      req.end()
      return Effect.sync(() => req.destroy())
    })
    return Effect.timeoutTo(get, {
      duration: timeoutMillis,
      onSuccess: (outcome) => outcome,
      onTimeout: () => `timeout ${timeoutMillis} ms`
    })
  }
}
