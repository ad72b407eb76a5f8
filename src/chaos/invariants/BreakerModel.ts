/**
 * BreakerModel: a reference model of a circuit breaker's configured policy (a BreakerPolicy from the
 * history), written apart from the breaker itself (services/resilience/CircuitBreaker.ts) from the
 * policy's definition: Closed judges a rolling window once it holds the minimum number of calls and
 * opens when the failure or slow-call rate reaches its threshold; Open rejects every call until the
 * wait has passed (Hystrix: at the wait; resilience4j: strictly after it), then HalfOpen lets the
 * permitted trials through and decides after all of them (Hystrix) or after min(minimum, permitted)
 * (resilience4j); a call admitted before a transition no longer counts; an ignored call gives its
 * trial back. Pure: feed it arrivals and completions in the breaker's own order.
 */
import type { BreakerPolicy, CallOutcome } from "../../services/resilience/CircuitBreaker.js"

export type ModelState = "Closed" | "Open" | "HalfOpen"

export interface ModelTransition {
  readonly from: ModelState
  readonly to: ModelState
  readonly at: number
}

interface Outcome {
  readonly end: number
  readonly failed: boolean
  readonly slow: boolean
}

/** Counts of one time bucket; a bucket rolls out of the window as a whole. */
interface Bucket {
  index: number
  calls: number
  failed: number
  slow: number
}

export class BreakerModel {
  state: ModelState = "Closed"
  readonly transitions: Array<ModelTransition> = []
  private generation = 0
  private openedAt = 0
  /** Closed, count window: the last `windowSize` outcomes since the breaker last closed. */
  private lastCalls: Array<Outcome> = []
  /** Closed, time window: one bucket per slot of the ring, each the latest bucket recorded there. */
  private buckets = new Map<number, Bucket>()
  private trialsAdmitted = 0
  private trials: Array<Outcome> = []

  constructor(readonly policy: BreakerPolicy) {}

  private moveTo(to: ModelState, at: number): void {
    this.transitions.push({ from: this.state, to, at })
    this.state = to
    this.generation++
    if (to === "Open") this.openedAt = at
    if (to === "HalfOpen") {
      this.trialsAdmitted = 0
      this.trials = []
    }
    if (to === "Closed") {
      this.lastCalls = []
      this.buckets = new Map()
    }
  }

  private waitOver(now: number): boolean {
    const due = this.openedAt + this.policy.waitMillis
    return this.policy.semantics === "resilience4j" ? now > due : now >= due
  }

  private advance(now: number): void {
    if (this.state === "Open" && this.waitOver(now)) this.moveTo("HalfOpen", this.openedAt + this.policy.waitMillis)
  }

  /** A call arrives at `now`: the generation it is admitted in, or undefined when the policy rejects it. */
  arrive(now: number): number | undefined {
    this.advance(now)
    if (this.state === "Closed") return this.generation
    if (this.state === "HalfOpen" && this.trialsAdmitted < this.policy.halfOpenCalls) {
      this.trialsAdmitted++
      return this.generation
    }
    return undefined
  }

  /** A call admitted in `generation` at `start` completes at `end` with `outcome`. */
  complete(generation: number, start: number, end: number, outcome: CallOutcome): void {
    this.advance(end)
    if (generation !== this.generation) return
    const slow = this.policy.slowCallMillis !== null && end - start > this.policy.slowCallMillis
    const recorded = { end, failed: outcome === "failure", slow }
    if (this.state === "HalfOpen") {
      if (outcome === "ignored") this.trialsAdmitted--
      else this.judgeTrial(recorded)
    } else if (this.state === "Closed" && outcome !== "ignored") {
      this.judgeWindow(recorded)
    }
  }

  private judgeTrial(outcome: Outcome): void {
    this.trials.push(outcome)
    const p = this.policy
    const needed = p.semantics === "resilience4j" ? Math.max(1, Math.min(p.minimumCalls, p.halfOpenCalls)) : p.halfOpenCalls
    if (this.trials.length < needed) return
    const failed = this.trials.filter((o) => o.failed).length
    const slow = this.trials.filter((o) => o.slow).length
    this.moveTo(this.trips(this.trials.length, failed, slow) ? "Open" : "Closed", outcome.end)
  }

  private judgeWindow(outcome: Outcome): void {
    const p = this.policy
    const { calls, failed, slow } = p.window === "count" ? this.countWindow(outcome) : this.timeWindow(outcome)
    const minimum = p.window === "count" ? Math.min(p.minimumCalls, p.windowSize) : p.minimumCalls
    if (calls === 0 || calls < minimum) return
    if (this.trips(calls, failed, slow)) this.moveTo("Open", outcome.end)
  }

  /** The last N calls, this one included. */
  private countWindow(outcome: Outcome) {
    this.lastCalls.push(outcome)
    if (this.lastCalls.length > this.policy.windowSize) this.lastCalls.shift()
    return {
      calls: this.lastCalls.length,
      failed: this.lastCalls.filter((o) => o.failed).length,
      slow: this.lastCalls.filter((o) => o.slow).length
    }
  }

  /** The buckets of the last `windowSize` seconds as of this call's end, this call recorded in its own. */
  private timeWindow(outcome: Outcome) {
    const p = this.policy
    const bucketMillis = (p.windowSize * 1000) / p.buckets
    const index = Math.floor(outcome.end / bucketMillis)
    const slot = ((index % p.buckets) + p.buckets) % p.buckets
    let bucket = this.buckets.get(slot)
    if (bucket === undefined || bucket.index !== index) this.buckets.set(slot, bucket = { index, calls: 0, failed: 0, slow: 0 })
    bucket.calls++
    if (outcome.failed) bucket.failed++
    if (outcome.slow) bucket.slow++
    const totals = { calls: 0, failed: 0, slow: 0 }
    for (const b of this.buckets.values()) {
      if (b.index < index - p.buckets + 1) continue
      totals.calls += b.calls
      totals.failed += b.failed
      totals.slow += b.slow
    }
    return totals
  }

  private trips(calls: number, failed: number, slow: number): boolean {
    return (failed * 100) / calls >= this.policy.failureRate || (slow * 100) / calls >= this.policy.slowCallRate
  }
}
