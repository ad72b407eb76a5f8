/**
 * ReplicaSeries: each Deployment's pods over time — ready (in the endpoints) and total (existing, not
 * terminating) — replayed from the cluster changes of the history (create, ready, unready,
 * terminating, terminated). Pods are named `<deployment>-<n>`.
 */
import type { HistoryEntry } from "../chaos/history/History.js"
import type { ReplicaSeries } from "./ReportModel.js"

interface Tracker {
  readonly pods: Set<string>
  readonly ready: Set<string>
  readonly readySteps: Array<[number, number]>
  readonly totalSteps: Array<[number, number]>
}

/** The Deployment of a pod address, or undefined for an entry about a whole Deployment. */
const deploymentOf = (pod: string): string | undefined => /^(.+)-\d+$/.exec(pod)?.[1]

/** Appends a step, replacing one at the same instant, skipping one that changes nothing. */
const step = (steps: Array<[number, number]>, t: number, value: number) => {
  const last = steps[steps.length - 1]
  if (last && last[0] === t) {
    last[1] = value
    const before = steps[steps.length - 2]
    if (before && before[1] === value) steps.pop()
  } else if (!last || last[1] !== value) {
    steps.push([t, value])
  }
}

export const replicaSeries = (history: ReadonlyArray<HistoryEntry>, endMs: number): ReadonlyArray<ReplicaSeries> => {
  const trackers = new Map<string, Tracker>()
  for (const e of history) {
    if (e.type !== "cluster") continue
    const deployment = deploymentOf(e.pod)
    if (deployment === undefined) continue
    let d = trackers.get(deployment)
    if (!d) trackers.set(deployment, d = { pods: new Set(), ready: new Set(), readySteps: [], totalSteps: [] })
    switch (e.action) {
      case "create":
        d.pods.add(e.pod)
        break
      case "ready":
        d.ready.add(e.pod)
        break
      case "unready":
        d.ready.delete(e.pod)
        break
      case "terminating":
      case "terminated":
        d.pods.delete(e.pod)
        d.ready.delete(e.pod)
        break
      default:
        continue
    }
    step(d.totalSteps, e.t, d.pods.size)
    step(d.readySteps, e.t, d.ready.size)
  }
  return [...trackers].map(([deployment, d]) => ({
    deployment,
    ready: [...d.readySteps, [endMs, d.ready.size] as const],
    total: [...d.totalSteps, [endMs, d.pods.size] as const]
  }))
}
