/**
 * Waiters: readers blocked in XREADGROUP … BLOCK.
 *
 * A waiter is a one-shot flag registered on every stream it reads (the reader listens to it with a
 * callback; a wake-up before the reader listens is kept). An append to one of those
 * streams, or a fault change (outage, delay change), completes it; the reader then re-checks the
 * broker. Entries are never handed to a waiter, so a waiter that dies cannot lose a message; an
 * interrupted blocked read unregisters (`wakeOrTimeout`: on the kernel's clock when the reader's fiber
 * ends, elsewhere in the wait's canceler), so it leaves nothing behind.
 *
 * Fault modelled here: none (outage wakes every waiter through `wakeAll`).
 */
import type { SimStream } from "./Stream.js"

export class Waiter {
  private woken = false
  private onWake: (() => void) | undefined = undefined
  constructor(readonly streams: ReadonlyArray<SimStream>) {}

  /** Calls `f` on the wake-up; false (and no call) when it already happened. */
  listen(f: () => void): boolean {
    if (this.woken) return false
    this.onWake = f
    return true
  }

  unlisten(): void {
    this.onWake = undefined
  }

  wake(): void {
    if (this.woken) return
    this.woken = true
    const f = this.onWake
    this.onWake = undefined
    if (f !== undefined) f()
  }
}

export class Waiters {
  private readonly all = new Set<Waiter>()

  get size(): number {
    return this.all.size
  }

  register(streams: ReadonlyArray<SimStream>): Waiter {
    const waiter = new Waiter(streams)
    for (const stream of streams) stream.waiters.add(waiter)
    this.all.add(waiter)
    return waiter
  }

  unregister(waiter: Waiter): void {
    if (!this.all.delete(waiter)) return
    for (const stream of waiter.streams) stream.waiters.delete(waiter)
  }

  /** Wakes (and unregisters) every reader blocked on `stream`. */
  wakeStream(stream: SimStream): void {
    if (stream.waiters.size === 0) return
    for (const waiter of Array.from(stream.waiters)) this.wake(waiter)
  }

  /** Wakes (and unregisters) every blocked reader. */
  wakeAll(): void {
    for (const waiter of Array.from(this.all)) this.wake(waiter)
  }

  private wake(waiter: Waiter): void {
    this.unregister(waiter)
    waiter.wake()
  }
}
