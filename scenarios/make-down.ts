/**
 * make-down: the seed's asynchronous section (NFR2). make is taken down for 20 s in the middle of a
 * siege; orders are still accepted (order and payment do not wait on make), the events wait on the
 * bus, and every order is made once make is back.
 */
import type { Scenario } from "../src/chaos/Scenario.js"
import { fastPayment } from "./shared.js"

export const scenario: Scenario = {
  name: "make-down",
  description: "make down for 20 s mid-siege: orders are still accepted and all made once it returns.",
  seedSection: "비동기식 호출 / 시간적 디커플링 / 장애격리",
  config: fastPayment,
  workload: { users: 20, durationMillis: 40_000, thinkMillis: 500 },
  faults: [{ atMillis: 10_000, durationMillis: 20_000, fault: { _tag: "ServiceDown", service: "make" } }],
  thresholds: [
    { metric: "availability", op: "==", value: 1, why: "NFR2: orders are accepted while make is down" },
    { metric: "coffeesMade", op: ">", value: 0, why: "coffee is made once make is back" }
  ]
}
