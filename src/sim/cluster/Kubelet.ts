/**
 * Kubelet: the node agent's view of one pod — start its container after `containerStartMillis`, run
 * its readiness and liveness probes (GET /health through the pod's own `serve`, so a hung or
 * starting pod fails them by timeout or refusal), and restart the container in place when liveness
 * fails or the process dies, with Kubernetes' crash-loop back-off (first restart at once, then
 * 10 s, 20 s, … capped at 300 s).
 *
 * Probe semantics are Kubernetes': the first probe runs `initialDelay` after the container starts,
 * then every `period` (measured between probe starts); a probe fails on no answer within `timeout`,
 * a refused or reset connection, or a status outside 200–399. Readiness starts false, turns true
 * after `successThreshold` consecutive successes and false after `failureThreshold` consecutive
 * failures. Liveness restarts the container after `failureThreshold` consecutive failures. Without
 * a readiness probe a pod is ready as soon as its container runs, even if the app does not answer yet.
 *
 * Faults modelled: liveness restarts of hung pods, readiness removal of failing pods, crash loops.
 */
import { suspendForever } from "../kernel/SuspendForever.js"
import { Effect } from "effect"
import { type ProbeSpec, restartDelay } from "./DeploymentSpec.js"
import type { SimPod } from "./SimPod.js"

export interface KubeletHooks {
  /** Sets the pod's Ready condition (the cluster updates endpoints and controllers). */
  readonly setReady: (pod: SimPod, ready: boolean, reason: string) => Effect.Effect<void>
  /** Records a cluster event in the history. */
  readonly log: (action: string, pod: string, detail?: string) => Effect.Effect<void>
}

const now = Effect.clockWith((c) => c.currentTimeMillis)

/** Sleeps the rest of a probe period that started at `startedAt`. */
const restOfPeriod = (startedAt: number, period: number) =>
  Effect.flatMap(now, (t) => {
    const rest = startedAt + period - t
    return rest > 0 ? Effect.sleep(rest) : Effect.void
  })

const readinessLoop = (pod: SimPod, probe: ProbeSpec | null, warm: boolean, hooks: KubeletHooks): Effect.Effect<never> =>
  probe === null
    ? Effect.zipRight(hooks.setReady(pod, true, "container running (no readiness probe)"), suspendForever)
    : Effect.gen(function*() {
      if (warm) yield* hooks.setReady(pod, true, "running at start")
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
          yield* hooks.log("probe-failed", pod.address, `readiness ${failures}/${probe.failureThreshold}: ${failure}`)
          if (pod.ready && failures >= probe.failureThreshold) {
            yield* hooks.setReady(pod, false, `readiness probe failed ${failures}×`)
          }
        }
        yield* restOfPeriod(startedAt, probe.periodMillis)
      }
    })

/** Returns when the liveness probe has failed `failureThreshold` times in a row. */
const livenessLoop = (pod: SimPod, probe: ProbeSpec | null, warm: boolean, hooks: KubeletHooks): Effect.Effect<string> =>
  probe === null
    ? suspendForever
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
          yield* hooks.log("probe-failed", pod.address, `liveness ${failures}/${probe.failureThreshold}: ${failure}`)
          if (failures >= probe.failureThreshold) return `liveness probe failed ${failures}×`
        }
        yield* restOfPeriod(startedAt, probe.periodMillis)
      }
    })

/**
 * Drives a pod until it is deleted (the cluster interrupts this fiber). `warm`: the container was
 * already started (and marked ready) when the world began; its probes start one period later.
 */
export const runKubelet = (pod: SimPod, warm: boolean, hooks: KubeletHooks): Effect.Effect<never> =>
  Effect.gen(function*() {
    let backoffCount = 0
    let first = true
    while (true) {
      const isWarm = first && warm
      if (!isWarm) {
        if (pod.spec.containerStartMillis > 0) yield* Effect.sleep(pod.spec.containerStartMillis)
        yield* pod.startContainer(false)
        yield* hooks.log("started", pod.address, `v${pod.version} restarts=${pod.restarts}`)
      }
      const startedAt = yield* now
      const reason = yield* Effect.raceAll([
        readinessLoop(pod, pod.spec.readiness, isWarm, hooks),
        livenessLoop(pod, pod.spec.liveness, isWarm, hooks),
        Effect.as(pod.containerExit, "container exited")
      ])
      if (pod.ready) yield* hooks.setReady(pod, false, reason)
      if (pod.containerRunning) {
        yield* pod.killContainer()
        yield* hooks.log("liveness-kill", pod.address, reason)
      }
      if ((yield* now) - startedAt >= pod.spec.restartBackoff.resetAfterMillis) backoffCount = 0
      const delay = restartDelay(pod.spec.restartBackoff, backoffCount)
      backoffCount++
      pod.restarts++
      yield* hooks.log("restart", pod.address, `restart #${pod.restarts} in ${delay} ms (${reason})`)
      if (delay > 0) yield* Effect.sleep(delay)
      first = false
    }
  })
