/**
 * partition: order and payment cannot reach each other for 10 s. Calls time out, the breaker opens
 * and fails fast, timed-out orders are cancelled (and refunded if payment charged them), and after
 * the partition heals orders are accepted again.
 */
import type { Scenario } from "../src/chaos/Scenario.js"
import { fastPayment } from "./shared.js"

export const scenario: Scenario = {
  name: "partition",
  description: "order ↔ payment partitioned for 10 s: timeouts, the breaker opens, and it recovers.",
  seedSection: "동기식 호출 / 서킷 브레이킹 / 장애격리",
  config: fastPayment,
  workload: { users: 20, durationMillis: 40_000, thinkMillis: 500 },
  faults: [{ atMillis: 10_000, durationMillis: 10_000, fault: { _tag: "Partition", a: "order", b: "payment", oneWay: false } }],
  thresholds: [
    { metric: "breakerOpened", op: ">=", value: 1, why: "the breaker opens on the timeouts" },
    { metric: "successful", op: ">", value: 0, why: "orders are accepted again after the partition heals" }
  ]
}
