/**
 * OwnFiber: setting fiber refs on a fiber that exists for one piece of work — a server's fiber for one
 * request — instead of scoping them around the work with `Effect.locally`.
 *
 * `Effect.locally` saves the old value, sets the new one and restores it in a finalizer: a dozen
 * Effect operations and a copied context per ref, per request. A fiber that runs one request and ends
 * has nothing to restore, so the refs are set in place and left set; the fiber must run nothing else
 * afterwards that expects the old values. `setInPlace` is the bare setter, for code that restores the
 * old value itself on every exit (SimSql's transactions).
 */
import * as Effect from "effect/Effect"
import * as FiberRef from "effect/FiberRef"

/** A fiber ref and the value to give it. */
export type FiberRefSetting = readonly [FiberRef.FiberRef<any>, unknown]

/** Effect's fiber runtime sets a ref of the running fiber in place (what `FiberRef.set` does). */
interface SettableFiber {
  setFiberRef<A>(fiberRef: FiberRef.FiberRef<A>, value: A): void
}

/**
 * Sets `fiberRef` of `fiber` — the running fiber, passed by `Effect.withFiberRuntime` — in place, as
 * `FiberRef.set` would; false (and nothing set) where the fiber runtime has no in-place setter.
 */
export const setInPlace = <A>(fiber: unknown, fiberRef: FiberRef.FiberRef<A>, value: A): boolean => {
  const settable = fiber as Partial<SettableFiber>
  if (typeof settable.setFiberRef !== "function") return false
  settable.setFiberRef(fiberRef, value)
  return true
}

/**
 * Sets the refs `settings` computes (from the calling fiber) on the calling fiber, then runs `effect`
 * on it (or the effect `effect()` makes, after `settings` has run). For a fiber of its own only (see
 * the module comment).
 */
export const onOwnFiber = <A, E, R>(
  settings: (fiber: { getFiberRef<X>(fiberRef: FiberRef.FiberRef<X>): X }) => ReadonlyArray<FiberRefSetting>,
  effectOrMake: Effect.Effect<A, E, R> | (() => Effect.Effect<A, E, R>)
): Effect.Effect<A, E, R> =>
  Effect.withFiberRuntime((fiber) => {
    const list = settings(fiber)
    const effect = typeof effectOrMake === "function" ? effectOrMake() : effectOrMake
    const settable = fiber as unknown as Partial<SettableFiber>
    if (typeof settable.setFiberRef !== "function") {
      // Only Effect's own fiber runtime has the setter; anything else sets the refs as effects.
      return Effect.zipRight(Effect.forEach(list, ([ref, value]) => FiberRef.set(ref, value), { discard: true }), effect)
    }
    for (const [ref, value] of list) settable.setFiberRef(ref, value)
    return effect
  })
