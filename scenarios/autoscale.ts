/**
 * autoscale: the seed's autoscale-out section. An HPA on order (cpu 5 %, min 1, max 3) and
 * siege -c100 -t60S: order's CPU use crosses the target and the HPA scales it to its maximum.
 */
import type { Scenario } from "../src/chaos/Scenario.js"
import { fastPayment } from "./shared.js"

export const scenario: Scenario = {
  name: "autoscale",
  description: "HPA on order (5 %, 1–3) under siege -c100 -t60S: order scales out to 3 replicas.",
  seedSection: "오토스케일 아웃",
  config: fastPayment,
  autoscale: { service: "order", cpuPercent: 5, min: 1, max: 3 },
  workload: { users: 100, durationMillis: 60_000, thinkMillis: 1_000 },
  thresholds: [
    { metric: "orderReplicasPeak", op: "==", value: 3, why: "the HPA reaches its maximum under the siege" }
  ]
}
