/**
 * No request is routed to a pod that is not ready at that moment — a property that must hold under
 * any schedule of faults, rollouts and scaling. Readiness comes from the cluster's changes in the
 * history (a pod is created not ready; `ready` makes it ready; `unready`, `terminating` and
 * `terminated` take it out), routing from the `route` entries (the first request each pod received in
 * each readiness state, so the first request to reach an unready pod is always among them). A request
 * routed in the very millisecond its pod stopped being ready was routed while it was.
 *
 * A route is recorded when the request is sent, but it was routed when its caller picked the pod: with
 * a handler delay on the caller (the HandlerDelay fault pauses a service's outgoing calls, after the
 * pick), the send may come up to that delay's maximum after the pick. Such a send is excused when it
 * can have been picked while the pod was ready: a delay on one of the pod's callers (the gateway; order
 * too for payment) was in force at some instant p with send − max ≤ p ≤ the pod's last ready instant
 * (the pause is drawn when it starts). A delay on another service, or one that began only after the
 * pod left readiness, excuses nothing. The recorder (sim/world/RouteRecorder.ts) records every request
 * to a pod that is not ready, so one excused stale pick never hides later ones. Pure.
 */
import type { HistoryEntry } from "../history/History.js"
import { notJudged } from "./HistoryFacts.js"
import type { InvariantResult, RunTruth } from "./RunTruth.js"

const NAME = "requests routed only to ready pods"

interface PodReadiness {
  ready: boolean
  /** The last instant the pod was ready (−∞: never). */
  lastReadyAt: number
}

const leavesReadiness = new Set(["unready", "terminating", "terminated"])

/** Applies one cluster change to the pods' readiness. */
const applyChange = (pods: Map<string, PodReadiness>, e: Extract<HistoryEntry, { type: "cluster" }>): void => {
  if (e.action === "create") pods.set(e.pod, { ready: false, lastReadyAt: Number.NEGATIVE_INFINITY })
  const pod = pods.get(e.pod)
  if (pod === undefined) return
  if (e.action === "ready") {
    pod.ready = true
  } else if (leavesReadiness.has(e.action) && pod.ready) {
    pod.ready = false
    pod.lastReadyAt = e.t
  }
}

/** A HandlerDelay fault's description (faults/Fault.ts describeFault): the service and its longest delay per step. */
const HANDLER_DELAY = /^handlers of (\S+) delayed (?:\d+–)?(\d+) ms per step$/

/** The services that send requests to a service's pods: the gateway routes to all; order calls payment. */
const callersOf = (pod: string): ReadonlyArray<string> => (pod.startsWith("payment-") ? ["gateway", "order"] : ["gateway"])

interface DelayWindow {
  readonly fault: string
  readonly service: string
  readonly maxMillis: number
  readonly from: number
  to: number
}

/** Whether a caller's handler delay can hold a request picked by `lastReadyAt` until its send at `t`. */
const heldBack = (delays: ReadonlyArray<DelayWindow>, pod: string, t: number, lastReadyAt: number) =>
  delays.some((d) =>
    callersOf(pod).includes(d.service) && d.maxMillis >= t - lastReadyAt && d.from <= lastReadyAt && d.to >= t - d.maxMillis
  )

const trackDelay = (delays: Array<DelayWindow>, e: Extract<HistoryEntry, { type: "fault" }>): void => {
  const delay = HANDLER_DELAY.exec(e.fault)
  if (delay === null) return
  if (e.phase === "start") {
    delays.push({ fault: e.fault, service: delay[1]!, maxMillis: Number(delay[2]), from: e.t, to: Number.POSITIVE_INFINITY })
  } else if (e.phase === "end") {
    const open = delays.find((d) => d.fault === e.fault && d.to === Number.POSITIVE_INFINITY)
    if (open) open.to = e.t
  }
}

export const routedOnlyToReady = (truth: RunTruth): InvariantResult => {
  const pods = new Map<string, PodReadiness>()
  const delays: Array<DelayWindow> = []
  const offences: Array<string> = []
  let routes = 0
  for (const e of truth.history) {
    if (e.type === "cluster") applyChange(pods, e)
    else if (e.type === "fault") trackDelay(delays, e)
    else if (e.type === "route") {
      routes++
      const pod = pods.get(e.pod)
      if (pod !== undefined && !pod.ready && pod.lastReadyAt < e.t && !heldBack(delays, e.pod, e.t, pod.lastReadyAt)) {
        offences.push(
          `${e.pod} at ${e.t} ms (${pod.lastReadyAt === Number.NEGATIVE_INFINITY ? "never ready yet" : `not ready since ${pod.lastReadyAt} ms`})`
        )
      }
    }
  }
  if (routes === 0) return notJudged(NAME, "safety", "no routing was recorded")
  return {
    name: NAME,
    kind: "safety",
    ok: offences.length === 0,
    detail: offences.length === 0
      ? `every request reached a ready pod (${routes} readiness states seen)`
      : `${offences.length} pods got requests while not ready — ${offences.slice(0, 3).join("; ")}`
  }
}
