/**
 * RouteRecorder: the network's resolver (cluster/SimCluster.ts `resolve`) with where requests go
 * recorded in the run's history — a `route` entry for the first request each pod receives in each of
 * its readiness states (a readiness state: the pod's Ready condition and when it last changed), and for
 * every request to a pod that is not ready. That is all a checker needs to tell whether any request
 * reached a pod while it was not ready, at one entry per readiness change rather than one per request
 * when every request goes to ready pods.
 *
 * Faults modelled: none (it only observes).
 */
import type { History } from "../../chaos/history/History.js"
import type { Resolver } from "../network/Endpoint.js"

/** A pod's readiness state: whether it is Ready, and since when. */
export interface Readiness {
  readonly ready: boolean
  readonly since: number
}

export const recordingResolver = (
  resolve: Resolver,
  history: History,
  /** The readiness of a pod, by address (undefined: no such pod). */
  readinessOf: (address: string) => Readiness | undefined,
  /** The world's time (the kernel's, not a pod's skewed clock). */
  now: () => number
): Resolver => {
  const recorded = new Map<string, Readiness>()
  return (host) => {
    const endpoint = resolve(host)
    if (endpoint === undefined) return undefined
    const readiness = readinessOf(endpoint.address)
    const last = recorded.get(endpoint.address)
    const changed = last === undefined || last.ready !== readiness?.ready || last.since !== readiness?.since
    // Every request to a pod that is not ready is recorded: a checker may excuse one (a pick made while
    // the pod was ready, sent late), and must still see the next.
    if (readiness !== undefined && (changed || !readiness.ready)) {
      recorded.set(endpoint.address, readiness)
      history.record({ t: now(), type: "route", pod: endpoint.address })
    }
    return endpoint
  }
}
