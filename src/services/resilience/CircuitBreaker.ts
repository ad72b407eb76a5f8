/**
 * CircuitBreaker: an Effect-native circuit breaker for calls to a dependency (payment, make, bus…).
 *
 * It owns the breaker state machine (Closed → Open → HalfOpen → Closed | Open), the sliding window of
 * call outcomes that trips it (time-based buckets as in Hystrix, or the last N calls as in
 * resilience4j), the slow-call accounting, the half-open trial permits, and the reporting of every
 * state transition.
 *
 * Time comes only from Effect's `Clock`, so it runs unchanged under `TestClock` and inside the
 * virtual-time simulator. Nothing runs in the background: "Open → HalfOpen after the wait duration" is
 * computed lazily from the clock whenever a call arrives or the state/metrics are read, and the
 * transition is stamped with the instant it logically happened (opened-at + wait), so the transition
 * log does not depend on when anybody looked. State is a plain mutable object touched only inside
 * synchronous steps of a fiber (the simulator is single-threaded); windows are bucket counters, not a
 * log of calls.
 */
import { Cause, Clock, Data, Duration, Effect, Exit, Option, PubSub, type Queue, type Scope, Stream } from "effect"

// ---------------------------------------------------------------------------------------------------
// Public types
// ---------------------------------------------------------------------------------------------------

export type BreakerState = "Closed" | "Open" | "HalfOpen"

export interface BreakerTransition {
  readonly name: string
  readonly from: BreakerState
  readonly to: BreakerState
  /** Clock time (ms) at which the transition took effect. For Open → HalfOpen: opened-at + wait. */
  readonly atMillis: number
  /** Human-readable cause, e.g. "failure rate 55.0% >= 50% over 20 calls". */
  readonly reason: string
}

/** Raised instead of running the protected effect when the breaker does not let the call through. */
export class CircuitBreakerOpen extends Data.TaggedError("CircuitBreakerOpen")<{
  readonly name: string
  /**
   * Milliseconds until the breaker will let a trial call through: the rest of the wait duration when
   * Open, 0 when HalfOpen with every trial permit taken (retry once the trials complete).
   */
  readonly retryAfterMillis: number
}> {}

export interface CircuitBreakerMetrics {
  /**
   * Calls recorded in the window being evaluated: the sliding window when Closed or Open (as of now,
   * old buckets rolled out), the completed trial calls when HalfOpen. Interrupted calls are not recorded.
   */
  readonly calls: number
  /** Of `calls`, those that failed (per `isFailure`). */
  readonly failures: number
  /** Of `calls`, those slower than `slowCallDurationThreshold` (successful or not). */
  readonly slowCalls: number
  /** failures / calls in percent (0–100); 0 when there are no calls. */
  readonly failureRate: number
  /** slowCalls / calls in percent (0–100); 0 when there are no calls. */
  readonly slowCallRate: number
  /** Calls rejected with CircuitBreakerOpen since the breaker was made. */
  readonly rejected: number
}

export interface CircuitBreakerOptions {
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
   * Trial calls let through in HalfOpen; further calls fail fast. Once all have completed the breaker
   * closes if their failure and slow-call rates are both below the thresholds, and opens again
   * otherwise. Default: 1 (Hystrix).
   */
  readonly permittedNumberOfCallsInHalfOpenState: number
  /**
   * Whether an error of the protected effect counts as a failure; an error for which it returns false
   * is recorded as a success (the dependency did answer). Defects always count as failures;
   * interruption counts as neither and gives a half-open trial permit back. Default: every error counts.
   */
  readonly isFailure: (error: unknown) => boolean
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
    slidingWindowType: "time",
    slidingWindowSize: 10,
    numberOfBuckets: 10,
    minimumNumberOfCalls: 20,
    failureRateThreshold: 50,
    slowCallDurationThreshold: Duration.infinity,
    slowCallRateThreshold: 100,
    waitDurationInOpenState: Duration.seconds(5),
    permittedNumberOfCallsInHalfOpenState: 1,
    isFailure: () => true
  }
  const resilience4j: CircuitBreakerOptions = {
    slidingWindowType: "count",
    slidingWindowSize: 100,
    numberOfBuckets: 10,
    minimumNumberOfCalls: 100,
    failureRateThreshold: 50,
    slowCallDurationThreshold: Duration.seconds(60),
    slowCallRateThreshold: 100,
    waitDurationInOpenState: Duration.seconds(60),
    permittedNumberOfCallsInHalfOpenState: 10,
    isFailure: () => true
  }
  return { hystrix, resilience4j, defaults: hystrix }
})()

export interface MakeOptions extends Partial<CircuitBreakerOptions> {
  /** Called, in order, for every state transition, before the call that caused it proceeds. */
  readonly onTransition?: (transition: BreakerTransition) => Effect.Effect<void>
}

export interface CircuitBreaker {
  readonly name: string
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
}

// ---------------------------------------------------------------------------------------------------
// Sliding windows
// ---------------------------------------------------------------------------------------------------

interface Totals {
  calls: number
  failures: number
  slow: number
}

interface SlidingWindow {
  readonly record: (now: number, failed: boolean, slow: boolean) => void
  /** Totals as of `now`. The returned object is reused: read it before the next call. */
  readonly totals: (now: number) => Totals
  readonly reset: () => void
}

/** Hystrix rolling window: ring of buckets, each tagged with the absolute bucket number it holds. */
const timeWindow = (windowMillis: number, buckets: number): SlidingWindow => {
  const bucketMillis = windowMillis / buckets
  const epoch = new Float64Array(buckets).fill(-Infinity)
  const calls = new Float64Array(buckets)
  const failures = new Float64Array(buckets)
  const slow = new Float64Array(buckets)
  const out: Totals = { calls: 0, failures: 0, slow: 0 }
  const bucketOf = (now: number) => Math.floor(now / bucketMillis)
  const slotOf = (index: number) => ((index % buckets) + buckets) % buckets
  return {
    record: (now, failed, isSlow) => {
      const index = bucketOf(now)
      const slot = slotOf(index)
      if (epoch[slot] !== index) {
        epoch[slot] = index
        calls[slot] = 0
        failures[slot] = 0
        slow[slot] = 0
      }
      calls[slot]++
      if (failed) failures[slot]++
      if (isSlow) slow[slot]++
    },
    totals: (now) => {
      const oldest = bucketOf(now) - buckets + 1
      out.calls = 0
      out.failures = 0
      out.slow = 0
      for (let slot = 0; slot < buckets; slot++) {
        if (epoch[slot]! >= oldest) {
          out.calls += calls[slot]!
          out.failures += failures[slot]!
          out.slow += slow[slot]!
        }
      }
      return out
    },
    reset: () => {
      epoch.fill(-Infinity)
    }
  }
}

/** resilience4j count window: ring of the last `size` outcomes (bit 1 = failed, bit 2 = slow) plus running totals. */
const countWindow = (size: number): SlidingWindow => {
  const ring = new Uint8Array(size)
  let next = 0
  const out: Totals = { calls: 0, failures: 0, slow: 0 }
  return {
    record: (_now, failed, isSlow) => {
      if (out.calls === size) {
        const old = ring[next]!
        if (old & 1) out.failures--
        if (old & 2) out.slow--
      } else {
        out.calls++
      }
      ring[next] = (failed ? 1 : 0) | (isSlow ? 2 : 0)
      if (failed) out.failures++
      if (isSlow) out.slow++
      next = (next + 1) % size
    },
    totals: () => out,
    reset: () => {
      next = 0
      out.calls = 0
      out.failures = 0
      out.slow = 0
    }
  }
}

const percent = (part: number, whole: number): number => (whole === 0 ? 0 : (part * 100) / whole)
const fmt = (rate: number): string => `${rate.toFixed(1)}%`

// ---------------------------------------------------------------------------------------------------
// make
// ---------------------------------------------------------------------------------------------------

/** Outcome of a completed call: success, failure, or ignored (interrupted). */
const Outcome = { Success: 0, Failure: 1, Ignored: 2 } as const
type Outcome = (typeof Outcome)[keyof typeof Outcome]

const validate = (name: string, o: CircuitBreakerOptions): string | undefined => {
  const positiveInt = (n: number) => Number.isInteger(n) && n >= 1
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
    const { onTransition, ...overrides } = options
    const defined = Object.fromEntries(Object.entries(overrides).filter(([, v]) => v !== undefined))
    const o: CircuitBreakerOptions = { ...CircuitBreakerOptions.defaults, ...defined }
    const invalid = validate(name, o)
    if (invalid !== undefined) return Effect.dieMessage(`CircuitBreaker ${name}: ${invalid}`)
    return Effect.map(PubSub.unbounded<BreakerTransition>(), (pubsub) => build(name, o, onTransition, pubsub))
  })

const build = (
  name: string,
  o: CircuitBreakerOptions,
  onTransition: ((t: BreakerTransition) => Effect.Effect<void>) | undefined,
  pubsub: PubSub.PubSub<BreakerTransition>
): CircuitBreaker => {
  const waitMillis = Duration.toMillis(o.waitDurationInOpenState)
  const slowMillis = Duration.toMillis(o.slowCallDurationThreshold)
  const failureThreshold = o.failureRateThreshold
  const slowThreshold = o.slowCallRateThreshold
  const permitted = o.permittedNumberOfCallsInHalfOpenState
  const isFailure = o.isFailure
  const window =
    o.slidingWindowType === "count"
      ? countWindow(o.slidingWindowSize)
      : timeWindow(o.slidingWindowSize * 1000, o.numberOfBuckets)
  const minimumCalls =
    o.slidingWindowType === "count" ? Math.min(o.minimumNumberOfCalls, o.slidingWindowSize) : o.minimumNumberOfCalls

  // Mutable state, only touched in synchronous steps.
  let state: BreakerState = "Closed"
  /** Bumped on every transition; a call only counts toward the state (and generation) it was admitted in. */
  let generation = 0
  let openedAt = 0
  let rejected = 0
  /** HalfOpen: trial permits handed out (minus those given back by interrupted trials) and their outcomes. */
  const trial: Totals & { admitted: number } = { admitted: 0, calls: 0, failures: 0, slow: 0 }
  /** Transitions not yet delivered to onTransition / the PubSub, in order. */
  const pending: Array<BreakerTransition> = []
  let delivering = false

  const transition = (to: BreakerState, atMillis: number, reason: string): void => {
    pending.push({ name, from: state, to, atMillis, reason })
    state = to
    generation++
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

  /** Lazily apply Open → HalfOpen once the wait duration has elapsed. */
  const advance = (now: number): void => {
    if (state === "Open" && now >= openedAt + waitMillis) {
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
        return generation
      case "HalfOpen":
        if (trial.admitted < permitted) {
          trial.admitted++
          return generation
        }
        rejected++
        return -1
      case "Open":
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
    return Option.isSome(error) && !isFailure(error.value) ? Outcome.Success : Outcome.Failure
  }

  const record = (admittedIn: number, outcome: Outcome, start: number, end: number): void => {
    advance(end)
    // A call admitted under an earlier state (e.g. Closed calls still running when the breaker
    // opened) no longer says anything about the current one.
    if (admittedIn !== generation) return
    if (state === "HalfOpen") {
      if (outcome === Outcome.Ignored) {
        trial.admitted--
        return
      }
      trial.calls++
      if (outcome === Outcome.Failure) trial.failures++
      if (end - start > slowMillis) trial.slow++
      if (trial.calls < permitted) return
      const failureRate = percent(trial.failures, trial.calls)
      const slowRate = percent(trial.slow, trial.calls)
      if (failureRate >= failureThreshold) {
        transition("Open", end, `trial failure rate ${fmt(failureRate)} >= ${failureThreshold}% over ${trial.calls} calls`)
      } else if (slowRate >= slowThreshold) {
        transition("Open", end, `trial slow-call rate ${fmt(slowRate)} >= ${slowThreshold}% over ${trial.calls} calls`)
      } else {
        transition(
          "Closed",
          end,
          `trial failure rate ${fmt(failureRate)} < ${failureThreshold}% and slow-call rate ${fmt(slowRate)} < ${slowThreshold}% over ${trial.calls} calls`
        )
      }
      return
    }
    // Closed
    if (outcome === Outcome.Ignored) return
    window.record(end, outcome === Outcome.Failure, end - start > slowMillis)
    const totals = window.totals(end)
    if (totals.calls < minimumCalls || totals.calls === 0) return
    const failureRate = percent(totals.failures, totals.calls)
    if (failureRate >= failureThreshold) {
      transition("Open", end, `failure rate ${fmt(failureRate)} >= ${failureThreshold}% over ${totals.calls} calls`)
      return
    }
    const slowRate = percent(totals.slow, totals.calls)
    if (slowRate >= slowThreshold) {
      transition("Open", end, `slow-call rate ${fmt(slowRate)} >= ${slowThreshold}% over ${totals.calls} calls`)
    }
  }

  const protect = <A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<A, E | CircuitBreakerOpen, R> =>
    Effect.uninterruptibleMask((restore) =>
      Effect.flatMap(Clock.currentTimeMillis, (start): Effect.Effect<A, E | CircuitBreakerOpen, R> => {
        const admittedIn = admit(start)
        if (admittedIn < 0) {
          const error = new CircuitBreakerOpen({
            name,
            retryAfterMillis: state === "Open" ? Math.max(0, openedAt + waitMillis - start) : 0
          })
          return pending.length === 0 ? Effect.fail(error) : Effect.zipRight(deliver, Effect.fail(error))
        }
        const run = Effect.onExit(restore(effect), (exit) =>
          Effect.flatMap(Clock.currentTimeMillis, (end) => {
            record(admittedIn, classify(exit), start, end)
            return pending.length === 0 ? Effect.void : deliver
          }))
        return pending.length === 0 ? run : Effect.zipRight(deliver, run)
      })
    )

  const stateNow: Effect.Effect<BreakerState> = Effect.flatMap(Clock.currentTimeMillis, (now) => {
    advance(now)
    const current = state
    return pending.length === 0 ? Effect.succeed(current) : Effect.as(deliver, current)
  })

  const metrics: Effect.Effect<CircuitBreakerMetrics> = Effect.flatMap(Clock.currentTimeMillis, (now) => {
    advance(now)
    const t = state === "HalfOpen" ? trial : window.totals(now)
    const m: CircuitBreakerMetrics = {
      calls: t.calls,
      failures: t.failures,
      slowCalls: t.slow,
      failureRate: percent(t.failures, t.calls),
      slowCallRate: percent(t.slow, t.calls),
      rejected
    }
    return pending.length === 0 ? Effect.succeed(m) : Effect.as(deliver, m)
  })

  return {
    name,
    protect,
    state: stateNow,
    metrics,
    transitions: Stream.fromPubSub(pubsub),
    subscribe: PubSub.subscribe(pubsub)
  }
}
