/**
 * LiveAutoscaler: the HorizontalPodAutoscaler of the live world — the simulated cluster's algorithm
 * (sim/cluster/Autoscaler.ts: Kubernetes' replica calculator, stabilisation and rate limits), fed
 * with each replica process's real CPU use: the kernel's cumulative counter (utime + stime in
 * /proc/PID/stat) sampled at every sync, divided by the real time between samples, against the
 * replica's CPU request. Every evaluation and scale is recorded in the history as the sim's is.
 */
import { Effect, type Scope } from "effect"
import { readFileSync } from "node:fs"
import type { History } from "../chaos/history/History.js"
import type { AutoscaleSpec } from "../chaos/world/World.js"
import type { ServiceName } from "../services/ports/ServiceDirectory.js"
import { type AutoscaleOptions, defaultAutoscale, type HpaPod, HpaState, recommend } from "../sim/cluster/Autoscaler.js"
import { defaultDeploymentSpec } from "../sim/cluster/DeploymentSpec.js"
import type { Supervisor } from "./Supervisor.js"

/** Clock ticks per second of /proc's CPU counters (USER_HZ: 100 on Linux). */
const TICKS_PER_SECOND = 100

/** CPU time a process has used so far, in ms; undefined when it is gone. */
export const processCpuMillis = (pid: number): number | undefined => {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8")
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ")
    // fields[11] is utime, fields[12] stime (the 14th and 15th of the whole line)
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND
  } catch {
    return undefined
  }
}

const now = Effect.clockWith((c) => c.currentTimeMillis)

/** Starts the HPA on a service; it runs until the scope closes. */
export const startLiveAutoscaler = (
  supervisor: Supervisor,
  history: History,
  service: ServiceName,
  spec: AutoscaleSpec,
  /** The run's time scale (real ms per scenario ms): CPU is used in real time. */
  scale: number
): Effect.Effect<void, never, Scope.Scope> =>
  Effect.gen(function*() {
    const options: AutoscaleOptions = { ...defaultAutoscale, ...spec }
    const request = defaultDeploymentSpec(service).resources.requestMillicores
    const state = new HpaState(options, yield* now, supervisor.deployments.get(service)?.replicas ?? 0)
    history.record({ t: yield* now, type: "cluster", action: "autoscale", pod: service, detail: `cpu ${options.cpuPercent}% min=${options.min} max=${options.max}` })
    /** The last CPU sample per process: (scenario time, cpu ms). */
    let samples = new Map<number, { readonly t: number; readonly cpu: number }>()
    const sync = Effect.gen(function*() {
      const t = yield* now
      const deployment = supervisor.deployments.get(service)
      if (!deployment) return
      const seen = new Map<number, { readonly t: number; readonly cpu: number }>()
      const pods: Array<HpaPod> = deployment.pods.map((pod) => {
        const pid = pod.containerRunning ? pod.container!.child.pid : undefined
        const cpu = pid === undefined ? undefined : processCpuMillis(pid)
        let metric: HpaPod["metric"] = undefined
        if (pid !== undefined && cpu !== undefined) {
          const previous = samples.get(pid)
          if (previous !== undefined && t > previous.t) {
            const realMillis = (t - previous.t) * scale
            metric = { timestamp: t, windowMillis: t - previous.t, millicores: Math.round(((cpu - previous.cpu) * 1000) / realMillis) }
          }
          seen.set(pid, { t, cpu })
        }
        return {
          name: pod.name,
          phase: pod.phase === "Running" && !pod.containerRunning ? "Pending" : pod.phase,
          ready: pod.ready,
          readyChangedAt: pod.readyChangedAt,
          startedAt: pod.createdAt,
          requestMillicores: request,
          metric
        }
      })
      samples = seen
      const current = deployment.replicas
      const recommendation = recommend(t, current, pods, options)
      const desired = state.decide(t, current, recommendation.replicas)
      history.record({
        t,
        type: "cluster",
        action: "hpa",
        pod: service,
        detail: `cpu ${recommendation.utilisation === undefined ? "<unknown>" : `${recommendation.utilisation}%`}/${options.cpuPercent}%` +
          ` ready=${recommendation.readyPods} recommended=${recommendation.replicas ?? "-"} current=${current} desired=${desired}`
      })
      if (desired !== current) {
        state.recordScale(t, current, desired)
        yield* supervisor.scale(service, desired, "hpa")
      }
    })
    yield* Effect.forkScoped(Effect.forever(Effect.zipRight(Effect.sleep(options.syncPeriodMillis), sync)))
  })
