/**
 * A deterministic discrete-event kernel for Effect programs (DESIGN.md §4).
 *
 * - A custom `Scheduler` puts every ready fiber task on the kernel's ready queue instead
 *   of the host's microtask queue.
 * - A custom `Clock` reads virtual time and turns `sleep` into a timer in a
 *   {@link TimerHeap}; interrupting the sleeping fiber (e.g. `Effect.timeout` losing the
 *   race) removes the timer, when the interrupted fiber ends (an observer of the fiber, not
 *   an interruption handler per sleep).
 * - `run` forks the program and loops synchronously: drain the ready queue; when it is
 *   empty, pop the earliest timer, advance virtual time to it, fire it; stop when the
 *   root fiber is done, when nothing is runnable and no timer is pending (deadlock), or
 *   at a time or step limit.
 *
 * Nothing here awaits a host promise or uses a host timer: virtual time moves only
 * through timers, and the order of events is a function of the program, the options
 * and the seeds.
 *
 * The ready queue is processed in batches: the tasks present when a batch starts run in
 * order (optionally shuffled, see `shuffleReadyQueue`); tasks scheduled meanwhile form
 * the next batch. This mirrors Effect's default scheduler, which runs one drain per
 * microtask. Scheduling priorities are honoured like Effect does (lower first, stable)
 * within a batch.
 *
 * Caveats:
 * - Only fibers descending from `run` (or from a runtime captured inside it) are on the
 *   kernel. `Effect.runFork`/`runPromise` on the default runtime inside a simulation
 *   escapes to the host scheduler and clock.
 * - `run` returns as soon as the root is done; daemon fibers (and their timers) stay on
 *   the kernel and carry over into the next `run`. Effect also keeps them in its global
 *   root set, so call `shutdown()` when done with a kernel.
 * - `Effect.never` is implemented by Effect with a host interval (cleared when the fiber
 *   is interrupted). It does not affect the kernel, but keeps the process alive until
 *   the fiber is interrupted (which `run` does on a deadlock, and `shutdown` does).
 */
import * as Clock from "effect/Clock"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import type * as Exit from "effect/Exit"
import type * as Fiber from "effect/Fiber"
import * as FiberId from "effect/FiberId"
import * as FiberRef from "effect/FiberRef"
import type * as Option from "effect/Option"
import * as Random from "effect/Random"
import * as RuntimeFlags from "effect/RuntimeFlags"
import * as RuntimeFlagsPatch from "effect/RuntimeFlagsPatch"
import * as Context from "effect/Context"
import * as Scheduler from "effect/Scheduler"
import * as Supervisor from "effect/Supervisor"
import { type ClockTimers, ClockTimersId } from "../../services/resilience/Timeout.js"
import { SeededPrng } from "./SeededPrng.js"
import { type Timer, type TimerHandle, TimerHeap } from "./TimerHeap.js"

export type { TimerHandle } from "./TimerHeap.js"

// ---------------------------------------------------------------------------
// Options and results
// ---------------------------------------------------------------------------

export interface KernelOptions {
  /**
   * Seed of the kernel's own PRNG, used only for ready-queue shuffles.
   * Default: 0.
   */
  readonly seed?: number
  /**
   * When true, each batch of ready tasks is shuffled (Fisher–Yates, seeded by `seed`)
   * before it runs, to explore interleavings. Same seed ⇒ same order.
   * Default: false (tasks run in the order they became ready).
   */
  readonly shuffleReadyQueue?: boolean
  /**
   * When true, all timers due at the same instant are fired before the ready queue is
   * drained, so the fibers they wake form one batch (which `shuffleReadyQueue` can then
   * permute). When false, timers fire one at a time and everything each one causes runs
   * to quiescence before the next fires (the semantics of `TestClock.adjust`).
   * Default: false.
   */
  readonly batchSimultaneousTimers?: boolean
  /**
   * A fiber yields back to the ready queue after this many operations (the kernel's
   * `shouldYield`; the `currentMaxOpsBeforeYield` fiber ref is not consulted).
   * Default: 2048 (Effect's default).
   */
  readonly maxOpsBeforeYield?: number
  /**
   * Virtual time, in milliseconds, at which the kernel starts.
   * Default: 0.
   */
  readonly startMillis?: number
  /**
   * When true, every fiber forked by a program under `run` is tracked (an Effect
   * `Supervisor`), so deadlocks can list what is blocked and `shutdown` can interrupt
   * leftover daemon fibers. Costs a Map insert and delete per fiber.
   * Default: true.
   */
  readonly trackFibers?: boolean
}

export interface RunOptions {
  /**
   * Stop with `TimeLimit` when virtual time would pass this instant (timers due exactly
   * at it still fire). Default: no limit.
   */
  readonly untilMillis?: number
  /**
   * Stop with `StepLimit` after this many steps (ready tasks run plus timers fired) in
   * this call; guards against livelock. Default: no limit.
   */
  readonly maxSteps?: number
  /**
   * When given, the program runs under `Effect.withRandom(Random.make(seed))`.
   * Default: none (the program's `Random` is left as it is).
   */
  readonly seed?: number
  /**
   * When the run stops early (deadlock, time or step limit) the root fiber is
   * interrupted and the kernel keeps running (tasks and timers, with no time limit) so
   * finalizers execute, for at most this many steps. Default: 1_000_000.
   */
  readonly shutdownMaxSteps?: number
  /**
   * `Error.stackTraceLimit` while the run executes (put back afterwards). Every `new Error` — which
   * includes every Effect `Data.TaggedError` / `Schema.TaggedError` a service fails with — captures
   * that many stack frames, at a cost that dominates making the error. A simulated run makes errors
   * by the thousand as plain values (503s, breaker rejections, timeouts) and never prints their
   * stacks; a defect is then reported with its message but without a stack.
   * Default: undefined (left as it is).
   */
  readonly stackTraceLimit?: number
}

interface RunStats {
  /** Virtual time when the run stopped (for early stops: before finalizers ran). */
  readonly nowMillis: number
  /**
   * Steps taken by this call: ready tasks run plus timers fired (including the shutdown
   * phase after an early stop).
   */
  readonly steps: number
  /** Timers fired by this call. */
  readonly timersFired: number
}

/** The root fiber finished (success, failure, defect or interruption). */
export interface Completed<A, E> extends RunStats {
  readonly _tag: "Completed"
  readonly exit: Exit.Exit<A, E>
}

/**
 * Nothing was runnable, no timer was pending and the root fiber was not done. The root
 * was then interrupted so finalizers could run; `exit` is its exit if that finished.
 */
export interface Deadlock<A, E> extends RunStats {
  readonly _tag: "Deadlock"
  /**
   * The live fibers at the moment of the deadlock, in fork order, e.g.
   * `fiber#0 (root)`, `fiber#7 "user-3" span=placeOrder`. `fiber#N` is the kernel's
   * own fork ordinal (deterministic), not Effect's process-wide fiber id.
   */
  readonly blocked: ReadonlyArray<string>
  readonly exit: Exit.Exit<A, E> | undefined
}

/**
 * Virtual time would have passed `untilMillis`; the root was interrupted (see `exit`).
 * A blocked root does not show up as `Deadlock` while anything else still has timers
 * (a periodic background fiber, a raw timer): it shows up here, and `live` helps.
 */
export interface TimeLimit<A, E> extends RunStats {
  readonly _tag: "TimeLimit"
  /** The live fibers when the limit was hit, in the format of `Deadlock.blocked`. */
  readonly live: ReadonlyArray<string>
  readonly exit: Exit.Exit<A, E> | undefined
}

/** `maxSteps` steps were taken without the root finishing; the root was interrupted. */
export interface StepLimit<A, E> extends RunStats {
  readonly _tag: "StepLimit"
  /** The live fibers when the limit was hit, in the format of `Deadlock.blocked`. */
  readonly live: ReadonlyArray<string>
  readonly exit: Exit.Exit<A, E> | undefined
}

export type RunResult<A, E> = Completed<A, E> | Deadlock<A, E> | TimeLimit<A, E> | StepLimit<A, E>

export interface KernelStats {
  /** Steps (ready tasks run plus timers fired) since the kernel was made. */
  readonly steps: number
  /** Ready tasks run since the kernel was made. */
  readonly tasksRun: number
  /** Timers fired since the kernel was made. */
  readonly timersFired: number
  /** Timers registered (clock sleeps and `scheduleAt`). */
  readonly timersScheduled: number
  /** Timers cancelled before firing. */
  readonly timersCancelled: number
  /** Timers pending now. */
  readonly pendingTimers: number
  /** Tasks waiting in the ready queue now. */
  readonly readyTasks: number
  /** Largest batch of ready tasks seen. */
  readonly maxBatch: number
  /** Tracked fibers alive now (0 when `trackFibers` is off). */
  readonly liveFibers: number
}

/** Cheap label shown for a fiber in deadlock reports; inherited by forked fibers. */
export const fiberLabel: FiberRef.FiberRef<string | undefined> = FiberRef.unsafeMake<string | undefined>(undefined)

/** Runs `self` (and the fibers it forks) with `label` as its deadlock-report label. */
export const withFiberLabel =
  (label: string) => <A, E, R>(self: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
    Effect.locally(self, fiberLabel, label)

// ---------------------------------------------------------------------------
// Scheduler, clock, fiber tracker
// ---------------------------------------------------------------------------

/** The kernel's Effect scheduler: ready tasks go to the kernel's queue. */
class KernelScheduler implements Scheduler.Scheduler {
  constructor(
    private readonly kernel: Kernel,
    private readonly maxOps: number
  ) {}

  scheduleTask(task: Scheduler.Task, priority: number): void {
    this.kernel.enqueue(task, priority)
  }

  shouldYield(fiber: Fiber.RuntimeFiber<unknown, unknown>): number | false {
    return fiber.currentOpCount > this.maxOps ? fiber.getFiberRef(FiberRef.currentSchedulingPriority) : false
  }
}

// Never resumed and holds nothing to release: an infinite sleep is a pure wait. (The
// register function takes exactly one parameter: with two, Effect would allocate an
// AbortController per call.)
const sleepForever: Effect.Effect<void> = Effect.async<void>((_resume) => {})

/** A sleeping fiber: its timer resumes it; its end (an interruption) first cancels the timer. */
class Sleeper {
  timer: Timer<Sleeper> | undefined = undefined
  constructor(
    readonly kernel: Kernel,
    readonly fiber: Fiber.RuntimeFiber<unknown, unknown>,
    readonly resume: (effect: Effect.Effect<void>) => void
  ) {}
  readonly gone = (): void => {
    this.kernel.cancelTimer(this.timer!)
  }
}

const wakeSleeper = (sleeper: Sleeper): void => {
  sleeper.fiber.removeObserver(sleeper.gone)
  sleeper.resume(Effect.void)
}

/** The kernel's Effect clock: virtual time, sleeps are timers in the kernel's heap. */
class KernelClock implements Clock.Clock, ClockTimers {
  readonly [Clock.ClockTypeId]: Clock.ClockTypeId = Clock.ClockTypeId

  /** Callback timers for `services/resilience/Timeout.ts`: a raw kernel timer, no sleeping fiber. */
  readonly [ClockTimersId] = (millis: number, f: () => void): () => void => {
    const kernel = this.kernel
    const timer = kernel.addTimer(kernel.nowMillis + millis, callThunk, f)
    return () => {
      kernel.cancelTimer(timer)
    }
  }
  readonly currentTimeMillis: Effect.Effect<number>
  readonly currentTimeNanos: Effect.Effect<bigint>

  constructor(readonly kernel: Kernel) {
    this.currentTimeMillis = Effect.sync(() => kernel.nowMillis)
    this.currentTimeNanos = Effect.sync(() => millisToNanos(kernel.nowMillis))
  }

  unsafeCurrentTimeMillis(): number {
    return this.kernel.nowMillis
  }

  unsafeCurrentTimeNanos(): bigint {
    return millisToNanos(this.kernel.nowMillis)
  }

  sleep(duration: Duration.Duration): Effect.Effect<void> {
    const millis = Duration.toMillis(duration)
    if (!Number.isFinite(millis)) return sleepForever
    const kernel = this.kernel
    // No canceler (Effect would wrap the wait in an interruption handler: four more operations per
    // sleep): the sleeping fiber's end removes the timer — an interrupted sleep's fiber ends, so at once.
    return Effect.withFiberRuntime((fiber) =>
      Effect.async<void>((resume) => {
        const sleeper = new Sleeper(kernel, fiber, resume)
        sleeper.timer = kernel.addTimer(kernel.nowMillis + millis, wakeSleeper, sleeper)
        fiber.addObserver(sleeper.gone)
      })
    )
  }
}

/**
 * A pod's view of the kernel's clock: the true virtual time plus an offset and a drift, both 0 until
 * a clock-skew fault sets them (drift as a rate: 0.01 gains 10 ms per true second). Sleeps and timers run on true time (durations are measured by a
 * monotonic clock); only readings of the time are skewed. Being a KernelClock, it keeps the kernel's
 * fast paths (one raw timer per timeout).
 *
 * Faults modelled: clock skew (a constant offset) and drift (ms gained per true second).
 */
export class SkewableClock extends KernelClock {
  private offsetMillis = 0
  private driftPerSecond = 0
  private since = 0
  override readonly currentTimeMillis: Effect.Effect<number> = Effect.sync(() => this.unsafeCurrentTimeMillis())
  override readonly currentTimeNanos: Effect.Effect<bigint> = Effect.sync(() => this.unsafeCurrentTimeNanos())

  /** The skew from now on; `skew(0, 0)` sets the clock right again. */
  skew(offsetMillis: number, driftPerSecond: number): void {
    this.offsetMillis = offsetMillis
    this.driftPerSecond = driftPerSecond
    this.since = this.kernel.nowMillis
  }

  get skewed(): boolean {
    return this.offsetMillis !== 0 || this.driftPerSecond !== 0
  }

  override unsafeCurrentTimeMillis(): number {
    const t = this.kernel.nowMillis
    if (this.offsetMillis === 0 && this.driftPerSecond === 0) return t
    return Math.floor(t + this.offsetMillis + (t - this.since) * this.driftPerSecond)
  }

  override unsafeCurrentTimeNanos(): bigint {
    return millisToNanos(this.unsafeCurrentTimeMillis())
  }
}

/** A pod's skewable clock over the kernel of `clock`, or undefined when `clock` is not a kernel's. */
export const skewableClockOf = (clock: Clock.Clock): SkewableClock | undefined =>
  clock instanceof KernelClock ? new SkewableClock(clock.kernel) : undefined

/**
 * Waits until `register`'s wake-up is called or `millis` pass, whichever comes first; succeeds with
 * true when woken. `register` is called once, synchronously, and returns how to unregister the
 * wake-up (called when the wait ends by timeout or interruption), or undefined when there is nothing
 * to wait for (the wait then ends at once, as woken). On the kernel's clock the timeout is
 * one raw kernel timer and the wait one `Effect.async` with no canceler: no racing fibers, no Deferred,
 * no interruption handler per wait. A wait interrupted is cleaned up (timer cancelled, wake-up
 * unregistered) when its fiber ends — at once for the loops that wait here (a consumer's read, a
 * relay's wait), whose interruption ends them; meanwhile a wake-up or the timer finds the wait gone
 * and resumes nobody. On any other clock it is `Effect.timeoutTo` over the same wait (same outcome,
 * more machinery).
 */
export const wakeOrTimeout = (
  millis: number,
  register: (wake: () => void) => (() => void) | undefined
): Effect.Effect<boolean> =>
  Effect.withFiberRuntime((fiber) => {
    const clock = Context.get(fiber.currentDefaultServices, Clock.Clock)
    if (!(clock instanceof KernelClock)) {
      return Effect.async<boolean>((resume) => {
        const unregister = register(() => resume(woken))
        if (unregister === undefined) return resume(woken)
        return Effect.sync(unregister)
      }).pipe(Effect.timeoutTo({ duration: millis, onSuccess: (woken) => woken, onTimeout: () => false }))
    }
    return kernelWait(clock.kernel, fiber, millis, register)
  })

/** `wakeOrTimeout` on the kernel's clock, for `fiber`, the running one. */
const kernelWait = (
  kernel: Kernel,
  fiber: Fiber.RuntimeFiber<unknown, unknown>,
  millis: number,
  register: (wake: () => void) => (() => void) | undefined
): Effect.Effect<boolean> =>
  Effect.async<boolean>((resume) => {
    let done = false
    let timer: Timer<undefined> | undefined = undefined
    let unregister: (() => void) | undefined = undefined
    // The fiber ended while waiting (interrupted): cancel the timer, unregister the wake-up.
    const gone = () => {
      if (done) return
      done = true
      if (timer !== undefined) kernel.cancelTimer(timer)
      unregister!()
    }
    unregister = register(() => {
      if (done) return
      done = true
      if (timer !== undefined) kernel.cancelTimer(timer)
      fiber.removeObserver(gone)
      resume(woken)
    })
    if (done) return
    if (unregister === undefined) {
      done = true
      return resume(woken)
    }
    if (Number.isFinite(millis)) {
      timer = kernel.addTimer(kernel.nowMillis + Math.max(0, millis), () => {
        if (done) return
        done = true
        unregister!()
        fiber.removeObserver(gone)
        resume(timedOut)
      }, undefined)
    }
    fiber.addObserver(gone)
  })

const woken = Effect.succeed(true)
const timedOut = Effect.succeed(false)

const millisToNanos = (millis: number): bigint => {
  const whole = Math.floor(millis)
  return BigInt(whole) * 1_000_000n + BigInt(Math.round((millis - whole) * 1_000_000))
}

/** Tracks live fibers in fork order, with a kernel-local ordinal for each. */
class FiberTracker extends Supervisor.AbstractSupervisor<void> {
  readonly live = new Map<Fiber.RuntimeFiber<any, any>, number>()
  private nextOrdinal = 0
  readonly value: Effect.Effect<void> = Effect.void

  track(fiber: Fiber.RuntimeFiber<any, any>): void {
    this.live.set(fiber, this.nextOrdinal++)
    fiber.addObserver(() => {
      this.live.delete(fiber)
    })
  }

  override onStart<A, E, R>(
    _context: Context.Context<R>,
    _effect: Effect.Effect<A, E, R>,
    _parent: Option.Option<Fiber.RuntimeFiber<any, any>>,
    fiber: Fiber.RuntimeFiber<A, E>
  ): void {
    this.live.set(fiber, this.nextOrdinal++)
  }

  override onEnd<A, E>(_value: Exit.Exit<A, E>, fiber: Fiber.RuntimeFiber<A, E>): void {
    this.live.delete(fiber)
  }
}

// ---------------------------------------------------------------------------
// Kernel
// ---------------------------------------------------------------------------

const enum Stop {
  /** The root fiber is done. */
  Done,
  /** No ready task and no pending timer. */
  Idle,
  TimeLimit,
  StepLimit
}

type Task = () => void
type PendingTask = { readonly task: Task; readonly priority: number }

export class Kernel {
  /** The kernel's Effect clock (already installed by `run`; exposed for layers/tests). */
  readonly clock: Clock.Clock
  /** The kernel's Effect scheduler (already installed by `run`). */
  readonly scheduler: Scheduler.Scheduler

  private now: number
  private readonly timers = new TimerHeap()
  private readonly prng: SeededPrng
  private readonly shuffle: boolean
  private readonly batchTimers: boolean
  private readonly tracker: FiberTracker | undefined

  // Ready queue, double-buffered: `cur[curPos .. curLen)` is the batch being run,
  // `next[0 .. nextLen)` collects tasks scheduled meanwhile. Arrays are reused.
  private cur: Array<Task | undefined> = []
  private curPos = 0
  private curLen = 0
  private next: Array<Task | undefined> = []
  private nextLen = 0
  // Priorities of `next`, only materialised once a non-zero priority shows up.
  private nextPriorities: Array<number> | undefined = undefined

  private running = false
  private rootDone = false

  private steps = 0
  private tasksRun = 0
  private timersFired = 0
  private timersScheduled = 0
  private timersCancelled = 0
  private maxBatch = 0

  constructor(options: KernelOptions = {}) {
    this.now = options.startMillis ?? 0
    if (!Number.isFinite(this.now)) throw new RangeError("Kernel: startMillis must be finite")
    this.prng = new SeededPrng(options.seed ?? 0)
    this.shuffle = options.shuffleReadyQueue ?? false
    this.batchTimers = options.batchSimultaneousTimers ?? false
    this.tracker = (options.trackFibers ?? true) ? new FiberTracker() : undefined
    this.clock = new KernelClock(this)
    this.scheduler = new KernelScheduler(this, options.maxOpsBeforeYield ?? 2048)
  }

  /** Current virtual time in milliseconds. */
  get nowMillis(): number {
    return this.now
  }

  get stats(): KernelStats {
    return {
      steps: this.steps,
      tasksRun: this.tasksRun,
      timersFired: this.timersFired,
      timersScheduled: this.timersScheduled,
      timersCancelled: this.timersCancelled,
      pendingTimers: this.timers.size,
      readyTasks: this.curLen - this.curPos + this.nextLen,
      maxBatch: this.maxBatch,
      liveFibers: this.tracker?.live.size ?? 0
    }
  }

  /** Number of pending timers (clock sleeps and raw timers). */
  get pendingTimers(): number {
    return this.timers.size
  }

  /**
   * Registers a raw timer calling `fn` at virtual time `atMillis` (clamped to now), for
   * simulated infrastructure. It fires from the kernel loop, not from a fiber: to touch
   * Effect state, resume a fiber or complete a Deferred from it.
   */
  scheduleAt(atMillis: number, fn: () => void): TimerHandle {
    return this.addTimer(atMillis, callThunk, fn)
  }

  /** `scheduleAt(nowMillis + delayMillis, fn)`. */
  scheduleAfter(delayMillis: number, fn: () => void): TimerHandle {
    return this.addTimer(this.now + delayMillis, callThunk, fn)
  }

  /** Cancels a timer; true when it was still pending. */
  cancelTimer(handle: TimerHandle): boolean {
    if (this.timers.cancel(handle)) {
      this.timersCancelled++
      return true
    }
    return false
  }

  /** @internal */
  addTimer<A>(atMillis: number, fn: (arg: A) => void, arg: A): Timer<A> {
    this.timersScheduled++
    return this.timers.push(atMillis > this.now ? atMillis : this.now, fn, arg)
  }

  /** @internal Called by the scheduler. */
  enqueue(task: Task, priority: number): void {
    const n = this.nextLen
    this.next[n] = task
    if (priority !== 0 || this.nextPriorities !== undefined) {
      if (this.nextPriorities === undefined) this.nextPriorities = new Array<number>(n).fill(0)
      this.nextPriorities[n] = priority
    }
    this.nextLen = n + 1
  }

  /**
   * Runs `effect` to completion in virtual time (see the module comment). Synchronous.
   * May be called again on the same kernel: time, pending timers and leftover daemon
   * fibers carry over (call `shutdown` to get rid of them).
   */
  run<A, E>(effect: Effect.Effect<A, E>, options: RunOptions = {}): RunResult<A, E> {
    if (this.running) throw new Error("Kernel.run: already running (run is not reentrant)")
    const untilMillis = options.untilMillis ?? Infinity
    const stepsAtStart = this.steps
    const timersAtStart = this.timersFired

    let program: Effect.Effect<A, E> = effect
    if (options.seed !== undefined) program = Effect.withRandom(program, Random.make(options.seed))
    if (this.tracker !== undefined) program = Effect.supervised(program, this.tracker)
    // Effect's fiber metrics (started, active, lifetimes) cost a metric-registry update and a read of the
    // real clock per fiber start and end; nothing in a simulated run reads them.
    program = Effect.withRuntimeFlagsPatch(program, RuntimeFlagsPatch.disable(RuntimeFlags.RuntimeMetrics))
    program = program.pipe(Effect.withClock(this.clock), Effect.withScheduler(this.scheduler))

    this.running = true
    this.rootDone = false
    let exit: Exit.Exit<A, E> | undefined
    const stackTraceLimit = Error.stackTraceLimit
    if (options.stackTraceLimit !== undefined) Error.stackTraceLimit = options.stackTraceLimit
    try {
      // `immediate: false`: even the root's first step goes through the ready queue.
      const root = Effect.runFork(program, { scheduler: this.scheduler, immediate: false })
      root.addObserver((e) => {
        exit = e
        this.rootDone = true
      })
      this.tracker?.track(root)

      const stop = this.advance(untilMillis, stepsAtStart + (options.maxSteps ?? Infinity))
      if (stop === Stop.Done) {
        return {
          _tag: "Completed",
          exit: exit!,
          nowMillis: this.now,
          steps: this.steps - stepsAtStart,
          timersFired: this.timersFired - timersAtStart
        }
      }

      const stoppedAt = this.now
      const live = this.describeLiveFibers(root)
      // Interrupt the root and keep going (no time limit) so its finalizers run.
      root.unsafeInterruptAsFork(FiberId.none)
      this.advance(Infinity, this.steps + (options.shutdownMaxSteps ?? 1_000_000))
      const stats = {
        nowMillis: stoppedAt,
        steps: this.steps - stepsAtStart,
        timersFired: this.timersFired - timersAtStart
      }
      return stop === Stop.Idle
        ? { _tag: "Deadlock", blocked: live, exit, ...stats }
        : { _tag: stop === Stop.TimeLimit ? "TimeLimit" : "StepLimit", live, exit, ...stats }
    } finally {
      Error.stackTraceLimit = stackTraceLimit
      this.running = false
      this.rootDone = false
    }
  }

  /**
   * Interrupts every tracked fiber still alive (e.g. daemons left by earlier runs), lets
   * them finish (at most `maxSteps` steps, timers allowed), then drops whatever is still
   * queued or pending. Returns how many tracked fibers were still alive after that (0 on
   * a clean shutdown). Without `trackFibers` it only drops the queue and the timers.
   */
  shutdown(maxSteps: number = 1_000_000): number {
    if (this.running) throw new Error("Kernel.shutdown: called from inside run")
    this.running = true
    try {
      const tracker = this.tracker
      if (tracker !== undefined) {
        const limit = this.steps + maxSteps
        // A few rounds, in case finalizers fork new fibers.
        for (let round = 0; round < 3 && tracker.live.size > 0 && this.steps < limit; round++) {
          for (const fiber of Array.from(tracker.live.keys())) fiber.unsafeInterruptAsFork(FiberId.none)
          // Until every tracked fiber is gone, the kernel is idle, or the budget is spent.
          while (tracker.live.size > 0 && this.steps < limit) {
            if (this.advance(Infinity, Math.min(limit, this.steps + 256)) === Stop.Idle) break
          }
        }
      }
      this.timers.clear()
      this.cur.length = 0
      this.curPos = this.curLen = 0
      this.next.length = 0
      this.nextLen = 0
      this.nextPriorities = undefined
      return tracker?.live.size ?? 0
    } finally {
      this.running = false
    }
  }

  // The loop. Everything here is synchronous.
  private advance(untilMillis: number, stepLimit: number): Stop {
    const timers = this.timers
    for (;;) {
      // 1. Drain the ready queue, batch by batch.
      for (;;) {
        let pos = this.curPos
        const len = this.curLen
        if (pos === len) {
          if (this.nextLen === 0) break
          this.startNextBatch()
          continue
        }
        const batch = this.cur
        while (pos < len) {
          const task = batch[pos]!
          batch[pos++] = undefined
          this.curPos = pos
          this.tasksRun++
          this.steps++
          task()
          if (this.rootDone) return Stop.Done
          if (this.steps >= stepLimit) return Stop.StepLimit
        }
      }
      // 2. Idle: advance virtual time to the earliest timer and fire it (or every timer
      //    due at that instant, with `batchSimultaneousTimers`).
      const at = timers.peekAtMillis()
      if (at === Infinity) return Stop.Idle
      if (at > untilMillis) {
        if (untilMillis > this.now) this.now = untilMillis
        return Stop.TimeLimit
      }
      this.now = at
      do {
        const timer = timers.pop()!
        this.timersFired++
        this.steps++
        timer.fire()
        if (this.rootDone) return Stop.Done
        if (this.steps >= stepLimit) return Stop.StepLimit
      } while (this.batchTimers && timers.peekAtMillis() === at)
    }
  }

  private startNextBatch(): void {
    const batch = this.next
    const n = this.nextLen
    this.next = this.cur
    this.nextLen = 0
    this.cur = batch
    this.curPos = 0
    this.curLen = n
    if (n > this.maxBatch) this.maxBatch = n
    const priorities = this.nextPriorities
    if (priorities !== undefined) {
      this.nextPriorities = undefined
      // Rare path (a non-zero scheduling priority was used): stable sort by priority,
      // lower first, after the optional shuffle.
      const entries: Array<PendingTask> = []
      for (let i = 0; i < n; i++) entries.push({ task: batch[i]!, priority: priorities[i]! })
      if (this.shuffle) this.prng.shuffle(entries, n)
      entries.sort((a, b) => a.priority - b.priority)
      for (let i = 0; i < n; i++) batch[i] = entries[i]!.task
    } else if (this.shuffle && n > 1) {
      this.prng.shuffle(batch, n)
    }
  }

  private describeLiveFibers(root: Fiber.RuntimeFiber<any, any>): ReadonlyArray<string> {
    const tracker = this.tracker
    if (tracker === undefined) return ["fiber#0 (root; fiber tracking is off)"]
    const out: Array<string> = []
    for (const [fiber, ordinal] of tracker.live) {
      let line = `fiber#${ordinal}`
      if (fiber === root) line += " (root)"
      const label = fiber.getFiberRef(fiberLabel)
      if (label !== undefined) line += ` ${JSON.stringify(label)}`
      const span = fiber.currentSpan
      if (span !== undefined && span._tag === "Span") line += ` span=${span.name}`
      out.push(line)
    }
    return out
  }
}

function callThunk(fn: () => void): void {
  fn()
}

/** Makes a kernel; see {@link KernelOptions} for the defaults. */
export const make = (options?: KernelOptions): Kernel => new Kernel(options)
