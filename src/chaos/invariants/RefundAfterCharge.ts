/**
 * Each refund is preceded by a charge: every PaymentCancelled of an order follows a PaymentApproved
 * of it in the history, or payment's own record shows the order Refunded (a state reached only from
 * Approved: the charge was committed first, its event merely published later — a relay's hand-off or
 * a broker outage may publish one service's events out of commit order). A refund announced for money
 * never taken breaks it even when every count in the databases is right. Pure.
 */
import { orderVerdict } from "./HistoryFacts.js"
import type { InvariantResult, RunTruth } from "./RunTruth.js"

export const refundAfterCharge = (truth: RunTruth): InvariantResult => {
  const recordedRefunded = new Set(truth.payments.filter((p) => p.status === "Refunded").map((p) => p.orderId))
  const charged = new Set<number>()
  const offenders: Array<number> = []
  for (const e of truth.history) {
    if (e.type !== "event") continue
    if (e.kind === "PaymentApproved") charged.add(e.orderId)
    else if (e.kind === "PaymentCancelled" && !charged.has(e.orderId) && !recordedRefunded.has(e.orderId)) {
      offenders.push(e.orderId)
    }
  }
  return orderVerdict(
    "each refund after a charge",
    offenders,
    "were refunded without having been charged",
    "every refund followed a charge"
  )
}
