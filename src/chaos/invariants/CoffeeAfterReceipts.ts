/**
 * Each CoffeeMade follows make's own receipt of that order's PaymentApproved and OrderPlaced: a
 * `delivered` entry of each to a make pod comes before the CoffeeMade in the history. A make that
 * brews on what it has not seen (e.g. on the payment alone) breaks it even when the end state turns
 * out right. Pure; judged only where the history's order is exact and deliveries are recorded.
 */
import { notJudged, orderVerdict, parseEventId, serviceOf } from "./HistoryFacts.js"
import type { InvariantResult, RunTruth } from "./RunTruth.js"

const NAME = "each coffee after make received its payment and order"

export const coffeeAfterReceipts = (truth: RunTruth): InvariantResult => {
  if (truth.exactOrder !== true) return notJudged(NAME, "safety", "the history's order is not exact in this world")
  const paid = new Set<number>()
  const placed = new Set<number>()
  const offenders: Array<number> = []
  let deliveries = 0
  for (const e of truth.history) {
    if (e.type === "delivered") {
      if (serviceOf(e.pod) !== "make") continue
      deliveries++
      const id = parseEventId(e.eventId)
      if (id?.kind === "PaymentApproved") paid.add(id.orderId)
      else if (id?.kind === "OrderPlaced") placed.add(id.orderId)
    } else if (e.type === "event" && e.kind === "CoffeeMade" && !(paid.has(e.orderId) && placed.has(e.orderId))) {
      offenders.push(e.orderId)
    }
  }
  if (deliveries === 0 && offenders.length > 0) return notJudged(NAME, "safety", "no delivery to make was recorded")
  return orderVerdict(
    NAME,
    offenders,
    "got coffee before make had received both their payment and their order",
    "every coffee was made after make received its payment and its order"
  )
}
