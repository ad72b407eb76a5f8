/**
 * The payment service, wired: its HttpApi with handlers, its workers and its migrations.
 */
import { HttpApiBuilder } from "@effect/platform"
import { Layer } from "effect"
import { httpApiApp } from "../http/HttpApiApp.js"
import type { ServiceDefinition } from "../ServiceDefinition.js"
import { PaymentApi } from "./PaymentApi.js"
import { PaymentHealthHandlers, PaymentsHandlers } from "./PaymentHandlers.js"
import { paymentMigrations } from "./PaymentStore.js"
import { paymentWorkers } from "./PaymentWorkers.js"

export const PaymentService: ServiceDefinition = {
  name: "payment",
  app: httpApiApp(HttpApiBuilder.api(PaymentApi).pipe(Layer.provide([PaymentsHandlers, PaymentHealthHandlers]))),
  workers: paymentWorkers,
  migrations: paymentMigrations
}
