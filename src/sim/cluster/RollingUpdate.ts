/**
 * RollingUpdate: the Deployment controller's arithmetic — how many pods of the current template to
 * create and which pods to delete, given the desired replicas, the pods that exist (old and new
 * versions) and which of them are ready. Pure: SimCluster executes the plans.
 *
 * Kubernetes' rules (pkg/controller/deployment/rolling.go): maxSurge rounds up, maxUnavailable rounds
 * down, and if both come to 0 maxUnavailable is 1. The new ReplicaSet may grow while all pods ≤
 * replicas + maxSurge; old pods go only while the available (ready) pods stay ≥ replicas −
 * maxUnavailable, unhealthy old pods first. Terminating pods count for neither side. Without old
 * pods the plan is a ReplicaSet's: create or delete (unready first, then newest) to match replicas.
 *
 * Faults modelled: roll (maxSurge, maxUnavailable, with or without readiness).
 */
import type { IntOrPercent, RollingUpdateStrategy } from "./DeploymentSpec.js"

/** An absolute count, or a percentage of `replicas` rounded up or down. */
export const resolveIntOrPercent = (value: IntOrPercent, replicas: number, roundUp: boolean): number => {
  if (typeof value === "number") return Math.max(0, Math.floor(value))
  const percent = Number(value.slice(0, -1))
  if (!Number.isFinite(percent) || percent < 0) throw new RangeError(`bad percentage: ${value}`)
  // integer arithmetic first, as Go's intstr does, so 25% of 4 is exactly 1
  const scaled = (percent * replicas) / 100
  return roundUp ? Math.ceil(scaled - 1e-9) : Math.floor(scaled + 1e-9)
}

/** maxSurge and maxUnavailable as pod counts for `replicas` (Kubernetes' ResolveFenceposts). */
export const resolveRollingUpdate = (
  replicas: number,
  strategy: RollingUpdateStrategy
): { readonly maxSurge: number; readonly maxUnavailable: number } => {
  const maxSurge = resolveIntOrPercent(strategy.maxSurge, replicas, true)
  let maxUnavailable = resolveIntOrPercent(strategy.maxUnavailable, replicas, false)
  if (maxSurge === 0 && maxUnavailable === 0) maxUnavailable = 1
  return { maxSurge, maxUnavailable }
}

export interface PlanPod {
  readonly ready: boolean
  readonly version: number
}

export interface PlanInput<P extends PlanPod> {
  readonly replicas: number
  /** The current template's version; pods of other versions are old. */
  readonly version: number
  readonly strategy: RollingUpdateStrategy
  /** Pods that exist and are not terminating, oldest first. */
  readonly pods: ReadonlyArray<P>
  /** Deleted pods whose replacement is not created yet (the ReplicaSet has not reacted): of the current version. */
  readonly pendingNew: number
  /** The same, of old versions. */
  readonly pendingOld: number
}

export interface Plan<P> {
  /** Pods of the current version to create. */
  readonly create: number
  /** Pods to delete gracefully. */
  readonly terminate: ReadonlyArray<P>
  /** Pending replacements to forget. */
  readonly cancelPendingNew: number
  readonly cancelPendingOld: number
  /** Old pods (or pending old replacements) remain. */
  readonly rolling: boolean
  /** No old pods, and `replicas` pods of the current version, all ready. */
  readonly complete: boolean
  readonly maxSurge: number
  readonly maxUnavailable: number
}

/** Deletion order of a ReplicaSet: unready before ready, then newest first. */
const byDeletionRank = <P extends PlanPod>(pods: ReadonlyArray<P>): Array<P> => {
  const indexed = pods.map((pod, index) => ({ pod, index }))
  indexed.sort((a, b) => (a.pod.ready === b.pod.ready ? b.index - a.index : a.pod.ready ? 1 : -1))
  return indexed.map((x) => x.pod)
}

export const planReplicas = <P extends PlanPod>(input: PlanInput<P>): Plan<P> => {
  const { replicas, version } = input
  const { maxSurge, maxUnavailable } = resolveRollingUpdate(replicas, input.strategy)
  const newPods = input.pods.filter((p) => p.version === version)
  const oldPods = input.pods.filter((p) => p.version !== version)
  const terminate: Array<P> = []
  let create = 0
  let cancelPendingNew = 0
  let cancelPendingOld = 0
  let newCount = newPods.length + input.pendingNew
  const newReady = newPods.filter((p) => p.ready).length
  let oldCount = oldPods.length + input.pendingOld

  // the new ReplicaSet: never above replicas
  if (newCount > replicas) {
    let excess = newCount - replicas
    cancelPendingNew = Math.min(excess, input.pendingNew)
    excess -= cancelPendingNew
    terminate.push(...byDeletionRank(newPods).slice(0, excess))
    newCount = replicas
  } else if (oldCount === 0) {
    create = replicas - newCount
    newCount = replicas
  } else {
    const total = newCount + oldCount
    const maxTotal = replicas + maxSurge
    if (total < maxTotal) {
      create = Math.min(maxTotal - total, replicas - newCount)
      newCount += create
    }
  }
  const newReadyKept = newReady - terminate.filter((p) => p.ready).length

  // the old ReplicaSets: down while availability allows
  if (oldCount > 0) {
    const minAvailable = replicas - Math.min(maxUnavailable, replicas)
    const newUnavailable = newCount - newReadyKept
    const maxScaledDown = newCount + oldCount - minAvailable - newUnavailable
    if (maxScaledDown > 0) {
      // unhealthy old pods first: pending replacements, then unready pods
      let cleaned = Math.min(input.pendingOld, maxScaledDown)
      cancelPendingOld = cleaned
      const ranked = byDeletionRank(oldPods)
      let next = 0
      while (cleaned < maxScaledDown && next < ranked.length && !ranked[next]!.ready) {
        terminate.push(ranked[next++]!)
        cleaned++
      }
      oldCount -= cleaned
      // then available old pods, keeping minAvailable
      const oldReady = ranked.slice(next).filter((p) => p.ready).length
      const available = newReadyKept + oldReady
      let scaleDown = Math.min(available - minAvailable, ranked.length - next)
      while (scaleDown > 0) {
        terminate.push(ranked[next++]!)
        scaleDown--
        oldCount--
      }
    }
  }
  const complete = oldCount === 0 && newCount === replicas && create === 0 && newReadyKept === replicas
  return {
    create,
    terminate,
    cancelPendingNew,
    cancelPendingOld,
    rolling: oldCount > 0,
    complete,
    maxSurge,
    maxUnavailable
  }
}
