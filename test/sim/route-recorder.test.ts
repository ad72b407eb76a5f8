/**
 * RouteRecorder: the first request a pod gets in each readiness state is recorded, and every request
 * to a pod that is not ready (a checker may excuse one as a stale pick and must still see the next).
 */
import { Effect } from "effect"
import { describe, expect, it } from "vitest"
import { History } from "../../src/chaos/history/History.js"
import type { Endpoint } from "../../src/sim/network/Endpoint.js"
import { type Readiness, recordingResolver } from "../../src/sim/world/RouteRecorder.js"

describe("RouteRecorder", () => {
  it("records one route per ready state, and every route to a pod that is not ready", () => {
    const history = new History()
    const endpoint = { address: "order-0", service: "order", serve: () => Effect.die("unused") } as unknown as Endpoint
    let readiness: Readiness = { ready: true, since: 0 }
    let now = 0
    const resolve = recordingResolver(() => endpoint, history, () => readiness, () => now)
    const send = (t: number) => {
      now = t
      resolve("order-0")
    }
    send(1)
    send(2)
    readiness = { ready: false, since: 3 }
    send(4)
    send(5)
    readiness = { ready: true, since: 6 }
    send(7)
    send(8)
    expect(history.entries.filter((e) => e.type === "route").map((e) => e.t)).toEqual([1, 4, 5, 7])
  })
})
