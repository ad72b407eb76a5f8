/**
 * SimWorld: the simulated world assembled from one seed — disk (a database per service), broker,
 * network and cluster — with the five services deployed, every port provided, and a history that
 * records everything a checker needs. Runs inside the kernel (see runInKernel), which supplies the
 * virtual clock and scheduler; the seed feeds Effect's Random for the services, network, broker and
 * workload alike.
 */
import { HttpClient } from "@effect/platform"
import { SqlClient } from "@effect/sql"
import { Context, Effect, type Scope } from "effect"
import { GatewayService } from "../../services/gateway/GatewayApp.js"
import { MakeService } from "../../services/make/MakeService.js"
import { type MutantName, Mutants } from "../../services/Mutants.js"
import { MypageService } from "../../services/mypage/MypageService.js"
import { OrderService } from "../../services/order/OrderService.js"
import { PaymentService } from "../../services/payment/PaymentService.js"
import { EventBus } from "../../services/ports/EventBus.js"
import { ServiceDirectory, type ServiceName } from "../../services/ports/ServiceDirectory.js"
import { type SystemNote, SystemObserver } from "../../services/ports/SystemObserver.js"
import { defaultSagaConfig, SagaConfig, type SagaConfigShape } from "../../services/SagaConfig.js"
import type { ServiceDefinition } from "../../services/ServiceDefinition.js"
import * as SimBroker from "../broker/SimBroker.js"
import { type ClusterOptions, SimCluster } from "../cluster/SimCluster.js"
import { SimDisk } from "../cluster/SimDisk.js"
import type { SharedPorts } from "../cluster/SimPod.js"
import { History } from "../../chaos/history/History.js"
import { type NetworkOptions, SimNetwork } from "../network/SimNetwork.js"
import { recordingBus } from "./RecordingBus.js"

export const sagaServices: ReadonlyArray<ServiceDefinition> = [
  PaymentService,
  OrderService,
  MakeService,
  MypageService,
  GatewayService
]

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
}

export class SimWorld {
  private constructor(
    readonly history: History,
    readonly disk: SimDisk,
    readonly broker: SimBroker.SimBrokerShape,
    readonly network: SimNetwork,
    readonly cluster: SimCluster,
    readonly config: SagaConfigShape
  ) {}

  /** Builds the world and deploys every service. The world lives as long as the scope. */
  static make(options: WorldOptions = {}): Effect.Effect<SimWorld, never, Scope.Scope> {
    return Effect.gen(function*() {
      const scope = yield* Effect.scope
      const history = new History()
      const config = options.config ?? defaultSagaConfig
      const disk = yield* SimDisk.make(sagaServices)
      const broker = yield* SimBroker.make(options.broker)
      const network = new SimNetwork(options.network)
      const mutants = options.mutants ?? new Set<MutantName>()
      let cluster: SimCluster | undefined = undefined
      const observer = {
        note: (note: SystemNote) =>
          Effect.clockWith((c) => c.currentTimeMillis).pipe(Effect.map((t) => history.record({ t, type: "note", note })))
      }
      const shared = (address: string): Context.Context<SharedPorts> => {
        const service = address.slice(0, address.lastIndexOf("-")) as ServiceName
        return Context.empty().pipe(
          Context.merge(disk.database(service)),
          Context.add(EventBus, recordingBus(broker.bus, history, address)),
          Context.add(HttpClient.HttpClient, network.clientFor(service)),
          Context.add(ServiceDirectory, cluster!.directory),
          Context.add(SagaConfig, config),
          Context.add(Mutants, mutants),
          Context.add(SystemObserver, observer)
        ) as Context.Context<SharedPorts>
      }
      cluster = new SimCluster(scope, shared, history, options.cluster)
      network.setResolver(cluster.resolve)
      for (const definition of sagaServices) {
        yield* cluster.deploy(definition, options.replicas?.[definition.name] ?? 1)
      }
      return new SimWorld(history, disk, broker, network, cluster, config)
    })
  }

  /** The HttpClient of a workload client outside the cluster. */
  clientHttp(): HttpClient.HttpClient {
    return this.network.clientFor("client")
  }

  /** Runs a query against a service's own database. */
  query<A, E>(service: ServiceName, effect: Effect.Effect<A, E, SqlClient.SqlClient>): Effect.Effect<A, E> {
    return this.disk.query(service, effect)
  }
}
