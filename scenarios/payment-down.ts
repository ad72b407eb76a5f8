/**
 * payment-down: the seed's synchronous section (NFR1). payment is taken down for 20 s mid-siege:
 * orders placed meanwhile are rejected (order cannot charge them, so it does not keep them) and none
 * of them is ever made; once payment is back, orders are accepted again.
 */
import type { Scenario } from "../src/chaos/Scenario.js"
import { fastPayment } from "./shared.js"

export const scenario: Scenario = {
  name: "payment-down",
  description: "payment down for 20 s mid-siege: those orders are rejected and never made; the rest are.",
  seedSection: "동기식 호출 (결제 서비스 장애 시 주문 불가)",
  config: fastPayment,
  workload: { users: 10, durationMillis: 60_000, thinkMillis: 500 },
  faults: [{ atMillis: 10_000, durationMillis: 20_000, fault: { _tag: "ServiceDown", service: "payment" } }],
  thresholds: [
    { metric: "failed", op: ">", value: 0, why: "NFR1: an order that cannot be paid is refused" },
    { metric: "successful", op: ">", value: 0, why: "orders are accepted before and after the outage" }
  ]
}
