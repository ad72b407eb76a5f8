import { describe, expect, it } from "@effect/vitest"
import { Deferred, Effect, Either, Exit, Fiber, Queue, Ref, TestClock } from "effect"
import {
  type BreakerCall,
  type BreakerTransition,
  type CircuitBreaker,
  CircuitBreakerOpen,
  CircuitBreakerOptions,
  make,
  type MakeOptions
} from "../../src/services/resilience/CircuitBreaker.js"

/** Run `n` calls through the breaker, sequentially, at the current clock time. */
const calls = (cb: CircuitBreaker, n: number, effect: Effect.Effect<unknown, unknown>) =>
  Effect.forEach(Array.from({ length: n }), () => Effect.exit(cb.protect(effect)), { discard: true })

const ok = Effect.void
const boom = Effect.fail("boom" as const)

/** Hystrix breaker tripped at t = 0 by 20 failures. */
const trippedHystrix = (onTransition?: (t: BreakerTransition) => Effect.Effect<void>) =>
  Effect.gen(function*() {
    const cb = yield* make("payment", { ...CircuitBreakerOptions.hystrix, onTransition })
    yield* calls(cb, 20, boom)
    expect(yield* cb.state).toBe("Open")
    return cb
  })

/** Fork `cb.protect(body)` and wait until the body has actually started (so it holds its permit). */
const forkStarted = <A, E>(cb: CircuitBreaker, body: Effect.Effect<A, E>) =>
  Effect.gen(function*() {
    const started = yield* Deferred.make<void>()
    const fiber = yield* Effect.fork(cb.protect(Effect.zipRight(Deferred.succeed(started, undefined), body)))
    yield* Deferred.await(started)
    return fiber
  })

describe("CircuitBreaker (Hystrix model)", () => {
  it.effect("stays closed below the request volume threshold even at 100% errors", () =>
    Effect.gen(function*() {
      const cb = yield* make("payment")
      yield* calls(cb, 19, boom)
      expect(yield* cb.state).toBe("Closed")
      const m = yield* cb.metrics
      expect(m).toMatchObject({ calls: 19, failures: 19, failureRate: 100, rejected: 0 })
      // The 20th call reaches the volume threshold: now it trips.
      yield* calls(cb, 1, boom)
      expect(yield* cb.state).toBe("Open")
    }))

  it.effect("closed → open at exactly 50% errors with 20 calls in the window, not below", () =>
    Effect.gen(function*() {
      const below = yield* make("below")
      yield* calls(below, 11, ok)
      yield* calls(below, 9, boom) // 45 %
      expect(yield* below.state).toBe("Closed")

      const at = yield* make("at")
      yield* calls(at, 10, ok)
      yield* calls(at, 9, boom)
      expect(yield* at.state).toBe("Closed") // 19 calls: below volume
      yield* calls(at, 1, boom) // 10 / 20 = 50 %
      expect(yield* at.state).toBe("Open")
    }))

  it.effect("failures older than the 10 s rolling window no longer count", () =>
    Effect.gen(function*() {
      const cb = yield* make("payment")
      yield* calls(cb, 19, boom) // bucket [0 s, 1 s)
      yield* TestClock.adjust("10 seconds") // that bucket has rolled out
      expect((yield* cb.metrics).calls).toBe(0)
      yield* calls(cb, 1, boom)
      expect(yield* cb.state).toBe("Closed")
      expect((yield* cb.metrics).calls).toBe(1)
    }))

  it.effect("failures inside the 10 s window still count (last bucket not yet rolled out)", () =>
    Effect.gen(function*() {
      const cb = yield* make("payment")
      yield* calls(cb, 19, boom)
      yield* TestClock.adjust("9999 millis")
      expect((yield* cb.metrics).calls).toBe(19)
      yield* calls(cb, 1, boom)
      expect(yield* cb.state).toBe("Open")
    }))

  it.effect("open fails fast with CircuitBreakerOpen and does not run the effect", () =>
    Effect.gen(function*() {
      const cb = yield* trippedHystrix()
      yield* TestClock.adjust("1 second")
      let ran = 0
      const result = yield* Effect.either(cb.protect(Effect.sync(() => ++ran)))
      expect(ran).toBe(0)
      expect(Either.isLeft(result)).toBe(true)
      const error = Either.getLeft(result).pipe((o) => o._tag === "Some" ? o.value : undefined)
      expect(error).toBeInstanceOf(CircuitBreakerOpen)
      expect(error).toMatchObject({ _tag: "CircuitBreakerOpen", name: "payment", retryAfterMillis: 4000 })
      expect((yield* cb.metrics).rejected).toBe(1)
    }))

  it.effect("open → half-open only once the 5 s sleep window has elapsed", () =>
    Effect.gen(function*() {
      const cb = yield* trippedHystrix()
      yield* TestClock.adjust("4999 millis")
      expect(yield* cb.state).toBe("Open")
      const early = yield* Effect.flip(cb.protect(ok))
      expect(early.retryAfterMillis).toBe(1)
      yield* TestClock.adjust("1 millis")
      expect(yield* cb.state).toBe("HalfOpen")
    }))

  it.effect("half-open lets exactly one trial through; a concurrent second call is rejected", () =>
    Effect.gen(function*() {
      const cb = yield* trippedHystrix()
      yield* TestClock.adjust("5 seconds")
      let ran = 0
      const trial = yield* forkStarted(cb, Effect.zipRight(Effect.sync(() => ++ran), Effect.sleep("1 second")))
      const second = yield* Effect.either(cb.protect(Effect.sync(() => ++ran)))
      expect(ran).toBe(1)
      expect(Either.isLeft(second) && second.left).toMatchObject({ _tag: "CircuitBreakerOpen", retryAfterMillis: 0 })
      expect(yield* cb.state).toBe("HalfOpen")
      expect((yield* cb.metrics).rejected).toBe(1)
      yield* TestClock.adjust("1 second")
      yield* Fiber.join(trial)
      expect(yield* cb.state).toBe("Closed")
    }))

  it.effect("half-open → closed on trial success, with the window reset", () =>
    Effect.gen(function*() {
      const cb = yield* trippedHystrix()
      yield* TestClock.adjust("5 seconds")
      yield* cb.protect(ok)
      expect(yield* cb.state).toBe("Closed")
      expect((yield* cb.metrics).calls).toBe(0)
      // The 20 old failures are gone: 19 new ones do not trip it.
      yield* calls(cb, 19, boom)
      expect(yield* cb.state).toBe("Closed")
    }))

  it.effect("half-open → open on trial failure, for another full sleep window", () =>
    Effect.gen(function*() {
      const cb = yield* trippedHystrix()
      yield* TestClock.adjust("5 seconds")
      const trial = yield* Effect.either(cb.protect(boom))
      expect(trial).toEqual(Either.left("boom"))
      expect(yield* cb.state).toBe("Open")
      expect((yield* Effect.flip(cb.protect(ok))).retryAfterMillis).toBe(5000)
      yield* TestClock.adjust("4999 millis")
      expect(yield* cb.state).toBe("Open")
      yield* TestClock.adjust("1 millis")
      expect(yield* cb.state).toBe("HalfOpen")
    }))

  it.effect("interruption releases the half-open permit and counts as neither success nor failure", () =>
    Effect.gen(function*() {
      const cb = yield* trippedHystrix()
      yield* TestClock.adjust("5 seconds")
      const stuck = yield* forkStarted(cb, Effect.never)
      expect(Either.isLeft(yield* Effect.either(cb.protect(ok)))).toBe(true) // permit taken
      yield* Fiber.interrupt(stuck)
      expect(yield* cb.state).toBe("HalfOpen")
      expect((yield* cb.metrics).calls).toBe(0)
      // The permit is back: a new trial goes through and closes the breaker.
      let ran = false
      yield* cb.protect(Effect.sync(() => {
        ran = true
      }))
      expect(ran).toBe(true)
      expect(yield* cb.state).toBe("Closed")
    }))

  it.effect("interrupted calls do not count in the closed window", () =>
    Effect.gen(function*() {
      const cb = yield* make("payment")
      for (let i = 0; i < 25; i++) {
        const f = yield* forkStarted(cb, Effect.never)
        yield* Fiber.interrupt(f)
      }
      expect(yield* cb.metrics).toMatchObject({ calls: 0, failures: 0 })
      expect(yield* cb.state).toBe("Closed")
    }))

  it.effect("isFailure: ignored errors are recorded as successes, defects always fail", () =>
    Effect.gen(function*() {
      const cb = yield* make("payment", { isFailure: (e) => e !== "not-found" })
      yield* calls(cb, 20, Effect.fail("not-found"))
      expect(yield* cb.metrics).toMatchObject({ calls: 20, failures: 0 })
      expect(yield* cb.state).toBe("Closed")
      yield* calls(cb, 20, Effect.die("bug"))
      expect(yield* cb.state).toBe("Open")
    }))

  it.effect("onTransition receives every transition, in order, with from/to/atMillis; subscribe sees them too", () =>
    Effect.scoped(Effect.gen(function*() {
      const seen = yield* Ref.make<Array<BreakerTransition>>([])
      const cb = yield* make("payment", { onTransition: (t) => Ref.update(seen, (ts) => [...ts, t]) })
      const queue = yield* cb.subscribe
      yield* calls(cb, 20, boom) // t=0: Closed → Open
      yield* TestClock.adjust("7 seconds") // due at 5000, observed at 7000
      yield* Effect.either(cb.protect(boom)) // Open → HalfOpen (at 5000) → Open (at 7000)
      yield* TestClock.adjust("5 seconds")
      yield* cb.protect(ok) // Open → HalfOpen (at 12000) → Closed (at 12000)
      const ts = yield* Ref.get(seen)
      expect(ts.map((t) => [t.from, t.to, t.atMillis])).toEqual([
        ["Closed", "Open", 0],
        ["Open", "HalfOpen", 5000],
        ["HalfOpen", "Open", 7000],
        ["Open", "HalfOpen", 12000],
        ["HalfOpen", "Closed", 12000]
      ])
      expect(ts.every((t) => t.name === "payment" && t.reason.length > 0)).toBe(true)
      expect(ts[0]!.reason).toContain("failure rate 100.0%")
      expect(Array.from(yield* Queue.takeAll(queue))).toEqual(ts)
    })))

  it.effect("a transition is delivered to onTransition before the call that caused it proceeds", () =>
    Effect.gen(function*() {
      const log: Array<string> = []
      const cb = yield* make("payment", {
        onTransition: (t) => Effect.sync(() => log.push(`${t.from}->${t.to}`))
      })
      yield* calls(cb, 20, boom)
      yield* TestClock.adjust("5 seconds")
      yield* cb.protect(Effect.sync(() => log.push("trial")))
      expect(log).toEqual(["Closed->Open", "Open->HalfOpen", "trial", "HalfOpen->Closed"])
    }))

  it.effect("calls admitted while closed that complete after the breaker opened are not counted", () =>
    Effect.gen(function*() {
      const cb = yield* make("payment")
      const slow = yield* forkStarted(cb, Effect.zipRight(Effect.sleep("6 seconds"), boom))
      yield* calls(cb, 20, boom)
      expect(yield* cb.state).toBe("Open")
      yield* TestClock.adjust("6 seconds") // now HalfOpen; the stale failure must not reopen it
      expect(Exit.isFailure(yield* Fiber.await(slow))).toBe(true)
      expect(yield* cb.state).toBe("HalfOpen")
      yield* cb.protect(ok)
      expect(yield* cb.state).toBe("Closed")
    }))
})

describe("CircuitBreaker (resilience4j model)", () => {
  const r4j = (overrides: Partial<CircuitBreakerOptions> = {}) =>
    make("make", {
      ...CircuitBreakerOptions.resilience4j,
      slidingWindowSize: 10,
      minimumNumberOfCalls: 10,
      waitDurationInOpenState: "10 seconds",
      ...overrides
    })

  it.effect("count window keeps the last N calls regardless of time, and trips on the Nth", () =>
    Effect.gen(function*() {
      const cb = yield* r4j()
      yield* calls(cb, 6, ok)
      yield* TestClock.adjust("1 hour") // time does not age a count window
      yield* calls(cb, 3, boom)
      expect(yield* cb.state).toBe("Closed") // 9 calls < minimum
      yield* calls(cb, 1, boom) // 4 / 10 = 40 %
      expect(yield* cb.state).toBe("Closed")
      expect((yield* cb.metrics).failureRate).toBe(40)
      yield* calls(cb, 1, boom) // evicts the oldest success: 5 / 10 = 50 %
      expect(yield* cb.metrics).toMatchObject({ calls: 10, failures: 5 })
      expect(yield* cb.state).toBe("Open")
    }))

  it.effect("count window evicts old failures as new successes arrive", () =>
    Effect.gen(function*() {
      const cb = yield* r4j({ minimumNumberOfCalls: 5 })
      yield* calls(cb, 2, boom)
      yield* calls(cb, 3, ok) // 2 / 5 = 40 %
      yield* calls(cb, 10, ok) // window is now all successes
      expect(yield* cb.metrics).toMatchObject({ calls: 10, failures: 0, failureRate: 0 })
      yield* calls(cb, 4, boom) // 4 / 10
      expect(yield* cb.state).toBe("Closed")
    }))

  it.effect("slow calls open the breaker even when every call succeeds", () =>
    Effect.gen(function*() {
      const cb = yield* r4j({ slowCallDurationThreshold: "1 second", slowCallRateThreshold: 50 })
      const call = (d: number) =>
        Effect.gen(function*() {
          const f = yield* Effect.fork(cb.protect(Effect.sleep(d)))
          yield* TestClock.adjust(d)
          yield* Fiber.join(f)
        })
      for (let i = 0; i < 5; i++) yield* call(1000) // exactly at the threshold: not slow
      for (let i = 0; i < 4; i++) yield* call(1001)
      expect(yield* cb.metrics).toMatchObject({ calls: 9, failures: 0, slowCalls: 4 })
      expect(yield* cb.state).toBe("Closed")
      yield* call(2000) // 5 / 10 slow = 50 %
      expect(yield* cb.state).toBe("Open")
    }))

  it.effect("several half-open trials are evaluated together once all complete; extra calls fail fast", () =>
    Effect.gen(function*() {
      const cb = yield* r4j({ permittedNumberOfCallsInHalfOpenState: 3 })
      yield* calls(cb, 10, boom)
      yield* TestClock.adjust("10001 millis") // strictly after the 10 s wait
      const gates = yield* Effect.forEach([0, 1, 2], () => Deferred.make<void, string>())
      const trials = yield* Effect.forEach(gates, (g) => forkStarted(cb, Deferred.await(g)))
      expect(Either.isLeft(yield* Effect.either(cb.protect(ok)))).toBe(true) // 4th call: no permit
      yield* Deferred.fail(gates[0]!, "boom")
      yield* Fiber.await(trials[0]!)
      yield* Deferred.succeed(gates[1]!, undefined)
      yield* Fiber.await(trials[1]!)
      expect(yield* cb.state).toBe("HalfOpen") // 2 of 3 done: not evaluated yet
      expect(yield* cb.metrics).toMatchObject({ calls: 2, failures: 1 })
      yield* Deferred.succeed(gates[2]!, undefined)
      yield* Fiber.await(trials[2]!)
      expect(yield* cb.state).toBe("Closed") // 1 / 3 = 33 % < 50 %
    }))

  it.effect("half-open trials reopen the breaker when their failure rate reaches the threshold", () =>
    Effect.gen(function*() {
      const cb = yield* r4j({ permittedNumberOfCallsInHalfOpenState: 4 })
      yield* calls(cb, 10, boom)
      yield* TestClock.adjust("10001 millis") // strictly after the 10 s wait
      yield* calls(cb, 2, ok)
      yield* calls(cb, 1, boom)
      expect(yield* cb.state).toBe("HalfOpen")
      yield* calls(cb, 1, boom) // 2 / 4 = 50 %
      expect(yield* cb.state).toBe("Open")
    }))

  it.effect("half-open trials reopen the breaker when too many are slow", () =>
    Effect.gen(function*() {
      const cb = yield* r4j({
        permittedNumberOfCallsInHalfOpenState: 2,
        slowCallDurationThreshold: "100 millis",
        slowCallRateThreshold: 50
      })
      yield* calls(cb, 10, boom)
      yield* TestClock.adjust("10001 millis") // strictly after the 10 s wait
      yield* calls(cb, 1, ok)
      const f = yield* Effect.fork(cb.protect(Effect.sleep("200 millis")))
      yield* TestClock.adjust("200 millis")
      yield* Fiber.join(f)
      expect(yield* cb.state).toBe("Open")
    }))

  it.effect("invalid options are a defect", () =>
    Effect.gen(function*() {
      const exit = yield* Effect.exit(make("bad", { permittedNumberOfCallsInHalfOpenState: 0 }))
      expect(Exit.isFailure(exit)).toBe(true)
    }))
})

describe("CircuitBreaker (resilience4j fidelity)", () => {
  const r4jCount = (overrides: MakeOptions = {}) =>
    make("r4j", {
      ...CircuitBreakerOptions.resilience4j,
      slidingWindowSize: 10,
      minimumNumberOfCalls: 5,
      waitDurationInOpenState: "10 seconds",
      ...overrides
    })

  it.effect("rates are −1 below the minimum number of calls (resilience4j), 0 without calls (Hystrix)", () =>
    Effect.gen(function*() {
      const r4j = yield* r4jCount()
      expect(yield* r4j.metrics).toMatchObject({ calls: 0, failureRate: -1, slowCallRate: -1 })
      yield* calls(r4j, 4, boom)
      expect(yield* r4j.metrics).toMatchObject({ calls: 4, failures: 4, failureRate: -1, slowCallRate: -1 })
      yield* calls(r4j, 1, ok)
      expect(yield* r4j.metrics).toMatchObject({ calls: 5, failureRate: 80, slowCallRate: 0 })

      const hystrix = yield* make("hystrix")
      expect(yield* hystrix.metrics).toMatchObject({ calls: 0, failureRate: 0, slowCallRate: 0 })
      yield* calls(hystrix, 4, boom)
      expect((yield* hystrix.metrics).failureRate).toBe(100)
    }))

  it.effect("not-permitted calls are counted afresh in each state (resilience4j), since creation (Hystrix)", () =>
    Effect.gen(function*() {
      const r4j = yield* r4jCount({ permittedNumberOfCallsInHalfOpenState: 1 })
      yield* calls(r4j, 5, boom)
      yield* calls(r4j, 3, ok) // rejected while Open
      expect((yield* r4j.metrics).rejected).toBe(3)
      yield* TestClock.adjust("10001 millis")
      const trial = yield* forkStarted(r4j, Effect.never)
      yield* calls(r4j, 2, ok) // rejected while HalfOpen: the Open state's 3 are gone
      expect(yield* r4j.state).toBe("HalfOpen")
      expect((yield* r4j.metrics).rejected).toBe(2)
      yield* Fiber.interrupt(trial)

      const hystrix = yield* trippedHystrix()
      yield* calls(hystrix, 3, ok)
      yield* TestClock.adjust("5 seconds")
      const hTrial = yield* forkStarted(hystrix, Effect.never)
      yield* calls(hystrix, 2, ok)
      expect((yield* hystrix.metrics).rejected).toBe(5)
      yield* Fiber.interrupt(hTrial)
    }))

  it.effect("Open keeps the metrics that opened it (resilience4j); Hystrix shows the rolling window", () =>
    Effect.gen(function*() {
      const options = { slidingWindowType: "time", slidingWindowSize: 10, minimumNumberOfCalls: 5, waitDurationInOpenState: "60 seconds" } as const
      const r4j = yield* make("r4j", { ...CircuitBreakerOptions.resilience4j, ...options })
      const hystrix = yield* make("hystrix", { ...CircuitBreakerOptions.hystrix, ...options })
      yield* calls(r4j, 5, boom)
      yield* calls(hystrix, 5, boom)
      yield* TestClock.adjust("30 seconds") // the window's buckets have all rolled out
      expect(yield* r4j.state).toBe("Open")
      expect(yield* r4j.metrics).toMatchObject({ calls: 5, failures: 5, failureRate: 100 })
      expect(yield* hystrix.state).toBe("Open")
      expect(yield* hystrix.metrics).toMatchObject({ calls: 0, failures: 0, failureRate: 0 })
    }))

  it.effect("Open → HalfOpen strictly after the wait (resilience4j), at the wait (Hystrix); both stamped opened-at + wait", () =>
    Effect.gen(function*() {
      const seen: Array<BreakerTransition> = []
      const r4j = yield* make("r4j", {
        ...CircuitBreakerOptions.resilience4j,
        slidingWindowSize: 10,
        minimumNumberOfCalls: 5,
        waitDurationInOpenState: "10 seconds",
        onTransition: (t) => Effect.sync(() => seen.push(t))
      })
      yield* calls(r4j, 5, boom)
      yield* TestClock.adjust("10 seconds")
      expect(yield* r4j.state).toBe("Open")
      expect((yield* Effect.flip(r4j.protect(ok))).retryAfterMillis).toBe(0)
      yield* TestClock.adjust("1 millis")
      expect(yield* r4j.state).toBe("HalfOpen")
      expect(seen.map((t) => [t.from, t.to, t.atMillis])).toEqual([["Closed", "Open", 0], ["Open", "HalfOpen", 10_000]])

      const hystrix = yield* trippedHystrix()
      yield* TestClock.adjust("5 seconds") // 5 s after it opened at 10 001
      expect(yield* hystrix.state).toBe("HalfOpen")
    }))

  it.effect("half-open decides after min(minimum calls, permitted calls) (resilience4j), after every permitted call (Hystrix)", () =>
    Effect.gen(function*() {
      const r4j = yield* r4jCount({ minimumNumberOfCalls: 2, slidingWindowSize: 2, permittedNumberOfCallsInHalfOpenState: 5 })
      yield* calls(r4j, 2, boom)
      yield* TestClock.adjust("10001 millis")
      yield* calls(r4j, 1, ok)
      expect(yield* r4j.state).toBe("HalfOpen")
      expect((yield* r4j.metrics).failureRate).toBe(-1) // 1 of the 2 trials it needs
      yield* calls(r4j, 1, ok)
      expect(yield* r4j.state).toBe("Closed") // decided after 2 of 5 permitted trials

      const hystrix = yield* make("hystrix", { permittedNumberOfCallsInHalfOpenState: 3 })
      yield* calls(hystrix, 20, boom)
      yield* TestClock.adjust("5 seconds")
      yield* calls(hystrix, 2, ok)
      expect(yield* hystrix.state).toBe("HalfOpen") // waits for all 3 (minimum 20 is not its rule)
      yield* calls(hystrix, 1, ok)
      expect(yield* hystrix.state).toBe("Closed")
    }))

  it.effect("an ignored error is not recorded and gives the half-open permit back", () =>
    Effect.gen(function*() {
      const cb = yield* r4jCount({ isIgnored: (e) => e === "busy", permittedNumberOfCallsInHalfOpenState: 1 })
      yield* calls(cb, 20, Effect.fail("busy"))
      expect(yield* cb.metrics).toMatchObject({ calls: 0, failures: 0 })
      expect(yield* cb.state).toBe("Closed")
      yield* calls(cb, 5, boom)
      yield* TestClock.adjust("10001 millis")
      yield* Effect.either(cb.protect(Effect.fail("busy"))) // takes the only permit, then gives it back
      expect(yield* cb.state).toBe("HalfOpen")
      expect((yield* cb.metrics).calls).toBe(0)
      let ran = false
      yield* cb.protect(Effect.sync(() => {
        ran = true
      }))
      expect(ran).toBe(true)
      expect(yield* cb.state).toBe("Closed")
    }))

  it.effect("force-open rejects every call and never half-opens; disable lets every call through and records nothing", () =>
    Effect.gen(function*() {
      const cb = yield* r4jCount()
      yield* cb.forceOpen
      expect(yield* cb.state).toBe("ForcedOpen")
      const refused = yield* Effect.flip(cb.protect(ok))
      expect(refused.retryAfterMillis).toBe(Number.POSITIVE_INFINITY)
      yield* TestClock.adjust("1 hour")
      expect(yield* cb.state).toBe("ForcedOpen")
      expect((yield* cb.metrics).rejected).toBe(1)
      yield* cb.disable
      expect(yield* cb.state).toBe("Disabled")
      yield* calls(cb, 50, boom)
      expect(yield* cb.state).toBe("Disabled")
      expect(yield* cb.metrics).toMatchObject({ calls: 0, failures: 0, rejected: 0 })
    }))

  it.effect("manual transitions start afresh, Open waits from now, Closed → HalfOpen is refused; reset clears everything", () =>
    Effect.gen(function*() {
      const seen: Array<string> = []
      const cb = yield* r4jCount({ onTransition: (t) => Effect.sync(() => seen.push(`${t.from}->${t.to} ${t.reason}`)) })
      const illegal = yield* Effect.flip(cb.transitionTo("HalfOpen"))
      expect(illegal).toMatchObject({ _tag: "IllegalBreakerTransition", from: "Closed", to: "HalfOpen" })
      expect(yield* cb.state).toBe("Closed")
      yield* calls(cb, 3, boom)
      yield* TestClock.adjust("1 second")
      yield* cb.transitionTo("Open")
      expect(yield* cb.metrics).toMatchObject({ calls: 3, failures: 3, failureRate: -1 }) // kept, still too few to judge
      yield* TestClock.adjust("10001 millis")
      expect(yield* cb.state).toBe("HalfOpen") // waited from the manual transition at 1 s
      yield* cb.transitionTo("Closed")
      expect((yield* cb.metrics).calls).toBe(0)
      yield* calls(cb, 4, boom)
      yield* cb.reset
      expect(yield* cb.metrics).toMatchObject({ calls: 0, failures: 0, rejected: 0 })
      yield* cb.transitionTo("ForcedOpen")
      yield* cb.reset
      expect(yield* cb.state).toBe("Closed")
      expect(seen).toEqual([
        "Closed->Open manual",
        "Open->HalfOpen wait duration 10000ms elapsed",
        "HalfOpen->Closed manual",
        "Closed->ForcedOpen manual",
        "ForcedOpen->Closed reset"
      ])
    }))

  it.effect("onCall reports each call's outcome, times and place in the breaker's order; policy is plain data", () =>
    Effect.gen(function*() {
      const reported: Array<BreakerCall> = []
      const cb = yield* make("payment", { minimumNumberOfCalls: 2, onCall: (c) => Effect.sync(() => reported.push(c)) })
      const slow = yield* forkStarted(cb, Effect.zipRight(Effect.sleep("2 seconds"), boom))
      yield* calls(cb, 2, boom) // opens at t = 0
      yield* Effect.exit(cb.protect(ok)) // rejected
      yield* TestClock.adjust("2 seconds")
      yield* Fiber.await(slow)
      expect(reported.map((c) => [c.outcome, c.startMillis, c.endMillis, c.admittedSeq, c.completedSeq])).toEqual([
        ["failure", 0, 0, 1, 2],
        ["failure", 0, 0, 3, 4],
        ["rejected", 0, 0, 5, 5],
        ["failure", 0, 2000, 0, 6]
      ])
      expect(cb.policy).toEqual({
        semantics: "hystrix",
        window: "time",
        windowSize: 10,
        buckets: 10,
        minimumCalls: 2,
        failureRate: 50,
        slowCallMillis: null,
        slowCallRate: 100,
        waitMillis: 5000,
        halfOpenCalls: 1
      })
    }))
})
