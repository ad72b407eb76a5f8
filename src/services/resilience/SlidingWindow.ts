/**
 * SlidingWindow: the window of call outcomes a circuit breaker trips on — time-based buckets as in
 * Hystrix's rolling number (resilience4j TIME_BASED), or the last N calls (resilience4j COUNT_BASED).
 * Bucket counters and a ring of outcomes, not a log of calls.
 */

export interface Totals {
  calls: number
  failures: number
  slow: number
}

export interface SlidingWindow {
  readonly record: (now: number, failed: boolean, slow: boolean) => void
  /** Totals as of `now`. The returned object is reused: read it before the next call. */
  readonly totals: (now: number) => Totals
  readonly reset: () => void
}

/** Hystrix rolling window: ring of buckets, each tagged with the absolute bucket number it holds. */
export const timeWindow = (windowMillis: number, buckets: number): SlidingWindow => {
  const bucketMillis = windowMillis / buckets
  const epoch = new Float64Array(buckets).fill(-Infinity)
  const calls = new Float64Array(buckets)
  const failures = new Float64Array(buckets)
  const slow = new Float64Array(buckets)
  const out: Totals = { calls: 0, failures: 0, slow: 0 }
  const bucketOf = (now: number) => Math.floor(now / bucketMillis)
  const slotOf = (index: number) => ((index % buckets) + buckets) % buckets
  return {
    record: (now, failed, isSlow) => {
      const index = bucketOf(now)
      const slot = slotOf(index)
      if (epoch[slot] !== index) {
        epoch[slot] = index
        calls[slot] = 0
        failures[slot] = 0
        slow[slot] = 0
      }
      calls[slot]++
      if (failed) failures[slot]++
      if (isSlow) slow[slot]++
    },
    totals: (now) => {
      const oldest = bucketOf(now) - buckets + 1
      out.calls = 0
      out.failures = 0
      out.slow = 0
      for (let slot = 0; slot < buckets; slot++) {
        if (epoch[slot]! >= oldest) {
          out.calls += calls[slot]!
          out.failures += failures[slot]!
          out.slow += slow[slot]!
        }
      }
      return out
    },
    reset: () => {
      epoch.fill(-Infinity)
    }
  }
}

/** resilience4j count window: ring of the last `size` outcomes (bit 1 = failed, bit 2 = slow) plus running totals. */
export const countWindow = (size: number): SlidingWindow => {
  const ring = new Uint8Array(size)
  let next = 0
  const out: Totals = { calls: 0, failures: 0, slow: 0 }
  return {
    record: (_now, failed, isSlow) => {
      if (out.calls === size) {
        const old = ring[next]!
        if (old & 1) out.failures--
        if (old & 2) out.slow--
      } else {
        out.calls++
      }
      ring[next] = (failed ? 1 : 0) | (isSlow ? 2 : 0)
      if (failed) out.failures++
      if (isSlow) out.slow++
      next = (next + 1) % size
    },
    totals: () => out,
    reset: () => {
      next = 0
      out.calls = 0
      out.failures = 0
      out.slow = 0
    }
  }
}
