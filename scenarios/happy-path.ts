/**
 * happy-path: the seed's functional flow (FR1–FR5) under a light siege, with no faults. Every order
 * is paid, made and visible on mypage; nothing fails.
 */
import type { Scenario } from "../src/chaos/Scenario.js"
import { fastPayment } from "./shared.js"

export const scenario: Scenario = {
  name: "happy-path",
  description: "Light siege (payment 50–150 ms), no faults: every order is paid, made and shown on mypage.",
  seedSection: "구현 (DDD, CQRS, 동기식 호출)",
  config: fastPayment,
  workload: { users: 10, durationMillis: 30_000, thinkMillis: 1_000, mix: { place: 0.7, cancel: 0.1, status: 0.2 } },
  thresholds: [
    { metric: "availability", op: "==", value: 1, why: "no faults: every order is accepted" },
    { metric: "breakerOpened", op: "==", value: 0, why: "payment answers within its timeout" }
  ]
}
