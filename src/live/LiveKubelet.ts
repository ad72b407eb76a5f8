/**
 * LiveKubelet: the node agent for one live pod — starts its container, runs its readiness and
 * liveness probes (GET /health on the process's own port) with the seed's parameters on the run's
 * clock (so a time scale shrinks them with everything else), and restarts the container in place
 * when liveness fails or the process dies, with Kubernetes' crash-loop back-off. The same semantics
 * as the simulated kubelet (sim/cluster/Kubelet.ts): first probe `initialDelay` after the start (one
 * period for a pod running when the world began), then every `period`; readiness turns true after
 * `successThreshold` successes and false after `failureThreshold` failures; liveness restarts after
 * `failureThreshold` failures; without a readiness probe a pod is ready once its process is spawned
 * (whether or not it answers yet — the seed's rolling update without readiness).
 */
import { Effect } from "effect"
import type { DeploymentSpec, ProbeSpec } from "../sim/cluster/DeploymentSpec.js"
import { restartDelay } from "../sim/cluster/DeploymentSpec.js"
import type { LivePod } from "./LivePod.js"

export interface KubeletHooks {
  readonly setReady: (pod: LivePod, ready: boolean, reason: string) => Effect.Effect<void>
  readonly log: (action: string, pod: string, detail?: string) => Effect.Effect<void>
  /** Starts a new container for the pod; fails when it cannot (ports, proxies). */
  readonly startContainer: (pod: LivePod) => Effect.Effect<void, Error>
}

const now = Effect.clockWith((c) => c.currentTimeMillis)

const restOfPeriod = (startedAt: number, period: number) =>
  Effect.flatMap(now, (t) => (startedAt + period - t > 0 ? Effect.sleep(startedAt + period - t) : Effect.void))

const readinessLoop = (pod: LivePod, probe: ProbeSpec | null, warm: boolean, hooks: KubeletHooks): Effect.Effect<never> =>
  probe === null
    ? Effect.zipRight(hooks.setReady(pod, true, "container running (no readiness probe)"), Effect.never)
    : Effect.gen(function*() {
      yield* Effect.sleep(warm ? probe.periodMillis : probe.initialDelayMillis)
      let successes = 0
      let failures = 0
      while (true) {
        const startedAt = yield* now
        const failure = yield* pod.probe(probe.timeoutMillis)
        if (failure === undefined) {
          failures = 0
          successes++
          if (!pod.ready && successes >= probe.successThreshold) yield* hooks.setReady(pod, true, "readiness probe passed")
        } else {
          successes = 0
          failures++
          yield* hooks.log("probe-failed", pod.name, `readiness ${failures}/${probe.failureThreshold}: ${failure}`)
          if (pod.ready && failures >= probe.failureThreshold) yield* hooks.setReady(pod, false, `readiness probe failed ${failures}×`)
        }
        yield* restOfPeriod(startedAt, probe.periodMillis)
      }
    })

const livenessLoop = (pod: LivePod, probe: ProbeSpec | null, warm: boolean, hooks: KubeletHooks): Effect.Effect<string> =>
  probe === null
    ? Effect.never
    : Effect.gen(function*() {
      yield* Effect.sleep(warm ? probe.periodMillis : probe.initialDelayMillis)
      let failures = 0
      while (true) {
        const startedAt = yield* now
        const failure = yield* pod.probe(probe.timeoutMillis)
        if (failure === undefined) {
          failures = 0
        } else {
          failures++
          yield* hooks.log("probe-failed", pod.name, `liveness ${failures}/${probe.failureThreshold}: ${failure}`)
          if (failures >= probe.failureThreshold) return `liveness probe failed ${failures}×`
        }
        yield* restOfPeriod(startedAt, probe.periodMillis)
      }
    })

/**
 * Drives a pod until the supervisor interrupts this fiber. `warm`: its first container was started
 * (and found ready) before the world began; its probes start one period later.
 */
export const runKubelet = (pod: LivePod, warm: boolean, spec: DeploymentSpec, hooks: KubeletHooks): Effect.Effect<never> =>
  Effect.gen(function*() {
    let backoffCount = 0
    let first = true
    while (true) {
      const isWarm = first && warm
      first = false
      if (!isWarm) {
        const started = yield* Effect.either(hooks.startContainer(pod))
        if (started._tag === "Left") {
          yield* hooks.log("crash", pod.name, `container did not start: ${started.left.message}`)
        } else {
          yield* hooks.log("started", pod.name, `v${pod.version} restarts=${pod.restarts}`)
        }
      }
      const startedAt = yield* now
      const reason = yield* Effect.raceAll([
        readinessLoop(pod, pod.readiness, isWarm, hooks),
        livenessLoop(pod, pod.liveness, isWarm, hooks),
        Effect.map(pod.containerExit, (why) => `container ${why}`)
      ])
      if (pod.ready) yield* hooks.setReady(pod, false, reason)
      if (pod.containerRunning) {
        pod.container!.signal("SIGKILL")
        yield* pod.containerExit
        yield* hooks.log("liveness-kill", pod.name, reason)
      }
      if ((yield* now) - startedAt >= spec.restartBackoff.resetAfterMillis) backoffCount = 0
      const delay = restartDelay(spec.restartBackoff, backoffCount)
      backoffCount++
      pod.restarts++
      pod.hung = false
      yield* hooks.log("restart", pod.name, `restart #${pod.restarts} in ${delay} ms (${reason})`)
      if (delay > 0) yield* Effect.sleep(delay)
    }
  })
