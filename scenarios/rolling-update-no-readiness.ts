/**
 * rolling-update-no-readiness: the seed's redeploy without a readiness probe. New order pods join the
 * endpoints as soon as their container starts, before the application answers, so requests routed
 * to them fail while the rollout runs — the failure the seed showed before adding readiness.
 */
import type { Scenario } from "../src/chaos/Scenario.js"
import { fastPayment } from "./shared.js"

export const scenario: Scenario = {
  name: "rolling-update-no-readiness",
  description: "the same rollout with no readiness probe on the new pods: some requests fail.",
  seedSection: "무정지 재배포 (readiness 없음)",
  config: fastPayment,
  replicas: { order: 3 },
  workload: { users: 20, durationMillis: 90_000, thinkMillis: 1_000 },
  faults: [{ atMillis: 10_000, durationMillis: 0, fault: { _tag: "Roll", service: "order", readiness: false } }],
  thresholds: [
    { metric: "failed", op: ">", value: 0, why: "without readiness, requests reach pods that are not answering yet" }
  ]
}
