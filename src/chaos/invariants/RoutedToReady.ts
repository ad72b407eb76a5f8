/**
 * No request is routed to a pod that is not ready at that moment — a property that must hold under
 * any schedule of faults, rollouts and scaling. Readiness comes from the cluster's changes in the
 * history (a pod is created not ready; `ready` makes it ready; `unready`, `terminating` and
 * `terminated` take it out), routing from the `route` entries (the first request each pod received in
 * each readiness state, so the first request to reach an unready pod is always among them). A request
 * routed in the very millisecond its pod stopped being ready was routed while it was. Pure.
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

export const routedOnlyToReady = (truth: RunTruth): InvariantResult => {
  const pods = new Map<string, PodReadiness>()
  const offences: Array<string> = []
  let routes = 0
  for (const e of truth.history) {
    if (e.type === "cluster") applyChange(pods, e)
    else if (e.type === "route") {
      routes++
      const pod = pods.get(e.pod)
      if (pod !== undefined && !pod.ready && pod.lastReadyAt < e.t) {
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
