/**
 * suspendForever: an effect that never completes and holds no host resource — the simulated way to
 * wait for nothing (a lost message, a probe-less pod). Effect.never keeps a real interval timer alive
 * while it waits; this only suspends the fiber until it is interrupted.
 */
import { Effect } from "effect"

export const suspendForever: Effect.Effect<never> = Effect.async<never>(() => {})
