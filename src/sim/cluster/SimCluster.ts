/**
 * SimCluster: Deployments of pods for each service, the endpoints the network resolves, and the
 * directory of ready endpoints the services read.
 *
 * Faults modelled: kill a pod (its Deployment replaces it after `restartDelayMillis`, as a
 * ReplicaSet does), hang a pod (alive, not answering), restart a pod, scale a Deployment, take a
 * whole service down (replicas 0) and back up.
 */
import { type Context, Effect, type Scope } from "effect"
import type { ServiceDirectoryShape, ServiceName } from "../../services/ports/ServiceDirectory.js"
import type { ServiceDefinition } from "../../services/ServiceDefinition.js"
import type { History } from "../history/History.js"
import type { Endpoint } from "../network/Endpoint.js"
import { type SharedPorts, SimPod } from "./SimPod.js"

export interface ClusterOptions {
  /** Time from a pod's creation until its process answers. Default: 0 ms. */
  readonly startupMillis?: number
  /** Time the ReplicaSet takes to notice a dead pod and create its replacement. Default: 1 000 ms. */
  readonly restartDelayMillis?: number
}

export interface DeploymentState {
  readonly service: ServiceName
  readonly definition: ServiceDefinition
  /** Desired replicas. */
  replicas: number
  version: number
  nextIndex: number
  readonly pods: Array<SimPod>
  /** Round-robin cursor for service-name resolution. */
  cursor: number
}

export class SimCluster {
  readonly deployments = new Map<ServiceName, DeploymentState>()
  private readonly pods = new Map<string, SimPod>()
  private readonly startupMillis: number
  private readonly restartDelayMillis: number

  constructor(
    private readonly scope: Scope.Scope,
    private readonly shared: (address: string) => Context.Context<SharedPorts>,
    private readonly history: History,
    options: ClusterOptions = {}
  ) {
    this.startupMillis = options.startupMillis ?? 0
    this.restartDelayMillis = options.restartDelayMillis ?? 1_000
  }

  private now() {
    return Effect.clockWith((c) => c.currentTimeMillis)
  }

  private log(action: string, pod: string, detail?: string) {
    return Effect.map(this.now(), (t) => this.history.record(detail === undefined ? { t, type: "cluster", action, pod } : { t, type: "cluster", action, pod, detail }))
  }

  // ---- endpoints --------------------------------------------------------------------------

  /** Network resolution: a pod address, or a service name balanced over its ready pods. */
  readonly resolve = (host: string): Endpoint | undefined => {
    const pod = this.pods.get(host)
    if (pod) return pod
    const deployment = this.deployments.get(host as ServiceName)
    if (!deployment) return undefined
    const ready = deployment.pods.filter((p) => p.ready && p.phase === "Running")
    if (ready.length === 0) return undefined
    deployment.cursor = (deployment.cursor + 1) % 1_000_000_007
    return ready[deployment.cursor % ready.length]
  }

  readonly directory: ServiceDirectoryShape = {
    endpoints: (service) =>
      Effect.sync(() => {
        const deployment = this.deployments.get(service)
        if (!deployment) return []
        const out: Array<string> = []
        for (const pod of deployment.pods) if (pod.ready && pod.phase === "Running") out.push(`http://${pod.address}`)
        return out
      })
  }

  // ---- lifecycle ----------------------------------------------------------------------------

  deploy(definition: ServiceDefinition, replicas: number): Effect.Effect<void> {
    return Effect.gen(this, function*() {
      const deployment: DeploymentState = {
        service: definition.name,
        definition,
        replicas,
        version: 1,
        nextIndex: 0,
        pods: [],
        cursor: -1
      }
      this.deployments.set(definition.name, deployment)
      yield* this.reconcile(deployment)
    })
  }

  private startPod(deployment: DeploymentState): Effect.Effect<SimPod> {
    return Effect.gen(this, function*() {
      const address = `${deployment.service}-${deployment.nextIndex++}`
      yield* this.log("create", address, `v${deployment.version}`)
      if (this.startupMillis > 0) yield* Effect.sleep(this.startupMillis)
      const pod = yield* SimPod.start({
        address,
        definition: deployment.definition,
        version: deployment.version,
        parent: this.scope,
        shared: this.shared(address)
      })
      this.pods.set(address, pod)
      deployment.pods.push(pod)
      pod.ready = true
      yield* this.log("ready", address)
      return pod
    })
  }

  /** Brings the number of live pods to the desired replicas (newest pods go first when scaling down). */
  reconcile(deployment: DeploymentState): Effect.Effect<void> {
    return Effect.gen(this, function*() {
      const live = deployment.pods.filter((p) => p.phase !== "Terminated")
      for (let i = live.length; i < deployment.replicas; i++) yield* this.startPod(deployment)
      for (let i = live.length - 1; i >= deployment.replicas; i--) yield* this.terminate(live[i]!, "scale-down")
    })
  }

  private terminate(pod: SimPod, reason: string): Effect.Effect<void> {
    return Effect.gen(this, function*() {
      yield* pod.kill()
      this.pods.delete(pod.address)
      const deployment = this.deployments.get(pod.service)
      if (deployment) {
        const index = deployment.pods.indexOf(pod)
        if (index >= 0) deployment.pods.splice(index, 1)
      }
      yield* this.log("terminated", pod.address, reason)
    })
  }

  // ---- faults (turmoil's verbs: crash, bounce, hold) ------------------------------------------

  podsOf(service: ServiceName): ReadonlyArray<SimPod> {
    return this.deployments.get(service)?.pods.filter((p) => p.phase !== "Terminated") ?? []
  }

  /** Kills a pod; its Deployment replaces it after the restart delay, in the background. */
  kill(address: string): Effect.Effect<void> {
    return Effect.gen(this, function*() {
      const pod = this.pods.get(address)
      if (!pod) return
      yield* this.terminate(pod, "killed")
      const deployment = this.deployments.get(pod.service)
      if (deployment) {
        yield* Effect.sleep(this.restartDelayMillis).pipe(
          Effect.zipRight(this.reconcile(deployment)),
          Effect.forkIn(this.scope)
        )
      }
    })
  }

  /** Hangs a pod: alive but not answering, until `recover` or a kill. */
  hang(address: string): Effect.Effect<void> {
    const pod = this.pods.get(address)
    return pod ? Effect.zipRight(pod.hang(), this.log("hang", address)) : Effect.void
  }

  recover(address: string): Effect.Effect<void> {
    const pod = this.pods.get(address)
    return pod ? Effect.zipRight(pod.recover(), this.log("recover", address)) : Effect.void
  }

  /** Sets a Deployment's desired replicas (0 takes the service down). */
  scale(service: ServiceName, replicas: number): Effect.Effect<void> {
    return Effect.gen(this, function*() {
      const deployment = this.deployments.get(service)
      if (!deployment) return
      deployment.replicas = replicas
      yield* this.log("scale", service, String(replicas))
      yield* this.reconcile(deployment)
    })
  }
}
