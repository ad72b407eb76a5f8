/**
 * LiveClock: the live world's clock — real time, read from a shared origin and optionally compressed
 * by a time scale, so that a scenario written in the seed's durations (a 610 ms timeout, a 10 s
 * readiness delay, a 60 s siege) runs in a fraction of the wall time. Every process of a live run
 * (the harness and each service replica) uses the same origin and scale, so their readings agree:
 *
 *   now       = (Date.now() - origin) / scale      scenario milliseconds since the run began
 *   sleep(d)  = a real timer of d × scale ms
 *
 * With scale 1 and origin 0 it is the plain real clock (what `starcoffee serve` uses on its own).
 * A replica's clock can also be skewed (the ClockSkew fault): a constant offset plus a drift (0.01:
 * the clock gains 10 ms per second of true time), until it is made true again.
 */
import { Clock, Duration, Effect } from "effect"
import type { ClockSkew } from "../chaos/world/World.js"

export interface TimeBase {
  /** Epoch ms at which the run's time is 0. Default for a plain real clock: 0. */
  readonly origin: number
  /** Real ms per scenario ms (0.1: ten times faster than the scenario says). Default: 1. */
  readonly scale: number
}

export const realTime: TimeBase = { origin: 0, scale: 1 }

/** Scenario ms of a real epoch time (e.g. a Redis entry id's time). */
export const toScenarioMillis = (base: TimeBase, epochMillis: number): number =>
  Math.floor((epochMillis - base.origin) / base.scale)

/** Real ms of a scenario duration (what a timer or a Redis BLOCK / min-idle needs). */
export const toRealMillis = (base: TimeBase, scenarioMillis: number): number =>
  Math.max(0, Math.round(scenarioMillis * base.scale))

/** A skewed reading: offset, plus drift accumulated since the skew began. */
interface ActiveSkew extends ClockSkew {
  readonly since: number
}

export interface LiveClock extends Clock.Clock {
  /** The time base now. */
  readonly time: () => TimeBase
  /**
   * Moves time 0 to another epoch ms (every process of a run does it together, before any work, so
   * that a run's history starts at 0 once its processes are up).
   */
  readonly rebase: (origin: number) => void
  /** Skews this clock's readings (not its timers) until `unskew`. */
  readonly skew: (skew: ClockSkew) => void
  readonly unskew: () => void
}

const hostClock = Clock.make()

export const makeLiveClock = (initial: TimeBase): LiveClock => {
  let base = initial
  let skew: ActiveSkew | undefined = undefined
  const trueNow = () => (Date.now() - base.origin) / base.scale
  const read = () => {
    const t = trueNow()
    if (skew === undefined) return Math.floor(t)
    const drift = (t - skew.since) * (skew.driftPerSecond ?? 0)
    return Math.floor(t + skew.offsetMillis + drift)
  }
  const clock: LiveClock = {
    [Clock.ClockTypeId]: Clock.ClockTypeId,
    unsafeCurrentTimeMillis: read,
    currentTimeMillis: Effect.sync(read),
    unsafeCurrentTimeNanos: () => BigInt(read()) * 1_000_000n,
    currentTimeNanos: Effect.sync(() => BigInt(read()) * 1_000_000n),
    sleep: (duration) => hostClock.sleep(Duration.millis(toRealMillis(base, Duration.toMillis(duration)))),
    time: () => base,
    rebase: (origin) => {
      base = { origin, scale: base.scale }
    },
    skew: (s) => {
      skew = { ...s, since: trueNow() }
    },
    unskew: () => {
      skew = undefined
    }
  }
  return clock
}
