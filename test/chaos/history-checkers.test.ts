/**
 * The order-of-events checkers and schedule properties on hand-made histories: the edges of what
 * they accept and refuse, and when they do not judge at all.
 */
import { describe, expect, it } from "vitest"
import type { HistoryEntry } from "../../src/chaos/history/History.js"
import { answersAgree } from "../../src/chaos/invariants/AnswersAgree.js"
import {
  availabilityProbeNeed,
  availabilityRecovers,
  ordersToSeeAnOutage,
  PROBE_MAX_AFTER,
  tolerance
} from "../../src/chaos/invariants/AvailabilityRecovers.js"
import { coffeeAfterReceipts } from "../../src/chaos/invariants/CoffeeAfterReceipts.js"
import { mypageShowsStatusesTheOrderHad } from "../../src/chaos/invariants/MypageStatuses.js"
import { refundAfterCharge } from "../../src/chaos/invariants/RefundAfterCharge.js"
import { routedOnlyToReady } from "../../src/chaos/invariants/RoutedToReady.js"
import type { OrderTruth, PaymentTruth, RunTruth } from "../../src/chaos/invariants/RunTruth.js"

const truth = (history: ReadonlyArray<HistoryEntry>, more: Partial<RunTruth> = {}): RunTruth => ({
  history,
  orders: [],
  payments: [],
  makes: [],
  mypages: [],
  outboxBacklog: {},
  brokerPending: 0,
  brokerLag: 0,
  deadLetters: 0,
  exactOrder: true,
  ...more
})
const event = (t: number, kind: string, orderId: number): HistoryEntry => ({
  t,
  type: "event",
  stream: "s",
  eventId: `${kind}:${orderId}`,
  kind,
  orderId,
  pod: "x-0"
})
const delivered = (t: number, pod: string, kind: string, orderId: number): HistoryEntry => ({ t, type: "delivered", pod, eventId: `${kind}:${orderId}` })
const status = (t: number, orderId: number, shown: string): HistoryEntry => ({
  t,
  type: "ok",
  process: 0,
  op: "status",
  orderId,
  status: 200,
  latencyMs: 1,
  detail: shown
})
const cluster = (t: number, action: string, pod: string): HistoryEntry => ({ t, type: "cluster", action, pod })
const order = (orderId: number, s: string): OrderTruth => ({ orderId, status: s, price: 1000 })
const payment = (orderId: number, s: string): PaymentTruth => ({ orderId, amount: 1000, status: s, refunds: s === "Refunded" ? 1 : 0 })

describe("each coffee after make received its payment and order", () => {
  it("needs both receipts by a make pod before the CoffeeMade", () => {
    const both = [delivered(1, "make-0", "PaymentApproved", 1), delivered(2, "make-1", "OrderPlaced", 1), event(3, "CoffeeMade", 1)]
    expect(coffeeAfterReceipts(truth(both)).ok).toBe(true)
    const early = [delivered(1, "make-0", "PaymentApproved", 1), event(2, "CoffeeMade", 1), delivered(3, "make-0", "OrderPlaced", 1)]
    expect(coffeeAfterReceipts(truth(early))).toMatchObject({ ok: false, detail: expect.stringMatching(/^1 orders .*: 1$/) })
    const elsewhere = [delivered(1, "mypage-0", "PaymentApproved", 1), delivered(2, "make-0", "OrderPlaced", 1), event(3, "CoffeeMade", 1)]
    expect(coffeeAfterReceipts(truth(elsewhere)).ok).toBe(false)
  })

  it("is not judged where the history's order is not exact", () => {
    expect(coffeeAfterReceipts(truth([event(1, "CoffeeMade", 1)], { exactOrder: false })).detail).toMatch(/^not judged/)
  })
})

describe("each refund after a charge", () => {
  it("accepts a refund published before its charge when payment's record shows it was charged, not a refund of a void", () => {
    const outOfOrder = [event(1, "PaymentCancelled", 1), event(2, "PaymentApproved", 1)]
    expect(refundAfterCharge(truth(outOfOrder, { payments: [payment(1, "Refunded")] })).ok).toBe(true)
    expect(refundAfterCharge(truth([event(1, "PaymentCancelled", 1)], { payments: [payment(1, "Voided")] })).ok).toBe(false)
    expect(refundAfterCharge(truth([event(1, "PaymentApproved", 1), event(2, "PaymentCancelled", 1)])).ok).toBe(true)
  })
})

describe("customer answers agree with what was recorded", () => {
  it("a status needs the event that justifies it published before the answer", () => {
    expect(answersAgree(truth([event(1, "OrderPlaced", 1), status(2, 1, "placed")])).ok).toBe(true)
    expect(answersAgree(truth([status(1, 1, "placed"), event(2, "OrderPlaced", 1)])).ok).toBe(false)
    expect(answersAgree(truth([event(1, "OrderPlaced", 1), status(2, 1, "made")])).ok).toBe(false)
    expect(answersAgree(truth([status(1, 1, "unknown")])).ok).toBe(true)
  })

  it("an order accepted after order rejected it disagrees", () => {
    const rejected: HistoryEntry = { t: 1, type: "note", note: { _tag: "PaymentCallFailed", pod: "order-0", orderId: 1, reason: "timeout" } }
    const accepted: HistoryEntry = { t: 2, type: "ok", process: 0, op: "place", orderId: 1, status: 201, latencyMs: 5 }
    expect(answersAgree(truth([rejected, accepted])).ok).toBe(false)
  })
})

describe("mypage shows only statuses the order had", () => {
  it("judges by the order's own record; a Pending order is not judged", () => {
    const check = (s: string, shown: string, history: ReadonlyArray<HistoryEntry> = []) =>
      mypageShowsStatusesTheOrderHad(truth([...history, status(9, 1, shown)], { orders: [order(1, s)] })).ok
    expect(check("Made", "made")).toBe(true)
    expect(check("Made", "cancelling")).toBe(false)
    expect(check("Made", "cancelling", [event(1, "OrderCancelled", 1)])).toBe(true)
    expect(check("Cancelled", "made")).toBe(false)
    expect(check("Cancelled", "rejected")).toBe(false)
    expect(check("Rejected", "placed")).toBe(false)
    expect(check("Placed", "rejected")).toBe(false)
    expect(check("Placed", "made")).toBe(true)
    expect(check("Pending", "rejected")).toBe(true)
  })
})

describe("requests routed only to ready pods", () => {
  it("a request in the millisecond its pod stopped being ready is fine, one later is not", () => {
    const life = [cluster(0, "create", "order-1"), cluster(0, "ready", "order-1"), cluster(50, "unready", "order-1")]
    expect(routedOnlyToReady(truth([...life, { t: 50, type: "route", pod: "order-1" }])).ok).toBe(true)
    const late = routedOnlyToReady(truth([...life, { t: 51, type: "route", pod: "order-1" }]))
    expect(late).toMatchObject({ ok: false, detail: expect.stringContaining("order-1 at 51 ms (not ready since 50 ms)") })
    const early = routedOnlyToReady(truth([cluster(0, "create", "order-2"), { t: 3, type: "route", pod: "order-2" }]))
    expect(early).toMatchObject({ ok: false, detail: expect.stringContaining("never ready yet") })
  })

  it("does not count a send held back by a handler delay in force: the pod was picked while ready", () => {
    const life = [cluster(0, "create", "order-1"), cluster(0, "ready", "order-1"), cluster(50, "unready", "order-1")]
    const delay = (t: number, phase: "start" | "end"): HistoryEntry => ({
      t,
      type: "fault",
      phase,
      fault: "handlers of gateway delayed 0–300 ms per step",
      target: "gateway"
    })
    const held = [...life, delay(10, "start"), { t: 340, type: "route", pod: "order-1" } as const, delay(400, "end")]
    expect(routedOnlyToReady(truth(held)).ok).toBe(true)
    const tooLate = [...life, delay(10, "start"), { t: 351, type: "route", pod: "order-1" } as const]
    expect(routedOnlyToReady(truth(tooLate)).ok).toBe(false)
    const healed = [...life, delay(10, "start"), delay(20, "end"), { t: 340, type: "route", pod: "order-1" } as const]
    expect(routedOnlyToReady(truth(healed)).ok).toBe(false)
    const endedJustBefore = [...life, delay(10, "start"), delay(45, "end"), { t: 340, type: "route", pod: "order-1" } as const]
    expect(routedOnlyToReady(truth(endedJustBefore)).ok).toBe(true)
  })

  it("excuses only a delay on one of the pod's callers, in force while the pod was still ready", () => {
    const life = (pod: string) => [cluster(0, "create", pod), cluster(0, "ready", pod), cluster(50, "unready", pod)]
    const delayOn = (service: string, t: number): HistoryEntry => ({
      t,
      type: "fault",
      phase: "start",
      fault: `handlers of ${service} delayed 0–300 ms per step`,
      target: service
    })
    const route = (t: number, pod: string) => ({ t, type: "route", pod }) as const
    // mypage's handlers do not send to order: their delay holds nothing back.
    expect(routedOnlyToReady(truth([...life("order-1"), delayOn("mypage", 10), route(100, "order-1")])).ok).toBe(false)
    // order calls payment: its delay can hold a call to a payment pod, not one to an order pod.
    expect(routedOnlyToReady(truth([...life("payment-1"), delayOn("order", 10), route(100, "payment-1")])).ok).toBe(true)
    expect(routedOnlyToReady(truth([...life("order-1"), delayOn("order", 10), route(100, "order-1")])).ok).toBe(false)
    // A delay that began after the pod left readiness cannot have held a pick made while it was ready.
    expect(routedOnlyToReady(truth([...life("order-1"), delayOn("gateway", 60), route(100, "order-1")])).ok).toBe(false)
  })

  it("is not judged without recorded routing", () => {
    expect(routedOnlyToReady(truth([cluster(0, "create", "order-1")])).detail).toMatch(/^not judged/)
  })
})

describe("availability recovers after faults heal", () => {
  const place = (invokedAt: number, ok: boolean): HistoryEntry =>
    ok
      ? { t: invokedAt + 5, type: "ok", process: 0, op: "place", orderId: invokedAt, status: 201, latencyMs: 5 }
      : { t: invokedAt + 5, type: "fail", process: 0, op: "place", status: 503, latencyMs: 5 }
  const fault = (t: number, phase: "start" | "end"): HistoryEntry => ({ t, type: "fault", phase, fault: "x" })
  const base = [cluster(0, "create", "order-0"), cluster(0, "ready", "order-0")]
  const before = Array.from({ length: 10 }, (_, i) => place(i * 100, true))
  const after = (n: number, ok: (i: number) => boolean) => Array.from({ length: n }, (_, i) => place(30_000 + i * 10, ok(i)))
  const healed = [...base, ...before, fault(2_000, "start"), fault(5_000, "end")]
  const verdict = (orders: ReadonlyArray<HistoryEntry>) => availabilityRecovers(truth([...healed, ...orders]))

  it("compares the orders placed once the cluster and the services had time to recover with those before the first fault", () => {
    expect(verdict(after(20, () => true)).ok).toBe(true)
    expect(verdict(after(20, () => false))).toMatchObject({ ok: false, detail: expect.stringContaining("0.00 of 20 orders accepted") })
    expect(verdict(after(400, (i) => i % 100 >= 8)).ok).toBe(true) // 0.92: within 0.1 of 1.00
    expect(verdict(after(400, (i) => i % 100 >= 15)).ok).toBe(false) // 0.85
  })

  it("allows more slack over fewer orders: 2/√n, at least 0.1", () => {
    expect(tolerance(400)).toBe(0.1)
    expect(tolerance(16)).toBe(0.5)
    expect(verdict(after(16, (i) => i >= 7)).ok).toBe(true) // 0.56 ≥ 1.00 − 0.5
    expect(verdict(after(16, (i) => i >= 9)).ok).toBe(false) // 0.44
  })

  it("waits for every service to have a ready pod again before the bound starts", () => {
    const down = [...base, ...before, fault(2_000, "start"), cluster(2_000, "unready", "order-0"), fault(3_000, "end")]
    const backLate = [cluster(28_000, "ready", "order-0"), ...after(20, () => false)] // orders 30.0–30.2 s; judged from 33 s
    expect(availabilityRecovers(truth([...down, ...backLate])).detail).toMatch(/^not judged: too few orders/)
  })

  it("waits for a rollout begun at the instant the faults healed to complete", () => {
    const rolling = [...base, ...before, cluster(2_000, "rollout", "order"), fault(2_000, "start"), fault(2_000, "end")]
    const done = [cluster(26_000, "rollout-complete", "order"), ...after(20, () => false)] // judged from 31 s: none
    expect(availabilityRecovers(truth([...rolling, ...done])).detail).toMatch(/^not judged: too few orders/)
    expect(availabilityRecovers(truth([...rolling, cluster(4_000, "rollout-complete", "order"), ...after(20, () => false)])).ok).toBe(false)
  })

  it("counts a pod readied without a readiness probe as ready only once its app can have started", () => {
    // A roll without readiness at 2 s: the new pod is Ready at 20 s, its app up some seconds later;
    // orders from 30 s on failed meanwhile. Ready at 20 s would judge them (from 20 + 5 s): a false alarm.
    const roll = [...base, ...before, fault(2_000, "start"), fault(2_000, "end"), cluster(2_000, "rollout", "order")]
    const unprobed: HistoryEntry = { t: 20_000, type: "cluster", action: "ready", pod: "order-1", detail: "container running (no readiness probe)" }
    const newPod = [cluster(2_000, "create", "order-1"), unprobed, cluster(20_000, "terminating", "order-0"), cluster(20_000, "rollout-complete", "order")]
    const verdictOf = (orders: ReadonlyArray<HistoryEntry>) => availabilityRecovers(truth([...roll, ...newPod, ...orders]))
    expect(verdictOf(after(20, () => false)).detail).toMatch(/^not judged: too few orders/)
    const later = Array.from({ length: 20 }, (_, i) => place(40_000 + i * 10, false))
    expect(verdictOf(later)).toMatchObject({ ok: false, detail: expect.stringContaining("cluster recovered at 30000 ms") })
  })

  it("is not judged without faults", () => {
    expect(availabilityRecovers(truth([...base, ...before])).detail).toMatch(/^not judged/)
  })

  it("asks the probe for orders until a service still down would show against the fault-free level", () => {
    expect([1, 0.63, 0.5, 0.1].map(ordersToSeeAnOutage)).toEqual([10, 11, 17, PROBE_MAX_AFTER])
    // Fault-free: 5 of 8 accepted (0.63). Ten orders, none accepted, still pass (0.63 − 2/√10 < 0):
    // the probe wants an eleventh, which would fail them.
    const mixed = [...base, ...Array.from({ length: 8 }, (_, i) => place(i * 100, i < 5)), fault(2_000, "start"), fault(5_000, "end")]
    const history = (n: number) => [...mixed, ...after(n, () => false)]
    expect(availabilityRecovers(truth(history(10))).ok).toBe(true)
    expect(availabilityProbeNeed(history(10))).toEqual({ countsFrom: 10_000, missing: 1 })
    expect(availabilityRecovers(truth(history(11))).ok).toBe(false)
    expect(availabilityProbeNeed(history(11))).toBeUndefined()
    // Before the verdict: from when orders count, and how many are missing; nothing once it fails.
    expect(availabilityProbeNeed(history(3))).toEqual({ countsFrom: 10_000, missing: 7 })
    expect(availabilityProbeNeed([...healed, ...after(20, () => true)])).toBeUndefined()
  })
})
