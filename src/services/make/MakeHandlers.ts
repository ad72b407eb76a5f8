/**
 * The make service's HTTP handlers: read an order's brewing state.
 */
import { HttpApiBuilder } from "@effect/platform"
import { Effect, Option } from "effect"
import { NotFound } from "../http/ApiErrors.js"
import { checkHealth } from "../http/HealthApi.js"
import { MakeApi } from "./MakeApi.js"
import { findMake } from "./MakeStore.js"

export const MakesHandlers = HttpApiBuilder.group(MakeApi, "makes", (handlers) =>
  handlers.handle("get", ({ path }) =>
    findMake(path.orderId).pipe(
      Effect.orDie,
      Effect.flatMap(Option.match({
        onNone: () => Effect.fail(new NotFound({ message: `make knows nothing of order ${path.orderId}` })),
        onSome: Effect.succeed
      }))
    )))

export const MakeHealthHandlers = HttpApiBuilder.group(MakeApi, "health", (h) => h.handle("check", () => checkHealth))
