/**
 * broker-outage: the bus is down for 15 s. Orders are still accepted (their events wait in the
 * outboxes), consumers back off, and once the broker is back everything is delivered and made.
 */
import type { Scenario } from "../src/chaos/Scenario.js"
import { fastPayment } from "./shared.js"

export const scenario: Scenario = {
  name: "broker-outage",
  description: "the broker is down for 15 s: orders are accepted, events wait in outboxes, all drain after.",
  seedSection: "비동기식 호출 / 장애격리 (Kafka 장애)",
  config: fastPayment,
  workload: { users: 10, durationMillis: 40_000, thinkMillis: 500 },
  faults: [{ atMillis: 10_000, durationMillis: 15_000, fault: { _tag: "BrokerOutage" } }],
  thresholds: [
    { metric: "availability", op: "==", value: 1, why: "orders do not wait on the bus" }
  ]
}
