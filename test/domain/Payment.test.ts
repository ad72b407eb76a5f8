/**
 * The Payment aggregate: approve (idempotent per order), refund (at most once), void before a charge.
 */
import { Either } from "effect"
import { describe, expect, it } from "vitest"
import { PaymentApproved, PaymentCancelled } from "../../src/domain/Events.js"
import { OrderId } from "../../src/domain/Ids.js"
import { Money } from "../../src/domain/Money.js"
import * as Payment from "../../src/domain/Payment.js"

const id = OrderId.make(5)
const amount = Money.make(2500)
const approve: Payment.PaymentCommand = { _tag: "Approve", amount }
const refund: Payment.PaymentCommand = { _tag: "Refund" }

const ok = (payment: Payment.Payment, command: Payment.PaymentCommand) => Either.getOrThrow(Payment.decide(payment, command))
const approved = () => ok(Payment.none(id), approve).next

describe("Payment.decide", () => {
  it("approving a new payment charges the amount once and publishes PaymentApproved", () => {
    const { events, next } = ok(Payment.none(id), approve)
    expect(next).toMatchObject({ orderId: id, amount, status: "Approved" })
    expect(events).toEqual([new PaymentApproved({ orderId: id, amount })])
  })

  it("approve is idempotent: the same amount again returns the same payment with no new event", () => {
    const payment = approved()
    const again = ok(payment, approve)
    expect(again.next).toBe(payment)
    expect(again.events).toEqual([])
  })

  it("approving an already charged order with a different amount is refused", () => {
    const result = Payment.decide(approved(), { _tag: "Approve", amount: Money.make(99) })
    expect(Either.isLeft(result)).toBe(true)
    expect(Either.flip(result).pipe(Either.getOrThrow)).toMatchObject({
      _tag: "IllegalTransition",
      aggregate: "payment",
      state: "Approved",
      command: "Approve"
    })
  })

  it("refunding an approved payment publishes one PaymentCancelled for the charged amount", () => {
    const { events, next } = ok(approved(), refund)
    expect(next.status).toBe("Refunded")
    expect(events).toEqual([new PaymentCancelled({ orderId: id, amount })])
  })

  it("refund happens once: refunding a refunded payment changes nothing and publishes nothing", () => {
    const refunded = ok(approved(), refund).next
    const again = ok(refunded, refund)
    expect(again.next).toBe(refunded)
    expect(again.events).toEqual([])
  })

  it("a cancellation seen before the charge voids the payment without a refund event", () => {
    const { events, next } = ok(Payment.none(id), refund)
    expect(next.status).toBe("Voided")
    expect(next.amount).toBe(0)
    expect(events).toEqual([])
    expect(ok(next, refund)).toEqual({ next, events: [] })
  })

  it("a voided or refunded payment refuses a later approve (the late charge of a cancelled order)", () => {
    const voided = ok(Payment.none(id), refund).next
    const refunded = ok(approved(), refund).next
    for (const payment of [voided, refunded]) {
      const result = Payment.decide(payment, approve)
      expect(Either.isLeft(result)).toBe(true)
      expect(Either.flip(result).pipe(Either.getOrThrow)).toMatchObject({ state: payment.status, command: "Approve" })
    }
  })
})

describe("Payment.evolve", () => {
  it("replays PaymentApproved then PaymentCancelled to Refunded, ignoring repeats", () => {
    const a = new PaymentApproved({ orderId: id, amount })
    const c = new PaymentCancelled({ orderId: id, amount })
    const state = [a, a, c, c, a].reduce(Payment.evolve, Payment.none(id))
    expect(state).toMatchObject({ status: "Refunded", amount })
    // a refund event without a charge does not invent one
    expect(Payment.evolve(Payment.none(id), c).status).toBe("None")
  })
})
