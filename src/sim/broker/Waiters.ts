/**
 * Waiters: readers blocked in XREADGROUP … BLOCK.
 *
 * A waiter is a one-shot Deferred registered on every stream it reads. An append to one of those
 * streams, or a fault change (outage, delay change), completes it; the reader then re-checks the
 * broker. Entries are never handed to a waiter, so a waiter that dies cannot lose a message; the
 * reader unregisters in a finalizer, so an interrupted blocked read leaves nothing behind.
 *
 * Fault modelled here: none (outage wakes every waiter through `wakeAll`).
 */
import { Deferred, Exit, FiberId } from "effect"
import type { SimStream } from "./Stream.js"

export interface Waiter {
  readonly signal: Deferred.Deferred<void>
  readonly streams: ReadonlyArray<SimStream>
}

export class Waiters {
  private readonly all = new Set<Waiter>()

  get size(): number {
    return this.all.size
  }

  register(streams: ReadonlyArray<SimStream>): Waiter {
    const waiter: Waiter = { signal: Deferred.unsafeMake<void>(FiberId.none), streams }
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
    Deferred.unsafeDone(waiter.signal, Exit.void)
  }
}
