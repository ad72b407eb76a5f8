/**
 * CircuitBreaker: an Effect-native circuit breaker for calls to a dependency (payment, make, bus…).
 *
 * It owns the breaker state machine (Closed → Open → HalfOpen → Closed | Open, plus resilience4j's
 * administrative Disabled and ForcedOpen), the sliding window of call outcomes that trips it
 * (SlidingWindow.ts: time buckets as in Hystrix, or the last N calls as in resilience4j), the
 * slow-call accounting, the half-open trial permits, the administrative operations (force-open,
 * disable, reset, manual transitions) and the reporting of every state transition and call.
 *
 * Two semantics, where Hystrix and resilience4j differ observably (`semantics`): below the minimum
 * number of calls the rates are 0 (Hystrix) or −1 (resilience4j); the rejected-call count runs since
 * creation (Hystrix) or starts afresh on each state change (resilience4j); Open shows the rolling
 * window (Hystrix) or keeps the metrics that opened it (resilience4j); Open → HalfOpen at (Hystrix
 * sleep window) or strictly after (resilience4j) the wait; half-open decides after every permitted
 * trial (Hystrix: one) or after min(minimum calls, permitted calls) (resilience4j).
 *
 * Time comes only from Effect's `Clock`, so it runs unchanged under `TestClock` and inside the
 * virtual-time simulator. Nothing runs in the background: "Open → HalfOpen after the wait duration" is
 * computed lazily from the clock whenever a call arrives or the state/metrics are read, and the
 * transition is stamped with the instant the wait ended (opened-at + wait), so the transition log
 * does not depend on when anybody looked. State is a plain mutable object touched only inside
 * synchronous steps of a fiber (the simulator is single-threaded).
 */
import { Cause, Clock, Data, Duration, Effect, Exit, Option, PubSub, type Queue, type Scope, Stream } from "effect"
import { countWindow, type SlidingWindow, timeWindow, type Totals } from "./SlidingWindow.js"

// ---------------------------------------------------------------------------------------------------
// Public types
// ---------------------------------------------------------------------------------------------------

export type BreakerState = "Closed" | "Open" | "HalfOpen" | "Disabled" | "ForcedOpen"

export interface BreakerTransition {
  readonly name: string
  readonly from: BreakerState
  readonly to: BreakerState
  /** Clock time (ms) at which the transition took effect. For Open → HalfOpen: opened-at + wait. */
  readonly atMillis: number
  /** Human-readable cause, e.g. "failure rate 55.0% >= 50% over 20 calls", or "manual". */
  readonly reason: string
}

/** Raised instead of running the protected effect when the breaker does not let the call through. */
export class CircuitBreakerOpen extends Data.TaggedError("CircuitBreakerOpen")<{
  readonly name: string
  /**
   * Milliseconds until the breaker will let a trial call through: the rest of the wait duration when
   * Open, 0 when HalfOpen with every trial permit taken (retry once the trials complete), Infinity
   * when ForcedOpen (only an administrator lets calls through again).
   */
  readonly retryAfterMillis: number
}> {}

/** A manual transition resilience4j refuses (Closed → HalfOpen: a breaker half-opens only after opening). */
export class IllegalBreakerTransition extends Data.TaggedError("IllegalBreakerTransition")<{
  readonly name: string
  readonly from: BreakerState
  readonly to: BreakerState
}> {}

export interface CircuitBreakerMetrics {
  /**
   * Calls recorded in the window being evaluated: the sliding window when Closed, the completed trial
   * calls when HalfOpen; when Open the rolling window as of now (Hystrix) or the calls that opened it
   * (resilience4j); none when Disabled or ForcedOpen. Interrupted and ignored calls are not recorded.
   */
  readonly calls: number
  /** Of `calls`, those that failed (per `isFailure`). */
  readonly failures: number
  /** Of `calls`, those slower than `slowCallDurationThreshold` (successful or not). */
  readonly slowCalls: number
  /**
   * failures / calls in percent (0–100). Without enough calls to judge: 0 with no calls (Hystrix), −1
   * below the state's minimum number of calls (resilience4j).
   */
  readonly failureRate: number
  /** slowCalls / calls in percent (0–100), or 0 / −1 as `failureRate`. */
  readonly slowCallRate: number
  /** Calls rejected with CircuitBreakerOpen since the breaker was made (Hystrix) or since the last state change (resilience4j). */
  readonly rejected: number
}

export type BreakerSemantics = "hystrix" | "resilience4j"

export interface CircuitBreakerOptions {
  /** Whose observable behaviour to reproduce where the two libraries differ (see the header). Default: "hystrix". */
  readonly semantics: BreakerSemantics
  /**
   * "time": the window holds the calls of the last `slidingWindowSize` seconds, in `numberOfBuckets`
   * buckets (Hystrix; resilience4j TIME_BASED). "count": the window holds the last `slidingWindowSize`
   * calls (resilience4j COUNT_BASED). Default: "time".
   */
  readonly slidingWindowType: "count" | "time"
  /** Window size: seconds for a time window, calls for a count window. Default: 10 (seconds). */
  readonly slidingWindowSize: number
  /**
   * Time window only: number of buckets the window is split into; the oldest bucket rolls out as a
   * whole, so the window covers between (buckets-1)/buckets and all of `slidingWindowSize`. Default: 10.
   */
  readonly numberOfBuckets: number
  /**
   * No tripping while the window holds fewer calls than this (Hystrix requestVolumeThreshold). For a
   * count window it is capped at `slidingWindowSize`. Default: 20.
   */
  readonly minimumNumberOfCalls: number
  /** Open when the failure rate in the window is >= this percentage (0–100]. Default: 50. */
  readonly failureRateThreshold: number
  /**
   * A call taking strictly longer than this (start to end of the protected effect, on the Clock) is
   * slow, whether it succeeded or failed. Default: Duration.infinity (no call is slow; Hystrix has no
   * slow-call rule).
   */
  readonly slowCallDurationThreshold: Duration.DurationInput
  /** Open when the slow-call rate in the window is >= this percentage (0–100]. Default: 100. */
  readonly slowCallRateThreshold: number
  /** Time spent Open before trial calls are let through (Hystrix sleepWindow). Default: 5 seconds. */
  readonly waitDurationInOpenState: Duration.DurationInput
  /**
   * Trial calls let through in HalfOpen; further calls fail fast. Once enough have completed (all of
   * them for Hystrix, min(minimumNumberOfCalls, this) for resilience4j) the breaker closes if their
   * failure and slow-call rates are both below the thresholds, and opens again otherwise. Default: 1 (Hystrix).
   */
  readonly permittedNumberOfCallsInHalfOpenState: number
  /**
   * Whether an error of the protected effect counts as a failure; an error for which it returns false
   * is recorded as a success (the dependency did answer). Defects always count as failures;
   * interruption counts as neither and gives a half-open trial permit back. Default: every error counts.
   */
  readonly isFailure: (error: unknown) => boolean
  /**
   * resilience4j's ignoreExceptions: an error for which this returns true is not recorded at all (not
   * a success, not a failure) and gives a half-open trial permit back. Checked before `isFailure`.
   * Default: no error is ignored.
   */
  readonly isIgnored: (error: unknown) => boolean
}

export const CircuitBreakerOptions: {
  /** Hystrix defaults: 10 s window in 10 buckets, 20 calls volume, 50 % errors, 5 s sleep, 1 trial. */
  readonly hystrix: CircuitBreakerOptions
  /**
   * resilience4j defaults: count window of 100 calls, minimum 100 calls, 50 % failures, slow calls
   * above 60 s at 100 %, 60 s wait in Open, 10 trial calls in HalfOpen.
   */
  readonly resilience4j: CircuitBreakerOptions
  /** The defaults used by `make` for omitted fields: the Hystrix preset. */
  readonly defaults: CircuitBreakerOptions
} = (() => {
  const hystrix: CircuitBreakerOptions = {
    semantics: "hystrix",
    slidingWindowType: "time",
    slidingWindowSize: 10,
    numberOfBuckets: 10,
    minimumNumberOfCalls: 20,
    failureRateThreshold: 50,
    slowCallDurationThreshold: Duration.infinity,
    slowCallRateThreshold: 100,
    waitDurationInOpenState: Duration.seconds(5),
    permittedNumberOfCallsInHalfOpenState: 1,
    isFailure: () => true,
    isIgnored: () => false
  }
  const resilience4j: CircuitBreakerOptions = {
    semantics: "resilience4j",
    slidingWindowType: "count",
    slidingWindowSize: 100,
    numberOfBuckets: 10,
    minimumNumberOfCalls: 100,
    failureRateThreshold: 50,
    slowCallDurationThreshold: Duration.seconds(60),
    slowCallRateThreshold: 100,
    waitDurationInOpenState: Duration.seconds(60),
    permittedNumberOfCallsInHalfOpenState: 10,
    isFailure: () => true,
    isIgnored: () => false
  }
  return { hystrix, resilience4j, defaults: hystrix }
})()

/**
 * A breaker's policy as plain data (no predicates), for the history: what a reference model needs to
 * replay the breaker's transitions over its recorded calls (chaos/invariants/BreakerModel.ts).
 */
export interface BreakerPolicy {
  readonly semantics: BreakerSemantics
  readonly window: "count" | "time"
  readonly windowSize: number
  readonly buckets: number
  readonly minimumCalls: number
  readonly failureRate: number
  /** A call longer than this is slow; null: no call is slow. */
  readonly slowCallMillis: number | null
  readonly slowCallRate: number
  readonly waitMillis: number
  readonly halfOpenCalls: number
}

export const policyOf = (o: CircuitBreakerOptions): BreakerPolicy => {
  const slow = Duration.toMillis(o.slowCallDurationThreshold)
  return {
    semantics: o.semantics,
    window: o.slidingWindowType,
    windowSize: o.slidingWindowSize,
    buckets: o.numberOfBuckets,
    minimumCalls: o.minimumNumberOfCalls,
    failureRate: o.failureRateThreshold,
    slowCallMillis: Number.isFinite(slow) ? slow : null,
    slowCallRate: o.slowCallRateThreshold,
    waitMillis: Duration.toMillis(o.waitDurationInOpenState),
    halfOpenCalls: o.permittedNumberOfCallsInHalfOpenState
  }
}

/** How the breaker classified one call: recorded as success or failure, not recorded, or not let through. */
export type CallOutcome = "success" | "failure" | "ignored" | "rejected"

/**
 * One call as the breaker saw it, reported once it is over. `admittedSeq` and `completedSeq` place its
 * admission (or rejection) and its completion in the breaker's own order of events (one counter per
 * breaker), so that calls at the same millisecond can be replayed in the order the breaker saw them.
 */
export interface BreakerCall {
  readonly outcome: CallOutcome
  readonly startMillis: number
  readonly endMillis: number
  readonly admittedSeq: number
  readonly completedSeq: number
}

export interface MakeOptions extends Partial<CircuitBreakerOptions> {
  /** Called, in order, for every state transition, before the call that caused it proceeds. */
  readonly onTransition?: (transition: BreakerTransition) => Effect.Effect<void>
  /** Called for every call once it is over (a rejected call at once), after its transitions. Default: none. */
  readonly onCall?: (call: BreakerCall) => Effect.Effect<void>
  /**
   * A deliberate defect, for the mutant breaker-never-opens (services/MutantNames.ts): the Closed
   * state never trips, whatever its window holds. Default: none.
   */
  readonly defect?: "never-opens"
}

export interface CircuitBreaker {
  readonly name: string
  readonly policy: BreakerPolicy
  /** Run `effect` through the breaker, or fail fast with CircuitBreakerOpen without running it. */
  readonly protect: <A, E, R>(effect: Effect.Effect<A, E, R>) => Effect.Effect<A, E | CircuitBreakerOpen, R>
  /** Current state, as of the Clock's now (applies a due Open → HalfOpen). */
  readonly state: Effect.Effect<BreakerState>
  /** Counters of the window being evaluated, as of the Clock's now. */
  readonly metrics: Effect.Effect<CircuitBreakerMetrics>
  /** Transitions from the moment the stream starts running (use `subscribe` to avoid a start race). */
  readonly transitions: Stream.Stream<BreakerTransition>
  /** A queue receiving every transition from now on, for the lifetime of the scope. */
  readonly subscribe: Effect.Effect<Queue.Dequeue<BreakerTransition>, never, Scope.Scope>
  /**
   * A manual transition (resilience4j transitionTo…State), with fresh counts in the new state; Open
   * starts its wait now. Refuses Closed → HalfOpen, as resilience4j does.
   */
  readonly transitionTo: (to: BreakerState) => Effect.Effect<void, IllegalBreakerTransition>
  /** ForcedOpen: every call rejected until an administrator moves the breaker on. */
  readonly forceOpen: Effect.Effect<void>
  /** Disabled: every call let through, nothing recorded, no transition by itself. */
  readonly disable: Effect.Effect<void>
  /** Back to Closed with every count cleared; reports a transition only when it was not Closed. */
  readonly reset: Effect.Effect<void>
}

// ---------------------------------------------------------------------------------------------------
// make
// ---------------------------------------------------------------------------------------------------

const percent = (part: number, whole: number): number => (whole === 0 ? 0 : (part * 100) / whole)
const fmt = (rate: number): string => `${rate.toFixed(1)}%`

/** Outcome of a completed call: success, failure, or ignored (interrupted, or per `isIgnored`). */
const Outcome = { Success: 0, Failure: 1, Ignored: 2 } as const
type Outcome = (typeof Outcome)[keyof typeof Outcome]
const outcomeName: Record<Outcome, CallOutcome> = { 0: "success", 1: "failure", 2: "ignored" }

const validate = (name: string, o: CircuitBreakerOptions): string | undefined => {
  const positiveInt = (n: number) => Number.isInteger(n) && n >= 1
  if (o.semantics !== "hystrix" && o.semantics !== "resilience4j") return `semantics must be "hystrix" or "resilience4j"`
  if (o.slidingWindowType !== "count" && o.slidingWindowType !== "time") {
    return `slidingWindowType must be "count" or "time"`
  }
  if (o.slidingWindowType === "count" ? !positiveInt(o.slidingWindowSize) : !(o.slidingWindowSize > 0)) {
    return "slidingWindowSize must be positive (an integer for a count window)"
  }
  if (!positiveInt(o.numberOfBuckets)) return "numberOfBuckets must be a positive integer"
  if (!(o.minimumNumberOfCalls >= 0)) return "minimumNumberOfCalls must be >= 0"
  if (!(o.failureRateThreshold > 0 && o.failureRateThreshold <= 100)) return "failureRateThreshold must be in (0, 100]"
  if (!(o.slowCallRateThreshold > 0 && o.slowCallRateThreshold <= 100)) return "slowCallRateThreshold must be in (0, 100]"
  if (!positiveInt(o.permittedNumberOfCallsInHalfOpenState)) {
    return "permittedNumberOfCallsInHalfOpenState must be a positive integer"
  }
  if (!(Duration.toMillis(o.waitDurationInOpenState) >= 0)) return "waitDurationInOpenState must be >= 0"
  return name.length === 0 ? "name must not be empty" : undefined
}

export const make = (name: string, options: MakeOptions = {}): Effect.Effect<CircuitBreaker> =>
  Effect.suspend(() => {
    const { defect, onCall, onTransition, ...overrides } = options
    const defined = Object.fromEntries(Object.entries(overrides).filter(([, v]) => v !== undefined))
    const o: CircuitBreakerOptions = { ...CircuitBreakerOptions.defaults, ...defined }
    const invalid = validate(name, o)
    if (invalid !== undefined) return Effect.dieMessage(`CircuitBreaker ${name}: ${invalid}`)
    return Effect.map(PubSub.unbounded<BreakerTransition>(), (pubsub) => build(name, o, { onTransition, onCall, defect }, pubsub))
  })

/** Totals frozen when the breaker opened (resilience4j's Open keeps the metrics that opened it). */
interface Snapshot extends Totals {
  readonly required: number
}

const build = (
  name: string,
  o: CircuitBreakerOptions,
  hooks: Pick<MakeOptions, "onTransition" | "onCall" | "defect">,
  pubsub: PubSub.PubSub<BreakerTransition>
): CircuitBreaker => {
  const r4j = o.semantics === "resilience4j"
  const waitMillis = Duration.toMillis(o.waitDurationInOpenState)
  const slowMillis = Duration.toMillis(o.slowCallDurationThreshold)
  const failureThreshold = o.failureRateThreshold
  const slowThreshold = o.slowCallRateThreshold
  const permitted = o.permittedNumberOfCallsInHalfOpenState
  const { isFailure, isIgnored } = o
  const { defect, onCall, onTransition } = hooks
  const window: SlidingWindow =
    o.slidingWindowType === "count"
      ? countWindow(o.slidingWindowSize)
      : timeWindow(o.slidingWindowSize * 1000, o.numberOfBuckets)
  const minimumCalls =
    o.slidingWindowType === "count" ? Math.min(o.minimumNumberOfCalls, o.slidingWindowSize) : o.minimumNumberOfCalls
  /** Completed trials half-open waits for before deciding. */
  const trialsToDecide = r4j ? Math.max(1, Math.min(o.minimumNumberOfCalls, permitted)) : permitted

  // Mutable state, only touched in synchronous steps.
  let state: BreakerState = "Closed"
  /** Bumped on every transition; a call only counts toward the state (and generation) it was admitted in. */
  let generation = 0
  let openedAt = 0
  let rejected = 0
  /** The breaker's own order of call events (admissions, rejections, completions), for `onCall`. */
  let seq = 0
  let openSnapshot: Snapshot = { calls: 0, failures: 0, slow: 0, required: 0 }
  /** HalfOpen: trial permits handed out (minus those given back by ignored trials) and their outcomes. */
  const trial: Totals & { admitted: number } = { admitted: 0, calls: 0, failures: 0, slow: 0 }
  /** Transitions not yet delivered to onTransition / the PubSub, in order. */
  const pending: Array<BreakerTransition> = []
  let delivering = false

  /** The totals of the current state's window as of `now`, and the calls it needs before judging. */
  const current = (now: number): Snapshot => {
    if (state === "HalfOpen") return { ...trial, required: trialsToDecide }
    if (state === "Closed" || (state === "Open" && !r4j)) return { ...window.totals(now), required: minimumCalls }
    if (state === "Open") return openSnapshot
    return { calls: 0, failures: 0, slow: 0, required: 0 }
  }

  const transition = (to: BreakerState, atMillis: number, reason: string): void => {
    if (to === "Open") openSnapshot = current(atMillis)
    pending.push({ name, from: state, to, atMillis, reason })
    state = to
    generation++
    if (r4j) rejected = 0
    switch (to) {
      case "Open":
        openedAt = atMillis
        break
      case "HalfOpen":
        trial.admitted = 0
        trial.calls = 0
        trial.failures = 0
        trial.slow = 0
        break
      case "Closed":
        window.reset()
        break
    }
  }

  /** Lazily apply Open → HalfOpen once the wait duration has elapsed (strictly, for resilience4j). */
  const advance = (now: number): void => {
    if (state === "Open" && (r4j ? now > openedAt + waitMillis : now >= openedAt + waitMillis)) {
      transition("HalfOpen", openedAt + waitMillis, `wait duration ${waitMillis}ms elapsed`)
    }
  }

  const deliverOne = (t: BreakerTransition): Effect.Effect<void> =>
    onTransition === undefined
      ? PubSub.publish(pubsub, t)
      : Effect.zipRight(onTransition(t), PubSub.publish(pubsub, t))

  /** Deliver pending transitions in order; a concurrent deliverer leaves them to the one already at it. */
  const deliver: Effect.Effect<void> = Effect.suspend(() => {
    if (delivering || pending.length === 0) return Effect.void
    delivering = true
    const loop: Effect.Effect<void> = Effect.suspend(() => {
      const t = pending.shift()
      return t === undefined ? Effect.void : Effect.zipRight(deliverOne(t), loop)
    })
    return loop.pipe(
      Effect.ensuring(Effect.sync(() => {
        delivering = false
      })),
      Effect.uninterruptible
    )
  })

  /** Admission: the generation the call runs under, or -1 when rejected. */
  const admit = (now: number): number => {
    advance(now)
    switch (state) {
      case "Closed":
      case "Disabled":
        return generation
      case "HalfOpen":
        if (trial.admitted < permitted) {
          trial.admitted++
          return generation
        }
        rejected++
        return -1
      case "Open":
      case "ForcedOpen":
        rejected++
        return -1
    }
  }

  const classify = <A, E>(exit: Exit.Exit<A, E>): Outcome => {
    if (Exit.isSuccess(exit)) return Outcome.Success
    const cause = exit.cause
    if (Cause.isInterruptedOnly(cause)) return Outcome.Ignored
    if (Cause.isDie(cause)) return Outcome.Failure
    const error = Cause.failureOption(cause)
    if (Option.isNone(error)) return Outcome.Failure
    if (isIgnored(error.value)) return Outcome.Ignored
    return isFailure(error.value) ? Outcome.Failure : Outcome.Success
  }

  /** Judges totals that hold enough calls: the reason to open, or undefined when both rates are below. */
  const tripReason = (t: Totals, prefix: string): string | undefined => {
    const failureRate = percent(t.failures, t.calls)
    if (failureRate >= failureThreshold) {
      return `${prefix}failure rate ${fmt(failureRate)} >= ${failureThreshold}% over ${t.calls} calls`
    }
    const slowRate = percent(t.slow, t.calls)
    if (slowRate >= slowThreshold) return `${prefix}slow-call rate ${fmt(slowRate)} >= ${slowThreshold}% over ${t.calls} calls`
    return undefined
  }

  const recordTrial = (outcome: Outcome, slow: boolean, end: number): void => {
    if (outcome === Outcome.Ignored) {
      trial.admitted--
      return
    }
    trial.calls++
    if (outcome === Outcome.Failure) trial.failures++
    if (slow) trial.slow++
    if (trial.calls < trialsToDecide) return
    const reason = tripReason(trial, "trial ")
    if (reason !== undefined) {
      transition("Open", end, reason)
      return
    }
    transition(
      "Closed",
      end,
      `trial failure rate ${fmt(percent(trial.failures, trial.calls))} < ${failureThreshold}% and slow-call rate ${
        fmt(percent(trial.slow, trial.calls))
      } < ${slowThreshold}% over ${trial.calls} calls`
    )
  }

  const record = (admittedIn: number, outcome: Outcome, start: number, end: number): void => {
    advance(end)
    // A call admitted under an earlier state (e.g. Closed calls still running when the breaker
    // opened) no longer says anything about the current one.
    if (admittedIn !== generation) return
    const slow = end - start > slowMillis
    if (state === "HalfOpen") return recordTrial(outcome, slow, end)
    if (state !== "Closed" || outcome === Outcome.Ignored) return
    window.record(end, outcome === Outcome.Failure, slow)
    const totals = window.totals(end)
    if (totals.calls < minimumCalls || totals.calls === 0 || defect === "never-opens") return
    const reason = tripReason(totals, "")
    if (reason !== undefined) transition("Open", end, reason)
  }

  const report = (call: BreakerCall): Effect.Effect<void> => (onCall === undefined ? Effect.void : onCall(call))

  const protect = <A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<A, E | CircuitBreakerOpen, R> =>
    Effect.uninterruptibleMask((restore) =>
      Effect.clockWith((clock): Effect.Effect<A, E | CircuitBreakerOpen, R> => {
        const start = clock.unsafeCurrentTimeMillis()
        const admittedIn = admit(start)
        const admittedSeq = seq++
        if (admittedIn < 0) {
          const error = new CircuitBreakerOpen({
            name,
            retryAfterMillis: state === "Open"
              ? Math.max(0, openedAt + waitMillis - start)
              : state === "ForcedOpen"
              ? Number.POSITIVE_INFINITY
              : 0
          })
          const rejection = report({ outcome: "rejected", startMillis: start, endMillis: start, admittedSeq, completedSeq: admittedSeq })
          return Effect.zipRight(pending.length === 0 ? rejection : Effect.zipRight(deliver, rejection), Effect.fail(error))
        }
        // The end recorded whatever the exit: the handlers run uninterruptibly (the mask above), so
        // this is Effect.onExit without a second mask; the time is read from the same clock.
        const ended = (exit: Exit.Exit<A, E>): Effect.Effect<A, E, R> => {
          const end = clock.unsafeCurrentTimeMillis()
          const outcome = state === "Disabled" && admittedIn === generation ? Outcome.Ignored : classify(exit)
          record(admittedIn, outcome, start, end)
          const call = report({ outcome: outcomeName[outcome], startMillis: start, endMillis: end, admittedSeq, completedSeq: seq++ })
          return Effect.zipRight(pending.length === 0 ? call : Effect.zipRight(deliver, call), exit)
        }
        const run = Effect.matchCauseEffect(restore(effect), {
          onFailure: (cause) => ended(Exit.failCause(cause)),
          onSuccess: (a) => ended(Exit.succeed(a))
        })
        return pending.length === 0 ? run : Effect.zipRight(deliver, run)
      })
    )

  const stateNow: Effect.Effect<BreakerState> = Effect.flatMap(Clock.currentTimeMillis, (now) => {
    advance(now)
    const current = state
    return pending.length === 0 ? Effect.succeed(current) : Effect.as(deliver, current)
  })

  /** A rate for the metrics: resilience4j says −1 while there are too few calls to judge. */
  const rate = (part: number, t: Snapshot): number => (r4j && (t.calls === 0 || t.calls < t.required) ? -1 : percent(part, t.calls))

  const metrics: Effect.Effect<CircuitBreakerMetrics> = Effect.flatMap(Clock.currentTimeMillis, (now) => {
    advance(now)
    const t = current(now)
    const m: CircuitBreakerMetrics = {
      calls: t.calls,
      failures: t.failures,
      slowCalls: t.slow,
      failureRate: rate(t.failures, t),
      slowCallRate: rate(t.slow, t),
      rejected
    }
    return pending.length === 0 ? Effect.succeed(m) : Effect.as(deliver, m)
  })

  /** Applies an administrative change at the Clock's now, then delivers its transition. */
  const administer = <E = never>(change: (now: number) => E | undefined): Effect.Effect<void, E> =>
    Effect.flatMap(Clock.currentTimeMillis, (now) => {
      advance(now)
      const refused = change(now)
      return refused === undefined ? deliver : Effect.zipRight(deliver, Effect.fail(refused))
    })

  const transitionTo = (to: BreakerState): Effect.Effect<void, IllegalBreakerTransition> =>
    administer((now) => {
      if (state === "Closed" && to === "HalfOpen") return new IllegalBreakerTransition({ name, from: state, to })
      transition(to, now, "manual")
      return undefined
    })

  const reset: Effect.Effect<void> = administer<never>((now) => {
    if (state !== "Closed") transition("Closed", now, "reset")
    else {
      generation++
      window.reset()
    }
    rejected = 0
    return undefined
  })

  return {
    name,
    policy: policyOf(o),
    protect,
    state: stateNow,
    metrics,
    transitions: Stream.fromPubSub(pubsub),
    subscribe: PubSub.subscribe(pubsub),
    transitionTo,
    forceOpen: Effect.orDie(transitionTo("ForcedOpen")),
    disable: Effect.orDie(transitionTo("Disabled")),
    reset
  }
}
