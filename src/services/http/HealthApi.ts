/**
 * The health endpoint every service exposes for readiness and liveness probes.
 */
import { HttpApiEndpoint, HttpApiGroup } from "@effect/platform"
import { Effect, Schema } from "effect"
import { PodIdentity } from "../ports/PodIdentity.js"

export class Health extends Schema.Class<Health>("Health")({
  service: Schema.String,
  pod: Schema.String,
  status: Schema.Literal("ok")
}) {}

export const HealthGroup = HttpApiGroup.make("health").add(HttpApiEndpoint.get("check", "/health").addSuccess(Health))

/** The handler of GET /health: answers as long as the pod can run an effect at all. */
export const checkHealth = Effect.map(PodIdentity, ({ pod, service }) => new Health({ service, pod, status: "ok" }))
