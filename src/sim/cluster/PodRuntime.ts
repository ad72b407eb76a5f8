/**
 * PodRuntime: what a pod's own code runs with besides its ports — its own Random (seeded per pod, so
 * one pod's draws never shift another's) and its own clock (the kernel's time, skewable). Everything
 * the pod runs (its app's start-up, request handlers, workers) goes through `around`.
 *
 * Faults modelled: clock skew and drift of one pod (kernel/Kernel.ts SkewableClock).
 */
import { Effect, Random } from "effect"
import type { SkewableClock } from "../kernel/Kernel.js"

export class PodRuntime {
  constructor(
    readonly random: Random.Random | undefined,
    readonly clock: SkewableClock | undefined
  ) {}

  static make(seed: number | undefined, clock: SkewableClock | undefined): PodRuntime {
    return new PodRuntime(seed === undefined ? undefined : Random.make(seed), clock)
  }

  around<A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> {
    const withRandom = this.random ? Effect.withRandom(effect, this.random) : effect
    return this.clock ? Effect.withClock(withRandom, this.clock) : withRandom
  }
}
