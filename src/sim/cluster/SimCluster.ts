/**
 * SimCluster: Deployments of pods for each service, the endpoints the network resolves, and the
 * directory of ready endpoints the services read — the Deployment, ReplicaSet and endpoints
 * controllers, the kubelet of every pod (Kubelet.ts) and the HorizontalPodAutoscaler (Autoscaler.ts).
 *
 * Pods go Pending → Running → (Ready) → Terminating → Terminated; the pods present when the world is
 * built start warm (running and ready at t = 0). Every change is recorded in the history as
 * `{ type: "cluster", action, pod, detail }`; actions: create, started, ready, unready, probe-failed,
 * liveness-kill, crash, restart, terminating, terminated, hang, recover, scale, rollout,
 * rollout-complete, hpa, autoscale.
 *
 * Faults modelled: kill a pod (gone at once; its ReplicaSet replaces it after `restartDelayMillis`
 * with a new pod), crash a container (restarted in place by the kubelet: same pod, restart count + 1),
 * delete a pod gracefully, hang a pod (alive, not answering: liveness restarts it, readiness takes it
 * out of the endpoints), scale a Deployment (0 takes the service down), roll a Deployment to a new
 * version (maxSurge / maxUnavailable, with or without readiness), autoscale on CPU.
 */
import { type Context, Deferred, Effect, Fiber, type Scope } from "effect"
import type { ServiceDirectoryShape, ServiceName } from "../../services/ports/ServiceDirectory.js"
import type { ServiceDefinition } from "../../services/ServiceDefinition.js"
import type { History } from "../../chaos/history/History.js"
import type { Endpoint } from "../network/Endpoint.js"
import { type AutoscaleOptions, defaultAutoscale, HpaState, recommend, type HpaPod } from "./Autoscaler.js"
import {
  applyOverrides,
  defaultDeploymentSpec,
  type DeploymentOverrides,
  type DeploymentSpec,
  type IntOrPercent
} from "./DeploymentSpec.js"
import { type KubeletHooks, runKubelet } from "./Kubelet.js"
import { skewableClockOf } from "../kernel/Kernel.js"
import type { PodCpu } from "./PodCpu.js"
import { PodRuntime } from "./PodRuntime.js"
import { planReplicas } from "./RollingUpdate.js"
import { type SharedPorts, SimPod } from "./SimPod.js"

export interface ClusterOptions {
  /** Time the ReplicaSet takes to notice a killed pod and create its replacement. Default: 1 000 ms. */
  readonly restartDelayMillis?: number
  /** Overrides of every Deployment's spec (see DeploymentSpec.ts for the defaults). Default: none. */
  readonly deployment?: DeploymentOverrides
  /** Per-service overrides, applied after `deployment`. Default: none. */
  readonly services?: Partial<Record<ServiceName, DeploymentOverrides>>
  /** Seed of each pod's own Random, by pod name. Default: none: pods draw from their callers' Random. */
  readonly podSeed?: (service: ServiceName, address: string) => number
}

export interface DeployOptions {
  /** Overrides of this Deployment's spec, applied after the cluster's. Default: none. */
  readonly spec?: DeploymentOverrides
  /**
   * The pods are already running and ready (the cluster as it stands when the world begins); their
   * probes start one period later. false: they go through Pending and start-up. Default: true.
   */
  readonly warm?: boolean
}

export interface RolloutOptions {
  /** The new template's version. Default: the current version + 1. */
  readonly version?: number
  /** Changes to the pod template (probes, start-up, resources …) for the new version. Default: none. */
  readonly spec?: DeploymentOverrides
  /** The new version's code. Default: the current definition. */
  readonly definition?: ServiceDefinition
  /** Overrides the Deployment's strategy. Default: the spec's (25 % / 25 %). */
  readonly maxSurge?: IntOrPercent
  readonly maxUnavailable?: IntOrPercent
}

/** The replica counts of a Deployment at one instant, recorded whenever one of them changes. */
export interface ReplicaSample {
  readonly t: number
  /** Desired replicas (the HPA's and `scale`'s target). */
  readonly desired: number
  /** Pods that are ready (in the endpoints). */
  readonly ready: number
  /** Pods that exist and are not terminating. */
  readonly pods: number
  /** Terminating pods. */
  readonly terminating: number
  /** Pods (not terminating) on the current version. */
  readonly updated: number
}

export interface DeploymentState {
  readonly service: ServiceName
  definition: ServiceDefinition
  /** The current pod template. */
  spec: DeploymentSpec
  /** Desired replicas. */
  replicas: number
  /** The current template's version. */
  version: number
  nextIndex: number
  /** Pods not yet terminated, in creation order (terminating ones included). */
  readonly pods: Array<SimPod>
  /** Killed pods whose replacement the ReplicaSet has not created yet, by version. */
  readonly pendingReplacements: Map<number, number>
  /** Round-robin cursor for service-name resolution. */
  cursor: number
  /** Ready pods and their URLs, recomputed on every change. */
  readyPods: ReadonlyArray<SimPod>
  readyUrls: ReadonlyArray<string>
  rollout: { readonly from: number; readonly to: number; readonly done: Deferred.Deferred<void> } | undefined
  autoscaler: Fiber.RuntimeFiber<never> | undefined
  readonly series: Array<ReplicaSample>
}

const now = Effect.clockWith((c) => c.currentTimeMillis)

export class SimCluster {
  readonly deployments = new Map<ServiceName, DeploymentState>()
  /** Pods by address, until they are terminated. */
  private readonly pods = new Map<string, SimPod>()
  private readonly restartDelayMillis: number
  private readonly hooks: KubeletHooks

  constructor(
    private readonly scope: Scope.Scope,
    private readonly shared: (address: string) => Context.Context<SharedPorts>,
    private readonly history: History,
    private readonly options: ClusterOptions = {}
  ) {
    this.restartDelayMillis = options.restartDelayMillis ?? 1_000
    this.hooks = {
      setReady: (pod, ready, reason) => this.setReady(pod, ready, reason),
      log: (action, pod, detail) => this.log(action, pod, detail)
    }
  }

  private log(action: string, pod: string, detail?: string) {
    return Effect.map(now, (t) => this.history.record(detail === undefined ? { t, type: "cluster", action, pod } : { t, type: "cluster", action, pod, detail }))
  }

  // ---- endpoints --------------------------------------------------------------------------

  /** Network resolution: a pod address, or a service name balanced over its ready pods. */
  readonly resolve = (host: string): Endpoint | undefined => {
    const pod = this.pods.get(host)
    if (pod) return pod
    const deployment = this.deployments.get(host as ServiceName)
    if (!deployment) return undefined
    const ready = deployment.readyPods
    if (ready.length === 0) return undefined
    deployment.cursor = (deployment.cursor + 1) % 1_000_000_007
    return ready[deployment.cursor % ready.length]
  }

  readonly directory: ServiceDirectoryShape = {
    endpoints: (service) => Effect.sync(() => this.deployments.get(service)?.readyUrls ?? [])
  }

  /** Recomputes a Deployment's endpoints and records a replica sample if anything changed. */
  private refresh(deployment: DeploymentState, t: number): void {
    const ready: Array<SimPod> = []
    let pods = 0
    let terminating = 0
    let updated = 0
    for (const pod of deployment.pods) {
      if (pod.phase === "Terminating") {
        terminating++
        continue
      }
      pods++
      if (pod.version === deployment.version) updated++
      if (pod.ready) ready.push(pod)
    }
    if (ready.length !== deployment.readyPods.length || ready.some((p, i) => deployment.readyPods[i] !== p)) {
      deployment.readyPods = ready
      deployment.readyUrls = ready.map((p) => `http://${p.address}`)
    }
    const last = deployment.series[deployment.series.length - 1]
    const sample: ReplicaSample = { t, desired: deployment.replicas, ready: ready.length, pods, terminating, updated }
    if (
      last === undefined || last.desired !== sample.desired || last.ready !== sample.ready || last.pods !== sample.pods ||
      last.terminating !== sample.terminating || last.updated !== sample.updated
    ) {
      if (last !== undefined && last.t === t) deployment.series[deployment.series.length - 1] = sample
      else deployment.series.push(sample)
    }
  }

  /** The replica counts of a service over time, one sample per change (for reports). */
  replicaSeries(service: ServiceName): ReadonlyArray<ReplicaSample> {
    return this.deployments.get(service)?.series ?? []
  }

  // ---- lifecycle ----------------------------------------------------------------------------

  /** The spec a service's Deployment gets from the cluster options (before `deploy`'s own overrides). */
  specFor(service: ServiceName): DeploymentSpec {
    return applyOverrides(defaultDeploymentSpec(service), this.options.deployment, this.options.services?.[service])
  }

  deploy(definition: ServiceDefinition, replicas: number, options: DeployOptions = {}): Effect.Effect<void> {
    return Effect.gen(this, function*() {
      const deployment: DeploymentState = {
        service: definition.name,
        definition,
        spec: applyOverrides(this.specFor(definition.name), options.spec),
        replicas,
        version: 1,
        nextIndex: 0,
        pods: [],
        pendingReplacements: new Map(),
        cursor: -1,
        readyPods: [],
        readyUrls: [],
        rollout: undefined,
        autoscaler: undefined,
        series: []
      }
      this.deployments.set(definition.name, deployment)
      if (options.warm ?? true) {
        for (let i = 0; i < replicas; i++) yield* this.createPod(deployment, true)
      }
      yield* this.reconcile(deployment)
    })
  }

  private createPod(deployment: DeploymentState, warm: boolean): Effect.Effect<SimPod> {
    return Effect.gen(this, function*() {
      const t = yield* now
      const address = `${deployment.service}-${deployment.nextIndex++}`
      const runtime = PodRuntime.make(this.options.podSeed?.(deployment.service, address), skewableClockOf(yield* Effect.clock))
      const pod = new SimPod(
        address,
        deployment.definition,
        deployment.version,
        deployment.spec,
        this.scope,
        this.shared(address),
        warm ? Number.NEGATIVE_INFINITY : t,
        runtime
      )
      this.pods.set(address, pod)
      deployment.pods.push(pod)
      yield* this.log("create", address, `v${pod.version}${warm ? " (running at start)" : ""}`)
      if (warm) {
        yield* pod.startContainer(true)
        pod.ready = true
        pod.readyChangedAt = t
        yield* this.log("ready", address, "running at start")
      }
      pod.kubelet = yield* Effect.forkIn(Effect.interruptible(runKubelet(pod, warm, this.hooks)), this.scope)
      this.refresh(deployment, t)
      return pod
    })
  }

  private setReady(pod: SimPod, ready: boolean, reason: string): Effect.Effect<void> {
    return Effect.gen(this, function*() {
      if (pod.ready === ready) return
      if (ready && pod.phase !== "Running") return
      const t = yield* now
      pod.ready = ready
      pod.readyChangedAt = t
      yield* this.log(ready ? "ready" : "unready", pod.address, reason)
      const deployment = this.deployments.get(pod.service)
      if (deployment) {
        this.refresh(deployment, t)
        yield* this.reconcile(deployment)
      }
    })
  }

  /**
   * The Deployment and ReplicaSet controllers: brings the pods to the desired replicas of the current
   * version, rolling (RollingUpdate.ts) while pods of older versions remain. Runs on every change;
   * idempotent.
   */
  reconcile(deployment: DeploymentState): Effect.Effect<void> {
    return Effect.uninterruptible(Effect.gen(this, function*() {
      let pendingNew = 0
      let pendingOld = 0
      for (const [version, n] of deployment.pendingReplacements) {
        if (version === deployment.version) pendingNew += n
        else pendingOld += n
      }
      const plan = planReplicas({
        replicas: deployment.replicas,
        version: deployment.version,
        strategy: deployment.spec.strategy,
        pods: deployment.pods.filter((p) => p.phase === "Pending" || p.phase === "Running"),
        pendingNew,
        pendingOld
      })
      this.cancelPending(deployment, plan.cancelPendingNew, true)
      this.cancelPending(deployment, plan.cancelPendingOld, false)
      for (const pod of plan.terminate) yield* this.beginTermination(pod, deployment.rollout ? "rollout" : "scale-down")
      for (let i = 0; i < plan.create; i++) yield* this.createPod(deployment, false)
      const rollout = deployment.rollout
      if (rollout && plan.complete) {
        deployment.rollout = undefined
        yield* this.log("rollout-complete", deployment.service, `v${rollout.from}→v${rollout.to}`)
        yield* Deferred.succeed(rollout.done, undefined)
      }
    }))
  }

  private cancelPending(deployment: DeploymentState, count: number, current: boolean): void {
    for (const [version, n] of deployment.pendingReplacements) {
      if (count <= 0) return
      if ((version === deployment.version) !== current) continue
      const k = Math.min(n, count)
      count -= k
      if (n - k === 0) deployment.pendingReplacements.delete(version)
      else deployment.pendingReplacements.set(version, n - k)
    }
  }

  /**
   * Graceful deletion: out of the endpoints at once; after the preStop delay SIGTERM (no new
   * requests); in-flight requests get until the grace period ends; then the process is killed.
   */
  private beginTermination(pod: SimPod, reason: string): Effect.Effect<void> {
    return Effect.gen(this, function*() {
      if (pod.phase === "Terminating" || pod.phase === "Terminated") return
      const t = yield* now
      pod.phase = "Terminating"
      if (pod.ready) {
        pod.ready = false
        pod.readyChangedAt = t
      }
      yield* this.log("terminating", pod.address, reason)
      const deployment = this.deployments.get(pod.service)
      if (deployment) this.refresh(deployment, t)
      const spec = pod.spec
      const shutdown = Effect.gen(this, function*() {
        const kubelet = pod.kubelet
        pod.kubelet = undefined
        if (kubelet) yield* Fiber.interrupt(kubelet)
        if (pod.containerRunning) {
          const preStop = Math.min(spec.preStopMillis, spec.terminationGracePeriodMillis)
          if (preStop > 0) yield* Effect.sleep(preStop)
          pod.close()
          const rest = spec.terminationGracePeriodMillis - preStop
          const drained = yield* pod.awaitIdle.pipe(
            Effect.timeoutTo({ duration: rest, onSuccess: () => true, onTimeout: () => false })
          )
          yield* this.finishTermination(pod, drained ? reason : `${reason}, grace period over`)
        } else {
          yield* this.finishTermination(pod, reason)
        }
      })
      yield* Effect.forkIn(Effect.interruptible(shutdown), this.scope)
    })
  }

  private finishTermination(pod: SimPod, reason: string): Effect.Effect<void> {
    return Effect.gen(this, function*() {
      if (pod.phase === "Terminated") return
      yield* pod.terminate()
      this.pods.delete(pod.address)
      const t = yield* now
      yield* this.log("terminated", pod.address, reason)
      const deployment = this.deployments.get(pod.service)
      if (deployment) {
        const index = deployment.pods.indexOf(pod)
        if (index >= 0) deployment.pods.splice(index, 1)
        this.refresh(deployment, t)
        yield* this.reconcile(deployment)
      }
    })
  }

  // ---- faults (turmoil's verbs: crash, bounce, hold) ------------------------------------------

  /** A service's pods that exist and are not terminating, oldest first. */
  podsOf(service: ServiceName): ReadonlyArray<SimPod> {
    return this.deployments.get(service)?.pods.filter((p) => p.phase === "Pending" || p.phase === "Running") ?? []
  }

  /** Every pod of a service not yet terminated, terminating ones included. */
  allPodsOf(service: ServiceName): ReadonlyArray<SimPod> {
    return this.deployments.get(service)?.pods ?? []
  }

  pod(address: string): SimPod | undefined {
    return this.pods.get(address)
  }

  /**
   * Kills a pod at once (in-flight requests reset, no grace); its ReplicaSet creates a replacement
   * with a new name after the restart delay, in the background.
   */
  kill(address: string): Effect.Effect<void> {
    return Effect.gen(this, function*() {
      const pod = this.pods.get(address)
      if (!pod || pod.phase === "Terminated") return
      const wasLive = pod.phase !== "Terminating"
      const kubelet = pod.kubelet
      pod.kubelet = undefined
      if (kubelet) yield* Fiber.interrupt(kubelet)
      const deployment = this.deployments.get(pod.service)
      if (deployment && wasLive) {
        deployment.pendingReplacements.set(pod.version, (deployment.pendingReplacements.get(pod.version) ?? 0) + 1)
      }
      yield* this.finishTermination(pod, "killed")
      if (deployment && wasLive) {
        yield* Effect.sleep(this.restartDelayMillis).pipe(
          Effect.zipRight(Effect.suspend(() => {
            const n = deployment.pendingReplacements.get(pod.version) ?? 0
            if (n <= 1) deployment.pendingReplacements.delete(pod.version)
            else deployment.pendingReplacements.set(pod.version, n - 1)
            return n > 0 ? this.reconcile(deployment) : Effect.void
          })),
          Effect.interruptible,
          Effect.forkIn(this.scope)
        )
      }
    })
  }

  /** Deletes a pod gracefully (kubectl delete pod); its ReplicaSet replaces it at once. */
  delete(address: string): Effect.Effect<void> {
    return Effect.gen(this, function*() {
      const pod = this.pods.get(address)
      if (!pod) return
      yield* this.beginTermination(pod, "deleted")
      const deployment = this.deployments.get(pod.service)
      if (deployment) yield* this.reconcile(deployment)
    })
  }

  /**
   * The container's process dies (a crash): the pod stays, unready, and the kubelet restarts the
   * container in place after its back-off (restart count + 1).
   */
  restart(address: string): Effect.Effect<void> {
    return Effect.gen(this, function*() {
      const pod = this.pods.get(address)
      if (!pod || pod.phase !== "Running" || !pod.containerRunning) return
      yield* this.log("crash", address)
      yield* this.setReady(pod, false, "container exited")
      yield* pod.killContainer()
    })
  }

  /** Hangs a pod: alive but not answering, until `recover` or its container dies. */
  hang(address: string): Effect.Effect<void> {
    const pod = this.pods.get(address)
    return pod ? Effect.zipRight(pod.hang(), this.log("hang", address)) : Effect.void
  }

  recover(address: string): Effect.Effect<void> {
    const pod = this.pods.get(address)
    return pod ? Effect.zipRight(pod.recover(), this.log("recover", address)) : Effect.void
  }

  /** Sets a Deployment's desired replicas (0 takes the service down). */
  scale(service: ServiceName, replicas: number, reason?: string): Effect.Effect<void> {
    return Effect.gen(this, function*() {
      const deployment = this.deployments.get(service)
      if (!deployment) return
      const from = deployment.replicas
      deployment.replicas = Math.max(0, Math.floor(replicas))
      yield* this.log("scale", service, `${from}→${deployment.replicas}${reason ? ` (${reason})` : ""}`)
      this.refresh(deployment, yield* now)
      yield* this.reconcile(deployment)
    })
  }

  // ---- rolling update -------------------------------------------------------------------------

  /**
   * Starts a rolling update to a new version (kubectl set image): returns once it has begun; see
   * `awaitRollout`. A rollout started while another runs supersedes it (both complete together).
   */
  rollout(service: ServiceName, options: RolloutOptions = {}): Effect.Effect<void> {
    return Effect.gen(this, function*() {
      const deployment = this.deployments.get(service)
      if (!deployment) return
      const from = deployment.version
      const to = options.version ?? from + 1
      let spec = applyOverrides(deployment.spec, options.spec)
      if (options.maxSurge !== undefined || options.maxUnavailable !== undefined) {
        spec = applyOverrides(spec, {
          strategy: {
            ...(options.maxSurge === undefined ? {} : { maxSurge: options.maxSurge }),
            ...(options.maxUnavailable === undefined ? {} : { maxUnavailable: options.maxUnavailable })
          }
        })
      }
      deployment.spec = spec
      deployment.version = to
      if (options.definition) deployment.definition = options.definition
      const done = deployment.rollout?.done ?? (yield* Deferred.make<void>())
      deployment.rollout = { from, to, done }
      const plan = planReplicas({
        replicas: deployment.replicas,
        version: to,
        strategy: spec.strategy,
        pods: [],
        pendingNew: 0,
        pendingOld: 0
      })
      yield* this.log(
        "rollout",
        service,
        `v${from}→v${to} replicas=${deployment.replicas} maxSurge=${plan.maxSurge} maxUnavailable=${plan.maxUnavailable} readiness=${spec.readiness ? "on" : "off"}`
      )
      this.refresh(deployment, yield* now)
      yield* this.reconcile(deployment)
    })
  }

  /** Completes when the service's current rollout (if any) has completed (kubectl rollout status). */
  awaitRollout(service: ServiceName): Effect.Effect<void> {
    const rollout = this.deployments.get(service)?.rollout
    return rollout ? Deferred.await(rollout.done) : Effect.void
  }

  // ---- horizontal pod autoscaler --------------------------------------------------------------

  /**
   * Autoscales a Deployment on CPU (kubectl autoscale deployment --cpu-percent --min --max); the
   * options default to the seed's (5 %, 1, 3) and Kubernetes' (15 s sync, tolerance 0.1, 300 s
   * scale-down stabilisation, +max(100 %, 4 pods) per 15 s). Replaces an earlier autoscaler.
   */
  autoscale(service: ServiceName, options: Partial<AutoscaleOptions> = {}): Effect.Effect<void> {
    return Effect.gen(this, function*() {
      const deployment = this.deployments.get(service)
      if (!deployment) return
      yield* this.stopAutoscale(service)
      const o: AutoscaleOptions = {
        ...defaultAutoscale,
        ...options,
        scaleUp: { ...defaultAutoscale.scaleUp, ...options.scaleUp },
        scaleDown: { ...defaultAutoscale.scaleDown, ...options.scaleDown }
      }
      const state = new HpaState(o, yield* now, deployment.replicas)
      yield* this.log("autoscale", service, `cpu ${o.cpuPercent}% min=${o.min} max=${o.max}`)
      const samples = new Map<PodCpu, { readonly t: number; readonly used: number }>()
      const sync = Effect.gen(this, function*() {
        const t = yield* now
        const current = deployment.replicas
        const pods: Array<HpaPod> = []
        const seen = new Map<PodCpu, { readonly t: number; readonly used: number }>()
        for (const pod of deployment.pods) {
          let metric: HpaPod["metric"] = undefined
          if (pod.containerRunning) {
            const used = pod.cpu.usedCoreMillis(t)
            const previous = samples.get(pod.cpu)
            if (previous !== undefined && t > previous.t) {
              metric = { timestamp: t, windowMillis: t - previous.t, millicores: Math.round(((used - previous.used) * 1000) / (t - previous.t)) }
            }
            seen.set(pod.cpu, { t, used })
          }
          pods.push({
            name: pod.address,
            phase: pod.phase,
            ready: pod.ready,
            readyChangedAt: pod.readyChangedAt,
            startedAt: pod.createdAt,
            requestMillicores: pod.spec.resources.requestMillicores,
            metric
          })
        }
        samples.clear()
        for (const [cpu, sample] of seen) samples.set(cpu, sample)
        const recommendation = recommend(t, current, pods, o)
        const desired = state.decide(t, current, recommendation.replicas)
        yield* this.log(
          "hpa",
          service,
          `cpu ${recommendation.utilisation === undefined ? "<unknown>" : `${recommendation.utilisation}%`}/${o.cpuPercent}%` +
            ` ready=${recommendation.readyPods} unready=${recommendation.unreadyPods} missing=${recommendation.missingPods}` +
            ` recommended=${recommendation.replicas ?? "-"} current=${current} desired=${desired}`
        )
        if (desired !== current) {
          state.recordScale(t, current, desired)
          yield* this.scale(service, desired, "hpa")
        }
      })
      deployment.autoscaler = yield* Effect.forkIn(
        Effect.interruptible(Effect.forever(Effect.zipRight(Effect.sleep(o.syncPeriodMillis), sync))),
        this.scope
      )
    })
  }

  stopAutoscale(service: ServiceName): Effect.Effect<void> {
    const deployment = this.deployments.get(service)
    const fiber = deployment?.autoscaler
    if (!deployment || !fiber) return Effect.void
    deployment.autoscaler = undefined
    return Fiber.interrupt(fiber).pipe(Effect.asVoid)
  }
}
