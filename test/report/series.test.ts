/**
 * The report's aggregates from a handcrafted history whose answers are known: traffic buckets and
 * percentiles, siege's figures, breaker states and open windows, replicas ready and total, fault
 * windows (skipped faults apart), the ids a broken check names and those orders' timelines.
 */
import { describe, expect, it } from "vitest"
import type { HistoryEntry } from "../../src/chaos/history/History.js"
import { breakerSeries } from "../../src/report/BreakerSeries.js"
import { buildRunReport } from "../../src/report/BuildRunReport.js"
import { faultWindows } from "../../src/report/FaultWindows.js"
import { offendingOrders, orderIdsIn } from "../../src/report/OrderTimelines.js"
import { replicaSeries } from "../../src/report/ReplicaSeries.js"
import { siegeFigures } from "../../src/report/SiegeFigures.js"
import { trafficSeries } from "../../src/report/TrafficSeries.js"

const place = (t: number, type: "ok" | "fail" | "info", latencyMs: number, orderId?: number): HistoryEntry =>
  ({ t, type, process: 0, op: "place", status: type === "ok" ? 201 : 503, latencyMs, ...(orderId === undefined ? {} : { orderId }) })

const breaker = (t: number, from: string, to: string): HistoryEntry =>
  ({ t, type: "note", note: { _tag: "BreakerTransition", pod: "order-0", breaker: "order→payment", from, to, reason: "test" } })

const cluster = (t: number, action: string, pod: string): HistoryEntry => ({ t, type: "cluster", action, pod })

describe("traffic series", () => {
  const history: Array<HistoryEntry> = [
    { t: 0, type: "invoke", process: 0, op: "place" },
    place(100, "ok", 100),
    place(900, "fail", 300),
    place(1500, "ok", 500),
    place(1600, "info", 2000),
    { t: 1700, type: "ok", process: 0, op: "status", status: 200, latencyMs: 1 }
  ]

  it("counts answers per second by completion time and takes percentiles per bucket", () => {
    const s = trafficSeries(history, 3_000)
    expect(s.bucketMs).toBe(1_000)
    expect(s.t).toEqual([0, 1_000, 2_000])
    expect(s.ok).toEqual([1, 1, 0])
    expect(s.fail).toEqual([1, 0, 0])
    expect(s.info).toEqual([0, 1, 0])
    expect(s.p50).toEqual([100, 500, null])
    expect(s.p99).toEqual([300, 2000, null])
  })

  it("keeps the axis to a few hundred buckets however long the run", () => {
    expect(trafficSeries(history, 3_600_000).t.length).toBeLessThanOrEqual(300)
  })

  it("gives siege's figures", () => {
    const f = siegeFigures(history)
    expect(f.transactions).toBe(4)
    expect(f.successful).toBe(2)
    expect(f.failed).toBe(2)
    expect(f.availability).toBe(50)
    expect(f.elapsedSeconds).toBe(1.6)
    expect(f.responseSeconds).toBe(0.725)
    expect(f.transactionRate).toBe(2.5)
    expect(f.concurrency).toBe(1.81)
    expect(f.longestSeconds).toBe(2)
    expect(f.shortestSeconds).toBe(0.1)
  })
})

describe("breaker series", () => {
  it("steps through each state and shades each stretch it stood open", () => {
    const { breakers, openWindows } = breakerSeries([
      breaker(100, "Closed", "Open"),
      breaker(5_100, "Open", "HalfOpen"),
      breaker(5_200, "HalfOpen", "Open"),
      breaker(10_200, "Open", "HalfOpen"),
      breaker(10_300, "HalfOpen", "Closed"),
      breaker(20_000, "Closed", "Open")
    ], 30_000)
    expect(breakers).toHaveLength(1)
    expect(breakers[0]!.openings).toBe(3)
    expect(breakers[0]!.states).toEqual([[0, 0], [100, 2], [5_100, 1], [5_200, 2], [10_200, 1], [10_300, 0], [20_000, 2], [30_000, 2]])
    expect(openWindows.map((w) => [w.startMs, w.endMs])).toEqual([[100, 5_100], [5_200, 10_200], [20_000, 30_000]])
  })
})

describe("replica series", () => {
  it("counts each deployment's ready and existing pods as pods come and go", () => {
    const [order, ...rest] = replicaSeries([
      cluster(0, "create", "order-0"),
      cluster(0, "ready", "order-0"),
      cluster(1_000, "scale", "order"),
      cluster(1_000, "create", "order-1"),
      cluster(3_000, "ready", "order-1"),
      cluster(4_000, "unready", "order-0"),
      cluster(5_000, "terminating", "order-0"),
      cluster(6_000, "terminated", "order-0")
    ], 10_000)
    expect(rest).toEqual([])
    expect(order!.deployment).toBe("order")
    expect(order!.total).toEqual([[0, 1], [1_000, 2], [5_000, 1], [10_000, 1]])
    expect(order!.ready).toEqual([[0, 1], [3_000, 2], [4_000, 1], [10_000, 1]])
  })
})

describe("fault windows", () => {
  it("pairs each start with the next end of the same fault and lists skipped faults apart", () => {
    const { windows, skipped } = faultWindows([
      { t: 1_000, type: "fault", phase: "start", fault: "payment down" },
      { t: 2_000, type: "fault", phase: "start", fault: "broker down" },
      { t: 3_000, type: "fault", phase: "end", fault: "payment down" },
      { t: 4_000, type: "fault", phase: "skipped", fault: "kill make#0" }
    ], 9_000)
    expect(windows).toEqual([
      { label: "payment down", startMs: 1_000, endMs: 3_000 },
      { label: "broker down", startMs: 2_000, endMs: 9_000 }
    ])
    expect(skipped).toEqual([{ t: 4_000, label: "kill make#0" }])
  })
})

describe("offending orders", () => {
  it("reads the ids a checker lists after its last colon", () => {
    expect(orderIdsIn("7 orders were cancelled or rejected yet got coffee: 3, 17, 42, 43, 44 and 2 more")).toEqual([3, 17, 42, 43, 44])
    expect(orderIdsIn("1 orders got coffee without a standing payment: 9")).toEqual([9])
    expect(orderIdsIn("collected 286500 for 286500 of coffee")).toEqual([])
  })

  it("tells each named order's story from the history, and none for a run that passed", () => {
    const history: Array<HistoryEntry> = [
      place(500, "ok", 500, 9),
      { t: 600, type: "event", stream: "payment-events", eventId: "PaymentApproved:9", kind: "PaymentApproved", orderId: 9, pod: "payment-0" },
      { t: 700, type: "event", stream: "order-events", eventId: "OrderPlaced:8", kind: "OrderPlaced", orderId: 8, pod: "order-0" },
      { t: 900, type: "event", stream: "make-events", eventId: "CoffeeMade:9", kind: "CoffeeMade", orderId: 9, pod: "make-0" }
    ]
    const broken = { name: "no coffee for a cancelled order", kind: "safety", ok: false, detail: "1 orders were cancelled or rejected yet got coffee: 9" }
    const [only, ...none] = offendingOrders([broken], history)
    expect(none).toEqual([])
    expect(only!.orderId).toBe(9)
    expect(only!.checks).toEqual(["no coffee for a cancelled order"])
    expect(only!.timeline.map((e) => e.t)).toEqual([500, 600, 900])
    expect(only!.timeline[2]!.what).toBe("CoffeeMade published by make-0 on make-events")
    expect(offendingOrders([{ ...broken, ok: true }], history)).toEqual([])
  })
})

describe("the report model", () => {
  it("puts every series on one axis as long as the run and replays with the run's seed and mutants", () => {
    const report = buildRunReport({
      run: {
        scenario: "s", mode: "sim", seed: 5, ok: true, traceHash: "ab", simulatedMs: 12_345, wallMs: 10,
        mutants: ["make-no-inbox"], invariants: [], metrics: {}
      },
      scenario: { name: "s", description: "d", faults: [] },
      history: [breaker(100, "Closed", "Open")]
    })
    expect(report.series.endMs).toBe(12_345)
    expect(report.series.breakers[0]!.states.at(-1)).toEqual([12_345, 2])
    expect(report.series.backlog).toBeUndefined()
    expect(report.replay).toBe("starcoffee run s --seed 5 --mutant make-no-inbox")
  })
})
