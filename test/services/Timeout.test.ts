/**
 * resilience/Timeout.ts: on the kernel's clock (callback timers) the timeouts give what
 * Effect.timeoutTo / timeoutFail give on any other clock.
 */
import { Effect, Exit, Fiber } from "effect"
import { describe, expect, it } from "vitest"
import { timeoutFail, timeoutTo } from "../../src/services/resilience/Timeout.js"
import { Kernel } from "../../src/sim/kernel/Kernel.js"

const inKernel = <A>(program: Effect.Effect<A>) => {
  const result = new Kernel({}).run(program)
  if (result._tag !== "Completed" || result.exit._tag !== "Success") throw new Error(`run: ${result._tag}`)
  return result.exit.value
}

const scenario = (to: typeof timeoutTo) =>
  Effect.gen(function*() {
    const log: Array<string> = []
    const now = Effect.clockWith((c) => c.currentTimeMillis)
    const work = (millis: number) =>
      Effect.sleep(millis).pipe(Effect.as(millis), Effect.onInterrupt(() => Effect.sync(() => log.push(`interrupted ${millis}`))))
    const fast = yield* to(work(10), { duration: 50, onSuccess: (n) => `ok ${n}`, onTimeout: () => "timeout" })
    const t1 = yield* now
    const slow = yield* to(work(100), { duration: 50, onSuccess: (n) => `ok ${n}`, onTimeout: () => "timeout" })
    const t2 = yield* now
    const failed = yield* Effect.exit(to(Effect.fail("boom"), { duration: 50, onSuccess: () => "ok", onTimeout: () => "timeout" }))
    const typed = yield* Effect.either(timeoutFail(work(100), { duration: 20, onTimeout: () => "late" as const }))
    const caller = yield* Effect.fork(to(work(1000), { duration: 500, onSuccess: () => "ok", onTimeout: () => "timeout" }))
    yield* Effect.sleep(5)
    yield* Fiber.interrupt(caller)
    return { fast, t1, slow, t2, failed: Exit.isFailure(failed), typed: typed._tag, log }
  })

describe("Timeout", () => {
  it("gives on the kernel's clock what Effect.timeoutTo gives", () => {
    const expected = {
      fast: "ok 10",
      t1: 10,
      slow: "timeout",
      t2: 60,
      failed: true,
      typed: "Left",
      log: ["interrupted 100", "interrupted 100", "interrupted 1000"]
    }
    expect(inKernel(scenario(timeoutTo))).toEqual(expected)
    const stock: typeof timeoutTo = (self, options) => Effect.timeoutTo(self, options)
    expect(inKernel(scenario(stock))).toEqual(expected)
  })
})
