/**
 * PodScheduler: the Effect scheduler of everything one pod runs (PodRuntime.around installs it), a
 * thin layer over the kernel's. Unarmed it only forwards. Armed with a crash point it counts the
 * pod's tasks — each one a step of the pod's own work: a resumption of one of its fibers (a handler,
 * a relay round, a consumer batch, a probe) — and right after the Nth one the process dies: every
 * fiber of the pod is interrupted before it can take another step, and `onCrash` (the cluster's
 * crash of the container) is called. Until `revive`, a pod fiber that would run is interrupted
 * first, so nothing of the dead process moves on; uninterruptible regions (a transaction's COMMIT)
 * still finish, as an fsync already under way would.
 *
 * Faults modelled: crash points — a pod killed at an arbitrary step of its own work (FoundationDB's
 * BUGGIFY in spirit), so a crash can land between any two steps of a handler.
 */
import { type Fiber, FiberId, type Scheduler } from "effect"

type AnyFiber = Fiber.RuntimeFiber<unknown, unknown>

interface Armed {
  remaining: number
  readonly onCrash: () => void
}

export class PodScheduler implements Scheduler.Scheduler {
  private armed: Armed | undefined = undefined
  /** Fibers scheduled since arming (the ones a crash must stop). */
  private seen: Set<AnyFiber> | undefined = undefined
  /** After a crash: fibers already interrupted. */
  private dead: Set<AnyFiber> | undefined = undefined
  /** Tasks run while armed (for tests and reports). */
  stepsRun = 0

  constructor(private readonly kernel: Scheduler.Scheduler) {}

  /** Whether a crash point is armed (services then yield between their steps: see StepYield). */
  get isArmed(): boolean {
    return this.armed !== undefined
  }

  /** Crash after `steps` more tasks of this pod; replaces any armed crash point. */
  arm(steps: number, onCrash: () => void): void {
    this.armed = { remaining: Math.max(1, Math.floor(steps)), onCrash }
    this.seen = new Set()
    this.stepsRun = 0
  }

  /** The crash point is healed before it fired. */
  disarm(): void {
    this.armed = undefined
    this.seen = undefined
  }

  /** The dead process is gone (its container closed): the pod's next container runs normally. */
  revive(): void {
    this.dead = undefined
  }

  scheduleTask(task: Scheduler.Task, priority: number, fiber?: AnyFiber): void {
    if (this.dead !== undefined) {
      this.stop(fiber)
      return this.kernel.scheduleTask(task, priority, fiber)
    }
    if (this.armed === undefined) return this.kernel.scheduleTask(task, priority, fiber)
    if (fiber !== undefined) this.seen!.add(fiber)
    this.kernel.scheduleTask(() => this.step(task), priority, fiber)
  }

  shouldYield(fiber: AnyFiber): number | false {
    return this.kernel.shouldYield(fiber)
  }

  private step(task: Scheduler.Task): void {
    task()
    const armed = this.armed
    if (armed === undefined || this.dead !== undefined) return
    this.stepsRun++
    if (--armed.remaining <= 0) this.crash(armed)
  }

  private crash(armed: Armed): void {
    const seen = this.seen!
    this.armed = undefined
    this.seen = undefined
    this.dead = new Set()
    for (const fiber of seen) this.stop(fiber)
    armed.onCrash()
  }

  /** Interrupts a fiber of the dead process once; its pending step then ends in the interruption. */
  private stop(fiber: AnyFiber | undefined): void {
    const dead = this.dead!
    if (fiber === undefined || dead.has(fiber)) return
    dead.add(fiber)
    fiber.unsafeInterruptAsFork(FiberId.none)
  }
}
