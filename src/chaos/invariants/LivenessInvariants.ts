/**
 * Liveness invariants, checked after every fault has healed and the system was given time to
 * converge: accepted orders finish, mypage agrees with the services, and nothing is left in flight.
 */
import { type InvariantResult, type RunTruth, sampleIds, type TruthIndex } from "./RunTruth.js"


/** Every accepted order reaches a terminal state (Made or Cancelled). */
export const acceptedOrdersTerminate = (truth: RunTruth, index: TruthIndex): InvariantResult => {
  const status = new Map(truth.orders.map((o) => [o.orderId, o.status]))
  const stuck = [...index.accepted].filter((id) => {
    const s = status.get(id)
    return s !== "Made" && s !== "Cancelled"
  }).sort((a, b) => a - b)
  return {
    name: "every accepted order terminates",
    kind: "liveness",
    ok: stuck.length === 0,
    detail: stuck.length === 0
      ? `${index.accepted.size} accepted orders all made or cancelled`
      : `${stuck.length} accepted orders never finished: ${sampleIds(stuck)}`
  }
}

/**
 * Every order the order service ever wrote settles — Made, Cancelled or Rejected — including orders
 * whose customer never got an answer (a pod died mid-call: the sweeper must reject them, and payment
 * refund any charge). Without it a run could end "converged" with a charge still standing.
 */
export const allOrdersSettle = (truth: RunTruth): InvariantResult => {
  const unsettled = truth.orders
    .filter((o) => o.status !== "Made" && o.status !== "Cancelled" && o.status !== "Rejected")
    .map((o) => o.orderId)
  return {
    name: "every order settles",
    kind: "liveness",
    ok: unsettled.length === 0,
    detail: unsettled.length === 0
      ? `all ${truth.orders.length} orders made, cancelled or rejected`
      : `${unsettled.length} orders still in flight: ${sampleIds(unsettled)}`
  }
}

const expectedView: Record<string, string> = { Made: "made", Cancelled: "cancelled", Rejected: "rejected" }

/** mypage's view of every finished order matches the order service's own state. */
export const mypageConverges = (truth: RunTruth): InvariantResult => {
  const views = new Map(truth.mypages.map((v) => [v.orderId, v.status]))
  const wrong: Array<number> = []
  for (const order of truth.orders) {
    const expected = expectedView[order.status]
    if (expected === undefined) continue
    if (views.get(order.orderId) !== expected) wrong.push(order.orderId)
  }
  return {
    name: "mypage converges",
    kind: "liveness",
    ok: wrong.length === 0,
    detail: wrong.length === 0 ? "mypage agrees with the order service" : `${wrong.length} views disagree: ${sampleIds(wrong)}`
  }
}

/** Outboxes are empty and the broker has nothing pending or undelivered. */
export const messagesDrain = (truth: RunTruth): InvariantResult => {
  const backlog = Object.entries(truth.outboxBacklog).filter(([, n]) => n > 0)
  const ok = backlog.length === 0 && truth.brokerPending === 0 && truth.brokerLag === 0
  return {
    name: "outboxes and pending messages drain",
    kind: "liveness",
    ok,
    detail: ok
      ? "no outbox rows, pending or undelivered messages left"
      : [
        ...backlog.map(([s, n]) => `${s} outbox ${n}`),
        truth.brokerPending > 0 ? `${truth.brokerPending} pending` : "",
        truth.brokerLag > 0 ? `${truth.brokerLag} undelivered` : ""
      ].filter(Boolean).join(", ")
  }
}

export const livenessInvariants = [acceptedOrdersTerminate, allOrdersSettle, mypageConverges, messagesDrain] as const
