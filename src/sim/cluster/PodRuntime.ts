/**
 * PodRuntime: what a pod's own code runs with besides its ports — its own Random (seeded per pod, so
 * one pod's draws never shift another's), its own clock (the kernel's time, skewable) and its own
 * scheduler over the kernel's (which can crash the pod at a step of its work). Everything the pod
 * runs (its app's start-up, request handlers, workers) goes through `around`.
 *
 * Faults modelled: clock skew and drift of one pod (kernel/Kernel.ts SkewableClock); crash points
 * (PodScheduler.ts).
 */
import { Effect, Random } from "effect"
import type { SkewableClock } from "../kernel/Kernel.js"
import { PodScheduler } from "./PodScheduler.js"

export class PodRuntime {
  /** The pod's scheduler; undefined off the kernel (no crash points then). */
  readonly scheduler: PodScheduler | undefined

  constructor(
    readonly random: Random.Random | undefined,
    readonly clock: SkewableClock | undefined
  ) {
    this.scheduler = clock ? new PodScheduler(clock.kernel.scheduler) : undefined
  }

  static make(seed: number | undefined, clock: SkewableClock | undefined): PodRuntime {
    return new PodRuntime(seed === undefined ? undefined : Random.make(seed), clock)
  }

  around<A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> {
    const withRandom = this.random ? Effect.withRandom(effect, this.random) : effect
    if (!this.clock) return withRandom
    return Effect.withScheduler(Effect.withClock(withRandom, this.clock), this.scheduler!)
  }
}
