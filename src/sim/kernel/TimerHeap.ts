/**
 * A binary min-heap of timers ordered by (atMillis, insertion sequence).
 *
 * - `push` / `pop` / `cancel` are O(log n). Cancellation is eager: every timer knows its
 *   slot in the heap, so a cancelled timer is removed at once and never lingers (a
 *   simulated request with a 30 s timeout answered after 0.5 s leaves nothing behind).
 *   `size` is therefore always the number of live timers.
 * - Ties on `atMillis` are broken by insertion order, so timers due at the same instant
 *   fire first-in first-out. The sequence counter belongs to the heap, not to the
 *   process, so two heaps never influence each other.
 * - A timer carries a callback and one argument (`fn(arg)`), which lets callers such as
 *   the kernel clock register an existing function (a fiber's `resume`) without
 *   allocating a closure per timer.
 */

/** Opaque handle to a scheduled timer, returned by {@link TimerHeap.push}. */
export interface TimerHandle {
  /** Virtual time (milliseconds) at which the timer is due. */
  readonly atMillis: number
  /** Insertion sequence number within its heap; breaks ties on `atMillis`. */
  readonly seq: number
}

/** @internal A heap node. Exported for the kernel; treat as opaque elsewhere. */
export class Timer<A = unknown> implements TimerHandle {
  /** Slot in the heap array, or -1 once fired or cancelled. */
  index: number = -1
  constructor(
    readonly atMillis: number,
    readonly seq: number,
    readonly fn: (arg: A) => void,
    readonly arg: A
  ) {}

  /** Runs the callback. */
  fire(): void {
    this.fn(this.arg)
  }
}

const before = (a: Timer<any>, b: Timer<any>): boolean =>
  a.atMillis < b.atMillis || (a.atMillis === b.atMillis && a.seq < b.seq)

export class TimerHeap {
  private readonly heap: Array<Timer<any>> = []
  private nextSeq = 0

  /** Number of live (pending, not cancelled) timers. */
  get size(): number {
    return this.heap.length
  }

  /** `atMillis` of the earliest live timer, or `Infinity` when the heap is empty. */
  peekAtMillis(): number {
    return this.heap.length === 0 ? Infinity : this.heap[0]!.atMillis
  }

  /** Inserts a timer due at `atMillis` that will call `fn(arg)`. `atMillis` must not be NaN. */
  push<A>(atMillis: number, fn: (arg: A) => void, arg: A): Timer<A> {
    if (atMillis !== atMillis) throw new RangeError("TimerHeap.push: atMillis is NaN")
    const timer = new Timer(atMillis, this.nextSeq++, fn, arg)
    const heap = this.heap
    heap.push(timer)
    this.siftUp(timer, heap.length - 1)
    return timer
  }

  /** Removes and returns the earliest live timer (it is not fired), or `undefined`. */
  pop(): Timer<any> | undefined {
    const heap = this.heap
    const n = heap.length
    if (n === 0) return undefined
    const top = heap[0]!
    const last = heap.pop()!
    if (n > 1) this.siftDown(last, 0)
    top.index = -1
    return top
  }

  /**
   * Cancels a timer. Returns true when it was still pending (and is now removed), false
   * when it had already fired or been cancelled, or belongs to another heap.
   */
  cancel(handle: TimerHandle): boolean {
    const timer = handle as Timer<any>
    const i = timer.index
    const heap = this.heap
    if (i < 0 || heap[i] !== timer) return false
    timer.index = -1
    const last = heap.pop()!
    if (last !== timer) {
      // Put `last` in the hole left by `timer` and restore the order in whichever
      // direction it is violated.
      if (i > 0 && before(last, heap[(i - 1) >> 1]!)) this.siftUp(last, i)
      else this.siftDown(last, i)
    }
    return true
  }

  /** True while the timer is pending in this heap. */
  isPending(handle: TimerHandle): boolean {
    const timer = handle as Timer<any>
    return timer.index >= 0 && this.heap[timer.index] === timer
  }

  /** Removes every timer (none is fired). */
  clear(): void {
    for (const timer of this.heap) timer.index = -1
    this.heap.length = 0
  }

  // "Hole" sifting: move the hole instead of swapping, one write per level.
  private siftUp(timer: Timer<any>, i: number): void {
    const heap = this.heap
    while (i > 0) {
      const p = (i - 1) >> 1
      const parent = heap[p]!
      if (!before(timer, parent)) break
      heap[i] = parent
      parent.index = i
      i = p
    }
    heap[i] = timer
    timer.index = i
  }

  private siftDown(timer: Timer<any>, i: number): void {
    const heap = this.heap
    const n = heap.length
    for (;;) {
      const l = 2 * i + 1
      if (l >= n) break
      const r = l + 1
      const c = r < n && before(heap[r]!, heap[l]!) ? r : l
      const child = heap[c]!
      if (!before(child, timer)) break
      heap[i] = child
      child.index = i
      i = c
    }
    heap[i] = timer
    timer.index = i
  }
}
