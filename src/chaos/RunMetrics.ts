/**
 * RunMetrics: the siege-style figures of a run, computed from its history — transactions,
 * availability, response-time percentiles of POST /orders — plus saga and resilience counters.
 */
import type { HistoryEntry } from "./history/History.js"

export interface RunMetrics {
  readonly transactions: number
  readonly successful: number
  readonly failed: number
  /** successful / transactions, 0–1. */
  readonly availability: number
  readonly p50Ms: number
  readonly p95Ms: number
  readonly p99Ms: number
  readonly maxMs: number
  readonly ordersAccepted: number
  readonly coffeesMade: number
  readonly refunds: number
  readonly breakerOpened: number
  /** Orders refused at once because the breaker was open. */
  readonly failFast: number
  readonly deadLetters: number
  readonly eventsPublished: number
  /** Containers the kubelet restarted because their liveness probe failed. */
  readonly livenessRestarts: number
  /** The most order replicas the Deployment asked for at any time. */
  readonly orderReplicasPeak: number
}

const percentile = (sorted: ReadonlyArray<number>, p: number) =>
  sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!

export const computeMetrics = (history: ReadonlyArray<HistoryEntry>): RunMetrics => {
  const latencies: Array<number> = []
  let successful = 0
  let failed = 0
  let breakerOpened = 0
  let failFast = 0
  let deadLetters = 0
  const made = new Set<string>()
  const refunds = new Set<string>()
  let events = 0
  let livenessRestarts = 0
  let orderReplicas = 0
  let orderReplicasPeak = 0
  for (const e of history) {
    switch (e.type) {
      case "ok":
      case "fail":
      case "info":
        if (e.op !== "place") break
        latencies.push(e.latencyMs)
        if (e.type === "ok") successful++
        else failed++
        if (e.type === "fail" && e.detail === "payment-circuit-open") failFast++
        break
      case "event":
        events++
        if (e.kind === "CoffeeMade") made.add(e.eventId)
        if (e.kind === "PaymentCancelled") refunds.add(e.eventId)
        break
      case "cluster":
        if (e.action === "liveness-kill") livenessRestarts++
        if (e.action === "create" && e.t === 0 && e.pod.startsWith("order-")) orderReplicas++
        if (e.action === "scale" && e.pod === "order") {
          const target = /→(\d+)/.exec(e.detail ?? "")
          if (target) orderReplicas = Number(target[1])
        }
        orderReplicasPeak = Math.max(orderReplicasPeak, orderReplicas)
        break
      case "note":
        if (e.note._tag === "BreakerTransition" && e.note.to === "Open") breakerOpened++
        if (e.note._tag === "DeadLettered") deadLetters++
        break
    }
  }
  latencies.sort((a, b) => a - b)
  const transactions = successful + failed
  return {
    transactions,
    successful,
    failed,
    availability: transactions === 0 ? 1 : successful / transactions,
    p50Ms: percentile(latencies, 50),
    p95Ms: percentile(latencies, 95),
    p99Ms: percentile(latencies, 99),
    maxMs: latencies.length === 0 ? 0 : latencies[latencies.length - 1]!,
    ordersAccepted: successful,
    coffeesMade: made.size,
    refunds: refunds.size,
    breakerOpened,
    failFast,
    deadLetters,
    eventsPublished: events,
    livenessRestarts,
    orderReplicasPeak
  }
}
