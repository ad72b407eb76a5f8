/**
 * The Make aggregate: brews only with both facts (in either order), once; cancels only before the brew.
 */
import { Either } from "effect"
import { describe, expect, it } from "vitest"
import { CoffeeCancelled, CoffeeMade } from "../../src/domain/Events.js"
import { OrderId } from "../../src/domain/Ids.js"
import * as Make from "../../src/domain/Make.js"

const id = OrderId.make(9)
type Cmd = Make.MakeCommand["_tag"]

/** Runs commands in order from Waiting; returns the final state and every event published. */
const run = (...commands: ReadonlyArray<Cmd>) => {
  let make = Make.waiting(id)
  const events: Array<Make.MakeEvent> = []
  for (const _tag of commands) {
    const decision = Either.getOrThrow(Make.decide(make, { _tag }))
    make = decision.next
    events.push(...decision.events)
  }
  return { make, events }
}

describe("Make.decide", () => {
  it("one fact alone never brews: PaymentApproved or OrderPlaced only keeps it Waiting", () => {
    for (const only of ["RecordPayment", "RecordOrder"] as const) {
      const { events, make } = run(only, only)
      expect(events).toEqual([])
      expect(make.status).toBe("Waiting")
    }
    expect(run("RecordPayment").make).toMatchObject({ paid: true, placed: false })
    expect(run("RecordOrder").make).toMatchObject({ paid: false, placed: true })
  })

  it("brews exactly once when both facts are known, in either order", () => {
    for (const order of [["RecordPayment", "RecordOrder"], ["RecordOrder", "RecordPayment"]] as const) {
      const { events, make } = run(...order)
      expect(events).toEqual([new CoffeeMade({ orderId: id })])
      expect(make).toMatchObject({ status: "Made", paid: true, placed: true })
    }
  })

  it("repeated facts after the brew publish nothing more (no second coffee)", () => {
    const { events, make } = run("RecordPayment", "RecordOrder", "RecordPayment", "RecordOrder", "RecordPayment")
    expect(events.filter((e) => e._tag === "CoffeeMade")).toHaveLength(1)
    expect(make.status).toBe("Made")
  })

  it("cancel before the brew publishes CoffeeCancelled, and a later fact never brews it", () => {
    const { events, make } = run("RecordPayment", "Cancel", "RecordOrder", "Cancel")
    expect(events).toEqual([new CoffeeCancelled({ orderId: id })])
    expect(make.status).toBe("Cancelled")
  })

  it("cancel with nothing known yet cancels for good", () => {
    const { events, make } = run("Cancel", "RecordOrder", "RecordPayment")
    expect(events).toEqual([new CoffeeCancelled({ orderId: id })])
    expect(make.status).toBe("Cancelled")
  })

  it("cancel after the brew is too late: no event, still Made", () => {
    const { events, make } = run("RecordOrder", "RecordPayment", "Cancel")
    expect(events).toEqual([new CoffeeMade({ orderId: id })])
    expect(make.status).toBe("Made")
  })
})
