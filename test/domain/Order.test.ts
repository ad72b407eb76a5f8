/**
 * The Order aggregate: every transition of decide/evolve and every refusal.
 */
import { Either } from "effect"
import { describe, expect, it } from "vitest"
import { IllegalTransition } from "../../src/domain/DomainError.js"
import { CoffeeCancelled, CoffeeMade, OrderCancelled, OrderPlaced } from "../../src/domain/Events.js"
import { MenuId, OrderId } from "../../src/domain/Ids.js"
import { Money } from "../../src/domain/Money.js"
import * as Order from "../../src/domain/Order.js"

const id = OrderId.make(17)
const fresh = () => Order.pending(id, MenuId.make(3), Money.make(1500))
const inState = (status: Order.OrderStatus) => new Order.Order({ ...fresh(), status })

/** Applies a command and its events: the new state, or the refusal. */
const step = (order: Order.Order, command: Order.OrderCommand) =>
  Either.map(Order.decide(order, command), (events) => ({ events, next: events.reduce(Order.evolve, order) }))

const refusal = (order: Order.Order, command: Order.OrderCommand): IllegalTransition => {
  const result = Order.decide(order, command)
  if (Either.isRight(result)) throw new Error(`expected ${command._tag} to be refused in ${order.status}`)
  return result.left
}

const allStatuses: ReadonlyArray<Order.OrderStatus> = ["Pending", "Placed", "CancelRequested", "Made", "Cancelled", "Rejected"]

describe("Order.decide", () => {
  it("ConfirmPayment on a Pending order publishes OrderPlaced and moves it to Placed", () => {
    const result = Either.getOrThrow(step(fresh(), { _tag: "ConfirmPayment" }))
    expect(result.events).toEqual([new OrderPlaced({ orderId: id, menuId: MenuId.make(3), price: Money.make(1500) })])
    expect(result.next.status).toBe("Placed")
  })

  it("RejectPayment on a Pending order publishes OrderCancelled(payment-failed) and moves it to Rejected", () => {
    const result = Either.getOrThrow(step(fresh(), { _tag: "RejectPayment" }))
    expect(result.events).toEqual([new OrderCancelled({ orderId: id, reason: "payment-failed" })])
    expect(result.next.status).toBe("Rejected")
  })

  it("ConfirmPayment and RejectPayment are refused in every state but Pending", () => {
    for (const status of allStatuses.filter((s) => s !== "Pending")) {
      for (const _tag of ["ConfirmPayment", "RejectPayment"] as const) {
        const error = refusal(inState(status), { _tag })
        expect(error).toBeInstanceOf(IllegalTransition)
        expect(error).toMatchObject({ aggregate: "order", state: status, command: _tag })
      }
    }
  })

  it("Cancel on a Placed order publishes OrderCancelled(customer) and moves it to CancelRequested", () => {
    const result = Either.getOrThrow(step(inState("Placed"), { _tag: "Cancel" }))
    expect(result.events).toEqual([new OrderCancelled({ orderId: id, reason: "customer" })])
    expect(result.next.status).toBe("CancelRequested")
  })

  it("Cancel while the cancellation is under way is idempotent: no events, no change", () => {
    const order = inState("CancelRequested")
    const result = Either.getOrThrow(step(order, { _tag: "Cancel" }))
    expect(result.events).toEqual([])
    expect(result.next).toBe(order)
  })

  it("Cancel after the coffee is made is an IllegalTransition (the saga's pivot)", () => {
    const error = refusal(inState("Made"), { _tag: "Cancel" })
    expect(error._tag).toBe("IllegalTransition")
    expect(error).toMatchObject({ aggregate: "order", state: "Made", command: "Cancel" })
    expect(error.message).toContain("already made")
  })

  it("Cancel of a Pending, Cancelled or Rejected order is refused", () => {
    for (const status of ["Pending", "Cancelled", "Rejected"] as const) {
      expect(refusal(inState(status), { _tag: "Cancel" })).toMatchObject({ state: status, command: "Cancel" })
    }
  })
})

describe("Order.evolve", () => {
  it("CoffeeMade finishes a Placed or CancelRequested order as Made (make brewed before the cancel)", () => {
    expect(Order.evolve(inState("Placed"), new CoffeeMade({ orderId: id })).status).toBe("Made")
    expect(Order.evolve(inState("CancelRequested"), new CoffeeMade({ orderId: id })).status).toBe("Made")
  })

  it("CoffeeCancelled finishes a Placed or CancelRequested order as Cancelled", () => {
    expect(Order.evolve(inState("Placed"), new CoffeeCancelled({ orderId: id })).status).toBe("Cancelled")
    expect(Order.evolve(inState("CancelRequested"), new CoffeeCancelled({ orderId: id })).status).toBe("Cancelled")
  })

  it("nothing moves an order out of a terminal state, and inapplicable events leave it unchanged", () => {
    const events = [
      new OrderPlaced({ orderId: id, menuId: MenuId.make(3), price: Money.make(1500) }),
      new OrderCancelled({ orderId: id, reason: "customer" }),
      new OrderCancelled({ orderId: id, reason: "payment-failed" }),
      new CoffeeMade({ orderId: id }),
      new CoffeeCancelled({ orderId: id })
    ]
    for (const status of ["Made", "Cancelled", "Rejected"] as const) {
      expect(Order.isTerminal(status)).toBe(true)
      const order = inState(status)
      for (const event of events) expect(Order.evolve(order, event)).toBe(order)
    }
    // make's outcome before the order was even placed changes nothing
    expect(Order.evolve(fresh(), new CoffeeMade({ orderId: id })).status).toBe("Pending")
    // payment-failed does not reject an order that was placed
    expect(Order.evolve(inState("Placed"), events[2]!).status).toBe("Placed")
  })

  it("wasAccepted holds exactly for orders the customer was told were accepted", () => {
    expect(allStatuses.filter(Order.wasAccepted)).toEqual(["Placed", "CancelRequested", "Made", "Cancelled"])
    expect(allStatuses.filter(Order.isTerminal)).toEqual(["Made", "Cancelled", "Rejected"])
  })
})
