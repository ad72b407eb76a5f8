/**
 * Once faults heal, availability returns to its fault-free level within a bound — a property of any
 * schedule. From the history: the faults heal at the last fault's end; the cluster has recovered once,
 * from then on, every service has a ready pod again and no rollout is under way (restarts, crash-loop
 * back-offs and rollouts are the cluster's to take; a pod readied without a readiness probe counts as
 * ready once its app can have started, UNPROBED_STARTUP_MILLIS later); the services then get a bound to recover
 * themselves — `RECOVERY_MILLIS` plus the longest breaker wait the history's breakers were configured
 * with. The orders placed after that must be accepted at least as often as those placed before the
 * first fault, less a `tolerance` that shrinks as they grow. A service that stays unavailable once
 * everything around it is well (a leaked pool, a breaker stuck open) breaks it. Judged only with
 * enough orders on both sides (RunScenario's probes make sure there are: a few orders before the
 * faults, and orders after they heal until this can be judged). Pure.
 */
import type { HistoryEntry } from "../history/History.js"
import { notJudged, serviceOf } from "./HistoryFacts.js"
import type { InvariantResult, RunTruth } from "./RunTruth.js"

const NAME = "availability recovers after faults heal"
/** Time the services get to recover once the cluster has, besides their breakers' wait. */
export const RECOVERY_MILLIS = 5_000
/**
 * How far below the fault-free availability the recovered availability may be, over n orders:
 * 0.1, or 2/√n when that is wider (four standard deviations of a proportion at most, so that chance
 * alone never makes a few orders look like an outage).
 */
export const tolerance = (n: number): number => Math.max(0.1, 2 / Math.sqrt(n))
/** Fewest orders placed on each side for a verdict. */
export const MIN_BEFORE = 5
const MIN_AFTER = 10

type Outcome = Extract<HistoryEntry, { type: "ok" | "fail" | "info" }>

/** When the last fault ended, and when the first started; undefined without faults. */
const faultSpan = (history: ReadonlyArray<HistoryEntry>) => {
  let first = Number.POSITIVE_INFINITY
  let last = Number.NEGATIVE_INFINITY
  for (const e of history) {
    if (e.type !== "fault") continue
    if (e.phase === "start") first = Math.min(first, e.t)
    if (e.phase === "end") last = Math.max(last, e.t)
  }
  return Number.isFinite(first) ? { first, healed: Math.max(first, last) } : undefined
}

/**
 * A pod readied without a readiness probe (a rollout with readiness off) is Ready as soon as its
 * container runs, before its app answers: it counts as ready only this long after — the seed's
 * readiness initialDelay, the start-up its deployment allows an app.
 */
export const UNPROBED_STARTUP_MILLIS = 10_000

interface ReadinessChange {
  readonly t: number
  readonly pod: string
  readonly action: string
}

/**
 * The cluster's changes in time order; a `ready` without a readiness probe becomes the pod's start and,
 * UNPROBED_STARTUP_MILLIS later, its readiness (unless it left readiness before then).
 */
const readinessChanges = (history: ReadonlyArray<HistoryEntry>): Array<ReadinessChange> => {
  const changes: Array<ReadinessChange> = []
  for (const e of history) {
    if (e.type !== "cluster") continue
    if (e.action === "ready" && (e.detail ?? "").includes("no readiness probe")) {
      changes.push({ t: e.t, pod: e.pod, action: "started-unprobed" })
      changes.push({ t: e.t + UNPROBED_STARTUP_MILLIS, pod: e.pod, action: "ready-unprobed" })
    } else {
      changes.push(e)
    }
  }
  return changes.map((c, i) => ({ c, i })).sort((a, b) => a.c.t - b.c.t || a.i - b.i).map(({ c }) => c)
}

/**
 * The first instant at or after `healed` when every service has a ready pod and no rollout is under
 * way; undefined if that never happened before the run ended.
 */
const clusterRecoveredAt = (history: ReadonlyArray<HistoryEntry>, healed: number): number | undefined => {
  const ready = new Map<string, boolean>()
  /** Pods readied without a probe and not out of readiness since: their deferred `ready` applies. */
  const unprobed = new Set<string>()
  const services = new Set<string>()
  const rolling = new Set<string>()
  const settled = () =>
    rolling.size === 0 && [...services].every((s) => [...ready].some(([pod, r]) => r && serviceOf(pod) === s))
  let checked = false
  for (const e of readinessChanges(history)) {
    // Everything up to the heal (its own instant included: a rollout begun then) counts before judging.
    if (e.t > healed && !checked) {
      checked = true
      if (settled()) return healed
    }
    if (e.action === "ready") {
      ready.set(e.pod, true)
      services.add(serviceOf(e.pod))
    } else if (e.action === "started-unprobed") {
      unprobed.add(e.pod)
      services.add(serviceOf(e.pod))
    } else if (e.action === "ready-unprobed") {
      if (unprobed.delete(e.pod)) ready.set(e.pod, true)
    } else if (e.action === "unready" || e.action === "terminating" || e.action === "terminated") {
      ready.set(e.pod, false)
      unprobed.delete(e.pod)
    } else if (e.action === "rollout") {
      rolling.add(e.pod)
    } else if (e.action === "rollout-complete") {
      rolling.delete(e.pod)
    }
    if (checked && settled()) return e.t
  }
  return !checked && settled() ? healed : undefined
}

const availability = (outcomes: ReadonlyArray<Outcome>) => outcomes.filter((o) => o.type === "ok").length / outcomes.length

/** Why the property cannot be judged yet (see `availabilityPending`). */
export interface Pending {
  readonly why: string
  /** More orders placed from now on could change that: the cluster has not recovered yet, or too few orders came after it. */
  readonly waiting: boolean
  /**
   * From when placed orders count as recovered ones, once the cluster has recovered; undefined while
   * it has not (orders placed before this instant cannot help the verdict).
   */
  readonly countsFrom?: number
  /** Orders still to be placed from `countsFrom` on for a verdict, once the cluster has recovered. */
  readonly missingAfter?: number
}

/**
 * Why the property cannot be judged yet from this history, and whether (and from when) more orders
 * could change that; undefined once it can be judged.
 */
export const availabilityPending = (history: ReadonlyArray<HistoryEntry>): Pending | undefined => {
  const verdict = assess(history)
  return "why" in verdict ? verdict : undefined
}

/** Most orders after recovery a probe places for `ordersToSeeAnOutage`. */
export const PROBE_MAX_AFTER = 40

/**
 * Orders after recovery that would show a service still down (none of them accepted) as below the
 * fault-free level `baseline` — the tolerance over n orders must be narrower than the baseline — at
 * least MIN_AFTER, at most PROBE_MAX_AFTER. With a baseline of 1: 10; of 0.63: 11; of 0.5: 17.
 */
export const ordersToSeeAnOutage = (baseline: number): number => {
  if (baseline <= 0) return MIN_AFTER
  let n = MIN_AFTER
  while (n < PROBE_MAX_AFTER && tolerance(n) >= baseline) n++
  return n
}

/** What a probe placing orders now can still add to the property (see `availabilityProbeNeed`). */
export interface ProbeNeed {
  /** From when orders count (undefined while the cluster has not recovered). */
  readonly countsFrom?: number
  /** Orders still wanted from `countsFrom` on. */
  readonly missing: number
}

/**
 * Whether more orders placed from now on could still change the verdict, and from when they count:
 * while it cannot be judged and could be, and while it holds on fewer orders than would show a total
 * outage (`ordersToSeeAnOutage`); undefined otherwise. RunScenario's post-heal probe places orders
 * until this is undefined.
 */
export const availabilityProbeNeed = (history: ReadonlyArray<HistoryEntry>): ProbeNeed | undefined => {
  const verdict = assess(history)
  if ("why" in verdict) {
    if (!verdict.waiting) return undefined
    return verdict.countsFrom === undefined ? { missing: MIN_AFTER } : { countsFrom: verdict.countsFrom, missing: verdict.missingAfter ?? MIN_AFTER }
  }
  if (!verdict.ok) return undefined
  const missing = ordersToSeeAnOutage(verdict.baseline) - verdict.after
  return missing > 0 ? { countsFrom: verdict.from, missing } : undefined
}

type Judged = {
  readonly ok: boolean
  readonly detail: string
  readonly baseline: number
  /** Orders placed from `from` on. */
  readonly after: number
  readonly from: number
}

type Assessment = Pending | Judged

const assess = (history: ReadonlyArray<HistoryEntry>): Assessment => {
  const span = faultSpan(history)
  if (span === undefined) return { why: "no fault was injected", waiting: false }
  const recovered = clusterRecoveredAt(history, span.healed)
  if (recovered === undefined) {
    return { why: "the run ended before every service had a ready pod again and every rollout was done", waiting: true }
  }
  let longestWait = 0
  for (const e of history) {
    if (e.type === "note" && e.note._tag === "BreakerConfigured") longestWait = Math.max(longestWait, e.note.policy.waitMillis)
  }
  const from = recovered + RECOVERY_MILLIS + longestWait
  const places = history.filter((e): e is Outcome => (e.type === "ok" || e.type === "fail" || e.type === "info") && e.op === "place")
  const before = places.filter((o) => o.t - o.latencyMs < span.first)
  const after = places.filter((o) => o.t - o.latencyMs >= from)
  if (before.length < MIN_BEFORE || after.length < MIN_AFTER) {
    return {
      why: `too few orders placed before the first fault (${before.length}) or from ${from} ms on (${after.length})`,
      waiting: before.length >= MIN_BEFORE,
      countsFrom: from,
      missingAfter: Math.max(0, MIN_AFTER - after.length)
    }
  }
  const baseline = availability(before)
  const recoveredLevel = availability(after)
  const slack = tolerance(after.length)
  const ok = recoveredLevel >= baseline - slack
  return {
    ok,
    baseline,
    after: after.length,
    from,
    detail: `${recoveredLevel.toFixed(2)} of ${after.length} orders accepted from ${from} ms on (cluster recovered at ${recovered} ms), ` +
      `${ok ? "back to" : "below"} the fault-free ${baseline.toFixed(2)} of ${before.length}${ok ? "" : ` less ${slack.toFixed(2)}`}`
  }
}

export const availabilityRecovers = (truth: RunTruth): InvariantResult => {
  const verdict = assess(truth.history)
  return "why" in verdict
    ? notJudged(NAME, "liveness", verdict.why)
    : { name: NAME, kind: "liveness", ok: verdict.ok, detail: verdict.detail }
}
