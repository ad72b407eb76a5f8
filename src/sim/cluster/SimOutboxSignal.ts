/**
 * The simulated pod's OutboxSignal: the same hand-off and coalescing wake-up as `OutboxSignal.layer` (a
 * notification while the relay is busy is kept, many become one), with the relay's timed wait as one
 * raw kernel timer instead of a queue take raced against a sleep (`wakeOrTimeout`).
 */
import { makeHandOff, type OutboxSignalShape } from "../../services/messaging/OutboxSignal.js"
import { wakeOrTimeout } from "../kernel/Kernel.js"
import { Effect } from "effect"

export const makeSimOutboxSignal = (): OutboxSignalShape => {
  let pending = false
  let waiting: (() => void) | undefined = undefined
  const register = (wake: () => void) => {
    if (pending) {
      pending = false
      return undefined
    }
    waiting = wake
    return () => {
      if (waiting === wake) waiting = undefined
    }
  }
  const unsafeNotify = () => {
    const wake = waiting
    if (wake === undefined) {
      pending = true
    } else {
      waiting = undefined
      wake()
    }
  }
  const notify = Effect.sync(unsafeNotify)
  return {
    notify,
    await: (millis) =>
      Effect.suspend(() => {
        if (pending) {
          pending = false
          return Effect.void
        }
        return Effect.asVoid(wakeOrTimeout(millis, register))
      }),
    ...makeHandOff(notify, unsafeNotify)
  }
}
