/**
 * PodIdentity: which service and which replica this instance is. Used as the bus consumer name and in
 * notes, so that redelivery after a pod dies can be traced to the pod.
 */
import { Context } from "effect"
import type { ServiceName } from "./ServiceDirectory.js"

export class PodIdentity extends Context.Tag("starcoffee/PodIdentity")<PodIdentity, {
  readonly service: ServiceName
  readonly pod: string
}>() {}
