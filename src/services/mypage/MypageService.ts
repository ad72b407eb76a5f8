/**
 * The mypage service, wired: its HttpApi with handlers, its workers and its migrations.
 */
import { HttpApiBuilder } from "@effect/platform"
import { Layer } from "effect"
import { httpApiApp } from "../http/HttpApiApp.js"
import type { ServiceDefinition } from "../ServiceDefinition.js"
import { MypageApi } from "./MypageApi.js"
import { MypageHealthHandlers, MypagesHandlers } from "./MypageHandlers.js"
import { mypageMigrations } from "./MypageStore.js"
import { mypageWorkers } from "./MypageWorkers.js"

export const MypageService: ServiceDefinition = {
  name: "mypage",
  app: httpApiApp(HttpApiBuilder.api(MypageApi).pipe(Layer.provide([MypagesHandlers, MypageHealthHandlers]))),
  workers: mypageWorkers,
  migrations: mypageMigrations
}
