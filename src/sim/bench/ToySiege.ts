/**
 * The toy siege of the kernel prototype (DESIGN.md §4): `users` fibers loop sending
 * requests to a server fiber, which answers each one from its own fiber after a
 * `Random` 400–620 ms, until `seconds` of virtual time have passed.
 *
 * The same program runs on the simulation kernel (`runToySiegeOnKernel`, synchronous)
 * and on Effect's `TestClock` (`runToySiegeOnTestClock`); for the same seed both serve
 * the same number of requests. The benchmark times them from outside (src/cli): there
 * is no wall-clock reading here.
 */
import * as Clock from "effect/Clock"
import * as Deferred from "effect/Deferred"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Fiber from "effect/Fiber"
import * as Queue from "effect/Queue"
import * as Random from "effect/Random"
import * as TestClock from "effect/TestClock"
import * as TestContext from "effect/TestContext"
import { Kernel, type KernelOptions } from "../kernel/Kernel.js"

export interface ToySiegeConfig {
  /** Number of concurrent users, each with one request in flight at a time. */
  readonly users: number
  /** Users stop sending once virtual time reaches this many seconds (from 0). */
  readonly seconds: number
}

export interface ToySiegeOutcome {
  /** Requests answered by the server. */
  readonly served: number
  /** Requests sent by users (equal to `served` once the siege has ended). */
  readonly sent: number
}

/** Server latency bounds, milliseconds (as in the prototype). */
export const SERVER_MIN_MILLIS = 400
export const SERVER_MAX_MILLIS = 620

/**
 * The siege as an Effect. Uses whatever Clock and Random it is run with; ends when every
 * user has stopped and got its last answer (the server fiber is scoped to it).
 */
export const toySiege = (config: ToySiegeConfig): Effect.Effect<ToySiegeOutcome> =>
  Effect.scoped(
    Effect.gen(function*() {
      const endMillis = config.seconds * 1000
      let served = 0
      let sent = 0
      const requests = yield* Queue.unbounded<Deferred.Deferred<number>>()

      const handle = (reply: Deferred.Deferred<number>) =>
        Effect.gen(function*() {
          const latency = yield* Random.nextIntBetween(SERVER_MIN_MILLIS, SERVER_MAX_MILLIS)
          yield* Effect.sleep(Duration.millis(latency))
          served++
          yield* Deferred.succeed(reply, latency)
        })
      yield* Effect.forkScoped(
        Effect.forever(Effect.flatMap(Queue.take(requests), (reply) => Effect.fork(handle(reply))))
      )

      const user = Effect.gen(function*() {
        while ((yield* Clock.currentTimeMillis) < endMillis) {
          const reply = yield* Deferred.make<number>()
          sent++
          yield* Queue.offer(requests, reply)
          yield* Deferred.await(reply)
        }
      })
      const users: Array<Fiber.RuntimeFiber<void>> = []
      for (let u = 0; u < config.users; u++) users.push(yield* Effect.fork(user))
      yield* Fiber.joinAll(users)
      return { served, sent }
    })
  )

export interface ToySiegeRunConfig extends ToySiegeConfig {
  /** Seed of Effect's `Random` for the run. */
  readonly seed: number
}

export interface ToySiegeKernelResult extends ToySiegeOutcome {
  /** Kernel steps (ready tasks run plus timers fired). */
  readonly steps: number
  readonly tasksRun: number
  readonly timersFired: number
  /** Virtual time at the end, milliseconds. */
  readonly nowMillis: number
}

/** Runs the siege on a fresh simulation kernel. Synchronous; throws if it does not complete. */
export const runToySiegeOnKernel = (
  config: ToySiegeRunConfig,
  kernelOptions: KernelOptions = {}
): ToySiegeKernelResult => {
  const kernel = new Kernel({ seed: config.seed, ...kernelOptions })
  const result = kernel.run(toySiege(config), { seed: config.seed })
  const stats = kernel.stats
  kernel.shutdown()
  if (result._tag !== "Completed") throw new Error(`toy siege on kernel stopped: ${result._tag}`)
  if (Exit.isFailure(result.exit)) throw new Error(`toy siege on kernel failed: ${String(result.exit.cause)}`)
  return {
    ...result.exit.value,
    steps: result.steps,
    tasksRun: stats.tasksRun,
    timersFired: stats.timersFired,
    nowMillis: result.nowMillis
  }
}

/**
 * Runs the siege under Effect's `TestContext`, driven by one `TestClock.adjust` past the
 * end (the baseline the kernel is measured against). Slow by design.
 */
export const runToySiegeOnTestClock = (config: ToySiegeRunConfig): Promise<ToySiegeOutcome> =>
  Effect.runPromise(
    Effect.gen(function*() {
      const siege = yield* Effect.fork(toySiege(config))
      yield* TestClock.adjust(Duration.seconds(config.seconds + 1))
      return yield* Fiber.join(siege)
    }).pipe(Effect.withRandom(Random.make(config.seed)), Effect.provide(TestContext.TestContext))
  )
