/**
 * The SIGKILL soak (issue #8, item 8): under a siege, order and make replicas are killed with SIGKILL
 * at least 100 times, each while serving; afterwards the checkers find no accepted order lost, none
 * made, charged or refunded twice, and the outboxes and the consumer groups' pending entries drained.
 */
import { Effect } from "effect"
import { describe, expect, it } from "vitest"
import { runSoak } from "../../src/live/Soak.js"

describe("SIGKILL soak", () => {
  it("100 kills of order and make under load: nothing lost, nothing twice, everything drained", async () => {
    const started = Date.now()
    const result = await Effect.runPromise(runSoak({ kills: 100 }))
    const byName = Object.fromEntries(result.invariants.map((i) => [i.name, i]))
    console.log(
      `soak: ${result.kills} SIGKILLs (order ${result.killsByService.order}, make ${result.killsByService.make}), ` +
        `${result.metrics.ordersAccepted} orders accepted of ${result.metrics.transactions}, ${result.orders} written, ` +
        `${Math.round((Date.now() - started) / 1000)} s wall; ` +
        result.invariants.map((i) => `${i.ok ? "ok" : "BROKEN"} ${i.name}: ${i.detail}`).join("; ")
    )
    expect(result.kills).toBeGreaterThanOrEqual(100)
    expect(result.killsByService.order).toBeGreaterThanOrEqual(50)
    expect(result.killsByService.make).toBeGreaterThanOrEqual(50)
    expect(result.metrics.ordersAccepted).toBeGreaterThan(0)
    expect(byName["no accepted order lost"]).toMatchObject({ ok: true })
    expect(byName["at most one charge, one coffee and one refund per order"]).toMatchObject({ ok: true })
    expect(byName["outboxes and pending messages drain"]).toMatchObject({ ok: true })
    expect(result.invariants.filter((i) => !i.ok)).toEqual([])
  }, 600_000)
})
