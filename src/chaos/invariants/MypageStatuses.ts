/**
 * mypage never shows a status the order never had: each status a customer read must be one the
 * order held at some point of the run, judged against the order service's own record of it. A
 * settled order has a known life (Made: placed, made, and cancelling if its customer asked to cancel;
 * Cancelled: placed, cancelling, cancelled; Rejected: rejected only); an order still Placed or
 * CancelRequested may yet be made or cancelled, but was never rejected. A Pending order is not
 * judged. Pure; needs no exact order, so it holds in any world.
 */
import { orderVerdict } from "./HistoryFacts.js"
import type { InvariantResult, RunTruth } from "./RunTruth.js"

/** Statuses an order in this state has had or may still get ("unknown" is always possible). */
const possible = (state: string, cancelRequested: boolean): ReadonlySet<string> | undefined => {
  switch (state) {
    case "Placed":
    case "CancelRequested":
      return new Set(["unknown", "placed", "cancelling", "made", "cancelled"])
    case "Made":
      return new Set(cancelRequested ? ["unknown", "placed", "cancelling", "made"] : ["unknown", "placed", "made"])
    case "Cancelled":
      return new Set(["unknown", "placed", "cancelling", "cancelled"])
    case "Rejected":
      return new Set(["unknown", "rejected"])
    default:
      return undefined
  }
}

export const mypageShowsStatusesTheOrderHad = (truth: RunTruth): InvariantResult => {
  const state = new Map(truth.orders.map((o) => [o.orderId, o.status]))
  const cancelRequested = new Set<number>()
  for (const e of truth.history) if (e.type === "event" && e.kind === "OrderCancelled") cancelRequested.add(e.orderId)
  const offenders: Array<number> = []
  for (const e of truth.history) {
    if (e.type !== "ok" || e.op !== "status" || e.orderId === undefined || e.detail === undefined) continue
    const s = state.get(e.orderId)
    const allowed = s === undefined ? undefined : possible(s, cancelRequested.has(e.orderId))
    if (allowed !== undefined && !allowed.has(e.detail)) offenders.push(e.orderId)
  }
  return orderVerdict(
    "mypage shows only statuses the order had",
    offenders,
    "were shown a status they never had",
    "every status shown was one the order had"
  )
}
