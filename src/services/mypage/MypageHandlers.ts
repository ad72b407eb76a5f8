/**
 * The mypage service's HTTP handlers: the customer's view of one order.
 * Mutants living here: mypage-made-when-paid, mypage-cancel-shows-rejected (they change only what a
 * customer is shown; the stored view keeps the right status).
 */
import { HttpApiBuilder } from "@effect/platform"
import { Effect, Option } from "effect"
import { MypageView } from "../../domain/MypageProjection.js"
import { NotFound } from "../http/ApiErrors.js"
import { checkHealth } from "../http/HealthApi.js"
import { Mutants } from "../Mutants.js"
import type { MutantName } from "../MutantNames.js"
import { MypageApi } from "./MypageApi.js"
import { findView } from "./MypageStore.js"

/** The view a customer is shown: the stored one, unless a mutant rewrites its status. */
const shown = (v: MypageView, mutants: ReadonlySet<MutantName>): MypageView => {
  const paidNotMade = v.placed && v.paid && !v.made && !v.cancelRequested && !v.paymentFailed && !v.coffeeCancelled
  if (mutants.has("mypage-made-when-paid") && paidNotMade) return new MypageView({ ...v, status: "made" }, true)
  if (mutants.has("mypage-cancel-shows-rejected") && (v.status === "cancelling" || v.status === "cancelled")) {
    return new MypageView({ ...v, status: "rejected" }, true)
  }
  return v
}

export const MypagesHandlers = HttpApiBuilder.group(MypageApi, "mypages", (handlers) =>
  handlers.handle("get", ({ path }) =>
    findView(path.orderId).pipe(
      Effect.orDie,
      Effect.flatMap(Option.match({
        onNone: () => Effect.fail(new NotFound({ message: `no view of order ${path.orderId} yet` })),
        onSome: (v) => Effect.map(Mutants, (mutants) => shown(v, mutants))
      }))
    )))

export const MypageHealthHandlers = HttpApiBuilder.group(MypageApi, "health", (h) => h.handle("check", () => checkHealth))
