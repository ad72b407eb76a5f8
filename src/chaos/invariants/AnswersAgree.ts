/**
 * Each customer answer agrees with what the services had recorded when it was given: a status read
 * shows only what events published before the answer justify (mypage folds delivered events, and an
 * event is delivered only once published) — "placed" needs OrderPlaced, "cancelling" and "rejected"
 * OrderCancelled, "cancelled" CoffeeCancelled, "made" CoffeeMade — and an order accepted with 201 was
 * not rejected by order before (a PaymentCallFailed note). A service that tells a customer more than
 * it knows breaks it even when every end state is right. Pure; judged only where the history's order
 * is exact.
 */
import { notJudged, orderVerdict } from "./HistoryFacts.js"
import type { InvariantResult, RunTruth } from "./RunTruth.js"

const NAME = "customer answers agree with what was recorded"

/** The event kind that must have been published for mypage to show a status; none for "unknown". */
const justifiedBy: Readonly<Record<string, string | undefined>> = {
  placed: "OrderPlaced",
  cancelling: "OrderCancelled",
  rejected: "OrderCancelled",
  cancelled: "CoffeeCancelled",
  made: "CoffeeMade"
}

export const answersAgree = (truth: RunTruth): InvariantResult => {
  if (truth.exactOrder !== true) return notJudged(NAME, "safety", "the history's order is not exact in this world")
  const published = new Set<string>()
  const rejected = new Set<number>()
  const offenders: Array<number> = []
  for (const e of truth.history) {
    if (e.type === "event") published.add(`${e.kind}:${e.orderId}`)
    else if (e.type === "note" && e.note._tag === "PaymentCallFailed") rejected.add(e.note.orderId)
    else if (e.type === "ok" && e.orderId !== undefined) {
      if (e.op === "place" && rejected.has(e.orderId)) offenders.push(e.orderId)
      if (e.op === "status") {
        const needs = e.detail === undefined ? undefined : justifiedBy[e.detail]
        if (needs !== undefined && !published.has(`${needs}:${e.orderId}`)) offenders.push(e.orderId)
      }
    }
  }
  return orderVerdict(NAME, offenders, "were told what no service had recorded yet", "every answer was backed by what the services had recorded")
}
