/**
 * Supervisor: the live world's cluster — a Deployment of replica processes per service with the
 * Kubernetes semantics of the simulated cluster (sim/cluster/SimCluster.ts) and its parameters
 * (sim/cluster/DeploymentSpec.ts): a kubelet per pod (probes, liveness restarts, crash-loop
 * back-off), the ReplicaSet and Deployment controllers (the rolling-update arithmetic of
 * sim/cluster/RollingUpdate.ts), and the directory of ready endpoints each service is told about.
 * Every change is recorded in the history as `{ type: "cluster", action, pod, detail }` with the
 * simulated cluster's actions (create, started, ready, unready, probe-failed, liveness-kill, crash,
 * restart, terminating, terminated, killed, hang, recover, scale, rollout, rollout-complete).
 *
 * Process faults: kill (SIGKILL; the ReplicaSet replaces the pod after `restartDelayMillis`),
 * restart (SIGKILL; the kubelet restarts the container in place), hang / release (SIGSTOP /
 * SIGCONT), scale, roll (with or without readiness), graceful deletion (out of the directory, SIGTERM
 * after the preStop delay, SIGKILL when the grace period ends).
 */
import { Effect, Fiber, Runtime } from "effect"
import type { History } from "../chaos/history/History.js"
import type { NodeName } from "../chaos/world/World.js"
import type { ServiceName } from "../services/ports/ServiceDirectory.js"
import {
  applyOverrides,
  defaultDeploymentSpec,
  type DeploymentOverrides,
  type DeploymentSpec,
  seedReadiness
} from "../sim/cluster/DeploymentSpec.js"
import { planReplicas } from "../sim/cluster/RollingUpdate.js"
import type { Directory, FromReplica } from "./ChildProtocol.js"
import { type ContainerContext, LiveContainer } from "./LiveContainer.js"
import { type KubeletHooks, runKubelet } from "./LiveKubelet.js"
import { LivePod } from "./LivePod.js"

export interface SupervisorOptions {
  /** Time the ReplicaSet takes to replace a killed pod (scenario ms). Default: 1 000. */
  readonly restartDelayMillis?: number
  /** Overrides of every Deployment's spec (probes, grace period …). Default: none — the seed's. */
  readonly deployment?: DeploymentOverrides
}

interface Deployment {
  readonly service: ServiceName
  readonly spec: DeploymentSpec
  replicas: number
  version: number
  /** Whether pods of the current version have a readiness probe. */
  readiness: boolean
  nextIndex: number
  /** Pods not yet terminated, oldest first (terminating ones included). */
  readonly pods: Array<LivePod>
  /** Killed pods whose replacement is not created yet, by version. */
  readonly pendingReplacements: Map<number, number>
  rolling: { readonly from: number; readonly to: number } | undefined
  readonly lock: Effect.Semaphore
}

const now = Effect.clockWith((c) => c.currentTimeMillis)

export class Supervisor {
  readonly deployments = new Map<ServiceName, Deployment>()
  private readonly pods = new Map<string, LivePod>()
  private lastDirectories = new Map<ServiceName, string>()
  private readonly restartDelayMillis: number
  private readonly deploymentOverrides: DeploymentOverrides | undefined
  private readonly containerContext: ContainerContext
  private readonly hooks: KubeletHooks
  private closed = false

  constructor(
    private readonly history: History,
    context: Omit<ContainerContext, "directoryFor" | "onMessage" | "open">,
    private readonly runtime: Runtime.Runtime<never>,
    options: SupervisorOptions = {}
  ) {
    this.restartDelayMillis = options.restartDelayMillis ?? 1_000
    this.deploymentOverrides = options.deployment
    this.containerContext = {
      ...context,
      directoryFor: (service) => this.directoryFor(service),
      onMessage: (pod, message) => this.onMessage(pod, message),
      open: () => !this.closed
    }
    this.hooks = {
      setReady: (pod, ready, reason) => this.setReady(pod, ready, reason),
      log: (action, pod, detail) => this.log(action, pod, detail),
      startContainer: (pod) => this.startContainer(pod)
    }
  }

  static make(history: History, context: Omit<ContainerContext, "directoryFor" | "onMessage" | "open">, options?: SupervisorOptions) {
    return Effect.map(Effect.runtime<never>(), (runtime) => new Supervisor(history, context, runtime, options))
  }

  private log(action: string, pod: string, detail?: string, at?: number) {
    return Effect.map(now, (t) =>
      this.history.record(detail === undefined
        ? { t: at ?? t, type: "cluster", action, pod }
        : { t: at ?? t, type: "cluster", action, pod, detail }))
  }

  private run(effect: Effect.Effect<void>): void {
    Runtime.runFork(this.runtime)(effect)
  }

  // ---- containers and the directory ---------------------------------------------------------------

  private onMessage(_pod: string, message: FromReplica): void {
    if (message.type === "note") {
      this.run(Effect.map(now, (t) => this.history.record({ t, type: "note", note: message.note })))
    }
  }

  /** Where each service is, as `caller` reaches it: the proxies of the ready replicas. */
  directoryFor(caller: NodeName): Directory {
    const table: Record<string, Array<string>> = {}
    for (const [service, deployment] of this.deployments) {
      table[service] = deployment.pods
        .filter((p) => p.ready && p.phase === "Running" && p.container?.running)
        .map((p) => p.container!.endpoints.get(caller))
        .filter((url): url is string => url !== undefined)
    }
    return table
  }

  /** Sends every running replica its directory if it changed. */
  private refreshDirectories(): void {
    for (const service of this.deployments.keys()) {
      const directory = this.directoryFor(service)
      const text = JSON.stringify(directory)
      if (this.lastDirectories.get(service) === text) continue
      this.lastDirectories.set(service, text)
      for (const pod of this.deployments.get(service)!.pods) pod.container?.send({ type: "directory", directory })
    }
  }

  private startContainer(pod: LivePod): Effect.Effect<void, Error> {
    return Effect.tryPromise({
      try: () => LiveContainer.start(this.containerContext, pod.name, pod.service, pod.runs++),
      catch: (e) => e as Error
    }).pipe(Effect.map((container) => {
      pod.container = container
      container.onExit(() => this.refreshDirectories())
    }))
  }

  private setReady(pod: LivePod, ready: boolean, reason: string): Effect.Effect<void> {
    return Effect.gen(this, function*() {
      if (pod.ready === ready || (ready && pod.phase !== "Running")) return
      pod.ready = ready
      pod.readyChangedAt = yield* now
      yield* this.log(ready ? "ready" : "unready", pod.name, reason)
      this.refreshDirectories()
      const deployment = this.deployments.get(pod.service)
      if (deployment) yield* this.reconcile(deployment)
    })
  }

  // ---- deployments ----------------------------------------------------------------------------------

  /** Pods of a service that exist and are not terminating, oldest first. */
  podsOf(service: ServiceName): ReadonlyArray<LivePod> {
    return this.deployments.get(service)?.pods.filter((p) => p.phase === "Running") ?? []
  }

  pod(name: string): LivePod | undefined {
    return this.pods.get(name)
  }

  allPods(): ReadonlyArray<LivePod> {
    return [...this.pods.values()]
  }

  private newPod(deployment: Deployment): LivePod {
    const spec = deployment.spec
    const pod = new LivePod(
      `${deployment.service}-${deployment.nextIndex++}`,
      deployment.service,
      deployment.version,
      deployment.readiness ? spec.readiness ?? seedReadiness : null,
      spec.liveness
    )
    this.pods.set(pod.name, pod)
    deployment.pods.push(pod)
    return pod
  }

  /**
   * Starts a service's first replicas and waits until each answers its health check (the cluster as
   * it stands when the world begins); fails, naming the replica and its last words, if one dies or
   * stays silent. Their kubelets start with `startKubelets`.
   */
  deployWarm(service: ServiceName, replicas: number, startTimeoutMillis = 30_000): Effect.Effect<void, Error> {
    return Effect.gen(this, function*() {
      const deployment: Deployment = {
        service,
        spec: applyOverrides(defaultDeploymentSpec(service), this.deploymentOverrides),
        replicas,
        version: 1,
        readiness: true,
        nextIndex: 0,
        pods: [],
        pendingReplacements: new Map(),
        rolling: undefined,
        lock: yield* Effect.makeSemaphore(1)
      }
      this.deployments.set(service, deployment)
      const pods = Array.from({ length: replicas }, () => this.newPod(deployment))
      yield* Effect.forEach(pods, (pod) => this.startWarm(pod, startTimeoutMillis), { concurrency: "unbounded", discard: true })
    })
  }

  private startWarm(pod: LivePod, timeoutMillis: number): Effect.Effect<void, Error> {
    return Effect.gen(this, function*() {
      yield* this.startContainer(pod)
      const deadline = Date.now() + timeoutMillis
      while (Date.now() < deadline) {
        const container = pod.container!
        if (!container.running) {
          return yield* Effect.fail(new Error(`${pod.name} ${container.exitReason} at start: ${container.lastLine() || "no output"}`))
        }
        if ((yield* pod.probe(1_000_000)) === undefined) return
        yield* Effect.promise(() => new Promise((resolve) => setTimeout(resolve, 50)))
      }
      return yield* Effect.fail(new Error(`${pod.name} did not answer its health check within ${timeoutMillis} ms of real time`))
    })
  }

  /** The warm pods are ready at `t` (the world's start): recorded, announced, and probed from now on. */
  startKubelets(t: number): Effect.Effect<void> {
    return Effect.gen(this, function*() {
      for (const deployment of this.deployments.values()) {
        for (const pod of deployment.pods) {
          yield* this.log("create", pod.name, `v${pod.version} (running at start)`, t)
          pod.ready = true
          yield* this.log("ready", pod.name, "running at start", t)
          pod.kubelet = yield* Effect.forkDaemon(runKubelet(pod, true, deployment.spec, this.hooks))
        }
      }
      this.refreshDirectories()
    })
  }

  /**
   * The Deployment and ReplicaSet controllers: brings the pods to the desired replicas of the current
   * version, rolling while pods of older versions remain. Idempotent; runs on every change.
   */
  private reconcile(deployment: Deployment): Effect.Effect<void> {
    return deployment.lock.withPermits(1)(Effect.gen(this, function*() {
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
        pods: deployment.pods.filter((p) => p.phase === "Running"),
        pendingNew,
        pendingOld
      })
      this.cancelPending(deployment, plan.cancelPendingNew, true)
      this.cancelPending(deployment, plan.cancelPendingOld, false)
      for (const pod of plan.terminate) yield* this.beginTermination(pod, deployment.rolling ? "rollout" : "scale-down")
      for (let i = 0; i < plan.create; i++) {
        const pod = this.newPod(deployment)
        pod.createdAt = yield* now
        yield* this.log("create", pod.name, `v${pod.version}`)
        pod.kubelet = yield* Effect.forkDaemon(runKubelet(pod, false, deployment.spec, this.hooks))
      }
      const rolling = deployment.rolling
      if (rolling && plan.complete) {
        deployment.rolling = undefined
        yield* this.log("rollout-complete", deployment.service, `v${rolling.from}→v${rolling.to}`)
      }
    }))
  }

  private cancelPending(deployment: Deployment, count: number, current: boolean): void {
    for (const [version, n] of deployment.pendingReplacements) {
      if (count <= 0) return
      if ((version === deployment.version) !== current) continue
      const k = Math.min(n, count)
      count -= k
      if (n - k === 0) deployment.pendingReplacements.delete(version)
      else deployment.pendingReplacements.set(version, n - k)
    }
  }

  /** Graceful deletion: out of the directory at once, SIGTERM after preStop, SIGKILL after the grace period. */
  private beginTermination(pod: LivePod, reason: string): Effect.Effect<void> {
    return Effect.gen(this, function*() {
      if (pod.phase !== "Running") return
      pod.phase = "Terminating"
      if (pod.ready) pod.readyChangedAt = yield* now
      pod.ready = false
      yield* this.log("terminating", pod.name, reason)
      this.refreshDirectories()
      const spec = this.deployments.get(pod.service)!.spec
      const shutdown = Effect.gen(this, function*() {
        yield* this.stopKubelet(pod)
        if (pod.containerRunning) {
          const preStop = Math.min(spec.preStopMillis, spec.terminationGracePeriodMillis)
          if (preStop > 0) yield* Effect.sleep(preStop)
          if (pod.hung) pod.container!.signal("SIGCONT")
          pod.container!.signal("SIGTERM")
          const drained = yield* pod.containerExit.pipe(
            Effect.timeoutTo({ duration: spec.terminationGracePeriodMillis - preStop, onSuccess: () => true, onTimeout: () => false })
          )
          yield* this.finishTermination(pod, drained ? reason : `${reason}, grace period over`)
        } else {
          yield* this.finishTermination(pod, reason)
        }
      })
      yield* Effect.forkDaemon(shutdown)
    })
  }

  private stopKubelet(pod: LivePod): Effect.Effect<void> {
    const kubelet = pod.kubelet
    pod.kubelet = undefined
    return kubelet ? Effect.asVoid(Fiber.interrupt(kubelet)) : Effect.void
  }

  private finishTermination(pod: LivePod, reason: string): Effect.Effect<void> {
    return Effect.gen(this, function*() {
      if (pod.phase === "Terminated") return
      pod.phase = "Terminated"
      pod.ready = false
      if (pod.containerRunning) {
        pod.container!.signal("SIGKILL")
        yield* pod.containerExit
      }
      this.pods.delete(pod.name)
      yield* this.log("terminated", pod.name, reason)
      const deployment = this.deployments.get(pod.service)
      if (!deployment) return
      const index = deployment.pods.indexOf(pod)
      if (index >= 0) deployment.pods.splice(index, 1)
      this.refreshDirectories()
      yield* this.reconcile(deployment)
    })
  }

  // ---- faults ---------------------------------------------------------------------------------------

  /** SIGKILL: the pod is gone at once; its ReplicaSet creates a replacement after the restart delay. */
  kill(name: string): Effect.Effect<void> {
    return Effect.gen(this, function*() {
      const pod = this.pods.get(name)
      if (!pod || pod.phase === "Terminated") return
      const wasLive = pod.phase === "Running"
      yield* this.stopKubelet(pod)
      const deployment = this.deployments.get(pod.service)
      if (deployment && wasLive) {
        deployment.pendingReplacements.set(pod.version, (deployment.pendingReplacements.get(pod.version) ?? 0) + 1)
      }
      yield* this.log("killed", pod.name, "SIGKILL")
      yield* this.finishTermination(pod, "killed")
      if (deployment && wasLive) {
        yield* Effect.sleep(this.restartDelayMillis).pipe(
          Effect.zipRight(Effect.suspend(() => {
            const n = deployment.pendingReplacements.get(pod.version) ?? 0
            if (n <= 1) deployment.pendingReplacements.delete(pod.version)
            else deployment.pendingReplacements.set(pod.version, n - 1)
            return n > 0 ? this.reconcile(deployment) : Effect.void
          })),
          Effect.forkDaemon
        )
      }
    })
  }

  /** The container's process dies (SIGKILL); the pod stays and its kubelet restarts it in place. */
  restart(name: string): Effect.Effect<void> {
    return Effect.gen(this, function*() {
      const pod = this.pods.get(name)
      if (!pod || pod.phase !== "Running" || !pod.containerRunning) return
      yield* this.log("crash", pod.name, "SIGKILL")
      yield* this.setReady(pod, false, "container exited")
      pod.container!.signal("SIGKILL")
    })
  }

  /** SIGSTOP: alive, not answering, not working — until `release` or a liveness restart. */
  hang(name: string): Effect.Effect<boolean> {
    return Effect.gen(this, function*() {
      const pod = this.pods.get(name)
      if (!pod || !pod.containerRunning || pod.hung) return false
      pod.container!.signal("SIGSTOP")
      pod.hung = true
      yield* this.log("hang", pod.name, "SIGSTOP")
      return true
    })
  }

  release(name: string): Effect.Effect<void> {
    return Effect.gen(this, function*() {
      const pod = this.pods.get(name)
      if (!pod || !pod.hung) return
      pod.hung = false
      pod.container?.signal("SIGCONT")
      yield* this.log("recover", pod.name, "SIGCONT")
    })
  }

  scale(service: ServiceName, replicas: number, reason?: string): Effect.Effect<void> {
    return Effect.gen(this, function*() {
      const deployment = this.deployments.get(service)
      if (!deployment) return
      const from = deployment.replicas
      deployment.replicas = Math.max(0, Math.floor(replicas))
      yield* this.log("scale", service, `${from}→${deployment.replicas}${reason ? ` (${reason})` : ""}`)
      yield* this.reconcile(deployment)
    })
  }

  /** A rolling update to a new version (the same code, a new template), with or without readiness. */
  roll(service: ServiceName, readiness: boolean): Effect.Effect<void> {
    return Effect.gen(this, function*() {
      const deployment = this.deployments.get(service)
      if (!deployment) return
      const from = deployment.version
      deployment.version = from + 1
      deployment.readiness = readiness
      deployment.rolling = { from: deployment.rolling?.from ?? from, to: deployment.version }
      yield* this.log("rollout", service, `v${from}→v${deployment.version} replicas=${deployment.replicas} readiness=${readiness ? "on" : "off"}`)
      yield* this.reconcile(deployment)
    })
  }

  /** Tells every running replica that time 0 moved (see LiveClock.rebase). */
  rebase(origin: number): void {
    for (const pod of this.pods.values()) pod.container?.send({ type: "rebase", origin })
  }

  /** Stops every kubelet and kills every process (the world's end). */
  shutdown(): Effect.Effect<void> {
    return Effect.gen(this, function*() {
      this.closed = true
      for (const pod of this.pods.values()) yield* this.stopKubelet(pod)
      for (const pod of this.pods.values()) pod.container?.signal("SIGKILL")
      yield* Effect.forEach(this.pods.values(), (pod) => pod.containerExit, { discard: true })
    })
  }
}
