/**
 * Safety invariants of the saga: things that must never happen, whatever the faults.
 */
import { type InvariantResult, type RunTruth, sampleIds, type TruthIndex } from "./RunTruth.js"


const verdict = (name: string, offenders: ReadonlyArray<number>, what: string, fine: string): InvariantResult => ({
  name,
  kind: "safety",
  ok: offenders.length === 0,
  detail: offenders.length === 0 ? fine : `${offenders.length} orders ${what}: ${sampleIds(offenders)}`
})

/** No coffee without an approved, unrefunded payment (NFR1, FR3). */
export const noCoffeeWithoutPayment = (truth: RunTruth, index: TruthIndex): InvariantResult => {
  const payments = new Map(truth.payments.map((p) => [p.orderId, p]))
  const offenders: Array<number> = []
  for (const [orderId, kinds] of index.eventsByOrder) {
    if (!kinds.has("CoffeeMade")) continue
    const payment = payments.get(orderId)
    if (!kinds.has("PaymentApproved") || payment === undefined || payment.status !== "Approved") offenders.push(orderId)
  }
  return verdict("no coffee without payment", offenders, "got coffee without a standing payment", "every coffee was paid for")
}

/** No coffee for a cancelled or rejected order, nor for one whose customer was told it failed (FR4). */
export const noCoffeeForCancelledOrder = (truth: RunTruth, index: TruthIndex): InvariantResult => {
  const status = new Map(truth.orders.map((o) => [o.orderId, o.status]))
  const offenders: Array<number> = []
  for (const [orderId, kinds] of index.eventsByOrder) {
    if (!kinds.has("CoffeeMade")) continue
    const s = status.get(orderId)
    if (kinds.has("CoffeeCancelled") || s === "Cancelled" || s === "Rejected" || index.toldFailed.has(orderId)) {
      offenders.push(orderId)
    }
  }
  return verdict("no coffee for a cancelled order", offenders, "were cancelled or rejected yet got coffee", "no cancelled order got coffee")
}

/** At most one coffee and one charge per order; refunds never exceed charges. */
export const atMostOnce = (truth: RunTruth): InvariantResult => {
  const offenders = new Set<number>()
  for (const m of truth.makes) if (m.brews > 1) offenders.add(m.orderId)
  for (const p of truth.payments) if (p.refunds > 1 || (p.refunds > 0 && p.status === "Voided")) offenders.add(p.orderId)
  return verdict(
    "at most one charge, one coffee and one refund per order",
    [...offenders].sort((a, b) => a - b),
    "were brewed or refunded more than once",
    "no order was brewed or refunded twice"
  )
}

/** Every order a customer was told was accepted exists and was not rejected afterwards. */
export const noAcceptedOrderLost = (truth: RunTruth, index: TruthIndex): InvariantResult => {
  const status = new Map(truth.orders.map((o) => [o.orderId, o.status]))
  const offenders = [...index.accepted].filter((id) => {
    const s = status.get(id)
    return s === undefined || s === "Rejected" || s === "Pending"
  }).sort((a, b) => a - b)
  return verdict("no accepted order lost", offenders, "were accepted, then lost or rejected", `all ${index.accepted.size} accepted orders are kept`)
}

/**
 * Money is conserved: the net charge of each finished order is its price if made, else nothing (an
 * order still in flight may hold its charge), and no charge exists for an order the order service
 * does not know. Holds at any moment, so it is judged even when the run did not converge.
 */
export const moneyConserved = (truth: RunTruth): InvariantResult => {
  const payments = new Map(truth.payments.map((p) => [p.orderId, p]))
  const known = new Set(truth.orders.map((o) => o.orderId))
  const offenders: Array<number> = []
  let collected = 0
  let owed = 0
  for (const order of truth.orders) {
    const p = payments.get(order.orderId)
    const net = p === undefined ? 0 : p.status === "Approved" ? p.amount : 0
    const finished = order.status === "Made" || order.status === "Cancelled" || order.status === "Rejected"
    if (!finished) continue
    collected += net
    if (order.status === "Made") owed += order.price
    if (net !== (order.status === "Made" ? order.price : 0)) offenders.push(order.orderId)
  }
  for (const p of truth.payments) if (p.status === "Approved" && !known.has(p.orderId)) offenders.push(p.orderId)
  return verdict(
    "money conserved",
    offenders,
    "were charged the wrong net amount",
    `collected ${collected} for ${owed} of coffee over the finished orders`
  )
}

export const safetyInvariants = [
  noCoffeeWithoutPayment,
  noCoffeeForCancelledOrder,
  atMostOnce,
  noAcceptedOrderLost,
  moneyConserved
] as const
