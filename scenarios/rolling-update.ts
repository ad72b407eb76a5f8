/**
 * rolling-update: the seed's zero-downtime redeploy. order runs 3 replicas with a readiness probe and
 * is rolled to a new version (maxSurge 25 %, maxUnavailable 25 %) in the middle of a siege; with
 * readiness, no request fails.
 */
import type { Scenario } from "../src/chaos/Scenario.js"
import { fastPayment } from "./shared.js"

export const scenario: Scenario = {
  name: "rolling-update",
  description: "order (3 replicas, readiness on) rolled to a new version mid-siege: zero failed requests.",
  seedSection: "무정지 재배포 (readiness 있음)",
  config: fastPayment,
  replicas: { order: 3 },
  workload: { users: 20, durationMillis: 90_000, thinkMillis: 1_000 },
  faults: [{ atMillis: 10_000, durationMillis: 0, fault: { _tag: "Roll", service: "order", readiness: true } }],
  thresholds: [
    { metric: "failed", op: "==", value: 0, why: "with readiness the rollout loses no request" },
    { metric: "transactions", op: ">", value: 500, why: "the siege kept running through the rollout" }
  ]
}
