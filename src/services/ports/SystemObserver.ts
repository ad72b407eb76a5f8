/**
 * SystemObserver port: how services report what a run's history must record besides requests and
 * events — circuit-breaker transitions, dead-lettered messages, swept orders. The sim world appends
 * them to the history; the live world logs them; the default drops them.
 */
import { Context, Effect, Layer } from "effect"

export type SystemNote =
  | {
    readonly _tag: "BreakerTransition"
    readonly pod: string
    readonly breaker: string
    readonly from: string
    readonly to: string
    readonly reason: string
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
