import {
  Clock,
  Deferred,
  Duration,
  Effect,
  Exit,
  Fiber,
  Option,
  Queue,
  Random,
  Ref
} from "effect"
import { describe, expect, it } from "vitest"
import { Kernel, make, type RunResult, withFiberLabel } from "../../src/sim/kernel/Kernel.js"
import { SeededPrng } from "../../src/sim/kernel/SeededPrng.js"
import { TimerHeap } from "../../src/sim/kernel/TimerHeap.js"
import { runToySiegeOnKernel, runToySiegeOnTestClock } from "../../src/sim/bench/ToySiege.js"

const completed = <A, E>(result: RunResult<A, E>): A => {
  if (result._tag !== "Completed") throw new Error(`expected Completed, got ${result._tag}`)
  if (Exit.isFailure(result.exit)) throw new Error(`expected success, got ${String(result.exit.cause)}`)
  return result.exit.value
}

describe("SeededPrng", () => {
  it("is deterministic per seed and stays in range", () => {
    const a = new SeededPrng(123)
    const b = new SeededPrng(123)
    const c = new SeededPrng(124)
    const sa = Array.from({ length: 50 }, () => a.nextUint32())
    const sb = Array.from({ length: 50 }, () => b.nextUint32())
    const sc = Array.from({ length: 50 }, () => c.nextUint32())
    expect(sa).toEqual(sb)
    expect(sa).not.toEqual(sc)
    const p = new SeededPrng(9)
    const seen = new Set<number>()
    for (let i = 0; i < 2000; i++) {
      const x = p.nextInt(7)
      expect(x >= 0 && x < 7 && Number.isInteger(x)).toBe(true)
      seen.add(x)
    }
    expect(seen.size).toBe(7)
  })
})

describe("TimerHeap", () => {
  it("pops in (atMillis, insertion) order and cancels eagerly", () => {
    const heap = new TimerHeap()
    const prng = new SeededPrng(1)
    const fired: Array<number> = []
    const handles = []
    for (let i = 0; i < 500; i++) {
      handles.push(heap.push(prng.nextInt(40), (id: number) => fired.push(id), i))
    }
    // cancel every third timer
    let live = 500
    for (let i = 0; i < 500; i += 3) {
      expect(heap.cancel(handles[i]!)).toBe(true)
      expect(heap.cancel(handles[i]!)).toBe(false)
      live--
      expect(heap.size).toBe(live)
    }
    const expected = handles
      .filter((_, i) => i % 3 !== 0)
      .sort((a, b) => a.atMillis - b.atMillis || a.seq - b.seq)
      .map((h) => h.seq)
    let last = -Infinity
    for (;;) {
      const t = heap.pop()
      if (t === undefined) break
      expect(t.atMillis).toBeGreaterThanOrEqual(last)
      last = t.atMillis
      t.fire()
    }
    expect(fired).toEqual(expected)
    expect(heap.size).toBe(0)
    expect(heap.peekAtMillis()).toBe(Infinity)
    expect(heap.cancel(handles[1]!)).toBe(false) // already fired
  })
})

describe("Kernel: virtual time", () => {
  it("a 1-hour sleep completes instantly at 3 600 000 ms", () => {
    const kernel = make()
    const result = kernel.run(
      Effect.gen(function*() {
        yield* Effect.sleep(Duration.hours(1))
        return [yield* Clock.currentTimeMillis, yield* Clock.currentTimeNanos] as const
      })
    )
    const [millis, nanos] = completed(result)
    expect(millis).toBe(3_600_000)
    expect(nanos).toBe(3_600_000n * 1_000_000n)
    expect(result.nowMillis).toBe(3_600_000)
    expect(kernel.nowMillis).toBe(3_600_000)
    expect(result.timersFired).toBe(1)
  })

  it("moves only through timers: CPU work and yields leave it alone", () => {
    const kernel = make({ startMillis: 1_000 })
    const result = kernel.run(
      Effect.gen(function*() {
        let x = 0
        for (let i = 0; i < 5_000; i++) {
          x += i
          yield* Effect.yieldNow()
        }
        return [x, yield* Clock.currentTimeMillis] as const
      })
    )
    expect(completed(result)).toEqual([12_497_500, 1_000])
    expect(result.nowMillis).toBe(1_000)
    expect(result.timersFired).toBe(0)
    expect(result.steps).toBeGreaterThan(5_000)
  })

  it("fires timers due at the same instant in insertion order", () => {
    const kernel = make()
    const order: Array<string> = []
    // raw timers registered before the run, interleaved with fiber sleeps
    kernel.scheduleAt(500, () => order.push("raw-a"))
    const result = kernel.run(
      Effect.gen(function*() {
        const fibers = []
        for (let i = 0; i < 20; i++) {
          fibers.push(yield* Effect.fork(Effect.sleep(500).pipe(Effect.andThen(() => order.push(`f${i}`)))))
          if (i === 9) {
            yield* Effect.yieldNow() // let f0..f9 start and register their sleeps
            yield* Effect.sync(() => kernel.scheduleAfter(500, () => order.push("raw-b")))
          }
        }
        yield* Fiber.joinAll(fibers)
      })
    )
    completed(result)
    expect(result.nowMillis).toBe(500)
    const fibersOrder = Array.from({ length: 20 }, (_, i) => `f${i}`)
    expect(order).toEqual(["raw-a", ...fibersOrder.slice(0, 10), "raw-b", ...fibersOrder.slice(10)])
  })

  it("Effect.timeout cancels the losing sleep's timer; time never reaches it", () => {
    const kernel = make()
    const result = kernel.run(
      Effect.gen(function*() {
        const timedOut = yield* Effect.sleep(Duration.seconds(10)).pipe(Effect.timeout(Duration.seconds(1)), Effect.option)
        const pendingAfterTimeout = kernel.pendingTimers
        const fast = yield* Effect.sleep(100).pipe(Effect.as("fast"), Effect.timeout(Duration.minutes(5)))
        const pendingAfterFast = kernel.pendingTimers
        const sleeper = yield* Effect.fork(Effect.sleep(Duration.hours(2)))
        yield* Effect.yieldNow()
        const pendingWithSleeper = kernel.pendingTimers
        yield* Fiber.interrupt(sleeper)
        return { timedOut, pendingAfterTimeout, fast, pendingAfterFast, pendingWithSleeper, end: kernel.pendingTimers }
      })
    )
    expect(completed(result)).toEqual({
      timedOut: Option.none(),
      pendingAfterTimeout: 0,
      fast: "fast",
      pendingAfterFast: 0,
      pendingWithSleeper: 1,
      end: 0
    })
    expect(result.nowMillis).toBe(1_100)
    expect(result.timersFired).toBe(2)
    expect(kernel.stats.timersCancelled).toBe(3)
  })
})

describe("Kernel: stops", () => {
  it("reports a deadlock (Deferred never completed) instead of hanging, and runs finalizers", () => {
    const kernel = make()
    let finalized = 0
    const result = kernel.run(
      Effect.gen(function*() {
        const never = yield* Deferred.make<void>()
        const child = yield* Effect.fork(
          Deferred.await(never).pipe(
            Effect.ensuring(Effect.sync(() => finalized++)),
            withFiberLabel("waiter")
          )
        )
        yield* Effect.sleep(250)
        yield* Fiber.join(child)
      }).pipe(Effect.ensuring(Effect.sync(() => finalized++)))
    )
    expect(result._tag).toBe("Deadlock")
    if (result._tag !== "Deadlock") return
    expect(result.nowMillis).toBe(250)
    expect(result.blocked).toEqual(["fiber#0 (root)", 'fiber#1 "waiter"'])
    expect(finalized).toBe(2)
    expect(result.exit !== undefined && Exit.isInterrupted(result.exit)).toBe(true)
    expect(kernel.stats.liveFibers).toBe(0)
  })

  it("reports Effect.never as a deadlock", () => {
    const result = make().run(Effect.never)
    expect(result._tag).toBe("Deadlock")
    expect(result._tag === "Deadlock" && result.blocked).toEqual(["fiber#0 (root)"])
  })

  it("untilMillis stops a never-ending loop and runs finalizers (root's and children's)", () => {
    const kernel = make()
    let ticks = 0
    const released: Array<string> = []
    const result = kernel.run(
      Effect.gen(function*() {
        yield* Effect.fork(
          Effect.acquireRelease(Effect.void, () => Effect.sync(() => released.push("child"))).pipe(
            Effect.andThen(Effect.never),
            Effect.scoped
          )
        )
        yield* Effect.forever(Effect.sleep(100).pipe(Effect.andThen(() => ticks++)))
      }).pipe(Effect.ensuring(Effect.sync(() => released.push("root")))),
      { untilMillis: 10_050 }
    )
    expect(result._tag).toBe("TimeLimit")
    expect(result._tag === "TimeLimit" && result.live).toEqual(["fiber#0 (root)", "fiber#1"])
    expect(result.nowMillis).toBe(10_050)
    expect(ticks).toBe(100)
    expect(released.sort()).toEqual(["child", "root"])
    expect(result._tag === "TimeLimit" && result.exit !== undefined && Exit.isInterrupted(result.exit)).toBe(true)
    expect(kernel.pendingTimers).toBe(0)
  })

  it("stackTraceLimit holds while the run executes, and the caller's is put back after, also on a throw", () => {
    const before = Error.stackTraceLimit
    const frames = (e: Error) => (e.stack ?? "").split("\n").filter((line) => line.trimStart().startsWith("at ")).length
    const inside = make().run(Effect.sync(() => frames(new Error("inside"))), { stackTraceLimit: 0 })
    expect(completed(inside)).toBe(0)
    expect(Error.stackTraceLimit).toBe(before)
    expect(frames(new Error("outside"))).toBeGreaterThan(0)
    // a raw timer callback that throws escapes run(); the limit is put back all the same
    const kernel = make()
    const throwing = Effect.zipRight(
      Effect.sync(() => kernel.scheduleAfter(5, () => {
        throw new Error("timer callback")
      })),
      Effect.sleep(10)
    )
    expect(() => kernel.run(throwing, { stackTraceLimit: 0 })).toThrow("timer callback")
    expect(Error.stackTraceLimit).toBe(before)
    // without the option the run leaves the limit alone
    expect(completed(make().run(Effect.sync(() => frames(new Error("default")))))).toBeGreaterThan(0)
  })

  it("maxSteps stops a livelock", () => {
    const result = make().run(Effect.forever(Effect.yieldNow()), { maxSteps: 10_000 })
    expect(result._tag).toBe("StepLimit")
    expect(result.nowMillis).toBe(0)
    expect(result._tag === "StepLimit" && result.exit !== undefined && Exit.isInterrupted(result.exit)).toBe(true)
  })

  it("rejects reentrant run and shuts down leftover daemon fibers", () => {
    const kernel = make()
    let daemonFinalized = false
    let ticks = 0
    const result = kernel.run(
      Effect.gen(function*() {
        yield* Effect.forkDaemon(
          Effect.forever(Effect.sleep(1_000).pipe(Effect.andThen(() => ticks++))).pipe(
            Effect.ensuring(Effect.sync(() => (daemonFinalized = true)))
          )
        )
        yield* Effect.yieldNow() // let the daemon start and register its first sleep
        return yield* Effect.try({ try: () => kernel.run(Effect.void), catch: (e) => String(e) }).pipe(Effect.flip)
      })
    )
    expect(completed(result)).toMatch(/not reentrant/)
    expect(kernel.stats.liveFibers).toBe(1)
    expect(kernel.pendingTimers).toBe(1)
    // time and daemons carry over to the next run
    completed(kernel.run(Effect.sleep(3_500)))
    expect(ticks).toBe(3)
    expect(kernel.nowMillis).toBe(3_500)
    expect(kernel.shutdown()).toBe(0)
    expect(daemonFinalized).toBe(true)
    expect(kernel.pendingTimers).toBe(0)
    expect(kernel.stats.liveFibers).toBe(0)
  })
})

// Many fibers, each taking several steps, log (fiber, step) in the order they run.
const interleavings = Effect.gen(function*() {
  const log: Array<string> = []
  yield* Effect.forEach(
    Array.from({ length: 40 }, (_, i) => i),
    (i) =>
      Effect.gen(function*() {
        for (let step = 0; step < 3; step++) {
          log.push(`${i}.${step}`)
          yield* Effect.yieldNow()
        }
        log.push(`${i}.sleep`) // same task as the sleep's timer registration
        yield* Effect.sleep(10)
        log.push(`${i}.woke`)
      }),
    { concurrency: "unbounded", discard: true }
  )
  return log
})

describe("Kernel: interleavings", () => {
  it("same seed + shuffle ⇒ identical order; different seeds ⇒ different orders", () => {
    const runWith = (seed: number) =>
      completed(new Kernel({ seed, shuffleReadyQueue: true, batchSimultaneousTimers: true }).run(interleavings))
    const a = runWith(1)
    expect(runWith(1)).toEqual(a)
    const b = runWith(2)
    expect(b).not.toEqual(a)
    expect([...b].sort()).toEqual([...a].sort())
    const plain = completed(make().run(interleavings))
    expect(plain).not.toEqual(a)
    // without shuffling, fibers take turns in fork order
    expect(plain.slice(0, 40)).toEqual(Array.from({ length: 40 }, (_, i) => `${i}.0`))
    expect(plain.slice(-40)).toEqual(Array.from({ length: 40 }, (_, i) => `${i}.woke`))
    expect(completed(make().run(interleavings))).toEqual(plain)
  })

  it("batchSimultaneousTimers lets the shuffle permute same-instant wakeups", () => {
    // Fibers go to sleep for the same 10 ms; compare the order in which
    // they fell asleep with the order in which they woke.
    const orders = (batch: boolean, seed: number) => {
      const log = completed(new Kernel({ seed, shuffleReadyQueue: true, batchSimultaneousTimers: batch }).run(interleavings))
      const fellAsleep = log.filter((e) => e.endsWith(".sleep")).map((e) => e.split(".")[0])
      const woke = log.filter((e) => e.endsWith(".woke")).map((e) => e.split(".")[0])
      return { fellAsleep, woke }
    }
    const sequential = orders(false, 5)
    expect(sequential.woke).toEqual(sequential.fellAsleep)
    const batched = orders(true, 5)
    expect(batched.woke).not.toEqual(batched.fellAsleep)
    expect([...batched.woke].sort()).toEqual([...batched.fellAsleep].sort())
  })

  it("maxOpsBeforeYield makes a busy fiber yield to others", () => {
    const busyVersusObserver = Effect.gen(function*() {
      let counter = 0
      const busy = yield* Effect.fork(Effect.gen(function*() {
        for (let i = 0; i < 10_000; i++) yield* Effect.sync(() => counter++)
      }))
      const observer = yield* Effect.fork(Effect.sync(() => counter))
      yield* Fiber.join(busy)
      return yield* Fiber.join(observer)
    })
    const seenWithSmallBudget = completed(new Kernel({ maxOpsBeforeYield: 100 }).run(busyVersusObserver))
    expect(seenWithSmallBudget).toBeGreaterThan(0)
    expect(seenWithSmallBudget).toBeLessThan(1_000)
    expect(completed(new Kernel({ maxOpsBeforeYield: 1e9 }).run(busyVersusObserver))).toBe(10_000)
  })

  it("honours scheduling priorities within a batch (lower first)", () => {
    const log = completed(
      make().run(
        Effect.gen(function*() {
          const log: Array<string> = []
          const f = (name: string, priority: number) =>
            Effect.gen(function*() {
              yield* Effect.yieldNow({ priority })
              log.push(name)
            })
          yield* Effect.all([f("p5", 5), f("p0", 0), f("p2", 2)], { concurrency: "unbounded", discard: true })
          return log
        })
      )
    )
    expect(log).toEqual(["p0", "p2", "p5"])
  })
})

describe("Kernel: Effect features", () => {
  it("nested forks with sleeps, yieldNow, Queue, Deferred, Fiber.join, Effect.all", () => {
    const kernel = make()
    const result = kernel.run(
      Effect.gen(function*() {
        const events = yield* Ref.make<Array<string>>([])
        const note = (e: string) =>
          Effect.flatMap(Clock.currentTimeMillis, (t) => Ref.update(events, (es) => [...es, `${t}:${e}`]))

        // nested forks
        const done = yield* Deferred.make<number>()
        const outer = yield* Effect.fork(
          Effect.gen(function*() {
            const inner = yield* Effect.fork(
              Effect.sleep(30).pipe(Effect.andThen(note("inner")), Effect.andThen(Deferred.succeed(done, 7)))
            )
            yield* Effect.sleep(10)
            yield* note("outer")
            return yield* Fiber.join(inner)
          })
        )
        expect(yield* Deferred.await(done)).toBe(7)
        yield* Fiber.join(outer)

        // queue producer / consumer
        const q = yield* Queue.bounded<number>(2)
        const consumer = yield* Effect.fork(
          Effect.gen(function*() {
            let sum = 0
            for (let i = 0; i < 5; i++) {
              sum += yield* Queue.take(q)
              yield* Effect.sleep(20)
            }
            return sum
          })
        )
        for (let i = 1; i <= 5; i++) {
          yield* Queue.offer(q, i)
          yield* Effect.yieldNow()
        }
        const sum = yield* Fiber.join(consumer)
        yield* note(`sum=${sum}`)

        // Effect.all with and without concurrency
        const sleeps = [100, 200, 50].map((ms) => Effect.sleep(ms).pipe(Effect.as(ms)))
        const parallel = yield* Effect.all(sleeps, { concurrency: "unbounded" })
        yield* note(`parallel=${parallel.join(",")}`)
        const sequential = yield* Effect.all(sleeps, { concurrency: 1 })
        yield* note(`sequential=${sequential.join(",")}`)
        const random = yield* Random.nextIntBetween(0, 1_000_000)
        return { events: yield* Ref.get(events), random }
      }),
      { seed: 99 }
    )
    const { events, random } = completed(result)
    expect(events).toEqual([
      "10:outer",
      "30:inner",
      "130:sum=15",
      "330:parallel=100,200,50",
      "680:sequential=100,200,50"
    ])
    expect(result.nowMillis).toBe(680)
    // the run's seed feeds Effect's Random
    const again = completed(make().run(Random.nextIntBetween(0, 1_000_000), { seed: 99 }))
    const other = completed(make().run(Random.nextIntBetween(0, 1_000_000), { seed: 100 }))
    expect(typeof random).toBe("number")
    expect(again).toBe(completed(make().run(Random.nextIntBetween(0, 1_000_000), { seed: 99 })))
    expect(other).not.toBe(again)
  })

  it("two kernels in one process do not interfere, even when one runs inside the other", () => {
    const a = make({ startMillis: 0 })
    const b = make({ startMillis: 1_000_000 })
    const result = a.run(
      Effect.gen(function*() {
        yield* Effect.sleep(100)
        const inner = yield* Effect.sync(() =>
          b.run(
            Effect.gen(function*() {
              yield* Effect.sleep(5_000)
              return yield* Clock.currentTimeMillis
            })
          )
        )
        yield* Effect.sleep(100)
        return { innerTime: completed(inner), outerTime: yield* Clock.currentTimeMillis }
      })
    )
    expect(completed(result)).toEqual({ innerTime: 1_005_000, outerTime: 200 })
    expect(a.nowMillis).toBe(200)
    expect(b.nowMillis).toBe(1_005_000)
    expect(a.stats.timersFired).toBe(2)
    expect(b.stats.timersFired).toBe(1)
  })
})

describe("Toy siege", () => {
  it("serves the same number of requests on the kernel and on TestClock", async () => {
    const config = { users: 8, seconds: 4, seed: 7 }
    const onKernel = runToySiegeOnKernel(config)
    const onTestClock = await runToySiegeOnTestClock(config)
    expect(onKernel.served).toBeGreaterThan(50)
    expect(onKernel.served).toBe(onKernel.sent)
    expect(onTestClock.served).toBe(onKernel.served)
    expect(onTestClock.sent).toBe(onKernel.sent)
    // deterministic on the kernel
    expect(runToySiegeOnKernel(config)).toEqual(onKernel)
    expect(runToySiegeOnKernel({ ...config, seed: 8 }).served).not.toBe(0)
  })
})
