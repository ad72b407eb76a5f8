/**
 * The order service, wired: its HttpApi with handlers, its workers and its migrations.
 */
import { HttpApiBuilder } from "@effect/platform"
import { Layer } from "effect"
import { httpApiApp } from "../http/HttpApiApp.js"
import type { ServiceDefinition } from "../ServiceDefinition.js"
import { OrderApi } from "./OrderApi.js"
import { OrderHealthHandlers, OrdersHandlers } from "./OrderHandlers.js"
import { orderMigrations } from "./OrderStore.js"
import { orderWorkers } from "./OrderWorkers.js"
import { PaymentGateway } from "./PaymentGateway.js"

export const OrderService: ServiceDefinition = {
  name: "order",
  app: httpApiApp(
    HttpApiBuilder.api(OrderApi).pipe(Layer.provide([OrdersHandlers, OrderHealthHandlers])),
    PaymentGateway.Http
  ),
  workers: orderWorkers,
  migrations: orderMigrations
}
