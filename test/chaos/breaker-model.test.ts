/**
 * The reference model of a breaker's policy (chaos/invariants/BreakerModel.ts) agrees with the real
 * breaker (services/resilience/CircuitBreaker.ts) on random bursts of concurrent calls under both
 * semantics, and the conformance check built on it (BreakerConformance.ts) catches a breaker that
 * departs from its policy.
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect, Fiber, TestClock, TestContext } from "effect"
import fc from "fast-check"
import type { HistoryEntry } from "../../src/chaos/history/History.js"
import { breakersFollowPolicy } from "../../src/chaos/invariants/BreakerConformance.js"
import type { RunTruth } from "../../src/chaos/invariants/RunTruth.js"
import { type CircuitBreakerOptions, make, type MakeOptions } from "../../src/services/resilience/CircuitBreaker.js"

interface Call {
  readonly millis: number
  readonly result: "ok" | "boom" | "busy"
}
type Burst = { readonly calls: ReadonlyArray<Call>; readonly gapMillis: number }

const truthOf = (history: ReadonlyArray<HistoryEntry>): RunTruth => ({
  history,
  orders: [],
  payments: [],
  makes: [],
  mypages: [],
  outboxBacklog: {},
  brokerPending: 0,
  brokerLag: 0,
  deadLetters: 0
})

/** Runs bursts of concurrent calls through a breaker on the TestClock; the history its notes make. */
const recordRun = (options: Partial<CircuitBreakerOptions>, bursts: ReadonlyArray<Burst>, defect?: MakeOptions["defect"]) =>
  Effect.gen(function*() {
    const history: Array<HistoryEntry> = []
    const note = (n: Extract<HistoryEntry, { type: "note" }>["note"]) => Effect.sync(() => history.push({ t: 0, type: "note", note: n }))
    const cb = yield* make("b", {
      ...options,
      isIgnored: (e) => e === "busy",
      ...(defect === undefined ? {} : { defect }),
      onTransition: (t) => note({ _tag: "BreakerTransition", pod: "p-0", breaker: "b", from: t.from, to: t.to, reason: t.reason, at: t.atMillis }),
      onCall: (c) =>
        note({ _tag: "BreakerCall", pod: "p-0", breaker: "b", outcome: c.outcome, start: c.startMillis, end: c.endMillis, seq: [c.admittedSeq, c.completedSeq] })
    })
    history.push({ t: 0, type: "note", note: { _tag: "BreakerConfigured", pod: "p-0", breaker: "b", policy: cb.policy } })
    for (const burst of bursts) {
      const fibers = yield* Effect.forEach(burst.calls, (c) =>
        Effect.fork(Effect.exit(cb.protect(Effect.sleep(c.millis).pipe(Effect.zipRight(c.result === "ok" ? Effect.void : Effect.fail(c.result)))))))
      yield* TestClock.adjust(Math.max(0, ...burst.calls.map((c) => c.millis)) + burst.gapMillis)
      yield* Effect.forEach(fibers, Fiber.join, { discard: true })
    }
    return history
  }).pipe(Effect.provide(TestContext.TestContext))

const call = fc.record({ millis: fc.integer({ min: 0, max: 900 }), result: fc.constantFrom("ok", "boom", "boom", "busy") })
const bursts = fc.array(fc.record({ calls: fc.array(call, { minLength: 1, maxLength: 4 }), gapMillis: fc.integer({ min: 0, max: 2_500 }) }), {
  minLength: 1,
  maxLength: 40
})

const hystrixLike: Partial<CircuitBreakerOptions> = {
  semantics: "hystrix",
  slidingWindowType: "time",
  slidingWindowSize: 4,
  numberOfBuckets: 4,
  minimumNumberOfCalls: 4,
  waitDurationInOpenState: "2 seconds",
  permittedNumberOfCallsInHalfOpenState: 2,
  slowCallDurationThreshold: "600 millis",
  slowCallRateThreshold: 60
}
const resilience4jLike: Partial<CircuitBreakerOptions> = {
  semantics: "resilience4j",
  slidingWindowType: "count",
  slidingWindowSize: 5,
  minimumNumberOfCalls: 3,
  waitDurationInOpenState: "2 seconds",
  permittedNumberOfCallsInHalfOpenState: 3,
  slowCallDurationThreshold: "500 millis",
  slowCallRateThreshold: 50
}

describe("breaker reference model", () => {
  for (const [label, options] of [["Hystrix", hystrixLike], ["resilience4j", resilience4jLike]] as const) {
    it(`agrees with the ${label} breaker on random bursts of concurrent calls`, async () => {
      const seen = new Set<string>()
      await fc.assert(
        fc.asyncProperty(bursts, async (bs) => {
          const history = await Effect.runPromise(recordRun(options, bs))
          for (const e of history) {
            if (e.type === "note" && e.note._tag === "BreakerTransition") seen.add(`${e.note.from}→${e.note.to}`)
            if (e.type === "note" && e.note._tag === "BreakerCall") seen.add(e.note.outcome)
          }
          const verdict = breakersFollowPolicy(truthOf(history))
          expect(verdict.ok, verdict.detail).toBe(true)
        }),
        { numRuns: 80, seed: 42 }
      )
      // the samples went through every transition and every kind of outcome
      expect([...seen].sort()).toEqual(
        ["Closed→Open", "HalfOpen→Closed", "HalfOpen→Open", "Open→HalfOpen", "failure", "ignored", "rejected", "success"].sort()
      )
    })
  }

  it("catches a breaker that never opens, and one whose policy differs from the one recorded", async () => {
    const failing: ReadonlyArray<Burst> = Array.from({ length: 6 }, () => ({ calls: [{ millis: 10, result: "boom" as const }], gapMillis: 100 }))
    const never = await Effect.runPromise(recordRun(hystrixLike, failing, "never-opens"))
    const verdict = breakersFollowPolicy(truthOf(never))
    expect(verdict.ok).toBe(false)
    expect(verdict.detail).toContain("was let through while the policy rejects it (Open)")
    // the real breaker, but the history claims a higher minimum number of calls
    const real = await Effect.runPromise(recordRun(hystrixLike, failing))
    const claimed = real.map((e): HistoryEntry =>
      e.type === "note" && e.note._tag === "BreakerConfigured" ? { ...e, note: { ...e.note, policy: { ...e.note.policy, minimumCalls: 10 } } } : e
    )
    expect(breakersFollowPolicy(truthOf(real)).ok).toBe(true)
    expect(breakersFollowPolicy(truthOf(claimed)).ok).toBe(false)
  })

  it("is not judged without a recorded breaker", () => {
    expect(breakersFollowPolicy(truthOf([])).detail).toMatch(/^not judged/)
  })
})
