/**
 * The mypage projection: a commutative, idempotent fold — any order of delivery, with duplicates, of
 * the same set of events gives the same view — and the statuses a customer sees.
 */
import * as fc from "fast-check"
import { describe, expect, it } from "vitest"
import {
  CoffeeCancelled,
  CoffeeMade,
  type DomainEvent,
  OrderCancelled,
  OrderPlaced,
  PaymentApproved,
  PaymentCancelled
} from "../../src/domain/Events.js"
import { MenuId, OrderId } from "../../src/domain/Ids.js"
import { Money } from "../../src/domain/Money.js"
import { emptyFacts, foldFacts, project, statusOf } from "../../src/domain/MypageProjection.js"

const id = OrderId.make(42)
const other = OrderId.make(43)

const eventsAbout = (orderId: OrderId): ReadonlyArray<DomainEvent> => [
  new OrderPlaced({ orderId, menuId: MenuId.make(1), price: Money.make(3000) }),
  new OrderCancelled({ orderId, reason: "customer" }),
  new OrderCancelled({ orderId, reason: "payment-failed" }),
  new PaymentApproved({ orderId, amount: Money.make(3000) }),
  new PaymentCancelled({ orderId, amount: Money.make(3000) }),
  new CoffeeMade({ orderId }),
  new CoffeeCancelled({ orderId })
]
const mine = eventsAbout(id)
const [placed, cancelByCustomer, paymentFailed, paid, refunded, made, coffeeCancelled] = mine as [
  DomainEvent,
  DomainEvent,
  DomainEvent,
  DomainEvent,
  DomainEvent,
  DomainEvent,
  DomainEvent
]

/** A delivery of `base`: every event at least once, some repeated, in a random order. */
const delivery = (base: ReadonlyArray<DomainEvent>) =>
  (base.length === 0 ? fc.constant<Array<DomainEvent>>([]) : fc.array(fc.constantFrom(...base), { maxLength: 6 }))
    .chain((dups) => {
      const all = [...base, ...dups]
      return fc.shuffledSubarray(all, { minLength: all.length, maxLength: all.length })
    })

describe("MypageProjection", () => {
  it("gives the same view for every permutation (with duplicates) of the same set of events", () => {
    fc.assert(
      fc.property(
        fc.subarray([...mine, ...eventsAbout(other)]).chain((base) => fc.tuple(fc.constant(base), delivery(base), delivery(base))),
        ([base, first, second]) => {
          const reference = project(id, base)
          expect(project(id, first)).toEqual(reference)
          expect(project(id, second)).toEqual(reference)
        }
      ),
      { numRuns: 300, seed: 20240601 }
    )
  })

  it("foldFacts is idempotent and commutative for every pair of events", () => {
    for (const a of mine) {
      expect(foldFacts(foldFacts(emptyFacts, a), a)).toEqual(foldFacts(emptyFacts, a))
      for (const b of mine) {
        expect(foldFacts(foldFacts(emptyFacts, a), b)).toEqual(foldFacts(foldFacts(emptyFacts, b), a))
      }
    }
  })

  it("shows the saga's statuses as designed", () => {
    const status = (...events: ReadonlyArray<DomainEvent>) => project(id, events).status
    expect(status()).toBe("unknown")
    expect(status(paid)).toBe("unknown")
    expect(status(placed)).toBe("placed")
    expect(status(placed, paid)).toBe("placed")
    expect(status(placed, paid, made)).toBe("made")
    expect(status(placed, cancelByCustomer)).toBe("cancelling")
    expect(status(placed, cancelByCustomer, coffeeCancelled, refunded)).toBe("cancelled")
    expect(status(paid, paymentFailed, refunded)).toBe("rejected")
    // make's pivot wins over a cancel that lost the race
    expect(status(placed, cancelByCustomer, made)).toBe("made")
  })

  it("records the facts and price it saw, and ignores other orders' events", () => {
    const view = project(id, [...eventsAbout(other), placed, paid])
    expect(view).toMatchObject({
      orderId: id,
      status: "placed",
      price: 3000,
      placed: true,
      paid: true,
      refunded: false,
      made: false,
      cancelRequested: false,
      paymentFailed: false,
      coffeeCancelled: false
    })
    expect(project(id, eventsAbout(other))).toMatchObject({ status: "unknown", price: null, placed: false })
  })

  it("statusOf gives made precedence over every other fact", () => {
    const all = mine.reduce(foldFacts, emptyFacts)
    expect(statusOf(all)).toBe("made")
    expect(statusOf({ ...all, made: false })).toBe("rejected")
    expect(statusOf({ ...all, made: false, paymentFailed: false })).toBe("cancelled")
  })
})
