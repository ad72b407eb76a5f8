/**
 * The make service, wired: its HttpApi with handlers, its workers and its migrations.
 */
import { HttpApiBuilder } from "@effect/platform"
import { Layer } from "effect"
import { httpApiApp } from "../http/HttpApiApp.js"
import type { ServiceDefinition } from "../ServiceDefinition.js"
import { MakeApi } from "./MakeApi.js"
import { MakeHealthHandlers, MakesHandlers } from "./MakeHandlers.js"
import { makeMigrations } from "./MakeStore.js"
import { makeWorkers } from "./MakeWorkers.js"

export const MakeService: ServiceDefinition = {
  name: "make",
  app: httpApiApp(HttpApiBuilder.api(MakeApi).pipe(Layer.provide([MakesHandlers, MakeHealthHandlers]))),
  workers: makeWorkers,
  migrations: makeMigrations
}
