/**
 * liveness: the seed's self-healing section. mypage hangs (alive, not answering); its liveness probe
 * (period 5 s, timeout 2 s, 5 failures) has the kubelet restart it, and it answers again.
 */
import type { Scenario } from "../src/chaos/Scenario.js"
import { fastPayment } from "./shared.js"

export const scenario: Scenario = {
  name: "liveness",
  description: "mypage hangs; its liveness probe restarts it within its bound and it answers again.",
  seedSection: "Self-healing (Liveness Probe)",
  config: fastPayment,
  workload: { users: 10, durationMillis: 90_000, thinkMillis: 1_000, mix: { place: 0.5, cancel: 0, status: 0.5 } },
  faults: [{ atMillis: 10_000, durationMillis: 60_000, fault: { _tag: "Hang", service: "mypage", replica: 0 } }],
  thresholds: [
    { metric: "livenessRestarts", op: ">=", value: 1, why: "the liveness probe restarts the hung pod" },
    { metric: "successful", op: ">", value: 0, why: "orders are still placed while mypage hangs" }
  ]
}
