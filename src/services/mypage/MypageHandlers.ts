/**
 * The mypage service's HTTP handlers: the customer's view of one order.
 */
import { HttpApiBuilder } from "@effect/platform"
import { Effect, Option } from "effect"
import { NotFound } from "../http/ApiErrors.js"
import { checkHealth } from "../http/HealthApi.js"
import { MypageApi } from "./MypageApi.js"
import { findView } from "./MypageStore.js"

export const MypagesHandlers = HttpApiBuilder.group(MypageApi, "mypages", (handlers) =>
  handlers.handle("get", ({ path }) =>
    findView(path.orderId).pipe(
      Effect.orDie,
      Effect.flatMap(Option.match({
        onNone: () => Effect.fail(new NotFound({ message: `no view of order ${path.orderId} yet` })),
        onSome: Effect.succeed
      }))
    )))

export const MypageHealthHandlers = HttpApiBuilder.group(MypageApi, "health", (h) => h.handle("check", () => checkHealth))
