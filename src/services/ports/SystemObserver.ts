/**
 * SystemObserver port: how services report what a run's history must record besides requests and
 * events — circuit-breaker policies, calls and transitions (what a reference model of the breaker
 * replays), dead-lettered messages, swept orders. The sim world appends them to the history; the live
 * world logs them; the default drops them.
 */
import { Context, Effect, Layer } from "effect"
import type { BreakerPolicy, CallOutcome } from "../resilience/CircuitBreaker.js"

export type SystemNote =
  | {
    readonly _tag: "BreakerTransition"
    readonly pod: string
    readonly breaker: string
    readonly from: string
    readonly to: string
    readonly reason: string
    /** The breaker's clock time the transition took effect (BreakerTransition.atMillis). Default: unknown. */
    readonly at?: number
  }
  /** A breaker was made (a pod started): its configured policy; its calls and transitions follow. */
  | { readonly _tag: "BreakerConfigured"; readonly pod: string; readonly breaker: string; readonly policy: BreakerPolicy }
  /**
   * One call through a breaker, once over: how it was classified, its start and end on the breaker's
   * clock, and `seq` = [admission, completion] in the breaker's own order of events (BreakerCall).
   * Every admitted call is noted; of the rejected ones, the first of each run and then one a second.
   */
  | {
    readonly _tag: "BreakerCall"
    readonly pod: string
    readonly breaker: string
    readonly outcome: CallOutcome
    readonly start: number
    readonly end: number
    readonly seq: readonly [number, number]
  }
  | { readonly _tag: "DeadLettered"; readonly pod: string; readonly stream: string; readonly id: string; readonly reason: string }
  | { readonly _tag: "OrderAbandoned"; readonly pod: string; readonly orderId: number }
  | { readonly _tag: "PaymentCallFailed"; readonly pod: string; readonly orderId: number; readonly reason: string }

export interface SystemObserverShape {
  readonly note: (note: SystemNote) => Effect.Effect<void>
}

export class SystemObserver extends Context.Tag("starcoffee/SystemObserver")<SystemObserver, SystemObserverShape>() {
  static readonly Silent: Layer.Layer<SystemObserver> = Layer.succeed(SystemObserver, { note: () => Effect.void })
}
