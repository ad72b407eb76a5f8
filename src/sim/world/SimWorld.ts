/**
 * SimWorld: the simulated world assembled from one seed — disk (a database per service), broker,
 * network and cluster — with the five services deployed, every port provided, and a history that
 * records everything a checker needs. It is the sim world's implementation of chaos's World
 * (chaos/world/World.ts): every fault verb maps onto the cluster, the network, the broker or a pod.
 * Runs inside the kernel (SimRun.ts), which supplies the virtual clock and scheduler; each subsystem
 * draws from its own seed (chaos/Seeds.ts).
 *
 * Besides what services publish and note, the history gets what the order checkers judge: make's
 * receipt of PaymentApproved and OrderPlaced (RecordingBus.ts) and where requests were routed while
 * pods changed readiness (RouteRecorder.ts).
 *
 * Faults modelled: every verb of World — through SimCluster (kill, restart, hang, scale, roll),
 * SimNetwork (partition, slow, drop), SimBroker (outage, slow delivery, duplicates) and SimPod (clock
 * skew, CPU hog); inside the services, through each database's SqlFaults (SQL latency and failure),
 * each service's HandlerDelays (handler latency between steps) and each pod's PodScheduler (crash
 * points: the pod crashes in place right after its Nth step).
 */
import { HttpClient } from "@effect/platform"
import { SqlClient } from "@effect/sql"
import { Context, Effect, Runtime, type Scope } from "effect"
import type { History } from "../../chaos/history/History.js"
import type { RunTruth } from "../../chaos/invariants/RunTruth.js"
import type { RunSeeds } from "../../chaos/Seeds.js"
import { deriveSeed } from "../../chaos/Seeds.js"
import {
  applied,
  type AutoscaleSpec,
  type ClockSkew,
  type NodeName,
  type ReplicaRef,
  skipped,
  type SqlFailureSpec,
  type Targeted,
  type World
} from "../../chaos/world/World.js"
import type { Distribution } from "../../services/Distribution.js"
import { allMakes } from "../../services/make/MakeStore.js"
import { outboxBacklog } from "../../services/messaging/Outbox.js"
import { allViews } from "../../services/mypage/MypageStore.js"
import { allOrders } from "../../services/order/OrderStore.js"
import { allPayments } from "../../services/payment/PaymentStore.js"
import { GatewayService } from "../../services/gateway/GatewayApp.js"
import { MakeService } from "../../services/make/MakeService.js"
import { type MutantName, Mutants } from "../../services/Mutants.js"
import { MypageService } from "../../services/mypage/MypageService.js"
import { OrderService } from "../../services/order/OrderService.js"
import { PaymentService } from "../../services/payment/PaymentService.js"
import { EventBus } from "../../services/ports/EventBus.js"
import { ServiceDirectory, type ServiceDirectoryShape, type ServiceName } from "../../services/ports/ServiceDirectory.js"
import { type SystemNote, SystemObserver } from "../../services/ports/SystemObserver.js"
import { defaultSagaConfig, SagaConfig, type SagaConfigShape } from "../../services/SagaConfig.js"
import type { ServiceDefinition } from "../../services/ServiceDefinition.js"
import * as SimBroker from "../broker/SimBroker.js"
import { type ClusterOptions, SimCluster } from "../cluster/SimCluster.js"
import { SimDisk } from "../cluster/SimDisk.js"
import type { SharedPorts, SimPod } from "../cluster/SimPod.js"
import { History as HistoryLog } from "../../chaos/history/History.js"
import { type NetworkOptions, SimNetwork } from "../network/SimNetwork.js"
import { HandlerDelays } from "./HandlerDelays.js"
import { recordingBus } from "./RecordingBus.js"
import { recordingResolver } from "./RouteRecorder.js"

export const sagaServices: ReadonlyArray<ServiceDefinition> = [
  PaymentService,
  OrderService,
  MakeService,
  MypageService,
  GatewayService
]

/** Deliveries the order checkers judge, by consuming service: make's receipt of what it brews on. */
const judgedDeliveries: Partial<Record<ServiceName, ReadonlySet<string>>> = {
  make: new Set(["PaymentApproved", "OrderPlaced"])
}

export interface WorldOptions {
  /** Service configuration. Default: the seed's values (SagaConfig.ts). */
  readonly config?: SagaConfigShape
  /** Deliberate defects to switch on. Default: none. */
  readonly mutants?: ReadonlySet<MutantName>
  /** Replicas per service. Default: 1 each. */
  readonly replicas?: Partial<Record<ServiceName, number>>
  readonly network?: NetworkOptions
  readonly cluster?: ClusterOptions
  readonly broker?: SimBroker.SimBrokerOptions
  /**
   * One seed per subsystem (chaos/Seeds.ts): network, broker and each pod get their own Random.
   * Default: none: every draw comes from the kernel's root Random.
   */
  readonly seeds?: RunSeeds
}

/**
 * How long a crashed pod waits, in simulated ms, for its dead container's scope to close before it runs
 * again (SimWorld.crashNow). A close normally ends at the crash's own instant.
 */
export const DEAD_CONTAINER_CLOSE_MILLIS = 1_000

export class SimWorld implements World {
  readonly mode = "sim" as const

  private constructor(
    readonly history: History,
    readonly disk: SimDisk,
    readonly broker: SimBroker.SimBrokerShape,
    readonly network: SimNetwork,
    readonly cluster: SimCluster,
    readonly config: SagaConfigShape,
    readonly handlerDelays: ReadonlyMap<ServiceName, HandlerDelays>
  ) {}

  /** Builds the world and deploys every service. The world lives as long as the scope. */
  static make(options: WorldOptions = {}): Effect.Effect<SimWorld, never, Scope.Scope> {
    return Effect.gen(function*() {
      const scope = yield* Effect.scope
      const history = new HistoryLog()
      const config = options.config ?? defaultSagaConfig
      const disk = yield* SimDisk.make(sagaServices)
      const seeds = options.seeds
      // The world's true time: the history's stamps and the broker's own clock, never a pod's (skewable) one.
      const trueClock = yield* Effect.clock
      const broker = yield* SimBroker.make({ clock: trueClock, ...options.broker, ...(seeds ? { seed: seeds.broker } : {}) })
      const network = new SimNetwork(seeds ? { ...options.network, seed: seeds.network } : options.network)
      const mutants = options.mutants ?? new Set<MutantName>()
      let cluster: SimCluster | undefined = undefined
      const observer = {
        note: (note: SystemNote) =>
          Effect.sync(() => history.record({ t: trueClock.unsafeCurrentTimeMillis(), type: "note", note }))
      }
      const directory: ServiceDirectoryShape = {
        endpoints: (service) => cluster!.directory.endpoints(service),
        running: (service) =>
          Effect.sync(() =>
            cluster!.podsOf(service).filter((p) => p.phase === "Running" && p.containerRunning).map((p) => `http://${p.address}`)
          )
      }
      const handlerDelays = new Map(sagaServices.map((d) => [d.name, new HandlerDelays()] as const))
      const shared = (address: string): Context.Context<SharedPorts> => {
        const service = address.slice(0, address.lastIndexOf("-")) as ServiceName
        const delays = handlerDelays.get(service)!
        return Context.empty().pipe(
          Context.merge(disk.database(service)),
          Context.add(EventBus, delays.bus(recordingBus(broker.bus, history, address, trueClock, judgedDeliveries[service]))),
          Context.add(HttpClient.HttpClient, delays.client(network.clientFor(service))),
          Context.add(ServiceDirectory, directory),
          Context.add(SagaConfig, config),
          Context.add(Mutants, mutants),
          Context.add(SystemObserver, observer)
        ) as Context.Context<SharedPorts>
      }
      const podSeed = seeds
        ? { podSeed: (service: ServiceName, address: string) => deriveSeed(seeds.services[service], address) }
        : {}
      cluster = new SimCluster(scope, shared, history, { ...options.cluster, ...podSeed })
      network.setResolver(recordingResolver(cluster.resolve, history, (address) => {
        const pod = cluster!.pod(address)
        return pod === undefined ? undefined : { ready: pod.ready, since: pod.readyChangedAt }
      }, () => trueClock.unsafeCurrentTimeMillis()))
      for (const definition of sagaServices) {
        yield* cluster.deploy(definition, options.replicas?.[definition.name] ?? 1)
      }
      return new SimWorld(history, disk, broker, network, cluster, config, handlerDelays)
    })
  }

  private workloadClient: HttpClient.HttpClient | undefined

  /** The HttpClient of a workload client outside the cluster (one per world: it holds no state). */
  clientHttp(): HttpClient.HttpClient {
    return this.workloadClient ??= this.network.clientFor("client")
  }

  /** Runs a query against a service's own database. */
  query<A, E>(service: ServiceName, effect: Effect.Effect<A, E, SqlClient.SqlClient>): Effect.Effect<A, E> {
    return this.disk.query(service, effect)
  }

  // ---- World ---------------------------------------------------------------------------------------

  readonly client = (): HttpClient.HttpClient => this.clientHttp()

  /** The running pod a replica reference names (index modulo the running pods), or why there is none. */
  private podOf(target: ReplicaRef) {
    const pods = this.cluster.podsOf(target.service)
    return pods.length === 0 ? undefined : pods[target.replica % pods.length]
  }

  private onPod(target: ReplicaRef, act: (address: string) => Effect.Effect<void>): Effect.Effect<Targeted> {
    return Effect.suspend(() => {
      const pod = this.podOf(target)
      if (!pod) return Effect.succeed(skipped(`${target.service} has no running replica`))
      return Effect.as(act(pod.address), applied(pod.address))
    })
  }

  readonly kill = (target: ReplicaRef) => this.onPod(target, (a) => this.cluster.kill(a))
  readonly restart = (target: ReplicaRef) => this.onPod(target, (a) => this.cluster.restart(a))
  readonly hang = (target: ReplicaRef) => this.onPod(target, (a) => this.cluster.hang(a))
  readonly release = (address: string) => this.cluster.recover(address)
  readonly replicas = (service: ServiceName) => this.cluster.podsOf(service).length
  readonly scale = (service: ServiceName, replicas: number, reason: string) => this.cluster.scale(service, replicas, reason)
  readonly roll = (service: ServiceName, options: { readonly readiness: boolean }) =>
    this.cluster.rollout(service, options.readiness ? {} : { spec: { readiness: null } })
  readonly autoscale = (service: ServiceName, spec: AutoscaleSpec) => this.cluster.autoscale(service, spec)

  readonly partition = (a: NodeName, b: NodeName, options: { readonly oneWay: boolean }) =>
    Effect.sync(() => (options.oneWay ? this.network.partitionOneWay(a, b) : this.network.partition(a, b)))
  readonly repair = (a: NodeName, b: NodeName) => Effect.sync(() => this.network.repair(a, b))
  readonly slow = (from: NodeName, to: NodeName, latency: Distribution | undefined) =>
    Effect.sync(() => this.network.setLatency(from, to, latency))
  readonly drop = (from: NodeName, to: NodeName, probability: number) =>
    Effect.sync(() => this.network.setDropProbability(from, to, probability))

  readonly brokerDown = () => this.broker.control.setOutage(true)
  readonly brokerUp = () => this.broker.control.setOutage(false)
  readonly brokerSlow = (delay: { readonly minMillis: number; readonly maxMillis: number } | null) =>
    this.broker.control.setDeliveryDelay(delay)
  readonly brokerDuplicate = (probability: number) => this.broker.control.setDuplicateProbability(probability)

  readonly skewClock = (target: ReplicaRef, skew: ClockSkew): Effect.Effect<Targeted> =>
    Effect.suspend(() => {
      const pod = this.podOf(target)
      if (!pod) return Effect.succeed(skipped(`${target.service} has no running replica`))
      const clock = pod.runtime.clock
      if (!clock) return Effect.succeed(skipped("clock skew needs the kernel's clock"))
      clock.skew(skew.offsetMillis, skew.driftPerSecond ?? 0)
      return Effect.succeed(applied(pod.address))
    })
  readonly unskewClock = (address: string) => Effect.sync(() => this.cluster.pod(address)?.runtime.clock?.skew(0, 0))

  readonly hogCpu = (target: ReplicaRef, fraction: number): Effect.Effect<Targeted> =>
    Effect.clockWith((clock) => {
      const pod = this.podOf(target)
      if (!pod) return Effect.succeed(skipped(`${target.service} has no running replica`))
      pod.hogCpu(fraction, clock.unsafeCurrentTimeMillis())
      return Effect.succeed(applied(pod.address))
    })
  readonly unhogCpu = (address: string) =>
    Effect.clockWith((clock) => Effect.sync(() => this.cluster.pod(address)?.hogCpu(0, clock.unsafeCurrentTimeMillis())))

  // ---- inside the services -------------------------------------------------------------------------

  private inService(service: ServiceName, act: () => void): Effect.Effect<Targeted> {
    return Effect.sync(() => {
      act()
      return applied(service)
    })
  }

  readonly sqlSlow = (service: ServiceName, latency: Distribution | undefined) =>
    this.inService(service, () => this.disk.sqlFaults(service)?.setLatency(latency))
  readonly sqlFail = (service: ServiceName, failure: SqlFailureSpec | undefined) =>
    this.inService(service, () => this.disk.sqlFaults(service)?.setFailure(failure))
  readonly delayHandlers = (service: ServiceName, latency: Distribution | undefined) =>
    this.inService(service, () => this.handlerDelays.get(service)?.setLatency(latency))

  /** A service's steps apart (each SQL statement and port call yields first) while crash points are armed on it. */
  private stepsApart(service: ServiceName, delta: 1 | -1): void {
    this.disk.sqlFaults(service)?.yieldSteps(delta)
    this.handlerDelays.get(service)?.yieldSteps(delta)
  }

  readonly crashAfter = (target: ReplicaRef, steps: number): Effect.Effect<Targeted> =>
    Effect.flatMap(Effect.runtime<never>(), (runtime) =>
      Effect.sync(() => {
        const pod = this.podOf(target)
        if (!pod) return skipped(`${target.service} has no running replica`)
        const scheduler = pod.runtime.scheduler
        if (!scheduler) return skipped("crash points need the kernel's scheduler")
        if (scheduler.isArmed) scheduler.disarm()
        else this.stepsApart(pod.service, 1)
        scheduler.arm(steps, () => {
          this.stepsApart(pod.service, -1)
          Runtime.runFork(runtime)(this.crashNow(pod))
        })
        return applied(pod.address)
      }))

  /**
   * The crash itself: the container dies (restarted in place by the kubelet), then the pod runs again.
   * A dead process holds nothing up: if the dead container's scope has not closed within
   * DEAD_CONTAINER_CLOSE_MILLIS (a fiber of it stuck in an uninterruptible wait that nothing will end —
   * a crash point that fired while order's workers were starting left four such fibers, and the pod
   * crash-looping for the rest of the run), the pod runs again anyway and the close goes on apart.
   */
  private crashNow(pod: SimPod): Effect.Effect<void> {
    return Effect.timeoutTo(Effect.disconnect(this.cluster.restart(pod.address)), {
      duration: DEAD_CONTAINER_CLOSE_MILLIS,
      onSuccess: () => undefined,
      onTimeout: () => undefined
    }).pipe(Effect.ensuring(Effect.sync(() => pod.runtime.scheduler?.revive())))
  }

  readonly uncrash = (address: string) =>
    Effect.sync(() => {
      const pod = this.cluster.pod(address)
      const scheduler = pod?.runtime.scheduler
      if (!pod || !scheduler?.isArmed) return
      scheduler.disarm()
      this.stepsApart(pod.service, -1)
    })

  readonly healAll = (): Effect.Effect<void> =>
    Effect.gen(this, function*() {
      yield* this.network.healAll()
      yield* this.broker.control.setOutage(false)
      yield* this.broker.control.setDeliveryDelay(null)
      yield* this.broker.control.setDuplicateProbability(0)
      for (const definition of sagaServices) {
        const service = definition.name
        this.disk.sqlFaults(service)?.clear()
        this.handlerDelays.get(service)?.setLatency(undefined)
        for (const pod of this.cluster.allPodsOf(service)) yield* this.uncrash(pod.address)
        for (const pod of this.cluster.podsOf(service)) {
          if (pod.hung) yield* this.cluster.recover(pod.address)
          pod.runtime.clock?.skew(0, 0)
          if (pod.hogFraction > 0) pod.hogCpu(0, yield* Effect.clockWith((c) => c.currentTimeMillis))
        }
        const deployment = this.cluster.deployments.get(service)
        if (deployment && deployment.replicas === 0) yield* this.cluster.scale(service, 1, "healAll")
      }
    })

  readonly truth = (): Effect.Effect<RunTruth> =>
    Effect.gen(this, function*() {
      const orders = yield* this.query("order", allOrders)
      const payments = yield* this.query("payment", allPayments)
      const makes = yield* this.query("make", allMakes)
      const mypages = yield* this.query("mypage", allViews)
      const backlog: Record<string, number> = {}
      for (const service of ["order", "payment", "make"] as const) backlog[service] = yield* this.query(service, outboxBacklog)
      const snapshot = yield* this.broker.inspect.snapshot
      const deadLetters = yield* this.broker.inspect.deadLetters
      return {
        history: this.history.entries,
        orders: orders.map((o) => ({ orderId: o.orderId, status: o.status, price: o.price })),
        payments: payments.map((p) => ({ orderId: p.order_id, amount: p.amount, status: p.status, refunds: p.refunds })),
        makes: makes.map((m) => ({ orderId: m.order_id, status: m.status, brews: m.brews })),
        mypages: mypages.map((v) => ({ orderId: v.orderId, status: v.status })),
        outboxBacklog: backlog,
        brokerPending: snapshot.totalPending,
        brokerLag: snapshot.totalLag,
        deadLetters: deadLetters.length,
        exactOrder: true
      } satisfies RunTruth
    }).pipe(Effect.orDie)
}
